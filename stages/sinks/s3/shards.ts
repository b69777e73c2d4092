/**
 * The generation's manifest on S3 (`metadata.csv`, then `manifest.json`: its presence means the
 * generation is complete), and sharded runs: each shard records its part files under `_shards/`,
 * `finalizeS3Shards` merges the records (the kit's manifest merge) into the run's manifest.
 */
import type { GetObjectCommandOutput, PutObjectCommandInput } from '@aws-sdk/client-s3';
import {
  buildManifest, mergeShardManifests, renderMetadataCsv, SeedpipeError, shardTag, MANIFEST_FILE, METADATA_FILE,
  type Manifest, type ManifestFile, type RunInfo,
} from '../../../src/stage-kit.js';
import { s3Sdk, toSeedpipeError, type ErrorContext, type S3ClientLike } from './client.js';
import { listObjectPages } from './guard.js';
import { parseS3Url } from './options.js';

/** Folder (inside the generation folder) where each shard records its part files for finalize. */
export const SHARDS_FOLDER = '_shards/';

/** Server-side encryption parameters for every object written. */
export interface S3Encryption {
  sse?: 'AES256' | 'aws:kms';
  sseKmsKeyId?: string;
}

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
  const finishedAt = args.finishedAt ?? new Date();
  const { manifest, missing } = mergeShardManifests(args.run, records, args.count, finishedAt);
  if (missing.length) {
    const found = Array.from({ length: args.count }, (_, k) => k).filter((k) => !missing.includes(k));
    throw new SeedpipeError(
      'S3_SHARDS_INCOMPLETE',
      `${found.length} of ${args.count} shards have committed to ${args.url} (found: ${found.join(', ') || 'none'}): run the missing shards before finalizing`,
      { data: { url: args.url, found, count: args.count } },
    );
  }
  const { shard: _shard, ...run } = args.run;
  const written = await writeS3Manifest(client, {
    url: args.url,
    run,
    files: manifest.files,
    compression: manifest.compression,
    finishedAt,
    ...(args.sse ? { sse: args.sse } : {}),
    ...(args.sseKmsKeyId ? { sseKmsKeyId: args.sseKmsKeyId } : {}),
    ...(args.endpoint ? { endpoint: args.endpoint } : {}),
  });
  return { manifest: written.manifest, manifestKey: written.manifestKey };
}

export function shardRecordName(s: { index: number; count: number }): string {
  return `${SHARDS_FOLDER}shard-${shardTag(s)}.json`;
}

export function sseParams(e: S3Encryption): Pick<PutObjectCommandInput, 'ServerSideEncryption' | 'SSEKMSKeyId'> {
  return { ...(e.sse ? { ServerSideEncryption: e.sse } : {}), ...(e.sse === 'aws:kms' && e.sseKmsKeyId ? { SSEKMSKeyId: e.sseKmsKeyId } : {}) };
}
