/**
 * One table's object: its encoded stream (header, batches, trailer) through optional gzip and the
 * kit's hashing meter into a `@aws-sdk/lib-storage` multipart upload.
 *
 * Memory: about partSize × (queueSize + 1) (lib-storage holds `queueSize` parts in flight while it
 * fills the next one) plus the streams' 16 KiB buffers. Never a whole table.
 */
import type { HeadObjectCommandOutput, PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { s3Sdk, type S3Sdk } from './client.js';
import type { Transform, Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import {
  ByteMeter, EncodedStreamWriter, SeedpipeError,
  type ManifestFile, type SinkBatch, type TableInfo, type TableResult, type TableStream, type TableWriter,
} from '../../../src/stage-kit.js';
import type { GuardedClient } from './guard.js';
import { MAX_PARTS } from './options.js';
import { sseParams, type S3Encryption } from './shards.js';

/** Facts the S3 sink reports per table in `TableResult.details`. */
export interface S3TableDetails {
  file: string;
  key: string;
  url: string;
  sha256: string;
  etag: string;
}

export interface UploadContext {
  info: TableInfo;
  stream: TableStream;
  file: string;
  key: string;
  url: string;
  bucket: string;
  gzip: boolean;
  /** Content-Type of the object (of the uncompressed format). Default `text/csv; charset=utf-8`. */
  contentType?: string;
  partSize: number;
  queueSize: number;
  encryption: S3Encryption;
  client: GuardedClient;
  mapError: (e: unknown, action: string) => SeedpipeError;
}

export class S3TableWriter implements TableWriter {
  readonly info: TableInfo;
  result: TableResult | undefined;
  private readonly meter = new ByteMeter();
  /** The meter as a stream: the upload's body. */
  private readonly metered: Transform;
  /** Where encoded bytes are written: the gzip stream, or the metered stream directly. */
  private readonly head: Writable;
  private readonly writer: EncodedStreamWriter;
  private readonly upload: InstanceType<S3Sdk['Upload']>;
  private readonly done: Promise<unknown>;
  private closing = false;
  private destroyed: unknown;
  private etag = '';

  constructor(private readonly ctx: UploadContext) {
    this.info = ctx.info;
    this.metered = this.meter.stream();
    if (ctx.gzip) {
      const gz = createGzip();
      gz.on('error', (e) => this.metered.destroy(e));
      gz.pipe(this.metered);
      this.head = gz;
    } else {
      this.head = this.metered;
    }
    // Stream errors (including the one abort injects) surface through the upload's rejection.
    this.metered.on('error', () => {});
    const params: PutObjectCommandInput = {
      Bucket: ctx.bucket,
      Key: ctx.key,
      Body: this.metered,
      // No ACL header: objects stay private to the bucket owner, and buckets that enforce
      // bucket-owner object ownership reject requests that carry one.
      ContentType: ctx.gzip ? 'application/gzip' : (ctx.contentType ?? 'text/csv; charset=utf-8'),
      ...sseParams(ctx.encryption),
    };
    // lib-storage reads only `send` and `config` of its client; the guarded client forwards both.
    this.upload = new (s3Sdk().Upload)({ client: ctx.client as unknown as S3Client, params, partSize: ctx.partSize, queueSize: ctx.queueSize, leavePartsOnError: false });
    this.done = this.upload.done();
    // Rejects as soon as the upload fails, so a write waiting for 'drain' does not wait forever.
    const failed = this.done.then(() => new Promise<never>(() => {}));
    failed.catch(() => {});
    this.writer = new EncodedStreamWriter(this.head, ctx.stream, failed);
  }

  async write(batch: SinkBatch): Promise<void> {
    if (this.destroyed !== undefined) throw aborted(this.ctx.url);
    if (this.closing) throw new SeedpipeError('S3_SINK_STATE', `write after close on table "${this.info.name}"`);
    await this.guard(() => this.writer.write(batch));
    const limit = this.ctx.partSize * MAX_PARTS;
    if (this.meter.bytes > limit) {
      throw new SeedpipeError(
        'S3_OBJECT_TOO_LARGE',
        `${this.ctx.url} would exceed ${MAX_PARTS} parts of ${this.ctx.partSize} bytes: raise the S3 part size (partSizeBytes / --s3-part-size)`,
        { data: { url: this.ctx.url, partSize: this.ctx.partSize } },
      );
    }
  }

  async close(): Promise<TableResult> {
    if (this.result) return this.result;
    if (this.destroyed !== undefined) throw aborted(this.ctx.url);
    this.closing = true;
    await this.guard(() => this.writer.end());
    try {
      await this.done;
    } catch (e) {
      throw this.destroyed !== undefined ? aborted(this.ctx.url) : this.ctx.mapError(this.rootCause(e), `uploading ${this.ctx.url}`);
    }
    // RGW (and some other servers) return an empty ETag from CompleteMultipartUpload: ask for it.
    let head: HeadObjectCommandOutput;
    try {
      head = (await this.ctx.client.send(new (s3Sdk().HeadObjectCommand)({ Bucket: this.ctx.bucket, Key: this.ctx.key }))) as HeadObjectCommandOutput;
    } catch (e) {
      throw this.ctx.mapError(e, `reading back ${this.ctx.url}`);
    }
    if (head.ContentLength !== undefined && head.ContentLength !== this.meter.bytes) {
      throw new SeedpipeError(
        'S3_UPLOAD_MISMATCH',
        `${this.ctx.url} holds ${head.ContentLength} bytes after upload, ${this.meter.bytes} were sent: the upload was not stored intact`,
        { disposition: 'retriable', data: { url: this.ctx.url, stored: head.ContentLength, sent: this.meter.bytes } },
      );
    }
    this.etag = head.ETag ?? '';
    const details: S3TableDetails = { file: this.ctx.file, key: this.ctx.key, url: this.ctx.url, sha256: this.meter.sha256(), etag: this.etag };
    this.result = { table: this.info.name, rows: this.writer.rows, bytes: this.meter.bytes, details: { ...details } };
    return this.result;
  }

  manifestFile(): ManifestFile {
    const r = this.result as TableResult;
    return { table: this.info.name, file: this.ctx.file, rows: r.rows, bytes: r.bytes, sha256: this.meter.sha256(), etag: this.etag };
  }

  /** Stops the upload; the sink then aborts the multipart upload and deletes the object. */
  destroy(reason: unknown): void {
    if (this.destroyed !== undefined) return;
    this.destroyed = reason ?? new Error('aborted');
    void this.upload.abort();
    const err = reason instanceof Error ? reason : new Error('S3 upload aborted');
    if (this.head !== this.metered) this.head.destroy(err);
    this.metered.destroy(err);
  }

  /** Runs a write into the upload stream, mapping its failure to the sink's errors. */
  private async guard(f: () => Promise<void>): Promise<void> {
    try {
      await f();
    } catch (e) {
      if (this.destroyed !== undefined) throw aborted(this.ctx.url);
      throw this.ctx.mapError(this.rootCause(e), `uploading ${this.ctx.url}`);
    }
  }

  /** A bare AbortError of the upload's body stream stands for the request that failed first (a timeout, say). */
  private rootCause(e: unknown): unknown {
    const aborted = (e as { name?: unknown } | undefined)?.name === 'AbortError';
    return aborted && this.ctx.client.firstFailure !== undefined ? this.ctx.client.firstFailure : e;
  }
}

function aborted(url: string): SeedpipeError {
  return new SeedpipeError('S3_ABORTED', `the upload of ${url} was aborted`, { data: { url } });
}
