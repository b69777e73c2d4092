/**
 * Writes one file under a temporary name with backpressure, optional gzip, and the sha256 and size
 * of the bytes as stored (the kit's meter). Memory: the streams' highWaterMarks (64 KiB each) plus one batch.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PassThrough, type Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ByteMeter, EncodedStreamWriter, isSeedpipeError, SeedpipeError, type SinkBatch, type TableStream } from '../../../src/stage-kit.js';

export type OpenFile = (path: string) => Writable;

export class HashingFileWriter {
  private readonly input = new PassThrough({ highWaterMark: 1 << 16 });
  private readonly meter = new ByteMeter();
  private readonly writer: EncodedStreamWriter;
  private readonly done: Promise<void>;
  private failure: unknown;

  constructor(
    readonly tmpPath: string,
    stream: TableStream,
    gzip: { level: number } | null,
    openFile: OpenFile = (p) => createWriteStream(p, { highWaterMark: 1 << 16 }),
  ) {
    const stages: (Writable | Transform)[] = [...(gzip ? [createGzip({ level: gzip.level })] : []), this.meter.stream(), openFile(tmpPath)];
    // A failed write (disk full, permissions) is named with the file it was for.
    this.done = pipeline(this.input, ...(stages as [Transform, ...Transform[]])).catch((e: unknown) => {
      throw this.named(e);
    });
    this.done.catch((e: unknown) => (this.failure ??= e));
    // A failed file write rejects `done`: a write waiting for 'drain' stops waiting.
    const failed = this.done.then(() => new Promise<never>(() => undefined));
    failed.catch(() => undefined);
    this.writer = new EncodedStreamWriter(this.input, stream, failed);
  }

  get rows(): number {
    return this.writer.rows;
  }

  async start(): Promise<void> {
    await this.writer.start();
  }

  async write(b: SinkBatch): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    try {
      await this.writer.write(b);
    } catch (e) {
      // The stream broke under the write: the pipeline settles with the cause.
      await this.done.catch(() => undefined);
      throw this.failure ?? this.named(e);
    }
  }

  private named(e: unknown): SeedpipeError {
    return isSeedpipeError(e) ? e : new SeedpipeError('CSV_WRITE_FAILED', `writing ${this.tmpPath}: ${e instanceof Error ? e.message : String(e)}; check free space and permissions of the output directory`, { data: { path: this.tmpPath }, cause: e });
  }

  async finish(): Promise<{ bytes: number; sha256: string }> {
    await this.writer.end();
    await this.done;
    return { bytes: this.meter.bytes, sha256: this.meter.sha256() };
  }

  async discard(): Promise<void> {
    this.input.destroy();
    await this.done.catch(() => undefined);
    await rm(this.tmpPath, { force: true });
  }
}
