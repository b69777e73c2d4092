/**
 * S3 sink: one object per table streamed with `@aws-sdk/lib-storage` multipart uploads into
 * `s3://bucket/prefix/generation_<UTC yyyymmdd_hhmmss>/`, then `metadata.csv` and, last,
 * `manifest.json` (its presence means the generation is complete).
 *
 * Memory per table being uploaded: about partSize × (queueSize + 1) (lib-storage holds `queueSize`
 * parts in flight while it fills the next one) plus two 16 KiB stream buffers. Never a whole table.
 *
 * Failure: `abort()` stops every upload, aborts every multipart upload it started (and any other one
 * left under the generation prefix), and deletes every object written under the generation folder,
 * so a failed run leaves neither objects nor orphan parts behind. After a successful commit it does
 * nothing.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createGzip } from 'node:zlib';
import type {
  BucketLocationConstraint,
  CreateMultipartUploadCommandOutput,
  GetObjectCommandOutput,
  HeadObjectCommandOutput,
  ListMultipartUploadsCommandOutput,
  ListObjectsV2CommandOutput,
  PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { RunInfo, RowBatch, Sink, SinkSummary, TableInfo, TableResult, TableWriter } from '../../../src/contracts.js';
import { SeedpipeError } from '../../../src/errors.js';
import { buildManifest, MANIFEST_FILE, METADATA_FILE, renderMetadataCsv, type Manifest, type ManifestFile } from '../../../src/manifest.js';
import {
  accessKeyIdOf,
  buildS3Client,
  describeEndpoint,
  s3Sdk,
  type S3Sdk,
  errorCodeOf,
  isAccessDenied,
  isNotFound,
  toSeedpipeError,
  type ErrorContext,
  type S3ClientLike,
  type S3CommandLike,
  type S3SendOptions,
} from './client.js';
import {
  clampPartSize,
  clampQueueSize,
  formatS3Url,
  generationFolder,
  MAX_PARTS,
  parseS3Url,
  validateSinkOptions,
  type S3Location,
  type S3SinkOptions,
} from './options.js';

/** Folder (inside the generation folder) where each shard records its part files for finalize. */
export const SHARDS_FOLDER = '_shards/';

/** Facts the S3 sink reports per table in `TableResult.details`. */
export interface S3TableDetails {
  file: string;
  key: string;
  url: string;
  sha256: string;
  etag: string;
}

/** Server-side encryption parameters for every object written. */
export interface S3Encryption {
  sse?: 'AES256' | 'aws:kms';
  sseKmsKeyId?: string;
}

export class S3Sink implements Sink {
  readonly name = 's3';
  /** Part size actually used (after clamping to S3's limits), in bytes. */
  readonly partSize: number;
  /** True when the requested part size was outside S3's limits and was clamped. */
  readonly partSizeClamped: boolean;
  readonly queueSize: number;

  private readonly opts: S3SinkOptions;
  private readonly raw: S3ClientLike;
  private readonly guarded: GuardedClient;
  private readonly loc: S3Location;
  private run: RunInfo | undefined;
  private genPrefix: string | undefined;
  private accessKeyId: string | undefined;
  private readonly writers = new Map<string, S3TableWriter>();
  /** Every key this run started writing (tables, metadata, manifest, shard record). */
  private readonly keys = new Set<string>();
  private state: 'new' | 'open' | 'committed' | 'aborted' = 'new';
  private aborting: Promise<void> | undefined;

  constructor(options: S3SinkOptions, deps: { client?: S3ClientLike } = {}) {
    validateSinkOptions(options);
    this.opts = Object.freeze({ ...options });
    this.loc = parseS3Url(options.url);
    const { partSize, clamped } = clampPartSize(options.partSizeBytes);
    this.partSize = partSize;
    this.partSizeClamped = clamped;
    this.queueSize = clampQueueSize(options.queueSize);
    this.raw = deps.client ?? buildS3Client(options);
    this.guarded = new GuardedClient(this.raw);
  }

  /** `s3://bucket/prefix/generation_…/` once opened. */
  get location(): string {
    return formatS3Url({ bucket: this.loc.bucket, prefix: this.genPrefix ?? this.loc.prefix });
  }

  /** Key prefix of this run's generation folder (ends with `/`), once opened. */
  get generationPrefix(): string | undefined {
    return this.genPrefix;
  }

  async open(run: RunInfo): Promise<void> {
    if (this.state !== 'new') throw new SeedpipeError('S3_SINK_STATE', `the S3 sink cannot be opened twice (state: ${this.state})`);
    this.run = run;
    this.genPrefix = `${this.loc.prefix}${generationFolder(this.opts.now ?? run.startedAt)}/`;
    this.accessKeyId = await accessKeyIdOf(this.raw, this.opts);
    const bucket = this.loc.bucket;
    try {
      await this.raw.send(new (s3Sdk().HeadBucketCommand)({ Bucket: bucket }));
    } catch (e) {
      if (!isNotFound(e) || isAccessDenied(e)) throw this.error(e, `checking bucket "${bucket}"`);
      if (!this.opts.createBucket) {
        throw new SeedpipeError(
          'S3_BUCKET_NOT_FOUND',
          `S3 bucket "${bucket}" does not exist at ${describeEndpoint(this.opts)}: create it, or pass --s3-create-bucket to let seedpipe create it`,
          { data: { bucket, endpoint: describeEndpoint(this.opts) } },
        );
      }
      await this.createBucket();
    }
    if (!run.shard) {
      // A generation folder belongs to one run: abort deletes everything under it.
      const out = (await this.send(new (s3Sdk().ListObjectsV2Command)({ Bucket: bucket, Prefix: this.genPrefix, MaxKeys: 1 }), 'checking the generation folder')) as ListObjectsV2CommandOutput;
      if ((out.KeyCount ?? out.Contents?.length ?? 0) > 0) {
        throw new SeedpipeError(
          'S3_GENERATION_EXISTS',
          `${this.location} already holds objects (another run started in the same second?): wait a second and run again, or use another prefix`,
          { data: { url: this.location } },
        );
      }
    }
    this.state = 'open';
  }

  async table(info: TableInfo): Promise<TableWriter> {
    const run = this.requireOpen();
    if (this.writers.has(info.name)) throw new SeedpipeError('S3_SINK_STATE', `table "${info.name}" was already started in this run`);
    if (!info.exported) {
      // Left out of file exports: consume the batches, write nothing, list nothing in the manifest.
      let generated = 0;
      return {
        write: async (b) => void (generated += b.count),
        close: async () => ({ table: info.name, rows: 0, bytes: 0, details: { skipped: 'table not exported', generated } }),
      };
    }
    const file = objectFileName(info.name, { gzip: this.opts.gzip ?? false, shard: run.shard });
    const key = `${this.genPrefix}${file}`;
    this.keys.add(key);
    const writer = new S3TableWriter({
      info,
      file,
      key,
      bucket: this.loc.bucket,
      gzip: this.opts.gzip ?? false,
      partSize: this.partSize,
      queueSize: this.queueSize,
      encryption: this.encryption(),
      client: this.guarded,
      mapError: (e, action) => this.error(e, action),
      url: formatS3Url({ bucket: this.loc.bucket, prefix: key }),
    });
    this.writers.set(info.name, writer);
    return writer;
  }

  async commit(results: readonly TableResult[]): Promise<SinkSummary> {
    const run = this.requireOpen();
    const open = [...this.writers.values()].filter((w) => !w.result);
    if (open.length > 0) {
      throw new SeedpipeError('S3_SINK_STATE', `cannot commit: table(s) ${open.map((w) => `"${w.info.name}"`).join(', ')} not closed`);
    }
    const order = new Map(run.tables.map((t, i) => [t.name, i]));
    const writers = [...this.writers.values()].sort((a, b) => (order.get(a.info.name) ?? 1e9) - (order.get(b.info.name) ?? 1e9));
    const files = writers.map((w) => w.manifestFile());
    const compression = this.opts.gzip ? 'gzip' : 'none';
    const finishedAt = (this.opts.clock ?? (() => new Date()))();
    const url = this.location;
    let extra: Record<string, unknown>;
    if (run.shard) {
      const key = `${this.genPrefix}${shardRecordName(run.shard)}`;
      this.keys.add(key);
      const record: ShardRecord = { format: 'seedpipe-shard/1', shard: run.shard, startedAt: run.startedAt, finishedAt: finishedAt.toISOString(), compression, files };
      await this.send(new (s3Sdk().PutObjectCommand)({ Bucket: this.loc.bucket, Key: key, Body: JSON.stringify(record, null, 2) + '\n', ContentType: 'application/json', ...sseParams(this.encryption()) }), `writing ${formatS3Url({ bucket: this.loc.bucket, prefix: key })}`);
      extra = { shardRecord: key, manifest: null };
    } else {
      for (const name of [METADATA_FILE, MANIFEST_FILE]) this.keys.add(`${this.genPrefix}${name}`);
      const written = await writeS3Manifest(this.guarded, { url, run, files, compression, finishedAt, ...this.encryption(), endpoint: describeEndpoint(this.opts) });
      extra = { manifest: written.manifestKey };
    }
    this.state = 'committed';
    const byTable = new Map(writers.map((w) => [w.info.name, w.result as TableResult]));
    const tables = results.length > 0 ? results.map((r) => byTable.get(r.table) ?? r) : [...byTable.values()];
    return {
      sink: this.name,
      location: url,
      tables,
      extra: { ...extra, partSizeBytes: this.partSize, queueSize: this.queueSize, gzip: this.opts.gzip ?? false },
    };
  }

  abort(reason: unknown): Promise<void> {
    // A committed generation is complete and visible: abort leaves it alone.
    if (this.state === 'committed') return Promise.resolve();
    // Concurrent and repeated calls share one cleanup; a failed cleanup is retried by the next call.
    if (!this.aborting) {
      this.aborting = this.cleanUp(reason).catch((e: unknown) => {
        this.aborting = undefined;
        throw e;
      });
    }
    return this.aborting;
  }

  private async cleanUp(reason: unknown): Promise<void> {
    this.state = 'aborted';
    this.guarded.close();
    for (const w of this.writers.values()) w.destroy(reason);
    // Let requests already on the wire settle, so nothing lands after the listing below.
    await this.guarded.idle();
    const prefix = this.genPrefix;
    // Nothing can have been written before the first table or the commit.
    if (prefix === undefined || this.keys.size === 0) return;
    const bucket = this.loc.bucket;
    const mine = (key: string) => this.ownsKey(key);
    const problems: string[] = [];

    const abortUpload = async (key: string, uploadId: string) => {
      try {
        await this.raw.send(new (s3Sdk().AbortMultipartUploadCommand)({ Bucket: bucket, Key: key, UploadId: uploadId }));
      } catch (e) {
        if (errorCodeOf(e) !== 'NoSuchUpload' && !isNotFound(e)) problems.push(`multipart upload ${uploadId} of ${key}: ${this.error(e, 'aborting').message}`);
      }
    };
    for (const u of this.guarded.openUploads()) await abortUpload(u.key, u.uploadId);
    try {
      for await (const u of listMultipartUploads(this.raw, bucket, prefix)) if (mine(u.key)) await abortUpload(u.key, u.uploadId);
    } catch (e) {
      problems.push(this.error(e, `listing multipart uploads under ${this.location}`).message);
    }

    const limit = pLimit(8);
    const deletions: Promise<void>[] = [];
    const deleteKey = (key: string) =>
      limit(async () => {
        try {
          await this.raw.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: bucket, Key: key }));
        } catch (e) {
          if (!isNotFound(e)) problems.push(`${key}: ${this.error(e, 'deleting').message}`);
        }
      });
    try {
      // Bounded: one page (≤ 1,000 keys) of deletions in flight at a time.
      for await (const page of listObjectPages(this.raw, bucket, prefix)) {
        for (const key of page) if (mine(key)) deletions.push(deleteKey(key));
        await Promise.all(deletions.splice(0));
      }
    } catch (e) {
      problems.push(this.error(e, `listing ${this.location}`).message);
    }
    if (problems.length > 0) {
      throw new SeedpipeError(
        'S3_ABORT_INCOMPLETE',
        `could not fully remove the failed run from ${this.location}: ${problems.slice(0, 5).join('; ')}. ` +
          `Remove what is left with: aws s3 rm --recursive ${this.location} (and abort its multipart uploads)`,
        { data: { url: this.location, problems }, cause: reason },
      );
    }
  }

  /** Whether abort may delete a key: the whole generation folder, or only this shard's files. */
  private ownsKey(key: string): boolean {
    if (this.keys.has(key)) return true;
    const run = this.run;
    if (!run?.shard) return key.startsWith(this.genPrefix ?? '\0');
    const rest = key.slice((this.genPrefix ?? '').length);
    return rest.includes(`.${shardTag(run.shard)}.csv`) || rest === shardRecordName(run.shard);
  }

  private async createBucket(): Promise<void> {
    const region = this.opts.region;
    try {
      await this.raw.send(
        new (s3Sdk().CreateBucketCommand)({
          Bucket: this.loc.bucket,
          ...(region && region !== 'us-east-1' ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } } : {}),
        }),
      );
    } catch (e) {
      if (errorCodeOf(e) === 'BucketAlreadyOwnedByYou') return;
      throw this.error(e, `creating bucket "${this.loc.bucket}"`);
    }
  }

  private encryption(): S3Encryption {
    return { ...(this.opts.sse ? { sse: this.opts.sse } : {}), ...(this.opts.sseKmsKeyId ? { sseKmsKeyId: this.opts.sseKmsKeyId } : {}) };
  }

  private requireOpen(): RunInfo {
    if (this.state !== 'open' || !this.run) {
      throw new SeedpipeError('S3_SINK_STATE', `the S3 sink is ${this.state === 'new' ? 'not open yet (call open first)' : this.state}`);
    }
    return this.run;
  }

  private async send(command: S3CommandLike, action: string): Promise<unknown> {
    try {
      return await this.guarded.send(command);
    } catch (e) {
      throw this.error(e, action);
    }
  }

  private error(e: unknown, action: string): SeedpipeError {
    return toSeedpipeError(e, this.errorContext(action));
  }

  private errorContext(action: string): ErrorContext {
    return {
      action,
      endpoint: describeEndpoint(this.opts),
      bucket: this.loc.bucket,
      ...(this.accessKeyId ? { accessKeyId: this.accessKeyId } : {}),
      secrets: [this.opts.credentials?.secretAccessKey, this.opts.credentials?.sessionToken],
    };
  }
}

// ---------------------------------------------------------------------------------------------
// One table

interface TableWriterContext {
  info: TableInfo;
  file: string;
  key: string;
  url: string;
  bucket: string;
  gzip: boolean;
  partSize: number;
  queueSize: number;
  encryption: S3Encryption;
  client: GuardedClient;
  mapError: (e: unknown, action: string) => SeedpipeError;
}

class S3TableWriter implements TableWriter {
  readonly info: TableInfo;
  result: TableResult | undefined;
  private readonly ctx: TableWriterContext;
  private readonly meter = new HashMeter();
  /** Where CSV bytes are written: the gzip stream, or the meter directly. */
  private readonly head: Writable;
  private readonly upload: InstanceType<S3Sdk['Upload']>;
  private readonly done: Promise<unknown>;
  /** Rejects as soon as the upload fails, so a write waiting for 'drain' does not wait forever. */
  private readonly failed: Promise<never>;
  private rows = 0;
  private headerWritten = false;
  private closing = false;
  private destroyed: unknown;
  private etag = '';

  constructor(ctx: TableWriterContext) {
    this.ctx = ctx;
    this.info = ctx.info;
    if (ctx.gzip) {
      const gz = createGzip();
      gz.on('error', (e) => this.meter.destroy(e));
      gz.pipe(this.meter);
      this.head = gz;
    } else {
      this.head = this.meter;
    }
    // Stream errors (including the one abort injects) surface through the upload's rejection.
    this.meter.on('error', () => {});
    const params: PutObjectCommandInput = {
      Bucket: ctx.bucket,
      Key: ctx.key,
      Body: this.meter,
      // No ACL header: objects stay private to the bucket owner, and buckets that enforce
      // bucket-owner object ownership reject requests that carry one.
      ContentType: ctx.gzip ? 'application/gzip' : 'text/csv; charset=utf-8',
      ...sseParams(ctx.encryption),
    };
    // lib-storage reads only `send` and `config` of its client; the guarded client forwards both.
    this.upload = new (s3Sdk().Upload)({ client: ctx.client as unknown as S3Client, params, partSize: ctx.partSize, queueSize: ctx.queueSize, leavePartsOnError: false });
    this.done = this.upload.done();
    this.failed = this.done.then(() => new Promise<never>(() => {}));
    this.failed.catch(() => {});
  }

  async write(batch: RowBatch): Promise<void> {
    if (this.destroyed !== undefined) throw aborted(this.ctx.url);
    if (this.closing) throw new SeedpipeError('S3_SINK_STATE', `write after close on table "${this.info.name}"`);
    if (!this.headerWritten) await this.writeHeader(detectEol(batch.csv));
    this.rows += batch.count;
    await this.push(batch.csv);
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
    if (!this.headerWritten) await this.writeHeader('\n');
    this.closing = true;
    this.head.end();
    try {
      await this.done;
    } catch (e) {
      throw this.destroyed !== undefined ? aborted(this.ctx.url) : this.ctx.mapError(e, `uploading ${this.ctx.url}`);
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
    this.result = { table: this.info.name, rows: this.rows, bytes: this.meter.bytes, details: { ...details } };
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
    if (this.head !== this.meter) this.head.destroy(err);
    this.meter.destroy(err);
  }

  private async writeHeader(eol: string): Promise<void> {
    this.headerWritten = true;
    const names = this.info.columns.filter((c) => c.exported).map((c) => csvField(c.name));
    await this.push(Buffer.from(names.join(',') + eol));
  }

  private async push(buf: Buffer): Promise<void> {
    if (buf.length === 0) return;
    if (this.head.write(buf)) return;
    const ac = new AbortController();
    try {
      await Promise.race([once(this.head, 'drain', { signal: ac.signal }), this.failed]);
    } catch (e) {
      if (this.destroyed !== undefined) throw aborted(this.ctx.url);
      throw this.ctx.mapError(e, `uploading ${this.ctx.url}`);
    } finally {
      ac.abort();
    }
  }
}

/** Pass-through that hashes and counts the bytes as stored (after gzip). */
class HashMeter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private digest: string | undefined;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }

  sha256(): string {
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }
}

/**
 * Client wrapper shared by all uploads of one sink: tracks requests in flight and open multipart
 * uploads, and once closed refuses everything but AbortMultipartUpload, so an aborted run cannot
 * start new writes behind the cleanup's back.
 */
class GuardedClient implements S3ClientLike {
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly uploads = new Map<string, { key: string; uploadId: string }>();
  private closed = false;

  constructor(private readonly inner: S3ClientLike) {}

  get config(): S3ClientLike['config'] {
    return this.inner.config;
  }

  send(command: S3CommandLike, options?: S3SendOptions): Promise<unknown> {
    if (this.closed && !(command instanceof s3Sdk().AbortMultipartUploadCommand)) {
      return Promise.reject(Object.assign(new Error('S3 sink aborted'), { name: 'AbortError' }));
    }
    const input = command.input as { Key?: string; UploadId?: string };
    const p = this.inner.send(command, options).then((out) => {
      if (command instanceof s3Sdk().CreateMultipartUploadCommand) {
        const id = (out as CreateMultipartUploadCommandOutput).UploadId;
        if (id && input.Key) this.uploads.set(id, { key: input.Key, uploadId: id });
      } else if ((command instanceof s3Sdk().CompleteMultipartUploadCommand || command instanceof s3Sdk().AbortMultipartUploadCommand) && input.UploadId) {
        this.uploads.delete(input.UploadId);
      }
      return out;
    });
    this.inflight.add(p);
    const untrack = () => void this.inflight.delete(p);
    p.then(untrack, untrack);
    return p;
  }

  close(): void {
    this.closed = true;
  }

  /** Resolves once no request is in flight (including ones started while waiting). */
  async idle(): Promise<void> {
    do {
      await Promise.allSettled([...this.inflight]);
      await nextTurn();
    } while (this.inflight.size > 0);
  }

  openUploads(): { key: string; uploadId: string }[] {
    return [...this.uploads.values()];
  }
}

// ---------------------------------------------------------------------------------------------
// Manifest and shards

export interface WriteS3ManifestArgs extends S3Encryption {
  /** The generation folder, `s3://bucket/prefix/generation_…/`. */
  url: string;
  run: RunInfo;
  /** Every file of the generation (for shards: every part file of every shard). */
  files: ManifestFile[];
  compression: 'none' | 'gzip';
  /** Default: now. */
  finishedAt?: Date;
  /** Endpoint named in error messages. */
  endpoint?: string;
}

/**
 * Writes `metadata.csv`, then `manifest.json` (last: its presence means the generation is complete).
 * Used by the sink's commit, and by a finalize step after all shards of a run have committed.
 */
export async function writeS3Manifest(client: S3ClientLike, args: WriteS3ManifestArgs): Promise<{ manifest: Manifest; manifestKey: string; metadataKey: string }> {
  const loc = parseS3Url(args.url);
  const prefix = loc.prefix;
  const manifest = buildManifest(args.run, args.files, { finishedAt: args.finishedAt ?? new Date(), compression: args.compression });
  const put = async (name: string, body: string, contentType: string) => {
    const key = `${prefix}${name}`;
    try {
      await client.send(new (s3Sdk().PutObjectCommand)({ Bucket: loc.bucket, Key: key, Body: body, ContentType: contentType, ...sseParams(args) }));
    } catch (e) {
      throw toSeedpipeError(e, { action: `writing s3://${loc.bucket}/${key}`, endpoint: args.endpoint ?? 'S3', bucket: loc.bucket, secrets: [] });
    }
    return key;
  };
  const metadataKey = await put(METADATA_FILE, renderMetadataCsv(manifest), 'text/csv; charset=utf-8');
  const manifestKey = await put(MANIFEST_FILE, JSON.stringify(manifest, null, 2) + '\n', 'application/json');
  return { manifest, manifestKey, metadataKey };
}

/** What a shard's commit records under `_shards/` for the finalize step. */
export interface ShardRecord {
  format: 'seedpipe-shard/1';
  shard: { index: number; count: number };
  startedAt: string;
  finishedAt: string;
  compression: 'none' | 'gzip';
  files: ManifestFile[];
}

/**
 * Finalize a sharded run: reads every shard's record from `<generation>/_shards/`, checks that all
 * `count` shards committed, and writes the run's `metadata.csv` and `manifest.json` listing every
 * part file. `run` is the run without its shard (any shard's RunInfo with `shard` removed).
 */
export async function finalizeS3Shards(
  client: S3ClientLike,
  args: { url: string; run: RunInfo; count: number; finishedAt?: Date; endpoint?: string } & S3Encryption,
): Promise<{ manifest: Manifest; manifestKey: string }> {
  const loc = parseS3Url(args.url);
  const ctx = (action: string): ErrorContext => ({ action, endpoint: args.endpoint ?? 'S3', bucket: loc.bucket, secrets: [] });
  const records: ShardRecord[] = [];
  try {
    for await (const page of listObjectPages(client, loc.bucket, `${loc.prefix}${SHARDS_FOLDER}`)) {
      for (const key of page) {
        const out = (await client.send(new (s3Sdk().GetObjectCommand)({ Bucket: loc.bucket, Key: key }))) as GetObjectCommandOutput;
        const text = (await out.Body?.transformToString('utf-8')) ?? '';
        const rec = JSON.parse(text) as ShardRecord;
        if (rec.format === 'seedpipe-shard/1') records.push(rec);
      }
    }
  } catch (e) {
    throw toSeedpipeError(e, ctx(`reading shard records under ${args.url}${SHARDS_FOLDER}`));
  }
  const seen = new Set(records.filter((r) => r.shard.count === args.count).map((r) => r.shard.index));
  if (seen.size !== args.count) {
    throw new SeedpipeError(
      'S3_SHARDS_INCOMPLETE',
      `${seen.size} of ${args.count} shards have committed to ${args.url} (found: ${[...seen].sort((a, b) => a - b).join(', ') || 'none'}): run the missing shards before finalizing`,
      { data: { url: args.url, found: [...seen], count: args.count } },
    );
  }
  records.sort((a, b) => a.shard.index - b.shard.index);
  const order = new Map(args.run.tables.map((t, i) => [t.name, i]));
  const files = records.flatMap((r) => r.files).sort((a, b) => (order.get(a.table) ?? 1e9) - (order.get(b.table) ?? 1e9) || a.file.localeCompare(b.file));
  const { shard: _shard, ...run } = args.run;
  const written = await writeS3Manifest(client, {
    url: args.url,
    run,
    files,
    compression: records[0]?.compression ?? 'none',
    ...(args.finishedAt ? { finishedAt: args.finishedAt } : {}),
    ...(args.sse ? { sse: args.sse } : {}),
    ...(args.sseKmsKeyId ? { sseKmsKeyId: args.sseKmsKeyId } : {}),
    ...(args.endpoint ? { endpoint: args.endpoint } : {}),
  });
  return { manifest: written.manifest, manifestKey: written.manifestKey };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** `<table>.csv`, `<table>.csv.gz`, or for shards `<table>.part-<k>-of-<n>.csv[.gz]`. */
export function objectFileName(table: string, o: { gzip: boolean; shard?: { index: number; count: number } | undefined }): string {
  return `${table}${o.shard ? `.${shardTag(o.shard)}` : ''}.csv${o.gzip ? '.gz' : ''}`;
}

/** `part-03-of-16`: the index is zero-padded to the width of the count so names sort. */
function shardTag(s: { index: number; count: number }): string {
  return `part-${String(s.index).padStart(String(s.count).length, '0')}-of-${s.count}`;
}

function shardRecordName(s: { index: number; count: number }): string {
  return `${SHARDS_FOLDER}shard-${shardTag(s)}.json`;
}

function sseParams(e: S3Encryption): Pick<PutObjectCommandInput, 'ServerSideEncryption' | 'SSEKMSKeyId'> {
  return { ...(e.sse ? { ServerSideEncryption: e.sse } : {}), ...(e.sse === 'aws:kms' && e.sseKmsKeyId ? { SSEKMSKeyId: e.sseKmsKeyId } : {}) };
}

/** The header uses the same line ending as the rows (CRLF per RFC 4180, or LF). */
function detectEol(csv: Buffer): string {
  const nl = csv.indexOf(0x0a);
  return nl > 0 && csv[nl - 1] === 0x0d ? '\r\n' : '\n';
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function aborted(url: string): SeedpipeError {
  return new SeedpipeError('S3_ABORTED', `the upload of ${url} was aborted`, { data: { url } });
}

/** Every key under a prefix, one page (≤ 1,000 keys) at a time. */
export async function* listObjectPages(client: S3ClientLike, bucket: string, prefix: string): AsyncGenerator<string[]> {
  let token: string | undefined;
  do {
    const out = (await client.send(new (s3Sdk().ListObjectsV2Command)({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }))) as ListObjectsV2CommandOutput;
    yield (out.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
}

/** Every multipart upload in progress under a prefix. */
export async function* listMultipartUploads(client: S3ClientLike, bucket: string, prefix: string): AsyncGenerator<{ key: string; uploadId: string }> {
  let keyMarker: string | undefined;
  let idMarker: string | undefined;
  do {
    const out = (await client.send(
      new (s3Sdk().ListMultipartUploadsCommand)({ Bucket: bucket, Prefix: prefix, ...(keyMarker ? { KeyMarker: keyMarker } : {}), ...(idMarker ? { UploadIdMarker: idMarker } : {}) }),
    )) as ListMultipartUploadsCommandOutput;
    for (const u of out.Uploads ?? []) if (u.Key && u.UploadId) yield { key: u.Key, uploadId: u.UploadId };
    keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
    idMarker = out.IsTruncated ? out.NextUploadIdMarker : undefined;
  } while (keyMarker);
}
