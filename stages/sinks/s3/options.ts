/**
 * Options of the S3 sink. Resolved once by the caller (CLI/config) and passed in; the sink never
 * reads `process.env` itself (the AWS SDK's standard credential chain is the one exception, and only
 * when `credentials` is not given).
 */
import { SeedpipeError, usageError } from '../../../src/stage-kit.js';

export const MiB = 1024 * 1024;
/** S3's smallest part (all but the last part of a multipart upload). */
export const MIN_PART_SIZE = 5 * MiB;
/** S3's largest part. */
export const MAX_PART_SIZE = 5 * 1024 * MiB;
/** S3's largest number of parts in one multipart upload. */
export const MAX_PARTS = 10_000;
export const DEFAULT_PART_SIZE = 8 * MiB;
export const DEFAULT_QUEUE_SIZE = 4;
/** Upper bound of `queueSize`: more concurrent parts only add memory, not throughput. */
export const MAX_QUEUE_SIZE = 64;

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Connection settings: everything needed to build an S3 client (see `client.ts`). */
export interface S3ConnectionOptions {
  /**
   * Endpoint of an S3-compatible server, e.g. `http://127.0.0.1:7480` (Ceph RGW, MinIO).
   * Default: AWS S3 for `region`.
   */
  endpoint?: string;
  /** Region used to sign requests. Default: `us-east-1`. */
  region?: string;
  /**
   * Address buckets as `endpoint/bucket/key` instead of `bucket.endpoint/key`.
   * Default: true when `endpoint` is set (what most S3-compatible servers need), false for AWS.
   */
  forcePathStyle?: boolean;
  /**
   * Explicit credentials. Default: the AWS SDK's standard chain (environment, shared config,
   * SSO, web identity, container/instance metadata). The secret is never printed.
   */
  credentials?: S3Credentials;
  /**
   * PEM file of certificate authorities to trust for an `https` endpoint (what `AWS_CA_BUNDLE`
   * names; the JS SDK does not read that variable itself). Replaces Node's default CA list.
   * Ignored for a plain-`http` endpoint: there is no certificate to verify.
   * Default: Node's bundled CAs.
   */
  caBundle?: string;
  /** Time allowed to open a TCP connection, in milliseconds. Default: 10,000. */
  connectTimeoutMs?: number;
  /**
   * A request whose connection stays silent this long fails (and is retried) instead of hanging a
   * run or its abort, in milliseconds. Default: 120,000. 0 disables it.
   */
  socketIdleTimeoutMs?: number;
  /** Attempts per request, including the first (the SDK backs off between them). Default: 3. */
  maxAttempts?: number;
}

export interface S3SinkOptions extends S3ConnectionOptions {
  /**
   * Destination `s3://bucket/prefix`. Each run writes into `<prefix>/generation_<UTC yyyymmdd_hhmmss>/`.
   * The prefix may be empty (`s3://bucket`).
   */
  url: string;
  /**
   * Size of each multipart part, in bytes. Default: 8 MiB. Clamped to S3's limits [5 MiB, 5 GiB].
   * One object holds at most 10,000 parts, so the largest table is partSizeBytes × 10,000
   * (80 GB at the default): raise it for bigger tables.
   */
  partSizeBytes?: number;
  /**
   * Parts uploaded concurrently per table. Default: 4. Clamped to [1, 64].
   * Memory per table being uploaded is about partSizeBytes × (queueSize + 1).
   */
  queueSize?: number;
  /**
   * The encoding of each object: `csv` (`<table>.csv`), `jsonl` (`<table>.jsonl`) or `parquet`
   * (`<table>.parquet`); the run needs an encoder of that format. Default `csv`.
   */
  format?: FileFormat;
  /** Gzip each file (`<table>.csv.gz`); bytes, sha256 and ETag are of the compressed object. Default: false. Not with parquet (compressed inside). */
  gzip?: boolean;
  /** Server-side encryption of every object written. Default: none (the bucket's default applies). */
  sse?: 'AES256' | 'aws:kms';
  /** KMS key for `sse: 'aws:kms'`. Default: the account's AWS-managed key. Only valid with `aws:kms`. */
  sseKmsKeyId?: string;
  /** Create the bucket when it does not exist (`--s3-create-bucket`). Default: false (fail with S3_BUCKET_NOT_FOUND). */
  createBucket?: boolean;
  /** Time used for the generation folder name. Default: the run's `startedAt`. */
  now?: Date;
  /** Clock for the manifest's `finishedAt`. Default: the system clock. */
  clock?: () => Date;
  /** Receives one line per leftover of a killed run removed at `open` (the CLI prints them). */
  notice?: (line: string) => void;
}

/** File formats of the file sinks. */
export type FileFormat = 'csv' | 'jsonl' | 'parquet';
export const FILE_FORMATS: readonly FileFormat[] = ['csv', 'jsonl', 'parquet'];

/** Parsed `s3://bucket/prefix`: `prefix` is empty or ends with `/`. */
export interface S3Location {
  bucket: string;
  prefix: string;
}

export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) {
    throw usageError('S3_BAD_URL', `S3 destination "${url}" is not of the form s3://bucket/prefix`, { url });
  }
  const bucket = m[1] ?? '';
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw usageError('S3_BAD_URL', `"${bucket}" is not a valid S3 bucket name (3-63 characters: lowercase letters, digits, dots, hyphens)`, { url });
  }
  let prefix = (m[2] ?? '').replace(/\/{2,}/g, '/').replace(/^\//, '');
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  return { bucket, prefix };
}

export function formatS3Url(loc: S3Location): string {
  return `s3://${loc.bucket}/${loc.prefix}`;
}

/** `generation_<UTC yyyymmdd_hhmmss>` for a time. */
export function generationFolder(at: Date | string): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) {
    throw new SeedpipeError('S3_BAD_TIME', `cannot name a generation folder from the invalid time "${String(at)}"`);
  }
  const p = (n: number) => String(n).padStart(2, '0');
  return `generation_${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** Part size within S3's limits; `clamped` says whether the requested value was changed. */
export function clampPartSize(requested: number | undefined): { partSize: number; clamped: boolean } {
  if (requested === undefined) return { partSize: DEFAULT_PART_SIZE, clamped: false };
  if (!Number.isFinite(requested)) return { partSize: DEFAULT_PART_SIZE, clamped: true };
  const n = Math.floor(requested);
  const partSize = Math.min(MAX_PART_SIZE, Math.max(MIN_PART_SIZE, n));
  return { partSize, clamped: partSize !== requested };
}

export function clampQueueSize(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested)) return DEFAULT_QUEUE_SIZE;
  return Math.min(MAX_QUEUE_SIZE, Math.max(1, Math.floor(requested)));
}

/** Checks option combinations that would otherwise fail half-way through a run. */
export function validateSinkOptions(o: S3SinkOptions): void {
  if (o.sseKmsKeyId && o.sse !== 'aws:kms') {
    throw usageError('S3_BAD_OPTIONS', `sseKmsKeyId is set but sse is ${o.sse ? `"${o.sse}"` : 'not set'}: use sse "aws:kms" with a KMS key`);
  }
  if (o.sse !== undefined && o.sse !== 'AES256' && o.sse !== 'aws:kms') {
    throw usageError('S3_BAD_OPTIONS', `sse must be "AES256" or "aws:kms", not "${String(o.sse)}"`);
  }
  if (o.format !== undefined && !FILE_FORMATS.includes(o.format)) throw usageError('S3_BAD_OPTIONS', `format must be one of ${FILE_FORMATS.join(', ')}, not "${String(o.format)}"`);
  if (o.format === 'parquet' && o.gzip) throw usageError('S3_BAD_OPTIONS', 'parquet files are compressed inside (snappy): leave out gzip');
  if (o.endpoint !== undefined && !/^https?:\/\/[^/]/.test(o.endpoint)) {
    throw usageError('S3_BAD_OPTIONS', `S3 endpoint "${o.endpoint}" must start with http:// or https://`);
  }
}
