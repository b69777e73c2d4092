/**
 * `seedpipe clean [--out DIR] [--s3 URL] [--vectors URL]`: removes what a killed run left behind —
 * the temp directories of cycle-breaking values in the OS temp dir and temporary files in --out, of
 * processes that no longer run; S3 generation folders without a manifest whose run has ended, and
 * multipart uploads never completed; the vectors of runs whose journal is still there (Pinecone: the
 * ids they upserted are deleted; LanceDB: tables go back to their version before the run) — and says
 * what it removed and what it left alone. `run` does the same for its own targets before it writes.
 */
import { tmpdir } from 'node:os';
import type { Command } from 'commander';
import type { Io } from '../main.js';
import { boundedFetch, s3Connection, vectorStateDir } from '../stages.js';

interface CleanFlags {
  out?: string;
  s3?: string;
  s3Endpoint?: string;
  s3Region?: string;
  vectors?: string;
  all?: boolean;
  json?: boolean;
}

export function registerClean(program: Command, io: Io): void {
  program
    .command('clean')
    .description('remove the leftovers of killed runs: temp directories of cycle-breaking values, temporary files in --out, generation folders without a manifest and open multipart uploads under --s3, vectors of killed runs in --vectors')
    .option('--out <dir>', 'output directory of CSV files')
    .option('--s3 <url>', 's3://bucket/prefix the generation folders are under')
    .option('--s3-endpoint <url>', 'S3-compatible endpoint (default AWS_ENDPOINT_URL_S3)')
    .option('--s3-region <region>', 'S3 region')
    .option('--vectors <url>', 'vector index the runs wrote (pinecone://<index>[?host=…] or lancedb://<dir>): undo the upserts of killed runs')
    .option('--all', 'also remove generation folders without a manifest written by another host or tool (only when no run writes under the prefix)')
    .option('--json', 'print what was removed as JSON')
    .action(async (o: CleanFlags) => cleanCommand(o, io));
}

export async function cleanCommand(o: CleanFlags, io: Io): Promise<void> {
  const removed: string[] = [];
  const kept: string[] = [];
  /** Journals of vector runs at work (or on another host): never removed from here. */
  const running: string[] = [];
  const { removeDeferredLeftovers } = await import('../../../stages/sinks/postgres/index.js');
  removed.push(...(await removeDeferredLeftovers(tmpdir())));
  if (o.out) {
    const { removeCsvLeftovers } = await import('../../../stages/sinks/csv/index.js');
    removed.push(...(await removeCsvLeftovers(o.out, -1)));
  }
  if (o.s3) {
    const { buildS3Client, cleanS3Leftovers, parseS3Url } = await import('../../../stages/sinks/s3/index.js');
    const loc = parseS3Url(o.s3);
    const client = buildS3Client(s3Connection(o, io));
    try {
      const report = await cleanS3Leftovers(client, { bucket: loc.bucket, prefix: loc.prefix, ...(o.all ? { all: true } : {}) });
      removed.push(...report.removed);
      kept.push(...report.kept);
    } finally {
      client.destroy();
    }
  }
  if (o.vectors) {
    const { removeVectorLeftovers, vectorTarget } = await import('../../../stages/sinks/vectors/index.js');
    const index = vectorTarget(o.vectors, io.env, { cwd: io.cwd, fetch: boundedFetch(60_000), stateDir: vectorStateDir(io) });
    try {
      const report = await removeVectorLeftovers(index, -1);
      removed.push(...report.removed);
      running.push(...report.kept);
    } finally {
      await index.close?.();
    }
  }
  if (o.json) {
    io.out(JSON.stringify({ removed, kept: [...kept, ...running] }) + '\n');
    return;
  }
  for (const l of removed) io.out(`${l}\n`);
  for (const l of kept) io.out(`left alone: ${l}${o.all ? '' : ' (--all removes it)'}\n`);
  for (const l of running) io.out(`left alone: ${l}\n`);
  if (removed.length === 0) io.out('nothing to remove\n');
}
