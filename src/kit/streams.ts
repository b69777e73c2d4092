/**
 * Writing with backpressure, once for every sink: a chunk goes into a Writable; when its buffer is
 * full, the caller waits for 'drain' (or for the stream, or the destination behind it, to fail).
 * Memory per stream: its highWaterMark plus the chunk being written.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { SinkBatch, TableStream } from '../contracts.js';
import { SeedpipeError } from '../errors.js';

/**
 * Resolves when `stream` drains; rejects when it errors or closes first, or when `failed` rejects
 * (an upload or COPY behind the stream that failed). Resolves, too, if `failed` resolves (the
 * destination finished).
 */
export async function drained(stream: Writable, failed?: Promise<unknown>): Promise<void> {
  if (stream.destroyed) throw closedError();
  const ac = new AbortController();
  const drain = once(stream, 'drain', { signal: ac.signal });
  const closed = once(stream, 'close', { signal: ac.signal }).then(() => Promise.reject(closedError()));
  try {
    await Promise.race([drain, closed, ...(failed ? [failed] : [])]);
  } finally {
    ac.abort();
    // The losers reject with AbortError once the signal fires: nobody waits for them.
    drain.catch(() => undefined);
    closed.catch(() => undefined);
  }
}

function closedError(): SeedpipeError {
  return new SeedpipeError('STREAM_CLOSED', 'the destination stream closed before it accepted all the data');
}

/** Writes one chunk, waiting for 'drain' when the stream asks for it. */
export async function writeChunk(stream: Writable, chunk: Uint8Array, failed?: Promise<unknown>): Promise<void> {
  if (chunk.length === 0) return;
  if (!stream.write(chunk)) await drained(stream, failed);
}

/**
 * A table's encoded stream into a Writable: header first, each batch's bytes with backpressure,
 * the trailer at the end. Counts rows and bytes as written (before any compression downstream).
 */
export class EncodedStreamWriter {
  rows = 0;
  bytes = 0;
  #started = false;

  constructor(
    private readonly stream: Writable,
    private readonly encoding: TableStream,
    private readonly failed?: Promise<unknown>,
  ) {}

  /** Writes the header (once; `write` and `end` call it when needed). */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await writeChunk(this.stream, this.encoding.header, this.failed);
  }

  async write(b: SinkBatch): Promise<void> {
    if (!this.#started) await this.start();
    this.rows += b.count;
    this.bytes += b.bytes.length;
    await writeChunk(this.stream, b.bytes, this.failed);
  }

  /** Writes the trailer and ends the stream. */
  async end(): Promise<void> {
    if (!this.#started) await this.start();
    await writeChunk(this.stream, this.encoding.trailer(), this.failed);
    this.stream.end();
  }
}
