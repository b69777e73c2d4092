/**
 * Writes one file under a temporary name with backpressure, optional gzip, and the sha256 and
 * size of the bytes as stored. Memory: the stream's highWaterMark (64 KiB) plus one batch.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { PassThrough, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

export class HashingFileWriter {
  private readonly input = new PassThrough({ highWaterMark: 1 << 16 });
  private readonly hash = createHash('sha256');
  private bytesOut = 0;
  private readonly done: Promise<void>;
  private failed: unknown;

  constructor(
    readonly tmpPath: string,
    gzip: { level: number } | null,
  ) {
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.hash.update(chunk);
        this.bytesOut += chunk.length;
        cb(null, chunk);
      },
    });
    const file = createWriteStream(tmpPath, { highWaterMark: 1 << 16 });
    const stages: (Writable | Transform)[] = gzip ? [createGzip({ level: gzip.level }), counter, file] : [counter, file];
    this.done = pipeline(this.input, ...(stages as [Transform, ...Transform[]]));
    this.done.catch((e) => (this.failed = e));
  }

  async write(buf: Buffer | string): Promise<void> {
    if (this.failed) throw this.failed;
    if (!this.input.write(buf)) await Promise.race([once(this.input, 'drain'), this.done]);
  }

  async finish(): Promise<{ bytes: number; sha256: string }> {
    this.input.end();
    await this.done;
    return { bytes: this.bytesOut, sha256: this.hash.digest('hex') };
  }

  async discard(): Promise<void> {
    this.input.destroy();
    await this.done.catch(() => undefined);
    await rm(this.tmpPath, { force: true });
  }
}
