/**
 * Leftovers of a run under an S3 prefix that could not clean up after itself (`kill -9`, a lost
 * machine): generation folders without `manifest.json` and multipart uploads never completed.
 *
 * Every run records itself in its generation folder (`.seedpipe-run.json`: host, pid, start) while
 * it writes, and removes the record once the manifest is written. A folder without a manifest is an
 * orphan when its record names this host and a process that no longer runs; a folder of another
 * host, or without a record (written by another tool or an earlier release), may belong to a run at
 * work and is only reported, unless `all` says that no run is writing under the prefix. Folders of a
 * sharded generation (`_shards/`, part files) are left to `finalize`. A multipart upload inside a
 * complete generation is an orphan whatever its origin (the manifest is written after every upload).
 */
import { hostname } from 'node:os';
import { s3Sdk, errorCodeOf, isNotFound, type S3ClientLike } from './client.js';
import { listMultipartUploads, listObjectPages } from './guard.js';
import { formatS3Url } from './options.js';
import { SHARDS_FOLDER } from './shards.js';
import { processRuns } from '../../../src/stage-kit.js';

export const RUN_RECORD = '.seedpipe-run.json';
const MANIFEST = 'manifest.json';
const GENERATION = /^(generation_\d{8}_\d{6})\//;

export interface RunRecord {
  format: 'seedpipe-run/1';
  host: string;
  pid: number;
  startedAt: string;
}

export function runRecord(startedAt: string, pid = process.pid): RunRecord {
  return { format: 'seedpipe-run/1', host: hostname(), pid, startedAt };
}

export interface S3LeftoverOptions {
  bucket: string;
  /** The prefix generation folders are under (ends with `/` or is empty). */
  prefix: string;
  /** Remove folders without a manifest even when no record proves their run has ended. */
  all?: boolean;
  /** A generation folder prefix to leave alone (the run's own). */
  skip?: string;
  /** Whether the process of a record from this host runs (default: signal 0). */
  runs?: (pid: number) => boolean;
}

export interface S3CleanReport {
  /** One line per removal. */
  removed: string[];
  /** One line per folder without a manifest that was left alone, with the reason. */
  kept: string[];
}

interface Folder {
  keys: string[];
  manifest: boolean;
  sharded: boolean;
  record: boolean;
  uploads: { key: string; uploadId: string }[];
}

/** Finds and removes the leftovers under `o.prefix`. */
export async function cleanS3Leftovers(client: S3ClientLike, o: S3LeftoverOptions): Promise<S3CleanReport> {
  const folders = new Map<string, Folder>();
  const folderOf = (key: string): Folder | undefined => {
    const m = GENERATION.exec(key.slice(o.prefix.length));
    if (!m || !key.startsWith(o.prefix)) return undefined;
    const name = `${o.prefix}${m[1]}/`;
    if (name === o.skip) return undefined;
    let f = folders.get(name);
    if (!f) folders.set(name, (f = { keys: [], manifest: false, sharded: false, record: false, uploads: [] }));
    return f;
  };
  for await (const page of listObjectPages(client, o.bucket, o.prefix)) {
    for (const key of page) {
      const f = folderOf(key);
      if (!f) continue;
      f.keys.push(key);
      const rest = key.slice(key.indexOf('/', o.prefix.length) + 1);
      if (rest === MANIFEST) f.manifest = true;
      else if (rest === RUN_RECORD) f.record = true;
      else if (rest.startsWith(SHARDS_FOLDER) || rest.includes('.part-')) f.sharded = true;
    }
  }
  for await (const u of listMultipartUploads(client, o.bucket, o.prefix)) folderOf(u.key)?.uploads.push(u);

  const report: S3CleanReport = { removed: [], kept: [] };
  const url = (p: string): string => formatS3Url({ bucket: o.bucket, prefix: p });
  const runs = o.runs ?? processRuns;
  for (const [name, f] of folders) {
    if (f.manifest) {
      // Complete: only uploads that can never be completed, and a record a kill left behind.
      for (const u of f.uploads) await abortUpload(client, o.bucket, u);
      if (f.record) await deleteKey(client, o.bucket, `${name}${RUN_RECORD}`);
      if (f.uploads.length) report.removed.push(`aborted ${f.uploads.length} multipart upload(s) left in the complete generation ${url(name)}`);
      continue;
    }
    let why: string | undefined;
    if (f.sharded) {
      if (!o.all) {
        report.kept.push(`${url(name)} has no manifest yet: a sharded generation (finalize writes its manifest)`);
        continue;
      }
      why = 'a sharded generation without a manifest';
    } else if (f.record) {
      const rec = await readRecord(client, o.bucket, `${name}${RUN_RECORD}`);
      if (rec && rec.host === hostname() && !runs(rec.pid)) why = `left by process ${rec.pid} (started ${rec.startedAt}) that no longer runs`;
      else if (o.all) why = rec ? `written by process ${rec.pid} on ${rec.host}` : 'its run record is unreadable';
      else {
        report.kept.push(`${url(name)} has no manifest: ${rec ? `process ${rec.pid} on ${rec.host} (started ${rec.startedAt}) may still be writing it` : 'its run record is unreadable'}`);
        continue;
      }
    } else if (o.all) {
      why = 'no manifest and no run record';
    } else {
      report.kept.push(`${url(name)} has no manifest and no seedpipe run record`);
      continue;
    }
    for (const u of f.uploads) await abortUpload(client, o.bucket, u);
    for (const key of f.keys) await deleteKey(client, o.bucket, key);
    report.removed.push(`removed ${url(name)}: ${f.keys.length} object(s) and ${f.uploads.length} multipart upload(s), ${why}`);
  }
  return report;
}

async function readRecord(client: S3ClientLike, bucket: string, key: string): Promise<RunRecord | undefined> {
  try {
    const out = (await client.send(new (s3Sdk().GetObjectCommand)({ Bucket: bucket, Key: key }))) as { Body?: { transformToString(): Promise<string> } };
    const rec = JSON.parse((await out.Body?.transformToString()) ?? '') as Partial<RunRecord>;
    return rec.format === 'seedpipe-run/1' && typeof rec.host === 'string' && typeof rec.pid === 'number' ? (rec as RunRecord) : undefined;
  } catch {
    return undefined;
  }
}

async function abortUpload(client: S3ClientLike, bucket: string, u: { key: string; uploadId: string }): Promise<void> {
  try {
    await client.send(new (s3Sdk().AbortMultipartUploadCommand)({ Bucket: bucket, Key: u.key, UploadId: u.uploadId }));
  } catch (e) {
    if (errorCodeOf(e) !== 'NoSuchUpload' && !isNotFound(e)) throw e;
  }
}

async function deleteKey(client: S3ClientLike, bucket: string, key: string): Promise<void> {
  try {
    await client.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: bucket, Key: key }));
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
