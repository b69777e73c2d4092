/** `seedpipe run <dataset>`: plan, then one generation pass teed to every configured sink. */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { loadDataset } from '../../dataset/load.js';
import { usageError } from '../../errors.js';
import { makePlan, parseShard, type PlanOptions, type Shard } from '../../plan/plan.js';
import { runPipeline } from '../../pipeline/run.js';
import { generatorSource } from '../../../stages/sources/generator/index.js';
import { buildRunInfo } from '../../pipeline/run-info.js';
import type { Io } from '../main.js';
import { collect, intIn, list, partSizeArg, scaleArg, seedArg, workersArg } from '../options.js';
import { connectHints, resolveDb, type DbTarget } from '../database.js';
import { buildSinks, runEncoders, type SinkFlags } from '../stages.js';
import { makeReporter, renderSummary, summaryJson } from '../output.js';
import { printDryRun } from './plan.js';
import { productionGuard } from './guard.js';

export interface RunFlags extends SinkFlags {
  seed?: number;
  profile?: string;
  scale?: number;
  set?: string[];
  only?: string[];
  workers?: number | 'auto';
  shard?: string;
  shards?: number;
  batchRows?: number;
  dryRun?: boolean;
  db?: string;
  confirmProduction?: boolean;
  countdown?: number;
  logFile?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Common generation flags (run, plan). */
export function addPlanFlags(cmd: Command): Command {
  return cmd
    .option('--seed <n>', 'root seed (default: the dataset’s)', seedArg)
    .option('--profile <name>', 'row-count profile: light, medium, heavy, or one the dataset declares')
    .option('--scale <x>', 'multiply every row count (up to 1,000,000)', scaleArg)
    .option('--set <assignment>', 'table.rows=N or param=value (repeatable)', collect)
    .option('--only <tables>', 'generate only these tables (comma-separated); their parents must already be loaded', list)
    .option('--shard <k/n>', 'produce slice k of n of every table (also JOB_COMPLETION_INDEX / AWS_BATCH_JOB_ARRAY_INDEX with --shards)')
    .option('--shards <n>', 'shard count when the index comes from the scheduler environment (1–100,000)', intIn(1, 100_000));
}

export function resolveShard(flags: { shard?: string; shards?: number }, io: Io): Shard | undefined {
  if (flags.shard) return parseShard(flags.shard);
  const count = flags.shards ?? (io.env.SEEDPIPE_SHARDS ? Number(io.env.SEEDPIPE_SHARDS) : undefined);
  const index = io.env.JOB_COMPLETION_INDEX ?? io.env.AWS_BATCH_JOB_ARRAY_INDEX;
  if (count === undefined) return undefined;
  if (index === undefined) throw usageError('SHARD_INDEX_MISSING', '--shards given but no shard index: pass --shard k/n or run under a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or an AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX)');
  return parseShard(`${index}/${count}`);
}

export function planOptionsOf(flags: RunFlags, io: Io): PlanOptions {
  const shard = resolveShard(flags, io);
  return {
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.scale ? { scale: flags.scale } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.set ? { set: flags.set } : {}),
    ...(flags.only ? { only: flags.only } : {}),
    ...(shard ? { shard } : {}),
  };
}

export function registerRun(program: Command, io: Io): void {
  const cmd = program.command('run').description('generate a dataset into the database, CSV files, S3 and vector indexes').argument('<dataset>', 'built-in dataset name or path to a dataset module');
  addPlanFlags(cmd)
    .option('--out <dir>', 'CSV output directory (default out/<dataset>)')
    .option('--gzip', 'gzip CSV files and S3 objects')
    .option('--workers <n|auto>', 'generation worker threads', workersArg)
    .option('--batch-rows <n>', 'rows per batch (1–100,000; default 4,096)', intIn(1, 100_000))
    .option('--dry-run', 'print the plan with estimated rows and bytes; touch nothing')
    .option('--skip-db', 'do not load a database')
    .option('--skip-csv', 'do not write CSV files')
    .option('--skip-s3', 'do not upload to S3 (even with --s3)')
    .option('--skip-vectors', 'do not write vectors (even with --vectors)')
    .option('--db <url>', 'target database (default: DATABASE_URL, else the embedded database)')
    .addOption(new Option('--mode <mode>', 'database load mode (shard: this slice only, into a schema made by `seedpipe prepare`)').choices(['replace', 'append', 'missing', 'shard']).default('replace'))
    .option('--create-tables', 'create the dataset’s tables (DDL) before loading')
    .option('-y, --yes', 'do not ask before replacing table contents')
    .option('--confirm-production', 'allow a non-local database (shows the target and counts down first)')
    .option('--countdown <seconds>', 'seconds of the production countdown (0–3,600)', intIn(0, 3600), 10)
    .option('--log-file <path>', 'append an audit log of the statement classes executed (no secrets)')
    .option('--s3 <url>', 'upload to s3://bucket/prefix/generation_<timestamp>/')
    .option('--s3-endpoint <url>', 'S3-compatible endpoint (default AWS_ENDPOINT_URL_S3); uses path-style addressing')
    .option('--s3-region <region>', 'S3 region (default AWS_REGION or us-east-1)')
    .option('--s3-create-bucket', 'create the bucket when it does not exist')
    .option('--s3-part-size <size>', 'multipart part size, e.g. 8MiB (5 MiB – 5 GiB; KB/MB/GB mean KiB/MiB/GiB)', partSizeArg)
    .option('--s3-queue-size <n>', 'parts uploaded concurrently per object (1–64)', intIn(1, 64))
    .addOption(new Option('--s3-sse <algorithm>', 'server-side encryption').choices(['AES256', 'aws:kms']))
    .option('--s3-sse-kms-key-id <id>', 'KMS key for aws:kms encryption')
    .option('--s3-generation <yyyymmdd_hhmmss>', 'generation folder time shared by all shards (default: the run’s start, UTC)')
    .option('--vectors <url>', 'vector index: pinecone://<index>[?host=…] or lancedb://<dir>')
    .option('--embedder <spec>', 'local or openai:<model>', 'local')
    .option('--embedding-dimensions <n>', 'embedding size (1–20,000)', intIn(1, 20_000))
    .option('--no-embedding-cache', 'do not cache embeddings on disk')
    .option('--embedding-cache-dir <dir>', 'embedding cache directory (default .seedpipe/embeddings)')
    .option('--vector-concurrency <n>', 'embed+upsert batches in flight (1–64)', intIn(1, 64))
    .option('--json', 'print the summary as one JSON document on stdout')
    .option('-q, --quiet', 'no progress output')
    .action(async (dataset: string, flags: RunFlags) => runCommand(dataset, flags, io));
}

export async function runCommand(dataset: string, flags: RunFlags, io: Io): Promise<void> {
  const { def, path } = await loadDataset(dataset, io.cwd);
  let planOptions = planOptionsOf(flags, io);
  let plan = makePlan(def, planOptions);
  const out = flags.out ?? join(io.cwd, 'out', def.name);
  const useDb = !flags.skipDb;
  if (flags.dryRun) {
    await printDryRun(plan, { io, json: flags.json === true, sinks: describeTargets(flags, out, useDb, io), embedder: flags.vectors && !flags.skipVectors ? flags.embedder : undefined });
    return;
  }
  const warn = (m: string): void => {
    if (!flags.quiet) io.err(`warning: ${m}\n`);
  };
  let db: DbTarget | undefined;
  if (useDb) {
    const { assertLocalOrConfirmed, appendOffsets } = await import('../../../stages/sinks/postgres/index.js');
    db = await resolveDb(io, flags.db, { start: true });
    assertLocalOrConfirmed(db.url, flags.confirmProduction === true);
    if (flags.mode === 'shard' && !plan.shard) throw usageError('SHARD_MODE_NEEDS_SHARD', '--mode shard loads one slice: give --shard k/n (or --shards n under a scheduler that sets the index)');
    if (!db.embedded && flags.confirmProduction) await productionGuard(io, db, plan, flags);
    if (flags.logFile) {
      const { appendFileSync } = await import('node:fs');
      appendFileSync(flags.logFile, `${new Date().toISOString()} RUN ${def.name} profile=${plan.resolved.profile} seed=${plan.resolved.seed} mode=${flags.mode} target=${db.display}\n`);
    }
    if (flags.only) await checkOnlyParents(def, planOptions, db.url);
    if (flags.mode === 'append') {
      planOptions = { ...planOptions, offsets: await appendOffsets(db.url, plan) };
      plan = makePlan(def, planOptions);
    }
  }
  const { sinks, names } = await buildSinks(def, { ...flags, out }, io, db, warn);
  const workers = flags.workers === 'auto' ? Math.max(1, availableParallelism()) : (flags.workers ?? 1);
  const reporter = makeReporter(io, { quiet: flags.quiet === true || flags.json === true, tty: io.isTTY, sinks: names });
  let outcome;
  try {
    outcome = await runPipeline({
      run: buildRunInfo(plan),
      sources: generatorSource(plan, { workers, worker: { modulePath: path, planOptions } }),
      encoders: runEncoders(),
      sinks,
      ...(flags.batchRows ? { batchRows: flags.batchRows } : {}),
      onProgress: (e) => reporter.onProgress(e),
    });
  } finally {
    reporter.stop();
  }
  const summary = summaryJson(outcome, { dataset: def.name, profile: plan.resolved.profile, seed: plan.resolved.seed, ...(db ? { connect: connectHints(db) } : {}) });
  if (flags.json) io.out(JSON.stringify(summary) + '\n');
  else if (!flags.quiet) io.err(renderSummary(summary));
}

/**
 * `--only`: the named tables' parents that are not regenerated must already be in the database with
 * at least the rows the plan expects (their keys are recomputed, not read), else say which to add.
 */
async function checkOnlyParents(def: import('../../dataset/types.js').DatasetDef, planOptions: PlanOptions, url: string): Promise<void> {
  const only = new Set(planOptions.only ?? []);
  const full = makePlan(def, { ...planOptions, only: undefined });
  const totals = new Map(full.tables.map((t) => [t.name, t.total]));
  const needed = new Map<string, string[]>();
  for (const t of full.tables.filter((x) => only.has(x.name))) {
    const tdef = def.tables[t.name]!;
    const parents = [tdef.per?.parent, tdef.junction?.parent, tdef.junction?.target, tdef.series?.parent, ...t.info.foreignKeys.map((f) => f.table)];
    for (const p of parents) if (p && !only.has(p) && p !== t.name) needed.set(p, [...(needed.get(p) ?? []), t.name]);
  }
  if (needed.size === 0) return;
  const { missingParents } = await import('../../../stages/sinks/postgres/index.js');
  const problems = await missingParents(url, [...needed].map(([table, children]) => ({ table, children, rows: totals.get(table) ?? 0 })));
  if (problems.length) {
    throw usageError('ONLY_PARENTS_MISSING', `--only ${[...only].join(',')}: parents are not loaded: ${problems.join('; ')}. Add ${problems.map((p) => p.split(' ')[0]).join(',')} to --only, or load the whole dataset first.`);
  }
}

function describeTargets(flags: RunFlags, out: string, useDb: boolean, io: Io): string[] {
  const t: string[] = [];
  if (useDb) t.push(`postgres (${flags.db || io.env.DATABASE_URL ? 'given database' : 'embedded database under .seedpipe/postgres'}, mode ${flags.mode})`);
  if (flags.vectors && !flags.skipVectors) t.push(`vectors → ${flags.vectors} (embedder ${flags.embedder})`);
  if (flags.s3 && !flags.skipS3) t.push(`s3 → ${flags.s3}`);
  if (!flags.skipCsv) t.push(`csv → ${out}`);
  return t;
}
