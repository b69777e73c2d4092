/**
 * Worker thread: builds its own World from the dataset module and the run's choices, then answers
 * batch requests with encoded bytes (their memory transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDatasetModule } from '../dataset/load.js';
import { makePlan, type PlanOptions } from '../plan/plan.js';
import { World } from '../generate/world.js';
import { BatchMaker } from './batches.js';
import type { TableInfo } from '../contracts.js';

interface Init {
  modulePath: string;
  planOptions: PlanOptions;
}
export interface Task {
  id: number;
  table: string;
  start: number;
  end: number;
  keepRows: boolean;
}

const init = workerData as Init;
const def = await loadDatasetModule(init.modulePath);
const plan = makePlan(def, init.planOptions);
const infos = new Map<string, TableInfo>(plan.tables.map((t) => [t.name, t.info]));
const maker = new BatchMaker(new World(plan.resolved));

parentPort!.on('message', (task: Task) => {
  try {
    const b = maker.make(infos.get(task.table)!, task.start, task.end, task.keepRows);
    const csv = toTransferable(b.csv);
    const dbCsv = b.dbCsv === b.csv ? null : toTransferable(b.dbCsv);
    parentPort!.postMessage({ id: task.id, count: b.count, rows: b.rows, csv, dbCsv }, dbCsv ? [csv.buffer as ArrayBuffer, dbCsv.buffer as ArrayBuffer] : [csv.buffer as ArrayBuffer]);
  } catch (e) {
    const err = e as { code?: string; message?: string; data?: unknown; disposition?: string };
    parentPort!.postMessage({ id: task.id, error: { code: err.code, message: err.message ?? String(e), data: err.data, disposition: err.disposition } });
  }
});

/**
 * A view whose memory can be transferred. Batch bytes own their memory; Node never pools buffers of
 * half its pool size or more, and smaller ones (which may share the pool) are copied.
 */
function toTransferable(b: Buffer): Uint8Array {
  if (b.byteOffset === 0 && b.byteLength >= Buffer.poolSize >>> 1) return new Uint8Array(b.buffer, 0, b.byteLength);
  return Uint8Array.from(b);
}
