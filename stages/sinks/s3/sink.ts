/**
 * S3 sink: one object per table (the `csv` encoding) streamed with `@aws-sdk/lib-storage` multipart
 * uploads into `s3://bucket/prefix/generation_<UTC yyyymmdd_hhmmss>/`, then `metadata.csv` and, last,
 * `manifest.json` (its presence means the generation is complete). A shard writes
 * `<table>.part-03-of-16.csv` and a record under `_shards/` instead; `finalizeS3Shards` writes the manifest.
 *
 * Memory per table being uploaded: about partSize × (queueSize + 1) plus two 16 KiB stream buffers
 * (see upload.ts). Never a whole table.
 *
 * Failure: `abort()` stops every upload, aborts every multipart upload it started (and any other one
 * left under the generation prefix), and deletes every object written under the generation folder,
 * so a failed run leaves neither objects nor orphan parts behind. After a successful commit it does
 * nothing (the kit's lifecycle).
 */
import type { BucketLocationConstraint, ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import {
  partFileName, Phases, SeedpipeError, shardTag, SinkLifecycle, MANIFEST_FILE, METADATA_FILE,
  type RunInfo, type RunObserver, type Sink, type SinkInput, type SinkSummary, type TableInfo, type TableResult, type TableStream, type TableWriter,
} from '../../../src/stage-kit.js';
import { s3Sdk,
  accessKeyIdOf, buildS3Client, describeEndpoint, errorCodeOf, isAccessDenied, isNotFound, toSeedpipeError,
  type ErrorContext, type S3ClientLike, type S3CommandLike,
} from './client.js';
import { GuardedClient, listMultipartUploads, listObjectPages } from './guard.js';
import { clampPartSize, clampQueueSize, formatS3Url, generationFolder, parseS3Url, validateSinkOptions, type FileFormat, type S3Location, type S3SinkOptions } from './options.js';
import { shardRecordName, sseParams, writeS3Manifest, type S3Encryption, type ShardRecord } from './shards.js';
import { S3TableWriter } from './upload.js';
import { cleanS3Leftovers, runRecord, RUN_RECORD } from './leftovers.js';

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
  private readonly life = new SinkLifecycle({ sink: 'S3', stateCode: 'S3_SINK_STATE', undo: (reason) => this.cleanUp(reason) });

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

  /** The CSV of exported tables; tables left out of exports are only counted. */
  input(info: TableInfo): SinkInput {
    return info.exported ? { format: this.opts.format ?? 'csv' } : {};
  }

  private readonly phases = new Phases('s3');

  open(run: RunInfo, observer?: RunObserver): Promise<void> {
    this.phases.observe(observer);
    return this.life.open(() => this.phases.step('checking the bucket', () => this.prepare(run)));
  }

  private async prepare(run: RunInfo): Promise<void> {
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
      await this.removeLeftovers();
    }
  }

  /**
   * Before the first object: the run's record in its folder (host, pid, start). While it is there
   * the folder is being written; it goes once the manifest is written. Shards have no record.
   */
  private async writeRecord(run: RunInfo): Promise<void> {
    const record = `${this.genPrefix}${RUN_RECORD}`;
    if (run.shard || this.keys.has(record)) return;
    this.keys.add(record);
    const body = JSON.stringify(runRecord(run.startedAt)) + '\n';
    await this.send(new (s3Sdk().PutObjectCommand)({ Bucket: this.loc.bucket, Key: record, Body: body, ContentType: 'application/json', ...sseParams(this.encryption()) }), `writing ${formatS3Url({ bucket: this.loc.bucket, prefix: record })}`);
  }

  /** Generation folders and uploads a killed run left under the prefix (see leftovers.ts); each removal is reported. */
  private async removeLeftovers(): Promise<void> {
    try {
      const report = await cleanS3Leftovers(this.raw, { bucket: this.loc.bucket, prefix: this.loc.prefix, ...(this.genPrefix ? { skip: this.genPrefix } : {}) });
      for (const line of report.removed) this.opts.notice?.(line);
    } catch (e) {
      this.opts.notice?.(`could not check ${formatS3Url(this.loc)} for leftovers of earlier runs: ${this.error(e, 'listing').message}`);
    }
  }

  async table(info: TableInfo, stream: TableStream): Promise<TableWriter> {
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
    await this.writeRecord(run);
    const file = objectFileName(info.name, { gzip: this.opts.gzip ?? false, shard: run.shard, format: this.opts.format ?? 'csv' });
    const key = `${this.genPrefix}${file}`;
    this.keys.add(key);
    const writer = new S3TableWriter({
      info,
      stream,
      file,
      key,
      bucket: this.loc.bucket,
      gzip: this.opts.gzip ?? false,
      contentType: CONTENT_TYPES[this.opts.format ?? 'csv'],
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

  commit(results: readonly TableResult[]): Promise<SinkSummary> {
    return this.life.commit(() => this.phases.step('manifest', () => this.finish(results)));
  }

  private async finish(results: readonly TableResult[]): Promise<SinkSummary> {
    const run = this.run!;
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
      // Complete: the folder is no longer being written (a record left by a kill here is harmless).
      if (this.keys.has(`${this.genPrefix}${RUN_RECORD}`)) await this.guarded.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: this.loc.bucket, Key: `${this.genPrefix}${RUN_RECORD}` })).catch(() => undefined);
    }
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
    // A committed generation is complete and visible: the lifecycle leaves it alone.
    return this.life.abort(reason);
  }

  get undone(): string | undefined {
    return this.life.undone;
  }

  private async cleanUp(reason: unknown): Promise<string> {
    this.guarded.close();
    for (const w of this.writers.values()) w.destroy(reason);
    // Let requests already on the wire settle, so nothing lands after the listing below.
    await this.guarded.idle();
    const prefix = this.genPrefix;
    // Nothing can have been written before the first table or the commit.
    if (prefix === undefined || this.keys.size === 0) return `wrote nothing to ${this.location}`;
    const bucket = this.loc.bucket;
    const mine = (key: string) => this.ownsKey(key);
    const problems: string[] = [];
    const aborted = new Set<string>();
    let deleted = 0;

    const abortUpload = async (key: string, uploadId: string) => {
      if (aborted.has(uploadId)) return;
      try {
        await this.raw.send(new (s3Sdk().AbortMultipartUploadCommand)({ Bucket: bucket, Key: key, UploadId: uploadId }));
        aborted.add(uploadId);
      } catch (e) {
        if (errorCodeOf(e) !== 'NoSuchUpload' && !isNotFound(e)) problems.push(`multipart upload ${uploadId} of ${key}: ${this.problem(e, 'aborting')}`);
      }
    };
    for (const u of this.guarded.openUploads()) await abortUpload(u.key, u.uploadId);
    try {
      for await (const u of listMultipartUploads(this.raw, bucket, prefix)) if (mine(u.key)) await abortUpload(u.key, u.uploadId);
    } catch (e) {
      problems.push(this.problem(e, `listing multipart uploads under ${this.location}`));
    }

    const limit = pLimit(8);
    const deletions: Promise<void>[] = [];
    const deleteKey = (key: string) =>
      limit(async () => {
        try {
          await this.raw.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: bucket, Key: key }));
          deleted++;
        } catch (e) {
          if (!isNotFound(e)) problems.push(`${key}: ${this.problem(e, 'deleting')}`);
        }
      });
    try {
      // Bounded: one page (≤ 1,000 keys) of deletions in flight at a time.
      for await (const page of listObjectPages(this.raw, bucket, prefix)) {
        for (const key of page) if (mine(key)) deletions.push(deleteKey(key));
        await Promise.all(deletions.splice(0));
      }
    } catch (e) {
      problems.push(this.problem(e, `listing ${this.location}`));
    }
    if (problems.length > 0) {
      throw new SeedpipeError(
        'S3_ABORT_INCOMPLETE',
        `could not fully remove the failed run from ${this.location}: ${problems.slice(0, 5).join('; ')}. ` +
          `Remove what is left with: aws s3 rm --recursive ${this.location} (and abort its multipart uploads)`,
        { data: { url: this.location, problems }, cause: reason },
      );
    }
    return `aborted ${aborted.size} multipart upload(s) and deleted ${deleted} object(s) under ${this.location}`;
  }

  /** Whether abort may delete a key: the whole generation folder, or only this shard's files. */
  private ownsKey(key: string): boolean {
    if (this.keys.has(key)) return true;
    const run = this.run;
    if (!run?.shard) return key.startsWith(this.genPrefix ?? '\0');
    const rest = key.slice((this.genPrefix ?? '').length);
    return rest.includes(`.${shardTag(run.shard)}.${this.opts.format ?? 'csv'}`) || rest === shardRecordName(run.shard);
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
    this.life.assertOpen('write a table');
    return this.run!;
  }

  private async send(command: S3CommandLike, action: string): Promise<unknown> {
    try {
      return await this.guarded.send(command);
    } catch (e) {
      throw this.error(e, action);
    }
  }

  /**
   * One of abort's problems, short: a store that is silent or unreachable says so in a few words
   * (the run's error already explains it), anything else in full.
   */
  private problem(e: unknown, action: string): string {
    const err = this.error(e, action);
    const timeoutMs = err.data.timeoutMs;
    if (err.code === 'S3_TIMEOUT' && typeof timeoutMs === 'number') return `no answer within ${timeoutMs / 1000} s while ${action} (--s3-timeout)`;
    if (err.code === 'S3_UNREACHABLE') return `${describeEndpoint(this.opts)} unreachable while ${action} (${errorCodeOf(e) ?? 'network error'})`;
    return err.message;
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
      ...(this.opts.socketIdleTimeoutMs ? { timeoutMs: this.opts.socketIdleTimeoutMs } : {}),
    };
  }
}

/** `<table>.csv`, `<table>.csv.gz`, or for shards `<table>.part-03-of-16.csv[.gz]` (the kit's part name); `.jsonl`/`.parquet` for those formats. */
export function objectFileName(table: string, o: { gzip: boolean; shard?: { index: number; count: number } | undefined; format?: FileFormat }): string {
  return partFileName(table, `.${o.format ?? 'csv'}${o.gzip ? '.gz' : ''}`, o.shard);
}

const CONTENT_TYPES: Record<FileFormat, string> = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8', parquet: 'application/vnd.apache.parquet' };
