/**
 * Runs a plan: a preflight over sample rows of every table (bad generators fail before any sink is
 * opened), then for each table in dependency order one generation pass teed to every sink. Each
 * sink's `write` is awaited before the next batch: a slow sink slows generation. On any failure
 * every sink is aborted (undoes what it wrote) and the error is rethrown.
 */
import type { RowBatch, RunInfo, Sink, SinkSummary, TableResult } from '../contracts.js';
import type { Plan, PlanOptions } from '../plan/plan.js';
import { BatchMaker } from './batches.js';
import { WorkerPool } from './pool.js';
import { tableBatches } from './source.js';

export interface ProgressEvent {
  table: string;
  /** Rows generated so far for this table. */
  rows: number;
  totalRows: number;
  /** CSV bytes generated so far for this table. */
  bytes: number;
  phase: 'start' | 'progress' | 'done';
}

export interface RunOptions {
  plan: Plan;
  run: RunInfo;
  sinks: readonly Sink[];
  /** Generation worker threads; 0 or 1 generates in this thread. */
  workers?: number;
  /** Dataset module path and plan options: required when workers > 1. */
  worker?: { modulePath: string; planOptions: PlanOptions };
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

/** Generates and encodes sample rows of every table: type errors and bad refs surface here. */
export function preflight(plan: Plan, sample = 16): void {
  const maker = new BatchMaker(plan.world);
  for (const t of plan.tables) {
    if (t.end <= t.start) continue;
    maker.make(t.info, t.start, Math.min(t.end, t.start + sample), false);
    if (t.end - t.start > sample) maker.make(t.info, t.end - 1, t.end, false);
  }
}

export async function runPipeline(o: RunOptions): Promise<RunOutcome> {
  const began = performance.now();
  const batchRows = o.batchRows ?? 4096;
  const useWorkers = (o.workers ?? 1) > 1;
  if (useWorkers && !o.worker) throw new Error('workers > 1 needs the dataset module path');
  // Workers start first: they load and plan while this thread runs the preflight and opens the sinks.
  const pool = useWorkers ? new WorkerPool(o.workers!, o.worker!.modulePath, o.worker!.planOptions) : undefined;
  const maker = new BatchMaker(o.plan.world);
  const opened: Sink[] = [];
  const results = new Map<Sink, TableResult[]>(o.sinks.map((s) => [s, []]));
  const stats: TableStats[] = [];
  try {
    preflight(o.plan);
    for (const s of o.sinks) {
      opened.push(s);
      await s.open(o.run);
    }
    for (const t of o.plan.tables) {
      const t0 = performance.now();
      const writers = await Promise.all(o.sinks.map((s) => s.table(t.info)));
      const keepRows = o.sinks.some((s) => s.needsRows?.(t.info) === true);
      let rows = 0;
      let bytes = 0;
      o.onProgress?.({ table: t.name, rows, totalRows: t.end - t.start, bytes, phase: 'start' });
      for await (const b of tableBatches({ info: t.info, start: t.start, end: t.end, batchRows, keepRows, maker, pool })) {
        const batch: RowBatch = { table: t.name, start: b.start, count: b.count, rows: b.rows, csv: b.csv, dbCsv: b.dbCsv };
        await Promise.all(writers.map((w) => w.write(batch)));
        rows += b.count;
        bytes += b.csv.length;
        o.onProgress?.({ table: t.name, rows, totalRows: t.end - t.start, bytes, phase: 'progress' });
      }
      const closed = await Promise.all(writers.map((w) => w.close()));
      o.sinks.forEach((s, j) => results.get(s)!.push(closed[j]!));
      stats.push({ table: t.name, rows, bytes, ms: performance.now() - t0 });
      o.onProgress?.({ table: t.name, rows, totalRows: t.end - t.start, bytes, phase: 'done' });
    }
    // Sinks commit in order (databases first, then files whose manifest says "complete"); a sink
    // that already committed ignores the abort that follows a later sink's failure.
    const summaries: SinkSummary[] = [];
    for (const s of o.sinks) summaries.push(await s.commit(results.get(s)!));
    return { tables: stats, sinks: summaries, ms: performance.now() - began };
  } catch (e) {
    await Promise.allSettled(opened.map((s) => s.abort(e)));
    throw e;
  } finally {
    await pool?.close();
  }
}
