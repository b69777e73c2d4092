/**
 * A pool of generation workers. Row ranges are handed out round-robin and results come back per
 * request; the caller keeps at most a window of requests in flight and awaits them in order
 * (backpressure). Encoded bytes come back transferred, not copied.
 */
import { Worker } from 'node:worker_threads';
import { SeedpipeError, type Disposition } from '../errors.js';
import { WORKER_LIMITS } from '../heap.mjs';
import type { GroupCounts } from '../generate/group-index.js';
import type { PlanOptions } from '../plan/plan.js';
import type { GeneratedBatch } from './batches.js';
import type { Task, WorkerEncoding, WorkerInit } from './worker.js';

interface Reply {
  id: number;
  count?: number;
  rows?: unknown[][];
  encoded?: [string, Uint8Array][];
  error?: { code?: string; message: string; data?: Record<string, unknown>; disposition?: Disposition };
}

export class WorkerPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (b: GeneratedBatch) => void; reject: (e: unknown) => void; start: number }>();
  private nextId = 0;
  private nextWorker = 0;
  private failure: unknown;
  private closed = false;

  /**
   * `modulePath` is the dataset module each worker loads and plans with `planOptions` (the same
   * choices as the main thread, so every worker computes identical rows). `counts` are the main
   * plan's group counts (`World.sharedCounts()`): on shared memory, one copy for every worker, and
   * no worker counts the parents' groups again.
   */
  constructor(size: number, modulePath: string, planOptions: PlanOptions, opts: { counts?: Readonly<Record<string, GroupCounts>>; entry?: URL } = {}) {
    const entry = opts.entry ?? new URL('./worker-entry.mjs', import.meta.url);
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(entry, {
        workerData: { modulePath, planOptions, counts: opts.counts ?? {} } satisfies WorkerInit,
        // Heap sizing flags are per isolate: workers take them through resourceLimits. The V8 thread
        // pool is the process's, shared by every thread. Worker rejects all three in execArgv.
        execArgv: process.execArgv.filter((a) => !a.startsWith('--test') && !/^--(max-(semi|old)-space-size|v8-pool-size)\b/.test(a)),
        resourceLimits: { ...WORKER_LIMITS },
      });
      w.on('message', (m: Reply) => this.onReply(m));
      w.on('error', (e) => this.failAll(e));
      w.on('exit', (code) => {
        if (!this.closed) this.failAll(new SeedpipeError('WORKER_EXITED', `a generation worker exited with code ${code}`));
      });
      return w;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Rows [start, end) of `table`, with the encodings each worker makes from its encoder module. */
  request(table: string, start: number, end: number, keepRows: boolean, encodings: readonly WorkerEncoding[]): Promise<GeneratedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const w = this.workers[this.nextWorker++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, start });
      w.postMessage({ id, table, start, end, keepRows, encodings } satisfies Task);
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
    const encoded = new Map<string, Buffer>();
    for (const [format, bytes] of m.encoded ?? []) encoded.set(format, asBuffer(bytes));
    p.resolve({ start: p.start, count: m.count!, rows: m.rows ?? [], encoded });
  }

  private failAll(e: unknown): void {
    this.failure ??= e;
    for (const [, p] of this.pending) p.reject(e);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** A Buffer over a transferred view's memory (no copy). */
function asBuffer(v: Uint8Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}
