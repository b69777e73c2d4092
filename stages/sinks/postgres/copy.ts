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
import type { CopyInStream, PgClientLike, Serial } from './client.js';

export class CopyWriter {
  readonly stream: CopyInStream;
  /** Settles when the server has taken every row (or the COPY failed, or was aborted before it was sent). */
  readonly finished: Promise<void>;
  /** The first error of the COPY, if it failed. */
  failure: unknown;
  private readonly writer: EncodedStreamWriter;
  /** Sent to the server (its turn in `serial` came). */
  private sent = false;
  private cancel!: (e: unknown) => void;

  /**
   * `serial`: the connection's statement queue (client.ts); the COPY is sent when its turn comes and
   * rows written before then wait in the stream (up to `highWaterMark`). Without it, sent now.
   */
  constructor(client: PgClientLike, sql: string, encoding: TableStream, highWaterMark?: number, serial?: Serial) {
    this.stream = copyFrom(sql, highWaterMark ? { highWaterMark } : undefined) as CopyInStream;
    this.finished = new Promise<void>((resolve, reject) => {
      this.cancel = reject;
      this.stream.on('finish', resolve);
      this.stream.on('error', (e) => {
        this.failure ??= e;
        reject(e);
      });
    });
    this.finished.catch(() => undefined);
    const send = (): Promise<void> => {
      if (this.failure !== undefined) return Promise.resolve();
      this.sent = true;
      client.query(this.stream);
      return this.finished;
    };
    if (serial) void serial.run(send).catch(() => undefined);
    else void send();
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
    await this.endWriting();
    await this.finished;
    return this.stream.rowCount;
  }

  /** Ends the stream (trailer written; CopyDone goes when the COPY's turn comes) without waiting for the server: `finished` says when the rows are in. */
  async endWriting(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    await this.writer.end();
  }

  /** A COPY not sent yet is never sent: its writers are released with `e` (the failure before it). */
  release(e: unknown): void {
    if (this.sent || this.failure !== undefined) return;
    this.failure = e;
    this.cancel(e);
  }

  /**
   * CopyFail (unless the COPY already failed or the connection is gone), waiting up to `ms` for the
   * stream to close. A COPY not sent yet is never sent: its writers are released with the abort's error.
   */
  async abort(ms = 10_000): Promise<void> {
    if (this.failure !== undefined || this.stream.destroyed) return;
    if (!this.sent) return this.release(new Error('seedpipe run aborted'));
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
