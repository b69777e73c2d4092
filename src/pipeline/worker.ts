/**
 * Worker thread: builds its own World from the dataset module, the run's choices and the main
 * plan's shared group counts, then answers batch requests with encoded bytes (their memory
 * transferred, not copied). Encoders come from the modules the requests name (`Encoder.module`,
 * exporting `encoders` by format), imported once each.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Encoder, TableEncoder, TableInfo } from '../contracts.js';
import { loadDatasetModule } from '../dataset/load.js';
import { SeedpipeError } from '../errors.js';
import { makePlan, type PlanOptions } from '../plan/plan.js';
import type { GroupCounts } from '../generate/group-index.js';
import { BatchMaker, type LineEncoding } from './batches.js';

export interface WorkerInit {
  modulePath: string;
  planOptions: PlanOptions;
  /** The main plan's group counts (shared memory): this thread's plan takes them instead of counting. */
  counts: Readonly<Record<string, GroupCounts>>;
}
/** An encoding a worker makes: its format and the module that exports it in `encoders`. */
export interface WorkerEncoding {
  format: string;
  module: string;
}
export interface Task {
  id: number;
  table: string;
  start: number;
  end: number;
  keepRows: boolean;
  encodings: readonly WorkerEncoding[];
}

const init = workerData as WorkerInit;
const def = await loadDatasetModule(init.modulePath);
const plan = makePlan(def, init.planOptions, init.counts);
const infos = new Map<string, TableInfo>(plan.tables.map((t) => [t.name, t.info]));
const maker = new BatchMaker(plan.world);
const modules = new Map<string, Promise<Encoder>>();
const tableEncoders = new Map<string, TableEncoder>();

async function encoderOf(w: WorkerEncoding): Promise<Encoder> {
  const key = `${w.module}#${w.format}`;
  let p = modules.get(key);
  if (!p) {
    p = import(w.module).then((m: { encoders?: Record<string, Encoder> }) => {
      const e = m.encoders?.[w.format];
      if (!e || typeof e.forTable !== 'function') throw new SeedpipeError('ENCODER_MODULE_INVALID', `${w.module} does not export the ${w.format} encoder in "encoders"`);
      return e;
    });
    modules.set(key, p);
  }
  return p;
}

async function encodingsOf(info: TableInfo, wanted: readonly WorkerEncoding[]): Promise<LineEncoding[]> {
  const out: LineEncoding[] = [];
  for (const w of wanted) {
    const key = `${info.name}\0${w.format}`;
    let table = tableEncoders.get(key);
    if (!table) tableEncoders.set(key, (table = (await encoderOf(w)).forTable(info)));
    out.push({ format: w.format, table });
  }
  return out;
}

parentPort!.on('message', (task: Task) => {
  void answer(task);
});

async function answer(task: Task): Promise<void> {
  try {
    const info = infos.get(task.table)!;
    const b = maker.generate(info, task.start, task.end, task.keepRows, await encodingsOf(info, task.encodings));
    const encoded: [string, Uint8Array][] = [];
    const transfer: ArrayBuffer[] = [];
    for (const [format, buf] of b.encoded) {
      const view = toTransferable(buf);
      encoded.push([format, view]);
      transfer.push(view.buffer as ArrayBuffer);
    }
    parentPort!.postMessage({ id: task.id, count: b.count, rows: b.rows, encoded }, transfer);
  } catch (e) {
    const err = e as { code?: string; message?: string; data?: unknown; disposition?: string };
    parentPort!.postMessage({ id: task.id, error: { code: err.code, message: err.message ?? String(e), data: err.data, disposition: err.disposition } });
  }
}

/**
 * A view whose memory can be transferred. Batch bytes own their memory; Node never pools buffers of
 * half its pool size or more, and smaller ones (which may share the pool) are copied.
 */
function toTransferable(b: Buffer): Uint8Array {
  if (b.byteOffset === 0 && b.byteLength >= Buffer.poolSize >>> 1) return new Uint8Array(b.buffer, 0, b.byteLength);
  return Uint8Array.from(b);
}
