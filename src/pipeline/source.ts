/**
 * A table's batches as an async iterable, generated in this thread or by the worker pool.
 * With workers, up to `2 × workers` batches are in flight and come back in order.
 */
import type { TableInfo } from '../contracts.js';
import type { BatchMaker, EncodedBatch } from './batches.js';
import type { WorkerPool } from './pool.js';

export interface SourceOptions {
  info: TableInfo;
  start: number;
  end: number;
  batchRows: number;
  keepRows: boolean;
  maker: BatchMaker;
  pool?: WorkerPool | undefined;
}

export async function* tableBatches(o: SourceOptions): AsyncGenerator<EncodedBatch> {
  if (!o.pool) {
    for (let s = o.start; s < o.end; s += o.batchRows) {
      yield o.maker.make(o.info, s, Math.min(o.end, s + o.batchRows), o.keepRows);
      // Let I/O callbacks (socket drains, timers) run between CPU-bound batches.
      await new Promise<void>((r) => setImmediate(r));
    }
    return;
  }
  const window = o.pool.size * 2;
  const inflight: Promise<EncodedBatch>[] = [];
  let next = o.start;
  const fill = (): void => {
    while (inflight.length < window && next < o.end) {
      const e = Math.min(o.end, next + o.batchRows);
      const p = o.pool!.request(o.info.name, next, e, o.keepRows);
      p.catch(() => undefined); // surfaced when awaited in order
      inflight.push(p);
      next = e;
    }
  };
  fill();
  while (inflight.length) {
    const b = await inflight.shift()!;
    fill();
    yield b;
  }
}
