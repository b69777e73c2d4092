/**
 * One `COPY … FROM STDIN` through pg-copy-streams, fed a table's encoded stream with backpressure
 * (the kit's writer). Used by the sink and the shard loader.
 *
 * `finished` resolves on the stream's 'finish', which pg-copy-streams emits only after the server's
 * CommandComplete and ReadyForQuery: the rows are in the table. `abort` destroys the stream, which
 * sends CopyFail so the server ends the COPY with an error and the connection is ready for ROLLBACK.
 * Memory: the stream's highWaterMark plus one batch.
 */
import { once } from 'node:events';
import { from as copyFrom } from 'pg-copy-streams';
import { EncodedStreamWriter, type SinkBatch, type TableStream } from '../../../src/stage-kit.js';
import type { CopyInStream, PgClientLike } from './client.js';

export class CopyWriter {
  readonly stream: CopyInStream;
  /** Settles when the server has taken every row (or the COPY failed). */
  readonly finished: Promise<void>;
  /** The first error of the COPY, if it failed. */
  failure: unknown;
  private readonly writer: EncodedStreamWriter;

  constructor(client: PgClientLike, sql: string, encoding: TableStream, highWaterMark?: number) {
    this.stream = client.query(copyFrom(sql, highWaterMark ? { highWaterMark } : undefined) as CopyInStream);
    this.finished = new Promise<void>((resolve, reject) => {
      this.stream.on('finish', resolve);
      this.stream.on('error', (e) => {
        this.failure ??= e;
        reject(e);
      });
    });
    this.finished.catch(() => undefined);
    this.writer = new EncodedStreamWriter(this.stream, encoding, this.finished);
  }

  get bytes(): number {
    return this.writer.bytes;
  }

  get rows(): number {
    return this.writer.rows;
  }

  async write(b: SinkBatch): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    await this.writer.write(b);
  }

  /** Ends the COPY; resolves with the server's row count once the rows are in. */
  async end(): Promise<number> {
    if (this.failure !== undefined) throw this.failure;
    await this.writer.end();
    await this.finished;
    return this.stream.rowCount;
  }

  /** CopyFail (unless the COPY already failed or the connection is gone), waiting up to `ms` for the stream to close. */
  async abort(ms = 10_000): Promise<void> {
    if (this.failure !== undefined || this.stream.destroyed) return;
    const closed = once(this.stream, 'close').catch(() => undefined);
    this.stream.on('error', () => undefined);
    this.stream.destroy(new Error('seedpipe run aborted'));
    await withTimeout(closed, ms);
  }
}

export async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
