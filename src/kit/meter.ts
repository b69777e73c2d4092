/** One hashing meter for every file a sink writes: sha256, bytes and rows, of the bytes as stored. */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export class ByteMeter {
  bytes = 0;
  rows = 0;
  readonly #hash: Hash = createHash('sha256');
  #digest: string | undefined;

  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
  }

  /** The hex digest of everything metered (final: later updates are not allowed). */
  sha256(): string {
    this.#digest ??= this.#hash.digest('hex');
    return this.#digest;
  }

  /** A pass-through stream that meters what flows through it (put it after compression). */
  stream(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) => {
        this.update(chunk);
        cb(null, chunk);
      },
    });
  }
}
