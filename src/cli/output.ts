/**
 * What the CLI shows after running: the end-of-run summary as a table (fitted to the terminal's
 * width) or JSON. Progress while running is `progress.ts`.
 */
import type { SinkSummary } from '../contracts.js';
import type { RunOutcome } from '../pipeline/run.js';
import { int } from './layout.js';

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

/**
 * The summary for people. `width` (a terminal's) bounds every line: a table too wide for it becomes
 * one block per table and sink, and long lines wrap between words, never inside a number or a path.
 */
export function renderSummary(j: RunSummaryJson, width = Infinity): string {
  const max = Math.max(30, width - 1);
  const rows: (string | number)[][] = [];
  const secsOf = new Map(j.tables.map((t) => [t.table, t.seconds]));
  for (const s of j.sinks) {
    for (const t of s.tables) {
      const secs = secsOf.get(t.table) ?? 0;
      rows.push([t.table, s.sink, int(t.rows), fmtBytes(t.bytes), secs.toFixed(2), secs > 0 ? int(t.rows / secs) : '-']);
    }
  }
  if (j.sinks.length === 0) for (const t of j.tables) rows.push([t.table, '(none)', int(t.rows), fmtBytes(t.bytes), t.seconds.toFixed(2), int(t.rowsPerSec)]);
  const header = ['table', 'sink', 'rows', 'bytes', 'seconds', 'rows/s'];
  // Narrower terminals lose rows/s, then seconds (both are in the totals line); then one block per row.
  const fitting = [6, 5, 4].map((n) => table(header.slice(0, n), rows.map((r) => r.slice(0, n)))).find((t) => t.split('\n').every((l) => l.length <= max));
  let out = '\n';
  if (fitting) out += fitting;
  else {
    // A number and its unit stay on one line (no-break spaces).
    const nb = (v: string | number): string => String(v).replace(/ /g, '\u00a0');
    for (const r of rows) out += `${r[0]} → ${r[1]}\n` + wrapWords(`  ${nb(`${r[2]} rows`)}, ${nb(r[3]!)}, ${nb(`${r[4]} s`)}, ${nb(`${r[5]} rows/s`)}`, max);
  }
  const totalRows = j.tables.reduce((a, t) => a + t.rows, 0);
  out += '\n' + wrapWords(`${int(totalRows)}\u00a0rows in ${j.seconds.toFixed(2)}\u00a0s (${int(j.seconds > 0 ? totalRows / j.seconds : 0)}\u00a0rows/s), peak RSS ${j.peakRssMB}\u00a0MB`, max);
  for (const s of j.sinks) {
    out += wrapWords(`${s.sink}: ${s.location}`, max);
    const cut = Number(s.extra?.textsTruncated ?? 0);
    if (cut > 0) out += wrapWords(`  ${int(cut)} text(s) over the embedding model's ${int(Number(s.extra?.maxInputTokens ?? 0))}-token limit were cut to it`, max);
  }
  for (const [k, v] of Object.entries(j.connect ?? {})) out += wrapWords(`  ${k}: ${v}`, max);
  return out;
}

/** Wraps `line` between words to lines of at most `max` characters (a longer word stays whole), continuation lines indented. */
export function wrapWords(line: string, max: number, indent = '    '): string {
  if (line.length <= max) return line + '\n';
  const lead = /^\s*/.exec(line)![0];
  const words = line.trim().split(/ +/);
  const lines: string[] = [];
  let cur = lead;
  for (const w of words) {
    const sep = cur.trim() === '' ? '' : ' ';
    if (cur.trim() !== '' && cur.length + sep.length + w.length > max) {
      lines.push(cur);
      cur = indent + w;
    } else cur += sep + w;
  }
  lines.push(cur);
  return lines.join('\n') + '\n';
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
