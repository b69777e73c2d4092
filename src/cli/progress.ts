/**
 * What a run shows while it works, so that no step is silent:
 * - on a terminal: live lines (cli-progress redraws them in place) for the table being written and
 *   every step in progress (preflight, connecting, keys, indexes, foreign keys, uploads…), each with
 *   its own count and elapsed time; finished tables and steps become fixed lines above them, so the
 *   live part stays a few lines high whatever the table count. Every line fits the terminal's width.
 * - in a pipe: one line per finished table and per finished step, and a heartbeat line (elapsed
 *   time, current table with rows and rows/s, current step) whenever nothing was printed for
 *   `heartbeatMs`;
 * - nothing with --quiet or --json.
 */
import cliProgress from 'cli-progress';
import type { PhaseEvent, RunObserver } from '../contracts.js';
import type { ProgressEvent } from '../pipeline/run.js';
import { int, phaseLine, seconds, tableLine, type PhaseView, type TableView } from './layout.js';
import type { Io } from './main.js';
import { fmtBytes } from './output.js';

export interface Reporter extends RunObserver {
  onProgress(e: ProgressEvent): void;
  /** The sinks of the run, named in the per-table lines. */
  setSinks(names: readonly string[]): void;
  /** The sinks a table's write or close waits for (the heartbeat names one that stalls). */
  onWaiting?(w: { table: string; sinks: readonly string[]; action: 'write' | 'close' }): void;
  stop(): void;
}

export interface ReporterOptions {
  quiet: boolean;
  tty: boolean;
  /** Longest silence in a pipe before a heartbeat line (ms); 0: none. Default 5,000. */
  heartbeatMs?: number;
  /** Longest table name, to align the bars. */
  nameWidth?: number;
}

interface TableState { name: string; rows: number; total: number | undefined; bytes: number; t0: number; state: TableView['state'] }
interface PhaseState { stage: string; phase: string; done?: number; total?: number; detail?: string; t0: number }

const key = (e: { stage: string; phase: string }): string => `${e.stage}\u0000${e.phase}`;

/**
 * Steps that get a line of their own only when they took a while (a second): the pipeline's
 * `preparing` / `committing` brackets around each sink's `open` and `commit` (the sink's own steps
 * inside say more), and the CLI's steps before the run (loading, planning, finding the database),
 * so a usage error stays the one line it is.
 */
function quietWrapper(p: PhaseState): boolean {
  return (p.phase === 'preparing' || p.phase === 'committing' || p.stage === 'run') && performance.now() - p.t0 < 1000;
}

export function makeReporter(io: Io, opts: ReporterOptions): Reporter {
  if (opts.quiet) return { onProgress: () => undefined, phase: () => undefined, setSinks: () => undefined, stop: () => undefined };
  return opts.tty ? new TtyReporter(io, opts) : new PipeReporter(io, opts);
}

abstract class BaseReporter implements Reporter {
  protected sinks = 'none';
  protected readonly tables = new Map<string, TableState>();
  protected readonly phases = new Map<string, PhaseState>();
  protected current: TableState | undefined;
  protected waiting: { table: string; sinks: string; action: 'write' | 'close'; since: number } | undefined;

  onWaiting(w: { table: string; sinks: readonly string[]; action: 'write' | 'close' }): void {
    const sinks = w.sinks.join(', ');
    if (!sinks) this.waiting = undefined;
    else if (this.waiting?.sinks !== sinks || this.waiting.table !== w.table) this.waiting = { table: w.table, sinks, action: w.action, since: performance.now() };
  }

  /** `waiting for postgres to accept messages for 12 s`, once a wait lasts over a second. */
  protected waitingLine(): string | undefined {
    const w = this.waiting;
    if (!w || performance.now() - w.since < 1000) return undefined;
    return `waiting for ${w.sinks} to ${w.action === 'write' ? 'accept' : 'finish'} ${w.table} for ${seconds((performance.now() - w.since) / 1000)}`;
  }

  setSinks(names: readonly string[]): void {
    this.sinks = names.join('+') || 'none';
  }

  protected tableView(t: TableState): TableView {
    const elapsed = (performance.now() - t.t0) / 1000;
    return { name: t.name, rows: t.rows, total: t.total, rate: elapsed > 0 ? t.rows / elapsed : 0, elapsed, state: t.state };
  }

  protected phaseView(p: PhaseState, ended: boolean): PhaseView {
    return { stage: p.stage, phase: p.phase, ...(p.done !== undefined ? { done: p.done } : {}), ...(p.total !== undefined ? { total: p.total } : {}), ...(p.detail !== undefined ? { detail: p.detail } : {}), elapsed: (performance.now() - p.t0) / 1000, ended };
  }

  onProgress(e: ProgressEvent): void {
    let t = this.tables.get(e.table);
    if (!t) {
      t = { name: e.table, rows: 0, total: e.totalRows, bytes: 0, t0: performance.now(), state: 'running' };
      this.tables.set(e.table, t);
      this.tableStarted(t);
    }
    this.current = t;
    t.rows = e.rows;
    t.bytes = e.bytes;
    t.total = e.totalRows;
    if (e.phase === 'closing') t.state = 'closing';
    if (e.phase === 'done') {
      t.state = 'done';
      this.current = undefined;
      this.tableDone(t);
    } else this.changed();
  }

  phase(e: PhaseEvent): void {
    const k = key(e);
    let p = this.phases.get(k);
    if (e.state === 'start' || !p) {
      p = { stage: e.stage, phase: e.phase, t0: performance.now() };
      this.phases.set(k, p);
      if (e.state === 'start') this.phaseStarted(p);
    }
    if (e.done !== undefined) p.done = e.done;
    if (e.total !== undefined) p.total = e.total;
    if (e.detail !== undefined) p.detail = e.detail;
    if (e.state === 'end') {
      this.phases.delete(k);
      this.phaseEnded(p, e.failed === true);
    } else this.changed();
  }

  protected abstract tableStarted(t: TableState): void;
  protected abstract tableDone(t: TableState): void;
  protected abstract phaseStarted(p: PhaseState): void;
  /** A failed step leaves no line: the run's error says what went wrong. */
  protected abstract phaseEnded(p: PhaseState, failed: boolean): void;
  protected changed(): void {}
  abstract stop(): void;
}

class PipeReporter extends BaseReporter {
  private last = performance.now();
  private readonly began = performance.now();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(private readonly io: Io, private readonly opts: ReporterOptions) {
    super();
    const every = opts.heartbeatMs ?? 5000;
    if (every > 0) {
      this.timer = setInterval(() => {
        if (performance.now() - this.last >= every) this.print(this.heartbeat());
      }, Math.min(1000, every));
      this.timer.unref();
    }
  }

  private print(line: string): void {
    this.last = performance.now();
    this.io.err(line + '\n');
  }

  /** `[12 s] messages 45,000/100,000 rows, 8,200 rows/s · postgres: foreign keys 3/12 (4.1 s)` */
  heartbeat(): string {
    const parts: string[] = [];
    if (this.current) {
      const v = this.tableView(this.current);
      parts.push(`${v.name} ${int(v.rows)}${v.total !== undefined ? `/${int(v.total)}` : ''} rows, ${int(v.rate)} rows/s${v.state === 'closing' ? ', finishing' : ''}`);
    }
    for (const p of this.phases.values()) {
      const v = this.phaseView(p, false);
      parts.push(`${v.stage}: ${v.phase}${v.total !== undefined ? ` ${int(v.done ?? 0)}/${int(v.total)}` : ''}${v.detail ? ` (${v.detail})` : ''} for ${seconds(v.elapsed)}`);
    }
    const waiting = this.waitingLine();
    if (waiting) parts.push(waiting);
    return `[${seconds((performance.now() - this.began) / 1000)}] ${parts.join(' · ') || 'working'}`;
  }

  protected tableStarted(): void {}
  protected phaseStarted(): void {}

  protected tableDone(t: TableState): void {
    this.print(`${t.name}: ${t.rows} rows, ${fmtBytes(t.bytes)} → ${this.sinks}`);
  }

  protected phaseEnded(p: PhaseState, failed: boolean): void {
    if (failed || quietWrapper(p)) return;
    this.print(`${p.stage}: ${p.phase}${p.total !== undefined ? ` (${int(p.total)})` : ''} done in ${seconds((performance.now() - p.t0) / 1000)}`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

class TtyReporter extends BaseReporter {
  private readonly multi: cliProgress.MultiBar;
  private readonly bars = new Map<object, cliProgress.SingleBar>();
  private nameWidth: number;

  constructor(private readonly io: Io, opts: ReporterOptions) {
    super();
    this.nameWidth = Math.min(opts.nameWidth ?? 18, 24);
    this.multi = new cliProgress.MultiBar({
      stream: process.stderr,
      // Each line renders itself for the current width (the payload knows what it shows).
      format: (_o: unknown, _p: unknown, payload: { line: (width: number) => string }) => payload.line(this.width()),
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      fps: 8,
      forceRedraw: true,
      linewrap: false,
    });
  }

  private width(): number {
    return process.stderr.columns || this.io.columns || 80;
  }

  private add(subject: object, line: (width: number) => string): void {
    this.bars.set(subject, this.multi.create(1, 0, { line }));
    this.multi.update();
  }

  private retire(subject: object, fixed: string | undefined): void {
    const b = this.bars.get(subject);
    if (b) this.multi.remove(b);
    this.bars.delete(subject);
    if (fixed !== undefined) this.multi.log(fixed + '\n');
    this.multi.update();
  }

  protected tableStarted(t: TableState): void {
    this.add(t, (w) => tableLine(this.tableView(t), w, this.nameWidth));
  }

  protected tableDone(t: TableState): void {
    this.retire(t, tableLine(this.tableView(t), this.width(), this.nameWidth));
  }

  protected phaseStarted(p: PhaseState): void {
    this.add(p, (w) => phaseLine(this.phaseView(p, false), w));
  }

  protected phaseEnded(p: PhaseState, failed: boolean): void {
    if (failed || quietWrapper(p)) {
      this.retire(p, undefined);
      return;
    }
    this.retire(p, phaseLine(this.phaseView(p, true), this.width()));
  }

  stop(): void {
    this.multi.stop();
  }
}

