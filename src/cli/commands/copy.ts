/**
 * `seedpipe copy --from URL --to URL [--mask …]`: tables of one database into another — the
 * Postgres source, the flags' transforms (mask, filter, sample), the Postgres sink (one transaction
 * on the target; keys, foreign keys and indexes set aside and rebuilt; sequences moved; replace,
 * append or missing mode). `--from` is only read; `--to` goes through the production guard.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Source, SourceSet } from '../../contracts.js';
import { usageError } from '../../errors.js';
import { withUndone } from '../undone.js';
import { runPipeline } from '../../pipeline/run.js';
import type { Io } from '../main.js';
import { intIn } from '../options.js';
import { resolveDb } from '../database.js';
import { renderSummary, summaryJson } from '../output.js';
import { makeReporter } from '../progress.js';
import { confirmOnTty, runEncoders, s3Connection } from '../stages.js';
import { flagTransforms, type TransformFlags } from '../transforms.js';
import { addSelectionFlags, openSelected, readRunInfo } from './export.js';
import { productionGuard } from './guard.js';

interface CopyFlags extends TransformFlags {
  from: string;
  to: string;
  schema: string;
  toSchema?: string;
  s3Endpoint?: string;
  s3Region?: string;
  tables?: string[];
  exclude?: string[];
  where?: string[];
  counts: 'exact' | 'estimate';
  mode: 'replace' | 'append' | 'missing';
  createTables?: boolean;
  yes?: boolean;
  confirmProduction?: boolean;
  countdown?: number;
  json?: boolean;
  quiet?: boolean;
}

export function registerCopy(program: Command, io: Io): void {
  const cmd = program.command('copy').description('copy tables from one database into another in one transaction on the target, optionally masked');
  addSelectionFlags(cmd)
    .requiredOption('--from <url|dir|s3://…>', 'database to read (only read), or a folder of CSV files an export or run wrote (a directory or an S3 generation folder)')
    .requiredOption('--to <url>', 'database to write')
    .option('--s3-endpoint <url>', 'S3-compatible endpoint of an s3:// --from (default AWS_ENDPOINT_URL_S3)')
    .option('--s3-region <region>', 'S3 region of an s3:// --from (default AWS_REGION or us-east-1)')
    .option('--to-schema <name>', 'schema of the target tables (default: --schema)')
    .addOption(new Option('--mode <mode>', 'how copied rows meet the target\'s rows').choices(['replace', 'append', 'missing']).default('replace'))
    .option('--create-tables', 'create missing target tables from the source\'s columns and keys')
    .option('-y, --yes', 'do not ask before replacing table contents')
    .option('--confirm-production', 'allow a target that is not on this machine (shows it and counts down first)')
    .option('--countdown <seconds>', 'seconds of the production countdown (0–3,600)', intIn(0, 3600), 10)
    .option('--json', 'print the summary as one JSON document on stdout')
    .option('-q, --quiet', 'no progress output')
    .action(async (flags: CopyFlags) => copyCommand(flags, io));
}

/** `--from` a folder of files (a directory, or an S3 generation folder) instead of a database. */
async function openFiles(flags: CopyFlags, io: Io): Promise<{ sources: SourceSet & { location: string; tables: readonly Source[] }; display: string }> {
  if (flags.tables?.length || flags.exclude?.length || flags.where?.length) throw usageError('FLAG_INVALID', '--tables, --exclude and --where select from a database; copying a folder of files loads every table it holds (use --filter to keep rows)');
  const { openCsvSource } = await import('../../../stages/sources/csv/index.js');
  if (flags.from.startsWith('s3://')) {
    const { buildS3Client, s3ObjectReader } = await import('../../../stages/sinks/s3/index.js');
    const conn = s3Connection(flags, io);
    return { sources: await openCsvSource({ reader: s3ObjectReader(buildS3Client(conn), flags.from, conn) }), display: flags.from };
  }
  const dir = resolve(io.cwd, flags.from);
  return { sources: await openCsvSource({ dir }), display: dir };
}

async function copyCommand(flags: CopyFlags, io: Io): Promise<void> {
  const fromDb = /^postgres(ql)?:\/\//i.test(flags.from.trim());
  const from = fromDb ? await resolveDb(io, flags.from, { start: false }) : undefined;
  const to = await resolveDb(io, flags.to, { start: false });
  if (from && from.url === to.url && (flags.toSchema ?? flags.schema) === flags.schema) throw usageError('COPY_SAME_DATABASE', `--from and --to are the same database and schema (${to.display}); copy into another database or pass --to-schema`);
  const { PostgresSink, assertLocalOrConfirmed, connectPg } = await import('../../../stages/sinks/postgres/index.js');
  assertLocalOrConfirmed(to.url, flags.confirmProduction === true);
  const transforms = flagTransforms(flags, io);
  // Generated columns are computed by the target, which refuses writes to them.
  const opened = from ? { sources: await openSelected(from.url, flags, { generated: 'exclude', app: 'seedpipe copy (reading)' }), display: from.display } : await openFiles(flags, io);
  const sources = opened.sources;
  const run = readRunInfo(sources, undefined, undefined);
  let outcome;
  const reporter = makeReporter(io, { quiet: flags.quiet === true || flags.json === true, tty: io.isTTY });
  reporter.setSinks(['postgres']);
  try {
    if (!to.embedded && flags.confirmProduction) await productionGuard(io, to, run.tables.map((t) => t.name), { mode: flags.mode, ...(flags.countdown !== undefined ? { countdown: flags.countdown } : {}) });
    const sink = new PostgresSink({
      url: to.url,
      mode: flags.mode,
      schema: flags.toSchema ?? flags.schema,
      createTables: flags.createTables === true,
      yes: flags.yes === true,
      confirmProduction: flags.confirmProduction === true,
      connect: (u) => connectPg(u, { applicationName: 'seedpipe copy' }),
      confirm: (tables) => confirmOnTty(io, `Replace the contents of ${tables.length} table(s) (${tables.slice(0, 6).join(', ')}${tables.length > 6 ? ', …' : ''}) in ${to.display}?`),
    });
    const signal = io.interrupts?.claim();
    outcome = await runPipeline({ run, sources, encoders: runEncoders(), transforms, sinks: [sink], onProgress: (e) => reporter.onProgress(e), observer: reporter, ...(signal ? { signal } : {}) })
      .catch((e: unknown) => { throw withUndone(e, [sink]); });
  } finally {
    reporter.stop();
    await sources.close?.();
  }
  const summary = summaryJson(outcome, { dataset: run.dataset, profile: 'copy', seed: 0, connect: { source: opened.display, target: to.display } });
  if (flags.json) io.out(JSON.stringify(summary) + '\n');
  else if (!flags.quiet) io.err(renderSummary(summary, io.isTTY ? (io.columns ?? 80) : Infinity));
}
