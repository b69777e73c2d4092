/**
 * `npm run bench`: every benchmark in one run, printed side by side.
 *   generation   messages → CSV bytes vs a bare faker loop; CLI peak RSS at ~100k / ~1M (/ ~10M) messages;
 *                rows/s of every built-in dataset and its ratio to chat's messages
 *   postgres     seedpipe run vs psql \copy (bare + constraints after, into the constrained table) vs
 *                batched INSERT, for 100k and 1M (and 10M) messages, rows/s, ratio, peak RSS
 *   s3           multipart upload MB/s vs one PutObject of the same bytes (Ceph RGW)
 *   vectors      local embedder → LanceDB; OpenAI/Pinecone stand-ins at 50 ms, concurrency 1/4/16
 *   shards       one process (1 thread, 2 workers, auto) vs prepare + 4 shard processes + finalize
 *   export       an existing table out to CSV (Postgres source → CSV sink) vs psql \copy (SELECT …) TO; peak RSS at 100k / 1M (/ 10M)
 *   copy-costs   ns per value of each column type in text and binary COPY, client + server (copy-cost.ts's table)
 *   datasets     whole datasets (erp medium, the introspected lago schema) end to end vs psql \copy of their CSVs +
 *                keys after, 1 thread and --workers auto, and generation alone: rows/s, ratio, peak RSS
 * Flags: `--only generation,postgres,datasets,copy-costs,shards,s3,vectors,export`, `--full` adds the 10M-row points, `--workers N`,
 * `--rows N` (chat messages for the postgres bench instead of 100k and 1M), `--scale X` (datasets bench, e.g. 0.5 for
 * a quick run; also SEEDPIPE_BENCH_SCALE), `--runs N` (rounds, default 3).
 * The machine's other load matters: trust ratios within one run, not absolute numbers.
 */
import { engineRowsPerSec, bareFakerRowsPerSec, rssLadder } from './generation.js';
import { benchPostgres, formatBench } from './postgres.js';
import { benchS3 } from './s3.js';
import { benchGeneration, genCases } from './gen-datasets.js';
import { benchDataset, defaultCases, formatDatasetBench, type DatasetBenchResult } from './datasets.js';
import { installedCli } from './installed.js';
import { benchVectors, formatVectorBench } from './vectors.js';
import { benchShards, formatShardBench } from './shards.js';
import { benchExport, formatExportBench } from './export.js';
import { formatCopyCosts, measureCopyCosts } from './copy-costs.js';
import { startTestEmbedded } from '../../test/support/postgres.js';
import { startTestS3 } from '../../test/support/s3.js';

const args = process.argv.slice(2);
const pick = (name: string): boolean => {
  const i = args.indexOf('--only');
  return i < 0 || (args[i + 1] ?? '').split(',').includes(name);
};
const full = args.includes('--full');
const workersArg = args.indexOf('--workers');
const workers = workersArg >= 0 ? Number(args[workersArg + 1]) : 2;
const numArg = (name: string): number | undefined => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : undefined; };
const chatRows = numArg('--rows');
const runs = numArg('--runs') ?? 3;
const scale = numArg('--scale') ?? Number(process.env.SEEDPIPE_BENCH_SCALE ?? 1);
const log = (s: string): void => void process.stderr.write(`  … ${s}\n`);

if (pick('generation')) {
  console.log('\n## Generation (one thread, chat messages → CSV bytes)');
  const engine = await engineRowsPerSec();
  const bare = bareFakerRowsPerSec();
  console.log(`seedpipe engine   ${engine.rowsPerSec.toLocaleString('en')} rows/s  (${engine.bytesPerRow} B/row, deterministic, keys and rules)`);
  console.log(`bare faker loop   ${bare.rowsPerSec.toLocaleString('en')} rows/s  (global faker, no keys, no rules)`);
  // The default (one generation thread) is what `seedpipe run` does; each worker thread adds its own
  // heap (about 50 MB), so `--workers` trades memory for generation speed.
  console.log('\n## Peak RSS, whole chat dataset to CSV (seedpipe run --skip-db, default one thread)');
  const points = rssLadder({ tenMillion: full, workers: '1' });
  for (const p of points) console.log(`${p.label.padEnd(16)} ${String(p.messages).padStart(9)} messages  ${p.seconds.toFixed(1).padStart(7)} s  ${p.rowsPerSec.toLocaleString('en').padStart(9)} rows/s  peak RSS ${p.peakRssMB} MB`);
  if (points.length > 1) console.log(`RSS ratio largest/smallest: ${(points[points.length - 1]!.peakRssMB / points[0]!.peakRssMB).toFixed(2)}`);
  console.log(`\n## Generation per dataset (one thread, every table to CSV bytes in one process), median of ${runs} interleaved rounds`);
  console.log(await benchGeneration(genCases(null), runs));
}

if (pick('postgres')) {
  console.log('\n## PostgreSQL 18 (embedded): chat messages into a table with its primary key, check, 3 foreign keys and 3 indexes');
  const db = await startTestEmbedded();
  try {
    for (const rows of chatRows ? [chatRows] : full ? [100_000, 1_000_000, 10_000_000] : [100_000, 1_000_000]) {
      console.log(`\n### ${rows.toLocaleString('en')} messages`);
      console.log(formatBench(await benchPostgres({ url: db.url, rows, workers, runs: rows >= 5_000_000 ? 1 : runs, log })));
    }
  } finally {
    await db.stop();
  }
}

if (pick('datasets')) {
  console.log(`\n## Whole datasets into PostgreSQL 18 (embedded), median of ${runs} interleaved rounds`);
  const db = await startTestEmbedded();
  const { mkdtemp, rm } = await import('node:fs/promises');
  const dir = await mkdtemp(`${(await import('node:os')).tmpdir()}/seedpipe-bench-cases-`);
  try {
    const results: DatasetBenchResult[] = [];
    const installed = installedCli(dir);
    for (const k of await defaultCases(db.url, dir, null, scale)) results.push(await benchDataset(db.url, k, { runs, log, installed }));
    console.log(formatDatasetBench(results));
  } finally {
    await db.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (pick('copy-costs')) {
  console.log('\n## COPY cost per value and type, text (CSV) against binary, client encoding + server COPY (the table behind --copy-format auto)');
  const db = await startTestEmbedded();
  try {
    console.log(formatCopyCosts(await measureCopyCosts(db.url, 200_000, log)));
  } finally {
    await db.stop();
  }
}

if (pick('shards')) {
  console.log('\n## Scale-out: chat medium into PostgreSQL, one process vs prepare + 4 shard processes + finalize');
  console.log(formatShardBench(await benchShards({ profile: full ? 'heavy' : 'medium' })));
}

if (pick('s3')) {
  console.log('\n## S3 (Ceph RGW): multipart upload vs one PutObject of the same bytes');
  const s3 = await startTestS3();
  try {
    const r = await benchS3({ endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, region: s3.region });
    console.log(`${(r.bytes / 2 ** 20).toFixed(0)} MiB: multipart ${r.multipartMBps.toFixed(1)} MB/s, PutObject ${r.putObjectMBps.toFixed(1)} MB/s (ratio ${(r.multipartMBps / r.putObjectMBps).toFixed(2)})`);
  } finally {
    await s3.stop();
  }
}

if (pick('vectors')) {
  console.log('\n## Vectors');
  console.log(formatVectorBench(await benchVectors()));
}

if (pick('export')) {
  console.log('\n## Export: chat messages out of PostgreSQL 18 (embedded) to a CSV file, in key order');
  const db = await startTestEmbedded();
  try {
    const points = [];
    for (const rows of full ? [100_000, 1_000_000, 10_000_000] : [100_000, 1_000_000]) points.push(...(await benchExport(db.url, rows, log)));
    console.log(formatExportBench(points));
  } finally {
    await db.stop();
  }
}
