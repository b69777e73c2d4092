/**
 * S3 upload throughput: the same ~64 MB of CSV sent once through the S3 sink's streamed multipart
 * path (default part and queue sizes) and once as a single PutObject of a ready buffer.
 * `benchS3(env)` measures against a given endpoint; run directly
 * (`node --import tsx scripts/bench/s3.ts`) it starts a local Ceph RGW, prints a table and stops it.
 * Prints medians of 3 runs, MB = 10^6 bytes.
 */
import { pathToFileURL } from 'node:url';
import { CreateBucketCommand, DeleteObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { RunInfo, SinkBatch, TableInfo } from '../../src/contracts.js';
import { listObjectPages, S3Sink } from '../../stages/sinks/s3/index.js';

export interface BenchS3Env {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
  /** Bucket to write into (created when missing). Default: `seedpipe-bench`. */
  bucket?: string;
  /** Bytes of CSV per upload. Default: 64 MiB. */
  bytes?: number;
  /** Runs per method; the median is reported. Default: 3. */
  runs?: number;
}

export interface BenchS3Result {
  multipartMBps: number;
  putObjectMBps: number;
  bytes: number;
}

const HEADER = 'id,name,email,created_at,note\n';
const BATCH_BYTES = 256 * 1024;

/** Deterministic CSV of about `size` bytes, cut at row boundaries into ~256 KiB batches. */
function makeCsv(size: number): { buffer: Buffer; batches: { start: number; end: number; rows: number }[] } {
  // Written straight into one buffer: the bench's own data should not dominate peak RSS.
  const buffer = Buffer.alloc(size + 4096);
  let bytes = buffer.write(HEADER);
  for (let i = 0; bytes < size; i++) {
    const x = ((Math.imul(i, 2654435761) >>> 0) ^ (i >>> 3)) >>> 0;
    const line = `${i},name_${x % 100000},user${i}@example.com,2024-01-${String(1 + (x % 28)).padStart(2, '0')}T${String(x % 24).padStart(2, '0')}:00:00Z,note ${x.toString(36)} ${'lorem ipsum '.repeat(1 + (x % 5))}\n`;
    bytes += buffer.write(line, bytes);
  }
  return cut(buffer.subarray(0, bytes));
}

function cut(buffer: Buffer): { buffer: Buffer; batches: { start: number; end: number; rows: number }[] } {
  const batches: { start: number; end: number; rows: number }[] = [];
  let start = HEADER.length;
  while (start < buffer.length) {
    let end = Math.min(buffer.length, start + BATCH_BYTES);
    if (end < buffer.length) end = buffer.indexOf(0x0a, end) + 1 || buffer.length;
    let rows = 0;
    for (let p = buffer.indexOf(0x0a, start); p >= 0 && p < end; p = buffer.indexOf(0x0a, p + 1)) rows++;
    batches.push({ start, end, rows });
    start = end;
  }
  return { buffer, batches };
}

const table: TableInfo = {
  name: 'bench',
  columns: ['id', 'name', 'email', 'created_at', 'note'].map((name) => ({ name, type: 'text' as const, nullable: false, exported: true, deferred: false })),
  primaryKey: ['id'],
  foreignKeys: [],
  uniques: [],
  indexes: [],
  checks: [],
  exported: true,
  rows: 0,
  firstRow: 0,
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  for await (const page of listObjectPages(client, bucket, '')) {
    for (const key of page) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
}

export async function benchS3(env: BenchS3Env): Promise<BenchS3Result> {
  const bucket = env.bucket ?? 'seedpipe-bench';
  const runs = env.runs ?? 3;
  const region = env.region ?? 'us-east-1';
  const credentials = { accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey };
  const client = new S3Client({
    endpoint: env.endpoint,
    region,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    }
    // The first write on a fresh cluster creates its pools: keep it out of the timings.
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'warmup', Body: 'x' }));

    const { buffer, batches } = makeCsv(env.bytes ?? 64 * 1024 * 1024);
    const multipart: number[] = [];
    const put: number[] = [];
    for (let r = 0; r < runs; r++) {
      const run: RunInfo = {
        dataset: 'bench',
        seed: 1,
        profile: 'bench',
        scale: 1,
        refDate: '2024-01-01T00:00:00.000Z',
        startedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, r)).toISOString(),
        versions: { seedpipe: '0', faker: '0', node: process.version },
        tables: [table],
      };
      const sink = new S3Sink({ url: `s3://${bucket}/multipart`, endpoint: env.endpoint, region, credentials });
      await sink.open(run);
      let t = performance.now();
      const w = await sink.table(table, { format: 'csv', header: Buffer.from(`${table.columns.map((c) => c.name).join(',')}\n`), trailer: () => Buffer.alloc(0) });
      for (const b of batches) {
        const csv = buffer.subarray(b.start, b.end);
        const batch: SinkBatch = { table: table.name, start: 0, count: b.rows, rows: undefined, bytes: csv };
        await w.write(batch);
      }
      const res = await w.close();
      multipart.push(res.bytes / ((performance.now() - t) / 1000) / 1e6);
      await sink.commit([res]);

      t = performance.now();
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `put/run-${r}.csv`, Body: buffer, ContentLength: buffer.length, ContentType: 'text/csv' }));
      put.push(buffer.length / ((performance.now() - t) / 1000) / 1e6);
      await emptyBucket(client, bucket);
    }
    return { multipartMBps: median(multipart), putObjectMBps: median(put), bytes: buffer.length };
  } finally {
    client.destroy();
  }
}

async function main(): Promise<void> {
  const { startTestS3 } = await import('../../test/support/s3.js');
  const s3 = await startTestS3();
  try {
    const r = await benchS3(s3);
    const rows = [
      ['method', 'MB/s', 'bytes'],
      ['sink multipart (8 MiB parts × 4)', r.multipartMBps.toFixed(1), String(r.bytes)],
      ['single PutObject (buffer)', r.putObjectMBps.toFixed(1), String(r.bytes)],
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join('  '));
    console.log(`ratio multipart/put: ${(r.multipartMBps / r.putObjectMBps).toFixed(2)}   RGW start: ${s3.startSeconds.toFixed(1)} s   peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  } finally {
    await s3.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
