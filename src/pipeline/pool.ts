/**
 * A pool of generation workers. Row ranges are handed out round-robin and results are returned in
 * request order, with at most `window` batches in flight (backpressure: the caller awaits each
 * result before requesting more than the window allows).
 */
import { Worker } from 'node:worker_threads';
import { SeedpipeError, type Disposition } from '../errors.js';
import { WORKER_LIMITS } from '../heap.mjs';
import type { PlanOptions } from '../plan/plan.js';
import type { EncodedBatch } from './batches.js';
import type { Task } from './worker.js';

interface Reply {
  id: number;
  count?: number;
  rows?: unknown[][];
  csv?: Uint8Array;
  dbCsv?: Uint8Array | null;
  error?: { code?: string; message: string; data?: Record<string, unknown>; disposition?: Disposition };
}

export class WorkerPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (b: EncodedBatch) => void; reject: (e: unknown) => void; start: number }>();
  private nextId = 0;
  private nextWorker = 0;
  private failure: unknown;

  constructor(size: number, modulePath: string, planOptions: PlanOptions) {
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
        workerData: { modulePath, planOptions },
        // Heap sizing flags are per isolate: workers take them through resourceLimits (Worker rejects them).
        execArgv: process.execArgv.filter((a) => !a.startsWith('--test') && !/^--max-(semi|old)-space-size/.test(a)),
        resourceLimits: { ...WORKER_LIMITS },
      });
      w.on('message', (m: Reply) => this.onReply(m));
      w.on('error', (e) => this.failAll(e));
      w.on('exit', (code) => {
        if (code !== 0 && this.pending.size) this.failAll(new SeedpipeError('WORKER_EXITED', `a generation worker exited with code ${code}`));
      });
      return w;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  request(table: string, start: number, end: number, keepRows: boolean): Promise<EncodedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const w = this.workers[this.nextWorker++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, start });
      w.postMessage({ id, table, start, end, keepRows } satisfies Task);
    });
  }

  private onReply(m: Reply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.error) {
      p.reject(new SeedpipeError(m.error.code ?? 'WORKER_FAILED', m.error.message, { disposition: m.error.disposition ?? 'fatal', data: m.error.data ?? {} }));
      return;
    }
    const csv = asBuffer(m.csv!);
    p.resolve({ start: p.start, count: m.count!, rows: m.rows ?? [], csv, dbCsv: m.dbCsv ? asBuffer(m.dbCsv) : csv });
  }

  private failAll(e: unknown): void {
    this.failure ??= e;
    for (const [, p] of this.pending) p.reject(e);
    this.pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** A Buffer over a transferred view's memory (no copy). */
function asBuffer(v: Uint8Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}
