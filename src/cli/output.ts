/**
 * What the CLI shows while and after running: live bars on a TTY (cli-progress), one plain line
 * per finished table otherwise, nothing with --quiet; the end-of-run summary as a table or JSON.
 */
import cliProgress from 'cli-progress';
import type { SinkSummary } from '../contracts.js';
import type { ProgressEvent, RunOutcome } from '../pipeline/run.js';
import type { Io } from './main.js';

export interface Reporter {
  onProgress(e: ProgressEvent): void;
  stop(): void;
}

export function makeReporter(io: Io, opts: { quiet: boolean; tty: boolean; sinks: readonly string[] }): Reporter {
  if (opts.quiet) return { onProgress: () => undefined, stop: () => undefined };
  const sinkList = opts.sinks.join('+') || 'none';
  if (!opts.tty) {
    return {
      onProgress: (e) => {
        if (e.phase !== 'done') return;
        io.err(`${e.table}: ${e.rows} rows, ${fmtBytes(e.bytes)} → ${sinkList}\n`);
      },
      stop: () => undefined,
    };
  }
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: ' {table} |{bar}| {percentage}% | {value}/{total} rows | {speed} rows/s | ETA {eta_formatted} | {sinks}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      etaBuffer: 50,
      fps: 8,
      forceRedraw: true,
    },
    cliProgress.Presets.shades_grey,
  );
  const bars = new Map<string, { bar: cliProgress.SingleBar; t0: number }>();
  return {
    onProgress: (e) => {
      let b = bars.get(e.table);
      if (!b) {
        b = { bar: multi.create(Math.max(1, e.totalRows ?? e.rows), 0, { table: e.table.padEnd(18), speed: 0, sinks: sinkList }), t0: performance.now() };
        bars.set(e.table, b);
      }
      const secs = (performance.now() - b.t0) / 1000;
      b.bar.update(e.rows, { speed: secs > 0 ? Math.round(e.rows / secs) : 0 });
      if (e.phase === 'done') b.bar.update(Math.max(1, e.totalRows ?? e.rows), { speed: secs > 0 ? Math.round(e.rows / secs) : 0 });
    },
    stop: () => multi.stop(),
  };
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** Plain aligned text table. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  const line = (r: string[]): string => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n') + '\n';
}

export interface RunSummaryJson {
  dataset: string;
  profile: string;
  seed: number;
  seconds: number;
  peakRssMB: number;
  tables: { table: string; rows: number; bytes: number; seconds: number; rowsPerSec: number }[];
  sinks: { sink: string; location: string; tables: { table: string; rows: number; bytes: number }[]; extra?: Record<string, unknown> }[];
  connect?: Record<string, string>;
}

export function peakRssMB(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

export function summaryJson(o: RunOutcome, meta: { dataset: string; profile: string; seed: number; connect?: Record<string, string> }): RunSummaryJson {
  return {
    ...meta,
    seconds: round(o.ms / 1000),
    peakRssMB: peakRssMB(),
    tables: o.tables.map((t) => ({ table: t.table, rows: t.rows, bytes: t.bytes, seconds: round(t.ms / 1000), rowsPerSec: t.ms > 0 ? Math.round((t.rows / t.ms) * 1000) : 0 })),
    sinks: o.sinks.map((s: SinkSummary) => ({
      sink: s.sink,
      location: s.location,
      tables: s.tables.map((t) => ({ table: t.table, rows: t.rows, bytes: t.bytes })),
      ...(s.extra ? { extra: s.extra } : {}),
    })),
  };
}

export function renderSummary(j: RunSummaryJson): string {
  const rows: (string | number)[][] = [];
  const secsOf = new Map(j.tables.map((t) => [t.table, t.seconds]));
  for (const s of j.sinks) {
    for (const t of s.tables) {
      const secs = secsOf.get(t.table) ?? 0;
      rows.push([t.table, s.sink, t.rows, fmtBytes(t.bytes), secs.toFixed(2), secs > 0 ? Math.round(t.rows / secs) : '-']);
    }
  }
  if (j.sinks.length === 0) for (const t of j.tables) rows.push([t.table, '(none)', t.rows, fmtBytes(t.bytes), t.seconds.toFixed(2), t.rowsPerSec]);
  let out = '\n' + table(['table', 'sink', 'rows', 'bytes', 'seconds', 'rows/s'], rows);
  const totalRows = j.tables.reduce((a, t) => a + t.rows, 0);
  out += `\n${totalRows} rows in ${j.seconds.toFixed(2)} s (${j.seconds > 0 ? Math.round(totalRows / j.seconds) : 0} rows/s), peak RSS ${j.peakRssMB} MB\n`;
  for (const s of j.sinks) out += `${s.sink}: ${s.location}\n`;
  for (const [k, v] of Object.entries(j.connect ?? {})) out += `  ${k}: ${v}\n`;
  return out;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
