/**
 * Runs a pipeline: source → transforms → encoders → sinks, table by table in load order.
 *
 *   1. the sources open (the generator's preflight: bad generators fail before any sink opens);
 *   2. every sink opens, in order;
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
import type { Encoder, RunInfo, Sink, SinkSummary, SourceSet, TableResult, Transform } from '../contracts.js';
import { SeedpipeError, usageError } from '../errors.js';
import { TableFlow, type Leg } from './flow.js';

export interface ProgressEvent {
  table: string;
  /** Rows read from the source so far for this table. */
  rows: number;
  /** Rows the source will yield, when it knows. */
  totalRows: number | undefined;
  /** Bytes encoded so far (of the `csv` encoding when a sink asked for it, else of the first asked). */
  bytes: number;
  phase: 'start' | 'progress' | 'done';
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
  try {
    await o.sources.open?.();
    // Every table's plumbing first: a format no encoder makes is refused before any sink opens.
    const flows = o.sources.tables.map((source) => new TableFlow(source, legs, encoders));
    for (const leg of legs) {
      // Each sink sees the tables as its transforms leave them.
      const run = leg.chain.length ? { ...o.run, tables: flows.map((f) => f.infoFor(leg.sink)) } : o.run;
      opened.push(leg.sink);
      await leg.sink.open(run);
    }
    for (const flow of flows) {
      const t0 = performance.now();
      const source = flow.source;
      const table = source.info.name;
      await flow.open();
      let rows = 0;
      let bytes = 0;
      o.onProgress?.({ table, rows, totalRows: source.rows, bytes, phase: 'start' });
      for await (const b of source.batches(flow.request(batchRows))) {
        bytes += await flow.write(b);
        rows += b.count;
        o.onProgress?.({ table, rows, totalRows: source.rows, bytes, phase: 'progress' });
      }
      const closed = await flow.close(sinks);
      for (const s of sinks) results.get(s)!.push(closed.get(s)!);
      stats.push({ table, rows, bytes, ms: performance.now() - t0 });
      o.onProgress?.({ table, rows, totalRows: source.rows, bytes, phase: 'done' });
    }
    const summaries: SinkSummary[] = [];
    for (const s of sinks) summaries.push(await s.commit(results.get(s)!));
    return { tables: stats, sinks: summaries, ms: performance.now() - began };
  } catch (e) {
    await Promise.allSettled(opened.map((s) => s.abort(e)));
    throw e;
  } finally {
    await o.sources.close?.();
  }
}
