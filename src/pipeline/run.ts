/**
 * Runs a pipeline: source → transforms → encoders → sinks, table by table in load order.
 *
 *   1. the sources open (the generator's preflight: bad generators fail before any sink opens);
 *   2. every sink opens, in order; then each is asked again what it consumes of each table (its
 *      answer may depend on what `open` found);
 *   3. per table: every sink's writer opens, then each batch is transformed and encoded once per
 *      branch and written to every sink; every `write` is awaited before the next batch, so the
 *      slowest sink sets the pace; then every writer closes;
 *   4. sinks commit in order (databases first, then files whose manifest says "complete").
 * On any failure every opened sink is aborted (undoes what it wrote) and the error is rethrown; a
 * sink that already committed ignores that abort. The sources close whatever happened.
 *
 * Memory per table: the source's window of batches (the generator: 1, or 2 × workers) plus, per
 * branch, one batch's rows and encodings, plus each sink's own documented buffer. Never the table.
 */
import type { Encoder, RunInfo, RunObserver, Sink, SinkSummary, SourceSet, TableResult, Transform } from '../contracts.js';
import { Phases } from '../kit/phases.js';
import { SeedpipeError, usageError } from '../errors.js';
import { TableFlow, type Leg } from './flow.js';

/**
 * A sink failed after an earlier one committed (the database is durable, a file sink is not): the
 * error says exactly what is committed, where, and what is not (and what its abort undid).
 */
function partlyCommitted(e: unknown, done: readonly { sink: Sink; summary: SinkSummary }[], rest: readonly Sink[]): SeedpipeError {
  const committed = done.map(({ summary: s }) => `${s.sink} (${s.tables.reduce((n, t) => n + t.rows, 0)} rows in ${s.tables.length} table(s) at ${s.location})`);
  const not = rest.map((s) => `${s.name}${s.undone ? ` (${s.undone})` : ''}`);
  const why = e instanceof Error ? e.message : String(e);
  return new SeedpipeError(
    'RUN_PARTLY_COMMITTED',
    `the run is only partly committed. Committed: ${committed.join('; ')}. Not committed: ${not.join('; ') || 'none'}. Cause: ${why}. ` +
      'Fix the cause and run again to write the rest (the committed data is replaced in replace mode).',
    { data: { committed: done.map((d) => d.summary.sink), notCommitted: rest.map((s) => s.name), code: (e as { code?: unknown }).code }, cause: e },
  );
}

/**
 * `p`, or a rejection with the signal's reason if it aborts first. The abort listener is removed as
 * soon as `p` settles: a race against one long-lived promise would keep every settled value (each
 * batch's bytes) reachable from that promise until the run ends.
 */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  p.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}

export interface ProgressEvent {
  table: string;
  /** Rows read from the source so far for this table. */
  rows: number;
  /** Rows the source will yield, when it knows. */
  totalRows: number | undefined;
  /** Bytes encoded so far (of the `csv` encoding when a sink asked for it, else of the first asked). */
  bytes: number;
  /** `closing`: every row was written; the sinks finish the table (end of COPY, upload completion). */
  phase: 'start' | 'progress' | 'closing' | 'done';
}

/** A sink with transforms of its own, applied after the run's shared ones. */
export interface Route {
  sink: Sink;
  transforms: readonly Transform[];
}

export interface RunOptions {
  run: RunInfo;
  sources: SourceSet;
  /** Every encoding a sink may ask for, by format (e.g. the csv and copy-csv encoder stages). */
  encoders: readonly Encoder[];
  /** Transforms applied before every sink. */
  transforms?: readonly Transform[];
  sinks: readonly (Sink | Route)[];
  /** Rows per batch (default 4096). */
  batchRows?: number;
  onProgress?: (e: ProgressEvent) => void;
  /**
   * Receives the steps that are not rows: the sources' preparation, each sink's `preparing` and
   * `committing` (with the sink's own steps inside them: keys, indexes, uploads, manifest).
   */
  observer?: RunObserver;
  /**
   * Interrupts the run (Ctrl-C, SIGTERM): whatever is awaited stops, every opened sink is aborted,
   * and the run rejects with the signal's reason. Once a sink has committed, the later sinks finish
   * their commit (the run is durable; files follow the database); the abort is then ignored.
   */
  signal?: AbortSignal;
  /** The sinks a table's write or close still waits for, each time that set changes (a stalled target shows here). */
  onWaiting?: (w: { table: string; sinks: readonly string[]; action: 'write' | 'close' }) => void;
}

export interface TableStats {
  table: string;
  rows: number;
  bytes: number;
  ms: number;
}

export interface RunOutcome {
  tables: TableStats[];
  sinks: SinkSummary[];
  ms: number;
}

export async function runPipeline(o: RunOptions): Promise<RunOutcome> {
  const began = performance.now();
  const batchRows = o.batchRows ?? 4096;
  const legs: Leg[] = o.sinks.map((s) => ('sink' in s ? { sink: s.sink, chain: [...(o.transforms ?? []), ...s.transforms] } : { sink: s, chain: o.transforms ?? [] }));
  const sinks = legs.map((l) => l.sink);
  if (new Set(sinks).size !== sinks.length) throw usageError('SINK_TWICE', 'a sink instance appears twice in the run; give each route its own sink');
  const encoders = new Map<string, Encoder>();
  for (const e of o.encoders) {
    if (encoders.has(e.format)) throw usageError('ENCODER_TWICE', `two encoders make the ${e.format} format; give the run one`);
    encoders.set(e.format, e);
  }
  if (o.sources.tables.length !== o.run.tables.length) {
    throw new SeedpipeError('SOURCES_MISMATCH', `the run has ${o.run.tables.length} table(s) but the ${o.sources.name} source yields ${o.sources.tables.length}`);
  }
  const opened: Sink[] = [];
  const results = new Map<Sink, TableResult[]>(sinks.map((s) => [s, []]));
  const stats: TableStats[] = [];
  let committed = false;
  const committedSinks: { sink: Sink; summary: SinkSummary }[] = [];
  /** `p`, unless the run is interrupted first (then `p`'s own outcome is ignored). */
  const until = <T>(p: Promise<T>): Promise<T> => (!o.signal || committed ? p : raceAbort(p, o.signal));
  /**
   * A commit is not raced: an interrupt asks the sink to abort, which stops the commit if it can
   * (a database cancels the statement before its COMMIT). A commit that completes anyway stands.
   */
  const commitOne = async (s: Sink, commit: () => Promise<SinkSummary>): Promise<SinkSummary> => {
    const signal = o.signal;
    if (!signal || committed) return commit();
    const p = commit();
    const onAbort = (): void => void s.abort(signal.reason).catch(() => undefined);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await p;
    } catch (e) {
      throw signal.aborted ? signal.reason : e;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
  try {
    await until(Promise.resolve(o.sources.open?.(o.observer)));
    // Every table's plumbing first: a format no encoder makes is refused before any sink opens.
    const makeFlows = (): TableFlow[] => o.sources.tables.map((source) => new TableFlow(source, legs, encoders, o.onWaiting ? (sinks, action) => o.onWaiting!({ table: source.info.name, sinks, action }) : undefined));
    const planned = makeFlows();
    for (const leg of legs) {
      // Each sink sees the tables as its transforms leave them.
      const run = leg.chain.length ? { ...o.run, tables: planned.map((f) => f.infoFor(leg.sink)) } : o.run;
      opened.push(leg.sink);
      await until(new Phases(leg.sink.name, o.observer).step('preparing', () => leg.sink.open(run, o.observer)));
    }
    // Asked again once every sink is open: a sink may choose its encoding from what it found (the
    // Postgres sink takes binary COPY for tables whose column types fit it).
    const flows = makeFlows();
    for (const flow of flows) {
      const t0 = performance.now();
      const source = flow.source;
      const table = source.info.name;
      await until(flow.open());
      let rows = 0;
      let bytes = 0;
      o.onProgress?.({ table, rows, totalRows: source.rows, bytes, phase: 'start' });
      const batches = source.batches(flow.request(batchRows))[Symbol.asyncIterator]();
      try {
        for (;;) {
          const next = await until(batches.next());
          if (next.done) break;
          bytes += await until(flow.write(next.value));
          rows += next.value.count;
          o.onProgress?.({ table, rows, totalRows: source.rows, bytes, phase: 'progress' });
        }
      } finally {
        // Ends the source's generator (an interrupted `next` may still be running: not awaited).
        void batches.return?.(undefined)?.catch(() => undefined);
      }
      o.onProgress?.({ table, rows, totalRows: source.rows, bytes, phase: 'closing' });
      const closed = await until(flow.close(sinks));
      for (const s of sinks) results.get(s)!.push(closed.get(s)!);
      stats.push({ table, rows, bytes, ms: performance.now() - t0 });
      o.onProgress?.({ table, rows, totalRows: source.rows, bytes, phase: 'done' });
    }
    // Everything that can fail before anything becomes visible (files staged), then the commits in
    // order: the database first, files after it, each manifest last.
    for (const s of sinks) if (s.stage) await until(new Phases(s.name, o.observer).step('staging', () => s.stage!(results.get(s)!)));
    const summaries: SinkSummary[] = [];
    for (const s of sinks) {
      const summary = await commitOne(s, () => new Phases(s.name, o.observer).step('committing', () => s.commit(results.get(s)!)));
      summaries.push(summary);
      committedSinks.push({ sink: s, summary });
      committed = true;
    }
    return { tables: stats, sinks: summaries, ms: performance.now() - began };
  } catch (e) {
    await Promise.allSettled(opened.map((s) => s.abort(e)));
    throw committedSinks.length ? partlyCommitted(e, committedSinks, opened.filter((s) => !committedSinks.some((c) => c.sink === s))) : e;
  } finally {
    await o.sources.close?.();
  }
}
