/**
 * `seedpipe export --db URL (--out DIR | --s3 s3://… | --vectors …)`: an existing database streamed
 * out as a dataset — the Postgres source, the flags' transforms (filter, sample, mask), the file
 * sinks (csv, jsonl or parquet, with the same manifest, metadata and `verify` as generated runs)
 * and the vector sink (the `embed-text` transform's column, on its route only).
 */
import { withUndone } from '../undone.js';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { RunInfo, Sink, TableInfo } from '../../contracts.js';
import { usageError } from '../../errors.js';
import { parseShard } from '../../plan/plan.js';
import { runPipeline, type Route } from '../../pipeline/run.js';
import { versions } from '../../pipeline/run-info.js';
import { openPostgresSource, type PostgresSources } from '../../../stages/sources/postgres/index.js';
import { defaultTemplate, embedTextTransform, EMBED_TEXT_COLUMN } from '../../../stages/transforms/embed-text/index.js';
import { maskPlan } from '../../../stages/transforms/mask/index.js';
import type { EmbedSpec } from '../../../stages/sinks/vectors/index.js';
import type { Io } from '../main.js';
import { collect, list, partSizeArg, seedArg } from '../options.js';
import { resolveDb } from '../database.js';
import { renderSummary, summaryJson, table } from '../output.js';
import { makeReporter } from '../progress.js';
import { addVectorFlags, runEncoders, s3Connection, vectorSink } from '../stages.js';
import { flagTransforms, perTable, rateArg, type TransformFlags } from '../transforms.js';

export interface ExportFlags extends TransformFlags {
  db?: string;
  schema: string;
  tables?: string[];
  exclude?: string[];
  where?: string[];
  shard?: string;
  counts: 'exact' | 'estimate';
  name?: string;
  out?: string;
  format: 'csv' | 'jsonl' | 'parquet';
  gzip?: boolean;
  s3?: string;
  s3Endpoint?: string;
  s3Region?: string;
  s3CreateBucket?: boolean;
  s3PartSize?: number;
  vectors?: string;
  embed?: string[];
  embedder: string;
  embeddingDimensions?: number;
  embeddingCache?: boolean;
  embeddingCacheDir?: string;
  vectorConcurrency?: number;
  confirmProduction?: boolean;
  dryRun?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** Flags `export` and `copy` share: which tables and rows, and how they are changed on the way. */
export function addSelectionFlags(cmd: Command): Command {
  return cmd
    .option('--schema <name>', 'schema whose tables are read', 'public')
    .option('--tables <names>', 'only these tables (comma-separated)', list)
    .option('--exclude <names>', 'leave these tables out (comma-separated)', list)
    .option('--where <table: sql>', 'rows to read, as SQL run by the database (repeatable), e.g. "messages: created_at >= \'2025-01-01\'"', collect)
    .option('--filter <table: condition>', 'rows to keep, in the filter language (repeatable), e.g. "users: is_active and email like \'%@acme.com\'"', collect)
    .option('--sample <share>', 'keep this share of rows, the same ones every run (0 < share ≤ 1)', rateArg)
    .option('--sample-seed <n>', 'which rows --sample keeps (default 0)', seedArg)
    .option('--sample-key <table=column>', 'sample a table by these columns, e.g. messages=user_id to keep the messages of kept users (repeatable)', collect)
    .option('--mask [columns]', 'replace personal data with keyed pseudonyms: auto (by column names), or table.column=kind,… on top; key from SEEDPIPE_MASK_KEY or --mask-key-file')
    .option('--mask-key-file <path>', 'file holding the masking key (at least 16 characters)')
    .option('--no-mask-auto', 'mask only the columns --mask names')
    .option('--counts <how>', 'row counts for progress: exact (count(*)) or estimate (planner statistics)', 'exact');
}

export function registerExport(program: Command, io: Io): void {
  const cmd = program.command('export').description('stream an existing database out as a dataset: CSV, JSON Lines or Parquet files, S3 objects, vectors');
  addVectorFlags(addSelectionFlags(cmd))
    .option('--db <url>', 'database to read (default: DATABASE_URL, else the embedded database); only read')
    .option('--shard <k/n>', 'export slice k of n of every table (disjoint primary key ranges)')
    .option('--name <name>', 'dataset name in the manifest (default: the database name)')
    .option('--out <dir>', 'write files into this directory')
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'jsonl', 'parquet']).default('csv'))
    .option('--gzip', 'gzip CSV and JSON Lines files')
    .option('--s3 <url>', 'upload to s3://bucket/prefix/generation_<timestamp>/')
    .option('--s3-endpoint <url>', 'S3-compatible endpoint (default AWS_ENDPOINT_URL_S3); uses path-style addressing')
    .option('--s3-region <region>', 'S3 region (default AWS_REGION or us-east-1)')
    .option('--s3-create-bucket', 'create the bucket when it does not exist')
    .option('--s3-part-size <size>', 'multipart part size, e.g. 8MiB (5 MiB – 5 GiB)', partSizeArg)
    .option('--vectors <url>', 'vector index: pinecone://<index>[?host=…] or lancedb://<dir>')
    .option('--embed <table=template>', 'text to embed per table, e.g. "channels={name}: {description}" (repeatable; default: each table\'s text columns)', collect)
    .option('--confirm-production', 'allow reading a database that is not on this machine')
    .option('--dry-run', 'list the tables, row counts and masked columns; write nothing')
    .option('--json', 'print the summary as one JSON document on stdout')
    .option('-q, --quiet', 'no progress output')
    .action(async (flags: ExportFlags) => exportCommand(flags, io));
}

/** The run's `RunInfo` for rows read from `sources` (seed 0, profile `export`, the read time as reference date). */
export function readRunInfo(sources: Pick<PostgresSources, 'location' | 'tables'> & { database?: string }, name: string | undefined, shard: { index: number; count: number } | undefined): RunInfo {
  const startedAt = new Date().toISOString();
  return Object.freeze({
    dataset: name ?? sources.database ?? 'files', seed: 0, profile: 'export', scale: 1, refDate: startedAt, startedAt, versions: versions(),
    ...(shard ? { shard } : {}), source: sources.location, tables: sources.tables.map((t) => t.info),
  });
}

/** Opens the Postgres source the selection flags describe. */
export async function openSelected(url: string, flags: ExportFlags | (TransformFlags & Pick<ExportFlags, 'schema' | 'tables' | 'exclude' | 'where' | 'counts'>), extra: { shard?: { index: number; count: number }; generated?: 'include' | 'exclude'; app: string }): Promise<PostgresSources> {
  if (flags.counts !== 'exact' && flags.counts !== 'estimate') throw usageError('FLAG_INVALID', `--counts ${String(flags.counts)}: use exact or estimate`);
  const { connectPg } = await import('../../../stages/sinks/postgres/index.js');
  const where = perTable(flags.where, '--where');
  return openPostgresSource({
    url, schema: flags.schema, counts: flags.counts, where,
    ...(flags.tables?.length ? { tables: flags.tables } : {}),
    ...(flags.exclude?.length ? { exclude: flags.exclude } : {}),
    ...(extra.shard ? { shard: extra.shard } : {}),
    ...(extra.generated ? { generated: extra.generated } : {}),
    connect: (u) => connectPg(u, { applicationName: extra.app }),
  });
}

/** The vector sink's route: the embed-text column from templates, and specs that embed it. */
function vectorRoute(tables: readonly TableInfo[], templates: Record<string, string>): { transform: ReturnType<typeof embedTextTransform>; specs: Map<string, EmbedSpec> } {
  const chosen: Record<string, string> = {};
  for (const t of tables) {
    const tpl = templates[t.name] ?? (Object.keys(templates).length ? undefined : defaultTemplate(t));
    if (tpl !== undefined) chosen[t.name] = tpl;
  }
  const unknown = Object.keys(templates).filter((n) => !tables.some((t) => t.name === n));
  if (unknown.length) throw usageError('EMBED_TABLE_UNKNOWN', `--embed names table${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, which the export does not read`);
  if (Object.keys(chosen).length === 0) throw usageError('VECTORS_NO_EMBED', 'no table has text to embed; pass --embed "table={column} …"');
  const specs = new Map<string, EmbedSpec>();
  for (const t of tables) {
    if (!(t.name in chosen)) continue;
    const meta = [...new Set(t.foreignKeys.flatMap((f) => f.columns))];
    specs.set(t.name, { text: (row) => String(row[EMBED_TEXT_COLUMN] ?? ''), ...(meta.length ? { metadata: (row) => Object.fromEntries(meta.map((c) => [c, row[c]])) } : {}) });
  }
  return { transform: embedTextTransform({ tables: chosen }), specs };
}

function templatesOf(values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const m = /^([^=]+)=([\s\S]*)$/.exec(v);
    if (!m) throw usageError('FLAG_INVALID', `--embed ${JSON.stringify(v)}: expected table=template, e.g. channels={name}: {description}`);
    out[m[1]!.trim()] = m[2]!;
  }
  return out;
}

export async function exportCommand(flags: ExportFlags, io: Io): Promise<void> {
  if (!flags.out && !flags.s3 && !flags.vectors && !flags.dryRun) throw usageError('EXPORT_NO_TARGET', 'export needs somewhere to write: --out DIR, --s3 s3://bucket/prefix or --vectors URL');
  if (flags.gzip && flags.format === 'parquet') throw usageError('FLAG_INVALID', '--gzip does not apply to --format parquet (Parquet compresses its pages itself)');
  const db = await resolveDb(io, flags.db, { start: false });
  const { isLocalDatabase } = await import('../../../stages/sinks/postgres/index.js');
  if (!isLocalDatabase(db.url) && !flags.confirmProduction) {
    throw usageError('PRODUCTION_NOT_CONFIRMED', `Refusing to export ${db.display}: it is not on this machine. The export only reads (in a read-only transaction), but copies its data out; run again with --confirm-production if that is intended${flags.mask === undefined ? ', and consider --mask' : ''}.`);
  }
  const shard = flags.shard ? parseShard(flags.shard) : undefined;
  const transforms = flagTransforms(flags, io);
  const sources = await openSelected(db.url, flags, { ...(shard ? { shard } : {}), app: 'seedpipe export' });
  let run: RunInfo;
  const sinks: (Sink | Route)[] = [];
  try {
    run = readRunInfo(sources, flags.name, shard);
    if (flags.dryRun) {
      const masked = flags.mask !== undefined && flags.mask !== false ? maskPlan({ auto: flags.maskAuto !== false }, run.tables) : [];
      io.out(table(['table', 'rows', 'columns', 'masked'], run.tables.map((t) => [t.name, t.rows, t.columns.length, masked.filter((m) => m.table === t.name).map((m) => `${m.column}=${m.kind}`).join(' ') || '-'])));
      await sources.close();
      return;
    }
    if (flags.vectors) {
      const route = vectorRoute(run.tables, templatesOf(flags.embed));
      const warn = (m: string): void => void (flags.quiet ? undefined : io.err(`warning: ${m}\n`));
      sinks.push({ sink: await vectorSink({ ...flags, vectors: flags.vectors }, io, route.specs, warn), transforms: [route.transform] });
    }
    if (flags.s3) {
      const { S3Sink } = await import('../../../stages/sinks/s3/index.js');
      sinks.push(new S3Sink({ url: flags.s3, ...s3Connection(flags, io), format: flags.format, ...(flags.gzip ? { gzip: true } : {}), ...(flags.s3CreateBucket ? { createBucket: true } : {}), ...(flags.s3PartSize ? { partSizeBytes: flags.s3PartSize } : {}) }));
    }
    if (flags.out) {
      const { CsvSink } = await import('../../../stages/sinks/csv/index.js');
      sinks.push(new CsvSink({ dir: flags.out.startsWith('/') ? flags.out : join(io.cwd, flags.out), format: flags.format, ...(flags.gzip ? { gzip: true } : {}) }));
    }
  } catch (e) {
    await sources.close();
    throw e;
  }
  const names = sinks.map((s) => ('sink' in s ? s.sink.name : s.name));
  const reporter = makeReporter(io, { quiet: flags.quiet === true || flags.json === true, tty: io.isTTY });
  reporter.setSinks(names);
  let outcome;
  try {
    const signal = io.interrupts?.claim();
    outcome = await runPipeline({ run, sources, encoders: runEncoders(), transforms, sinks, onProgress: (e) => reporter.onProgress(e), observer: reporter, ...(signal ? { signal } : {}) })
      .catch((e: unknown) => { throw withUndone(e, sinks.map((s) => ('sink' in s ? s.sink : s))); });
  } finally {
    reporter.stop();
  }
  const summary = summaryJson(outcome, { dataset: run.dataset, profile: 'export', seed: 0, connect: { source: db.display } });
  if (flags.json) io.out(JSON.stringify(summary) + '\n');
  else if (!flags.quiet) io.err(renderSummary(summary, io.isTTY ? (io.columns ?? 80) : Infinity));
}
