/** `seedpipe run <dataset>`: plan, then one generation pass teed to every configured sink. */
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { loadDataset } from '../../dataset/load.js';
import { datasetRoutes } from '../../dataset/routes.js';
import { usageError } from '../../errors.js';
import { makePlan, parseShard, type PlanOptions, type Shard } from '../../plan/plan.js';
import { runPipeline } from '../../pipeline/run.js';
import { generatorSource } from '../../../stages/sources/generator/index.js';
import { buildRunInfo } from '../../pipeline/run-info.js';
import type { Io } from '../main.js';
import { autoWorkers, collect, intIn, list, partSizeArg, scaleArg, seedArg, workersArg } from '../options.js';
import { connectHints, projectDir, resolveDb, type DbTarget } from '../database.js';
import { datasetOf } from '../settings.js';
import { SCHEMA_FLAG, TABLE_PREFIX_FLAG, withSchema, withTablePrefix } from '../schema.js';
import { addTimeoutFlags, addVectorFlags, buildSinks, runEncoders, type SinkFlags } from '../stages.js';
import { renderSummary, summaryJson } from '../output.js';
import { makeReporter } from '../progress.js';
import { Phases } from '../../kit/phases.js';
import { dryRun } from './dry-run.js';
import { productionGuard } from './guard.js';
import { withUndone } from '../undone.js';

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
  /** Seconds between progress lines in a pipe (0: none). */
  heartbeat?: number;
}

/** Flags that decide row counts and values (run, plan, validate, prepare, finalize). */
export function addProfileFlags(cmd: Command): Command {
  return cmd
    .option('--seed <n>', 'root seed (default: the dataset’s)', seedArg)
    .option('--profile <name>', 'row-count profile the dataset declares, e.g. light, medium, heavy (default: the dataset’s defaultProfile, else medium; `seedpipe plan` shows it)')
    .option('--scale <x>', 'multiply every row count (up to 1,000,000)', scaleArg)
    .option('--set <assignment>', 'table.rows=N or param=value (repeatable)', collect);
}

export function addOnlyFlag(cmd: Command): Command {
  return cmd.option('--only <tables>', 'only these tables (comma-separated); their parents must already be loaded', list);
}

/** Flags that choose a slice of a run (run, plan). */
export function addShardFlags(cmd: Command): Command {
  return cmd
    .option('--shard <k/n>', 'produce slice k of n of every table (also JOB_COMPLETION_INDEX / AWS_BATCH_JOB_ARRAY_INDEX with --shards)')
    .option('--shards <n>', 'shard count when the index comes from the scheduler environment (1–100,000)', intIn(1, 100_000));
}

/** Common generation flags (run, plan). */
export function addPlanFlags(cmd: Command): Command {
  return addShardFlags(addOnlyFlag(addProfileFlags(cmd)));
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
  const cmd = program.command('run').description('generate a dataset into the database, CSV files, S3 and vector indexes').argument('[dataset]', 'built-in dataset name or path to a dataset module (default: "dataset" of the config file)');
  addTimeoutFlags(addVectorFlags(addPlanFlags(cmd)))
    .option('--out <dir>', 'CSV output directory (default out/<dataset>)')
    .option('--gzip', 'gzip CSV files and S3 objects')
    .option('--workers <n|auto>', 'generation worker threads (auto: cores - 2, one thread below 4 cores)', workersArg)
    .option('--batch-rows <n>', 'rows per batch (1–100,000; default 4,096)', intIn(1, 100_000))
    .option('--dry-run', 'print the plan with estimated rows and bytes; touch nothing')
    .option('--skip-db', 'do not load a database')
    .option('--skip-csv', 'do not write CSV files')
    .option('--skip-s3', 'do not upload to S3 (even with --s3)')
    .option('--skip-vectors', 'do not write vectors (even with --vectors)')
    .option('--db <url>', 'target database (default: DATABASE_URL, else db.url of the config file, else database <dataset> on the embedded Postgres)')
    .addOption(new Option('--mode <mode>', 'database load mode (shard: this slice only, into a schema made by `seedpipe prepare`)').choices(['replace', 'append', 'missing', 'shard']).default('replace'))
    .option('--create-tables', 'create the dataset’s tables (DDL) before loading')
    .option(...SCHEMA_FLAG)
    .option(...TABLE_PREFIX_FLAG)
    .addOption(new Option('--copy-format <format>', 'COPY format of the database load: auto (binary for tables whose columns have the dataset’s types and for which it is estimated cheaper, CSV for the others), text, or binary (refuse tables that cannot take it)').choices(['auto', 'text', 'binary']).default('auto'))
    .option('--no-fast-path', 'keep keys, indexes and foreign keys in place during the load (each row checked as it arrives; slower, fewer locks)')
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
    .option('--json', 'print the summary as one JSON document on stdout')
    .option('-q, --quiet', 'no progress output')
    .option('--heartbeat <seconds>', 'when stderr is not a terminal, print a progress line after this many quiet seconds (0–3,600; 0: never; default 5)', intIn(0, 3600))
    .action(async (dataset: string | undefined, flags: RunFlags) => runCommand(datasetOf(io, dataset), flags, io));
}

export async function runCommand(dataset: string, flags: RunFlags, io: Io): Promise<void> {
  if (flags.dryRun) return dryRun(dataset, flags, io);
  // Every step before the first row is shown too: loading and planning can take a while.
  const reporter = makeReporter(io, { quiet: flags.quiet === true || flags.json === true, tty: io.isTTY, heartbeatMs: (flags.heartbeat ?? 5) * 1000 });
  const steps = new Phases('run', reporter);
  try {
    const loaded = await steps.step('loading the dataset', () => loadDataset(dataset, io.cwd));
    const def = withTablePrefix(withSchema(loaded.def, flags.schema), flags.tablePrefix);
    const path = loaded.path;
    let planOptions = planOptionsOf(flags, io);
    let plan = await steps.step('planning', async () => makePlan(def, planOptions));
    const out = flags.out ?? join(projectDir(io), 'out', def.name);
    const warn = (m: string): void => {
      if (!flags.quiet) io.err(`warning: ${m}\n`);
    };
    let db: DbTarget | undefined;
    if (!flags.skipDb) {
      const { assertLocalOrConfirmed, appendOffsets } = await import('../../../stages/sinks/postgres/index.js');
      db = await steps.step('finding the database', () => resolveDb(io, flags.db, { start: true, database: def.name, quiet: flags.quiet === true }));
      assertLocalOrConfirmed(db.url, flags.confirmProduction === true);
      if (flags.mode === 'shard' && !plan.shard) throw usageError('SHARD_MODE_NEEDS_SHARD', '--mode shard loads one slice: give --shard k/n (or --shards n under a scheduler that sets the index)');
      if (!db.embedded && flags.confirmProduction) await productionGuard(io, db, plan, flags);
      if (flags.logFile) {
        const { appendFileSync } = await import('node:fs');
        appendFileSync(flags.logFile, `${new Date().toISOString()} RUN ${def.name} profile=${plan.resolved.profile} seed=${plan.resolved.seed} mode=${flags.mode} target=${db.display}\n`);
      }
      const target = db;
      if (flags.only) await steps.step('checking the parents of --only', () => checkOnlyParents(def, planOptions, target.url));
      if (flags.mode === 'append') {
        planOptions = { ...planOptions, offsets: await steps.step('reading append offsets', () => appendOffsets(target.url, plan, { schema: def.schema ?? 'public' })) };
        plan = makePlan(def, planOptions);
      }
    }
    const { sinks, names } = await buildSinks(def, { ...flags, out }, io, db, warn);
    reporter.setSinks(names);
    const workers = flags.workers === 'auto' ? autoWorkers() : (flags.workers ?? 1);
    // From here every sink can undo what it wrote: an interrupt aborts them instead of ending the process.
    const signal = io.interrupts?.claim();
    const outcome = await runPipeline({
      run: buildRunInfo(plan),
      sources: generatorSource(plan, { workers, worker: { modulePath: path, planOptions } }),
      encoders: runEncoders(),
      // Transforms the dataset's tables declare, before the sinks they name.
      sinks: datasetRoutes(def, sinks),
      ...(flags.batchRows ? { batchRows: flags.batchRows } : {}),
      onProgress: (e) => reporter.onProgress(e),
      onWaiting: (w) => reporter.onWaiting?.(w),
      observer: reporter,
      ...(signal ? { signal } : {}),
    }).catch((e: unknown) => {
      reporter.stop();
      throw withUndone(e, sinks);
    });
    reporter.stop();
    const summary = summaryJson(outcome, { dataset: def.name, profile: plan.resolved.profile, seed: plan.resolved.seed, ...(db ? { connect: connectHints(db) } : {}) });
    if (flags.json) io.out(JSON.stringify(summary) + '\n');
    else if (!flags.quiet) io.err(renderSummary(summary, io.isTTY ? (io.columns ?? 80) : Infinity));
  } finally {
    reporter.stop();
  }
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
  const problems = await missingParents(url, [...needed].map(([table, children]) => ({ table, children, rows: totals.get(table) ?? 0 })), full.tables.map((t) => t.info), def.schema ?? 'public');
  if (problems.length) {
    throw usageError('ONLY_PARENTS_MISSING', `--only ${[...only].join(',')}: parents are not loaded: ${problems.join('; ')}. Add ${problems.map((p) => p.split(' ')[0]).join(',')} to --only, or load the whole dataset first.`);
  }
}
