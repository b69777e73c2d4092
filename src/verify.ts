/**
 * `seedpipe verify`: re-reads every file a manifest lists and checks it is intact — bytes, sha256,
 * data rows, and the ETag when the store reports one. Streams each file once (hashing and counting
 * on the fly), so memory does not depend on file size.
 *
 * Local directories are read here; other stores (S3) plug in through `ObjectReader`
 * (`stages/sinks/s3/verify.ts`), so the engine does not depend on any SDK.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SeedpipeError, usageError } from './errors.js';
import { MANIFEST_FILE, parseManifest, type Manifest, type ManifestFile } from './manifest.js';
import { LineCounter, ParquetFooter } from './verify-formats.js';

/** Read access to one generation folder (a local directory, an S3 prefix, …). */
export interface ObjectReader {
  /** The folder, for messages (no secrets). */
  readonly location: string;
  /** Opens a file of the folder by its name relative to the folder; `undefined` when it does not exist. */
  open(name: string): Promise<{ body: AsyncIterable<Uint8Array>; etag?: string } | undefined>;
}

export interface VerifyOptions {
  /** Reader for the target; required for non-local targets (use `s3ObjectReader` for s3:// URLs). Default: the local directory `target`. */
  reader?: ObjectReader;
  /** Files checked at once. Default: 4. */
  concurrency?: number;
}

export interface FileFacts {
  rows: number;
  bytes: number;
  sha256: string;
  etag?: string;
}

export interface VerifyFileReport {
  table: string;
  file: string;
  expected: FileFacts;
  /** What was read; `null` when the file is missing. */
  actual: FileFacts | null;
  ok: boolean;
  /** Why the file failed, e.g. `sha256 differs; rows 10 ≠ 9`. */
  problem?: string;
}

export interface VerifyReport {
  ok: boolean;
  location: string;
  manifest: Manifest;
  files: VerifyFileReport[];
}

/**
 * Verifies a generation folder: `target` is a local directory holding `manifest.json`, or (with
 * `opts.reader`) any location the reader serves, e.g. `s3://bucket/prefix/generation_…/`.
 * Throws `VERIFY_MANIFEST_MISSING` when there is no manifest; returns a report otherwise.
 */
export async function verify(target: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  let reader = opts.reader;
  if (!reader) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
      throw usageError('VERIFY_NEEDS_READER', `cannot verify "${target}" without a reader for its store: verify s3:// locations with verifyS3 from the S3 sink`, { target });
    }
    reader = await localDirectoryReader(target);
  }
  return verifyWith(reader, opts);
}

/** Verifies the folder a reader serves. */
export async function verifyWith(reader: ObjectReader, opts: Pick<VerifyOptions, 'concurrency'> = {}): Promise<VerifyReport> {
  const text = await readSmall(reader, MANIFEST_FILE);
  if (text === undefined) {
    throw new SeedpipeError(
      'VERIFY_MANIFEST_MISSING',
      `no ${MANIFEST_FILE} in ${reader.location}: the manifest is written last, so the generation is incomplete (the run failed or is still running) or the path is wrong`,
      { data: { location: reader.location } },
    );
  }
  let manifest: Manifest;
  try {
    manifest = parseManifest(text, reader.location);
  } catch (e) {
    throw new SeedpipeError('VERIFY_BAD_MANIFEST', (e as Error).message, { data: { location: reader.location } });
  }

  const files: VerifyFileReport[] = new Array(manifest.files.length);
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 4));
  let next = 0;
  const worker = async () => {
    while (next < manifest.files.length) {
      const i = next++;
      files[i] = await verifyFile(reader, manifest.files[i] as ManifestFile);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, manifest.files.length) }, worker));
  return { ok: files.every((f) => f.ok), location: reader.location, manifest, files };
}

async function verifyFile(reader: ObjectReader, f: ManifestFile): Promise<VerifyFileReport> {
  const expected: FileFacts = { rows: f.rows, bytes: f.bytes, sha256: f.sha256, ...(f.etag ? { etag: f.etag } : {}) };
  const base = { table: f.table, file: f.file, expected };
  const opened = await reader.open(f.file);
  if (!opened) return { ...base, actual: null, ok: false, problem: 'missing' };
  let measured: { rows: number; bytes: number; sha256: string };
  try {
    measured = await measure(opened.body, f.file.endsWith('.gz'), formatOf(f.file));
  } catch (e) {
    return { ...base, actual: null, ok: false, problem: `unreadable: ${(e as Error).message}` };
  }
  const actual: FileFacts = { ...measured, ...(opened.etag ? { etag: opened.etag } : {}) };
  const problems: string[] = [];
  if (actual.bytes !== expected.bytes) problems.push(`bytes ${actual.bytes} ≠ ${expected.bytes}`);
  if (actual.sha256 !== expected.sha256) problems.push('sha256 differs');
  if (actual.rows !== expected.rows) problems.push(`rows ${actual.rows} ≠ ${expected.rows}`);
  if (expected.etag && actual.etag && normalizeEtag(expected.etag) !== normalizeEtag(actual.etag)) problems.push(`etag ${actual.etag} ≠ ${expected.etag}`);
  return { ...base, actual, ok: problems.length === 0, ...(problems.length ? { problem: problems.join('; ') } : {}) };
}

/** The format of a file by its name: `.jsonl` and `.parquet` (optionally `.gz`), else CSV. */
export function formatOf(file: string): 'csv' | 'jsonl' | 'parquet' {
  const base = file.replace(/\.gz$/, '');
  return base.endsWith('.jsonl') ? 'jsonl' : base.endsWith('.parquet') ? 'parquet' : 'csv';
}

/**
 * sha256 and size of the bytes as stored, and data rows (gunzipped first for `.gz`): CSV records
 * after the header, JSON lines, or a Parquet footer's row count.
 */
export async function measure(body: AsyncIterable<Uint8Array>, gzip: boolean, format: 'csv' | 'jsonl' | 'parquet' = 'csv'): Promise<{ rows: number; bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const counter = format === 'jsonl' ? new LineCounter() : format === 'parquet' ? new ParquetFooter() : new CsvRecordCounter();
  const meter = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void) {
      counter.push(chunk);
      cb();
    },
  });
  const source = Readable.from(body, { objectMode: false });
  if (gzip) await pipeline(source, meter, createGunzip(), sink);
  else await pipeline(source, meter, sink);
  return { rows: format === 'csv' ? Math.max(0, counter.records() - 1) : counter.records(), bytes, sha256: hash.digest('hex') };
}

/**
 * Counts CSV records (RFC 4180): a record ends at a newline outside double quotes, so quoted
 * fields may contain newlines. A final record without a newline counts too.
 */
export class CsvRecordCounter {
  private count = 0;
  private inQuotes = false;
  /** Bytes seen since the last record boundary. */
  private pending = false;

  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let i = 0;
    const n = buf.length;
    while (i < n) {
      if (this.inQuotes) {
        const q = buf.indexOf(0x22, i);
        if (q < 0) {
          this.pending = true;
          return;
        }
        // A doubled quote inside a field closes and reopens: toggling twice is right.
        this.inQuotes = false;
        this.pending = true;
        i = q + 1;
        continue;
      }
      const q = buf.indexOf(0x22, i);
      const nl = buf.indexOf(0x0a, i);
      if (nl >= 0 && (q < 0 || nl < q)) {
        this.count++;
        this.pending = false;
        i = nl + 1;
      } else if (q >= 0) {
        this.inQuotes = true;
        this.pending = true;
        i = q + 1;
      } else {
        this.pending = true;
        return;
      }
    }
  }

  records(): number {
    return this.count + (this.pending ? 1 : 0);
  }
}

function normalizeEtag(s: string): string {
  return s.replace(/^W\//, '').replace(/"/g, '');
}

/** Reader over a local directory (the CSV sink's output folder). */
export async function localDirectoryReader(dir: string): Promise<ObjectReader> {
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw usageError('VERIFY_TARGET_NOT_FOUND', `"${dir}" is not a directory: pass the generation folder that holds ${MANIFEST_FILE}`, { target: dir });
  }
  return {
    location: dir,
    async open(name: string) {
      if (name.includes('..') || name.startsWith('/')) return undefined;
      const path = join(dir, name);
      try {
        if (!(await stat(path)).isFile()) return undefined;
      } catch {
        return undefined;
      }
      return { body: createReadStream(path) };
    },
  };
}

/** Reads a small file through a reader (e.g. `metadata.csv`); `undefined` when missing. */
export async function readSmall(reader: ObjectReader, name: string): Promise<string | undefined> {
  const o = await reader.open(name);
  if (!o) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of o.body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}
