/**
 * Whole-dataset Postgres load benchmark: every table of a dataset, seedpipe end to end against `psql \copy`
 * of the same rows, and generation alone. Datasets:
 *   - erp at its medium profile (tables created from the dataset's own DDL);
 *   - an introspected real schema (test/fixtures/schemas/real/lago, ~137 tables): its schema.sql is loaded,
 *     `introspect` writes a dataset for it (the CLI's column rules), and that dataset is loaded into it;
 *   - optionally any built-in dataset by name.
 * Compared, from the same start (every table empty, every constraint and index of the schema in place):
 *   - seedpipe, 1 thread, 2 workers (and `--workers auto` where it is more): generate + COPY + keys after (the
 *     Postgres sink, replace mode);
 *   - `psql \copy` of each table's final CSV (written beforehand by the engine, every column, cycle-breaking
 *     keys with their values) after dropping every key, check and index of the schema, then re-creating them
 *     (primary and unique keys, checks, indexes, foreign keys) and ANALYZE, in one transaction: the reference;
 *   - `seedpipe run` itself (the CLI, database from DATABASE_URL, --skip-csv): what a user runs, its process
 *     start-up included;
 *   - generation alone (engine → the bytes the sink COPYs, binary where it applies; no database).
 * Each method runs in its own process under `/usr/bin/time -v` (peak RSS); rounds are interleaved and the ratio
 * is the median of each round's ratio to that round's `\copy`.
 *
 * Run directly: `node --import tsx scripts/bench/datasets.ts [--only erp,lago] [--scale 0.2] [--runs 3] [--baseline DIR]`
 * (`--baseline`: another checkout's 1-thread load in the same rounds).
 */
import { appendFileSync, createWriteStream } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { HEAP_FLAGS } from '../../src/heap.mjs';
import { autoWorkers } from '../../src/cli/options.js';
import type { Sink, SinkBatch, TableInfo, TableResult } from '../../src/contracts.js';
import { buildRunInfo, loadDataset, makePlan, runPipeline, type Plan, type PlanOptions } from '../../src/index.js';
import { standardEncoders } from '../../stages/encoders/standard/index.js';
import { generatorSource } from '../../stages/sources/generator/index.js';
import { canLoadColumn, PostgresSink } from '../../stages/sinks/postgres/index.js';
import { quoteIdent, renderDdl } from '../../stages/sinks/postgres/ddl.js';
import { introspect } from '../../src/introspect/index.js';
import { installedCli } from './installed.js';
import { flagsOf, median, psqlTarget, sql, timed, withDb, type Measured } from './postgres.js';

const SELF = fileURLToPath(import.meta.url);
const CLI = fileURLToPath(new URL('../../bin/seedpipe.js', import.meta.url));

/**
 * The `seedpipe run` flags of plan options (profile, scale, seed, --set), or undefined when the
 * options hold more than the CLI says that way.
 */
export function cliFlags(o: PlanOptions): string[] | undefined {
  const { profile, scale, seed, set, ...rest } = o;
  if (Object.keys(rest).length > 0) return undefined;
  return [
    ...(profile ? ['--profile', profile] : []),
    ...(scale !== undefined ? ['--scale', String(scale)] : []),
    ...(seed !== undefined ? ['--seed', String(seed)] : []),
    ...(set ?? []).flatMap((a) => ['--set', a]),
  ];
}
const URL_ENV = 'SEEDPIPE_BENCH_DATABASE_URL';
const REAL = (name: string): URL => new URL(`../../test/fixtures/schemas/real/${name}/schema.sql`, import.meta.url);

interface ChildArgs { dataset: string; options: PlanOptions; workers?: number; copyFormat?: 'text' }

/** One sink writing each table's `copy-csv-final` encoding to `<dir>/<table>.csv`. */
export function filesSink(dir: string): Sink {
  return {
    name: 'files',
    input: () => ({ format: 'copy-csv-final' }),
    open: async () => undefined,
    table: async (info: TableInfo) => {
      const out = createWriteStream(join(dir, `${info.name}.csv`), { highWaterMark: 1 << 20 });
      let rows = 0;
      return {
        write: async (b: SinkBatch) => {
          rows += b.count;
          if (!out.write(b.bytes)) await once(out, 'drain');
        },
        close: async (): Promise<TableResult> => {
          out.end();
          await once(out, 'close');
          return { table: info.name, rows, bytes: out.bytesWritten };
        },
      };
    },
    commit: async (results) => ({ sink: 'files', location: dir, tables: results }),
    abort: async () => undefined,
  };
}

/** Takes the encoding the Postgres sink COPYs (binary, else CSV) and drops it: generation alone. */
const nullSink: Sink = {
  name: 'null',
  input: () => ({ format: 'copy-binary', orElse: 'copy-csv' }),
  open: async () => undefined,
  table: async (info) => {
    let rows = 0;
    return { write: async (b) => { rows += b.count; }, close: async () => ({ table: info.name, rows, bytes: 0 }) };
  },
  commit: async (results) => ({ sink: 'null', location: '', tables: results }),
  abort: async () => undefined,
};

async function child(kind: string, a: ChildArgs, url: string): Promise<void> {
  const { def, path } = await loadDataset(a.dataset);
  const plan = makePlan(def, a.options);
  const workers = a.workers ?? 1;
  const sink = kind === 'generate' ? nullSink : new PostgresSink({ url, mode: 'replace', yes: true, ...(a.copyFormat ? { copyFormat: a.copyFormat } : {}) });
  // SEEDPIPE_BENCH_PHASES=FILE: where the time went (preparing, committing, each finishing step), appended to FILE.
  const phases = process.env.SEEDPIPE_BENCH_PHASES ? new Map<string, number>() : undefined;
  const begun = new Map<string, number>();
  const t0 = performance.now();
  const out = await runPipeline({
    run: buildRunInfo(plan),
    sources: generatorSource(plan, workers > 1 ? { workers, worker: { modulePath: path, planOptions: a.options } } : {}),
    encoders: standardEncoders(),
    sinks: [sink],
    ...(phases ? {
      observer: {
        phase: (e) => {
          const key = `${e.stage} ${e.phase}`;
          if (e.state === 'start') begun.set(key, performance.now());
          else if (e.state === 'end') phases.set(key, (phases.get(key) ?? 0) + performance.now() - begun.get(key)!);
        },
      },
    } : {}),
  });
  if (phases) appendFileSync(process.env.SEEDPIPE_BENCH_PHASES!, `${a.dataset} ${kind}${a.workers ? ` ×${a.workers}` : ''}${a.copyFormat ? ` ${a.copyFormat}` : ''}: ${[...phases].map(([k, ms]) => `${k} ${(ms / 1000).toFixed(2)}s`).join(', ')}, total ${((performance.now() - t0) / 1000).toFixed(2)}s\n`);
  const rows = out.tables.reduce((s, t) => s + t.rows, 0);
  process.stdout.write(JSON.stringify({ rows, seconds: (performance.now() - t0) / 1000 }) + '\n');
}

/**
 * The schema's keys, checks and indexes: SQL to drop them, and to re-create them (foreign keys last). A key a
 * view depends on (GROUP BY a primary key) stays, as the Postgres sink keeps it.
 */
export async function keysOf(url: string): Promise<{ drop: string; create: string }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const cons = (await c.query<{ tbl: string; name: string; type: string; def: string }>(`
      SELECT conrelid::regclass::text AS tbl, conname AS name, contype AS type, pg_get_constraintdef(oid) AS def
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> 0 AND conislocal
        AND conparentid = 0 AND contype IN ('p', 'u', 'x', 'c', 'f')
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.refobjid = pg_constraint.oid AND d.classid = 'pg_rewrite'::regclass)
      ORDER BY 1, 2`)).rows;
    const idx = (await c.query<{ name: string; def: string }>(`
      SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
      WHERE x.relnamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
        AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) ORDER BY 1`)).rows;
    const alter = (t: string, s: string): string => `ALTER TABLE ${t} ${s};`;
    const fks = cons.filter((k) => k.type === 'f');
    const keys = cons.filter((k) => k.type !== 'f' && k.type !== 'c');
    const checks = cons.filter((k) => k.type === 'c');
    const drop = [
      ...fks.map((k) => alter(k.tbl, `DROP CONSTRAINT ${quoteIdent(k.name)}`)),
      ...idx.map((i) => `DROP INDEX ${i.name};`),
      ...[...keys, ...checks].map((k) => alter(k.tbl, `DROP CONSTRAINT ${quoteIdent(k.name)}`)),
    ];
    const create = [
      ...[...keys, ...checks].map((k) => alter(k.tbl, `ADD CONSTRAINT ${quoteIdent(k.name)} ${k.def}`)),
      ...idx.map((i) => `${i.def.replace(/ ON ONLY /, ' ON ')};`),
      ...fks.map((k) => alter(k.tbl, `ADD CONSTRAINT ${quoteIdent(k.name)} ${k.def}`)),
    ];
    return { drop: drop.join('\n'), create: create.join('\n') };
  } finally {
    await c.end();
  }
}

export interface DatasetBenchRow {
  method: string;
  rows: number;
  seconds: number;
  rowsPerSec: number;
  ratio: number;
  peakRssMB: number;
  /** Medians of the client process's CPU seconds and of the database server's meanwhile. */
  cpuSeconds: number;
  serverCpuSeconds: number;
}
export interface DatasetBenchResult { label: string; tables: number; rows: number; csvBytes: number; results: DatasetBenchRow[] }

export interface DatasetBenchCase {
  label: string;
  /** Dataset name or path (introspected: the folder it was written to). */
  dataset: string;
  options: PlanOptions;
  /** Creates the schema in the (empty) database at `url`. */
  setup: (url: string, plan: Plan) => Promise<void>;
}

/** erp (or any built-in dataset) with tables from its own DDL. */
export function builtinCase(name: string, options: PlanOptions): DatasetBenchCase {
  return {
    label: `${name} (${options.profile ?? 'default'}${options.scale ? ` ×${options.scale}` : ''})`,
    dataset: name,
    options,
    setup: async (url, plan) => {
      await sql(url, renderDdl(plan.tables.map((t) => t.info)));
    },
  };
}

/** A real schema from test/fixtures/schemas/real, introspected (`rows` per ordinary table) into `dir`. */
export async function realCase(name: string, serverUrl: string, dir: string, rows: number): Promise<DatasetBenchCase> {
  const schema = (await import('node:fs')).readFileSync(REAL(name), 'utf8').split('\n').filter((l) => !/^\s*\\/.test(l)).join('\n');
  const db = withDb(serverUrl, 'seedpipe_bench_introspect');
  await sql(serverUrl, 'DROP DATABASE IF EXISTS seedpipe_bench_introspect WITH (FORCE)');
  await sql(serverUrl, 'CREATE DATABASE seedpipe_bench_introspect');
  await sql(db, schema);
  const out = join(dir, `introspected-${name}`);
  const c = new pg.Client({ connectionString: db });
  await c.connect();
  try {
    // Every schema the fixture made (musicbrainz lives in its own), not only public.
    const schemas = (await c.query(`SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' AND EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = pg_namespace.oid AND relkind IN ('r', 'p'))`)).rows.map((r: { nspname: string }) => r.nspname);
    await introspect({ client: c, outDir: out, source: `${name} fixture`, canLoad: canLoadColumn, rows, schemas });
  } finally {
    await c.end();
    await sql(serverUrl, 'DROP DATABASE IF EXISTS seedpipe_bench_introspect WITH (FORCE)');
  }
  return { label: `${name} (introspected, --rows ${rows})`, dataset: join(out, 'dataset.ts'), options: {}, setup: (url) => sql(url, schema) };
}

/**
 * `installed`: bin/seedpipe.js of the package laid out as installed (`installedCli`), which adds `seedpipe run`
 * on compiled code to the methods.
 */
export async function benchDataset(serverUrl: string, k: DatasetBenchCase, o: { runs: number; log: (s: string) => void; baseline?: string; installed?: string }): Promise<DatasetBenchResult> {
  const url = withDb(serverUrl, 'seedpipe_bench');
  await sql(serverUrl, 'DROP DATABASE IF EXISTS seedpipe_bench WITH (FORCE)');
  await sql(serverUrl, 'CREATE DATABASE seedpipe_bench');
  const dir = await mkdtemp(join(tmpdir(), 'seedpipe-bench-ds-'));
  await chmod(dir, 0o755);
  try {
    const { def } = await loadDataset(k.dataset);
    const plan = makePlan(def, k.options);
    await k.setup(url, plan);
    const written = await runPipeline({ run: buildRunInfo(plan), sources: generatorSource(plan), encoders: standardEncoders(), sinks: [filesSink(dir)] });
    const rows = written.tables.reduce((s, t) => s + t.rows, 0);
    const csvBytes = written.tables.reduce((s, t) => s + t.bytes, 0);
    o.log(`${k.label}: ${plan.tables.length} tables, ${rows} rows, ${(csvBytes / 1e6).toFixed(1)} MB of CSV`);

    const keys = await keysOf(url);
    const qualified = (info: TableInfo): string => `${quoteIdent(info.schema ?? 'public')}.${quoteIdent(info.sqlName ?? info.name)}`;
    const copies = plan.tables.map((t) => {
      const cols = t.info.columns.map((c) => quoteIdent(c.sqlName ?? c.name)).join(', ');
      return `\\copy ${qualified(t.info)} (${cols}) FROM '${join(dir, `${t.info.name}.csv`)}' WITH (FORMAT csv)`;
    });
    const script = join(dir, 'copy.sql');
    await writeFile(script, ['SET maintenance_work_mem = \'256MB\';', 'BEGIN;', keys.drop, ...copies, keys.create, 'ANALYZE;', 'COMMIT;'].join('\n') + '\n');
    const emptied = `TRUNCATE ${plan.tables.map((t) => qualified(t.info)).join(', ')} CASCADE; CHECKPOINT;`;
    const target = psqlTarget(url);
    const baselineFlags = o.baseline ? await flagsOf(o.baseline) : [];
    const node = (kind: string, workers?: number, copyFormat?: 'text', script = SELF, flags: readonly string[] = HEAP_FLAGS) => (): Measured =>
      timed(process.execPath, [...flags, '--import', 'tsx', script, '--child', kind, JSON.stringify({ dataset: k.dataset, options: k.options, ...(workers ? { workers } : {}), ...(copyFormat ? { copyFormat } : {}) })], { [URL_ENV]: url });
    const auto = autoWorkers();
    const cli = cliFlags(k.options);
    const methods: { method: string; db: boolean; measure: () => Measured }[] = [
      { method: 'psql \\copy bare + keys, checks, indexes, FKs after', db: true, measure: () => timed('/usr/bin/psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', target.url, '-f', script], target.env) },
      { method: `seedpipe, 1 thread (generate + COPY + keys after)${auto === 1 ? ' = --workers auto here' : ''}`, db: true, measure: node('seedpipe') },
      ...(o.baseline ? [{ method: `seedpipe, 1 thread, baseline checkout (${o.baseline})`, db: true, measure: node('seedpipe', undefined, undefined, join(o.baseline, 'scripts/bench/datasets.ts'), baselineFlags) }] : []),
      { method: 'seedpipe, 1 thread, --copy-format text', db: true, measure: node('seedpipe', undefined, 'text') },
      { method: 'seedpipe, 2 generation workers', db: true, measure: node('seedpipe', 2) },
      ...(auto > 2 ? [{ method: `seedpipe, --workers auto (${auto} here)`, db: true, measure: node('seedpipe', auto) }] : []),
      // What a user runs: the CLI, its database from DATABASE_URL (not argv). Its seconds include its
      // start-up (~1 s of module loading), which the library children above leave out.
      ...(cli ? [{ method: 'seedpipe run (the CLI, --skip-csv; seconds include start-up)', db: true, measure: () => timed(process.execPath, [CLI, 'run', k.dataset, ...cli, '--yes', '--skip-csv', '--quiet'], { DATABASE_URL: url }) }] : []),
      // The same from the package as installed: compiled dist/, no TypeScript loader.
      ...(cli && o.installed ? [{ method: 'seedpipe run, installed package (compiled; start-up included)', db: true, measure: () => timed(process.execPath, [o.installed!, 'run', k.dataset, ...cli, '--yes', '--skip-csv', '--quiet'], { DATABASE_URL: url }) }] : []),
      { method: 'generation only (no database)', db: false, measure: node('generate') },
    ];
    const times = methods.map((): number[] => []);
    const rss = methods.map((): number[] => []);
    const cpu = methods.map((): number[] => []);
    const serverCpu = methods.map((): number[] => []);
    for (let r = 0; r < o.runs; r++) {
      for (const [j, m] of methods.entries()) {
        if (m.db) await sql(url, emptied);
        const res = m.measure();
        let seconds = res.seconds;
        if (res.stdout.trim()) {
          const got = JSON.parse(res.stdout.trim().split('\n').pop()!) as { rows: number; seconds: number };
          if (got.rows !== rows) throw new Error(`${m.method}: ${got.rows} rows, expected ${rows}`);
          seconds = got.seconds;
        }
        times[j]!.push(seconds);
        rss[j]!.push(res.peakRssMB);
        cpu[j]!.push(res.cpuSeconds);
        serverCpu[j]!.push(res.serverCpuSeconds);
        o.log(`${k.label} round ${r + 1}/${o.runs}, ${m.method}: ${Math.round(rows / seconds)} rows/s, ${res.peakRssMB.toFixed(0)} MB, CPU ${res.cpuSeconds.toFixed(2)} s + server ${res.serverCpuSeconds.toFixed(2)} s`);
      }
    }
    const results = methods.map((m, j): DatasetBenchRow => {
      const seconds = median(times[j]!);
      return { method: m.method, rows, seconds, rowsPerSec: rows / seconds, ratio: median(times[j]!.map((t, r) => times[0]![r]! / t)), peakRssMB: median(rss[j]!), cpuSeconds: median(cpu[j]!), serverCpuSeconds: median(serverCpu[j]!) };
    });
    return { label: k.label, tables: plan.tables.length, rows, csvBytes, results };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await sql(serverUrl, 'DROP DATABASE IF EXISTS seedpipe_bench WITH (FORCE)').catch(() => undefined);
  }
}

export function formatDatasetBench(rs: DatasetBenchResult[]): string {
  const head = ['dataset', 'tables', 'rows', 'method', 'seconds', 'rows/s', 'vs \\copy+after', 'peak RSS MB', 'CPU s', 'server CPU s'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, j) => (j < 3 || j === 3 ? '---' : '---:')).join('|')}|`];
  for (const r of rs) {
    for (const x of r.results) lines.push(`| ${[r.label, r.tables, r.rows, x.method, x.seconds.toFixed(2), Math.round(x.rowsPerSec), `${x.ratio.toFixed(2)}×`, x.peakRssMB.toFixed(0), x.cpuSeconds.toFixed(2), x.serverCpuSeconds.toFixed(2)].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The real schemas of test/fixtures/schemas/real/ that `--only` may name (introspected, 750 rows per table at scale 1; lago 2,250). */
const REAL_FIXTURES = ['lago', 'musicbrainz', 'pagila', 'hoppscotch', 'danbooru', 'openstreetmap'];
/** Rows per ordinary table at scale 1: lago at 2,250 is about a million rows in 136 tables, a staging-sized load where per-table costs no longer dominate. */
const REAL_ROWS: Record<string, number> = { lago: 2250 };

/** The cases `npm run bench` runs: erp medium and the introspected lago schema (`scale` shrinks both for quick runs). */
export async function defaultCases(serverUrl: string, dir: string, only: string[] | null, scale = 1): Promise<DatasetBenchCase[]> {
  const out: DatasetBenchCase[] = [];
  for (const name of only ?? ['erp', 'lago']) {
    if (REAL_FIXTURES.includes(name)) out.push(await realCase(name, serverUrl, dir, Math.max(1, Math.round((REAL_ROWS[name] ?? 750) * scale))));
    else out.push(builtinCase(name, { profile: 'medium', ...(scale !== 1 ? { scale } : {}) }));
  }
  return out;
}

async function main(args: string[]): Promise<void> {
  const arg = (n: string): string | undefined => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : undefined; };
  const only = arg('--only')?.split(',') ?? null;
  const scale = Number(arg('--scale') ?? process.env.SEEDPIPE_BENCH_SCALE ?? 1);
  const runs = Number(arg('--runs') ?? 3);
  // Another checkout's 1-thread load in the same rounds (e.g. `git worktree add DIR main`).
  const baseline = arg('--baseline');
  const { startEmbedded, stopEmbedded } = await import('../../src/db/embedded.js');
  const dir = await mkdtemp(join(tmpdir(), 'seedpipe-bench-pgdata-'));
  await chmod(dir, 0o755);
  try {
    const server = await startEmbedded({ dir: join(dir, 'pg') });
    const results: DatasetBenchResult[] = [];
    const installed = installedCli(dir);
    for (const k of await defaultCases(server.url, dir, only, scale)) results.push(await benchDataset(server.url, k, { runs, log: (l) => console.error(`  ${l}`), installed, ...(baseline ? { baseline } : {}) }));
    console.log(`\nWhole datasets into embedded PostgreSQL 18, median of ${runs} interleaved rounds:\n`);
    console.log(formatDatasetBench(results));
  } finally {
    await stopEmbedded(join(dir, 'pg')).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const i = process.argv.indexOf('--child');
  const task = i >= 0 ? child(process.argv[i + 1]!, JSON.parse(process.argv[i + 2]!) as ChildArgs, process.env[URL_ENV] ?? '') : main(process.argv.slice(2));
  task.catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
