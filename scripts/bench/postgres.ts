/**
 * Postgres load benchmark on the chat `messages` table alone (its parents users, channels and
 * user_channels are loaded first, untimed). Compared, for the same rows:
 *   - seedpipe end to end: generate + COPY + foreign keys and indexes re-created + ANALYZE, one transaction
 *     (one thread, and with 2 generation workers);
 *   - `psql \copy` of the identical CSV (written beforehand by the engine: the exact bytes seedpipe COPYs)
 *     (a) into the bare table, then ALTER TABLE ADD primary key, check, 3 foreign keys, CREATE 3 indexes, ANALYZE:
 *         the same end state, and the number to chase;
 *     (b) into the table with all of them present (a per-row foreign key trigger);
 *   - batched INSERT of 1000 rows per statement (pg, parameterised multi-VALUES, one transaction), rows generated
 *     by the engine, into the constrained table;
 *   - generation alone (engine → CSV bytes, no database), the upper bound of anything that generates.
 * Every method runs in its own process under `/usr/bin/time -v` (peak RSS = its "Maximum resident set size"),
 * Node children with the CLI's heap flags (src/heap.mjs). Node children time themselves from just before the
 * run (their start-up, ~1 s of tsx and module loading, is left out; worker start-up is in); psql is timed from
 * spawn to exit (its start-up is a few milliseconds). With several runs the methods take turns (round 1 of
 * every method, then round 2, …), so a slow spell of the machine hits them alike; the ratio is the median of
 * each round's ratio to that round's `\copy`.
 * psql gets the same `maintenance_work_mem` (256MB) the sink sets. Rows/s is rows over wall time; MB/s is CSV
 * bytes over wall time; MB = 10^6 bytes.
 *
 * Run directly, `--methods seedpipe,text,generate` picks methods (`\copy` + after always runs: it is the reference)
 * and `--baseline DIR` adds the 1-thread load of another checkout (e.g. `git worktree add DIR main`) to the rounds.
 * `benchPostgres({ url, rows })` measures against a given database (it creates a `seedpipe_bench` database next
 * to the URL's, and drops it after); run directly (`node --import tsx scripts/bench/postgres.ts [rows…]`) it starts
 * a throwaway embedded PostgreSQL 18 (default durability settings) and prints a table for 100k and 1M rows.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { HEAP_FLAGS } from '../../src/heap.mjs';
import { autoWorkers } from '../../src/cli/options.js';
import type { RunInfo, Sink, SinkBatch, TableInfo, TableResult } from '../../src/contracts.js';
import { loadDataset, makePlan, runPipeline, type Plan, type PlanOptions, type RunOutcome } from '../../src/index.js';
import { copyBinaryEncoder } from '../../stages/encoders/copy-binary/index.js';
import { copyCsvEncoder } from '../../stages/encoders/copy-csv/index.js';
import { generatorSource } from '../../stages/sources/generator/index.js';
import { PostgresSink } from '../../stages/sinks/postgres/index.js';
import { quoteIdent, renderCreateTables, renderForeignKeys, renderIndexes, ddlNames } from '../../stages/sinks/postgres/ddl.js';

/** The generator through the copy-csv encoder into the sinks (what `seedpipe run` assembles for a database). */
function generate(plan: Plan, run: RunInfo, sinks: Sink[], pool: { workers?: number; worker?: { modulePath: string; planOptions: PlanOptions } } = {}): Promise<RunOutcome> {
  return runPipeline({ run, sources: generatorSource(plan, pool), encoders: [copyCsvEncoder(), copyBinaryEncoder()], sinks });
}

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PARENTS = ['users', 'channels', 'user_channels'];
const CHANNELS = 1000;

export interface BenchPostgresOptions {
  /** A database URL on a server the bench may create and drop a `seedpipe_bench` database on. */
  url: string;
  /** Target number of messages (the log-normal per-channel counts make the actual number close, not equal). */
  rows: number;
  /** Runs per method; the median is reported. Default 1. */
  runs?: number;
  /** Also measure seedpipe with this many generation workers. Default 2; 0 or 1 skips it. */
  workers?: number;
  /** Also measure `--workers auto` (`autoWorkers()`: one thread below 4 cores). Default true. */
  auto?: boolean;
  /**
   * Another seedpipe checkout (a directory with its own scripts/bench/postgres.ts and node_modules): its
   * 1-thread load runs as one more method, in the same interleaved rounds (before/after of a change).
   */
  baseline?: string;
  /** Methods to run (default all); `copy-after` always runs, it is the reference. */
  methods?: readonly BenchMethod[];
  log?: (line: string) => void;
}

export type BenchMethod = 'seedpipe' | 'text' | 'workers' | 'auto' | 'sink' | 'copy-after' | 'copy-constrained' | 'insert' | 'generate';
export const BENCH_METHODS: readonly BenchMethod[] = ['seedpipe', 'text', 'workers', 'auto', 'sink', 'copy-after', 'copy-constrained', 'insert', 'generate'];

export interface BenchPostgresRow {
  method: string;
  rows: number;
  seconds: number;
  rowsPerSec: number;
  mbPerSec: number;
  /** rowsPerSec relative to `\copy` into the bare table + constraints after. */
  ratio: number;
  peakRssMB: number;
}

export interface BenchPostgresResult {
  rows: number;
  csvBytes: number;
  results: BenchPostgresRow[];
}

/** `--set` overrides giving about `rows` messages over 1000 channels (medium profile). */
export function planOptions(rows: number, only: string[]): PlanOptions {
  return { profile: 'medium', set: [`channels.rows=${CHANNELS}`, `messagesPerChannel=${Math.max(1, Math.round(rows / CHANNELS))}`], only };
}

export function runInfo(plan: Plan): RunInfo {
  const r = plan.resolved;
  return {
    dataset: r.def.name, seed: r.seed, profile: r.profile, scale: r.scale, refDate: r.def.refDate,
    startedAt: new Date(0).toISOString(), versions: { seedpipe: 'bench', faker: 'bench', node: process.version },
    tables: plan.tables.map((t) => t.info),
  };
}

export function withDb(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export async function sql(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** A sink that writes each batch's `copy-csv` encoding to a file: the exact bytes the Postgres sink COPYs. */
function fileSink(path: string): Sink {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let rows = 0;
  return {
    name: 'file',
    input: () => ({ format: 'copy-csv' }),
    open: async () => undefined,
    table: async (info: TableInfo) => ({
      write: async (b: SinkBatch) => {
        rows += b.count;
        if (!out.write(b.bytes)) await once(out, 'drain');
      },
      close: async (): Promise<TableResult> => ({ table: info.name, rows, bytes: out.bytesWritten }),
    }),
    commit: async (results) => {
      out.end();
      await once(out, 'close');
      return { sink: 'file', location: path, tables: results };
    },
    abort: async () => { out.destroy(); },
  };
}

/** Loads batches with INSERT … VALUES of 1000 rows per statement, in one transaction. */
function insertSink(url: string): Sink {
  const client = new pg.Client({ connectionString: url });
  let rows = 0;
  return {
    name: 'insert',
    input: () => ({ rows: true }),
    open: async () => { await client.connect(); await client.query('BEGIN'); },
    table: async (info: TableInfo) => {
      const cols = info.columns.map((c) => quoteIdent(c.name)).join(', ');
      const width = info.columns.length;
      const statement = (n: number): string =>
        `INSERT INTO ${quoteIdent(info.name)} (${cols}) VALUES ${Array.from({ length: n }, (_, r) => `(${Array.from({ length: width }, (_, j) => `$${r * width + j + 1}`).join(', ')})`).join(', ')}`;
      const full = statement(1000);
      return {
        write: async (b: SinkBatch) => {
          const batchRows = b.rows ?? [];
          for (let s = 0; s < batchRows.length; s += 1000) {
            const chunk = batchRows.slice(s, s + 1000);
            await client.query(chunk.length === 1000 ? full : statement(chunk.length), chunk.flat());
            rows += chunk.length;
          }
        },
        close: async (): Promise<TableResult> => ({ table: info.name, rows, bytes: 0 }),
      };
    },
    commit: async (results) => {
      await client.query('COMMIT');
      await client.end();
      return { sink: 'insert', location: '', tables: results };
    },
    abort: async () => { await client.end().catch(() => undefined); },
  };
}

/** Takes the encoding the Postgres sink would COPY and drops it: generation alone. */
const nullSink: Sink = {
  name: 'null',
  input: () => ({ format: 'copy-binary', orElse: 'copy-csv' }),
  open: async () => undefined,
  table: async (info) => {
    let rows = 0;
    let bytes = 0;
    return { write: async (b) => { rows += b.count; bytes += b.bytes.length; }, close: async () => ({ table: info.name, rows, bytes }) };
  },
  commit: async (results) => ({ sink: 'null', location: '', tables: results }),
  abort: async () => undefined,
};

/**
 * Drives the Postgres sink with batches cut from a ready CSV file (no generation): what the sink itself
 * costs next to `psql \copy` of the same file.
 */
async function sinkFromFile(url: string, plan: Plan, csvPath: string): Promise<number> {
  const info = plan.tables[0]!.info;
  const sink = new PostgresSink({ url, yes: true });
  await sink.open(runInfo(plan));
  const w = await sink.table(info, { format: 'copy-csv', header: Buffer.alloc(0), trailer: () => Buffer.alloc(0) });
  let batches = 0;
  // COPY data is a byte stream: CopyData messages need not end at row boundaries, so the file goes as is,
  // in 512 KiB chunks (about one engine batch).
  for await (const chunk of createReadStream(csvPath, { highWaterMark: 1 << 19 }) as AsyncIterable<Buffer>) {
    await w.write({ table: info.name, start: batches++, count: 0, rows: undefined, bytes: chunk });
  }
  const result = await w.close();
  await sink.commit([result]);
  return result.rows;
}

/** What runs inside a measured child process. Prints `{ rows, seconds }` as JSON. */
async function child(kind: string, args: { rows: number; workers?: number; csv?: string; copyFormat?: 'text' }, url: string): Promise<void> {
  const { def, path } = await loadDataset('chat');
  const opts = planOptions(args.rows, ['messages']);
  const plan = makePlan(def, opts);
  const run = runInfo(plan);
  if (kind === 'sink') {
    const t0 = performance.now();
    const rows = await sinkFromFile(url, plan, args.csv!);
    process.stdout.write(JSON.stringify({ rows, seconds: (performance.now() - t0) / 1000 }) + '\n');
    return;
  }
  const workers = args.workers ?? 1;
  const pool = workers > 1 ? { workers, worker: { modulePath: path, planOptions: opts } } : {};
  let sink: Sink;
  if (kind === 'seedpipe') sink = new PostgresSink({ url, yes: true, ...(args.copyFormat ? { copyFormat: args.copyFormat } : {}) });
  else if (kind === 'insert') sink = insertSink(url);
  else if (kind === 'generate') sink = nullSink;
  else throw new Error(`unknown child ${kind}`);
  // Timed from here: process start-up (tsx, module loading) is not part of the load.
  const t0 = performance.now();
  const out = await generate(plan, run, [sink], pool);
  process.stdout.write(JSON.stringify({ rows: out.tables[0]?.rows ?? 0, seconds: (performance.now() - t0) / 1000 }) + '\n');
}

export interface Measured {
  seconds: number;
  peakRssMB: number;
  stdout: string;
  /** CPU seconds of the measured process (user + system, all its threads and children). */
  cpuSeconds: number;
  /** CPU seconds every `postgres` process on this machine spent meanwhile (reaped children included). */
  serverCpuSeconds: number;
}

/**
 * CPU seconds of every process named `postgres` (utime + stime, plus cutime + cstime: a parallel
 * worker's time counts once the postmaster has reaped it). Other servers on the machine count too.
 */
export function serverCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    const f = stat.slice(close + 2).split(' ');
    // Fields 14–17 of stat(5), counted from the state (field 3) at index 0.
    ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return ticks / CLOCK_TICKS;
}
/** USER_HZ: Linux reports /proc times in 1/100 s on every architecture Node runs on. */
const CLOCK_TICKS = 100;

/** Children get the database URL (with its password) through the environment, not argv. */
const URL_ENV = 'SEEDPIPE_BENCH_DATABASE_URL';

export function timed(cmd: string, argv: string[], env: NodeJS.ProcessEnv = {}): Measured {
  const server0 = serverCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...argv], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 24 });
  const seconds = (performance.now() - t0) / 1000;
  const serverCpu = serverCpuSeconds() - server0;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.slice(0, 4).join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const time = (what: string): number => Number(new RegExp(`${what} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1] ?? NaN);
  return { seconds, peakRssMB: kb / 1024, stdout: r.stdout, cpuSeconds: time('User') + time('System'), serverCpuSeconds: serverCpu };
}

/** The Node flags another checkout runs its processes with (its own src/heap.mjs), for its baseline children. */
export async function flagsOf(checkout: string): Promise<readonly string[]> {
  const m = (await import(pathToFileURL(join(checkout, 'src/heap.mjs')).href)) as { HEAP_FLAGS: readonly string[] };
  return m.HEAP_FLAGS;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** psql's connection: the URL without its password (passed as PGPASSWORD, not on the command line). */
export function psqlTarget(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

export async function benchPostgres(o: BenchPostgresOptions): Promise<BenchPostgresResult> {
  const log = o.log ?? (() => undefined);
  const runs = o.runs ?? 1;
  const url = withDb(o.url, 'seedpipe_bench');
  await sql(o.url, 'DROP DATABASE IF EXISTS seedpipe_bench WITH (FORCE)');
  await sql(o.url, 'CREATE DATABASE seedpipe_bench');
  const dir = await mkdtemp(join(tmpdir(), 'seedpipe-bench-pg-'));
  await chmod(dir, 0o755);
  try {
    const { def } = await loadDataset('chat');
    const full = makePlan(def, planOptions(o.rows, [...PARENTS, 'messages']));
    const infos = full.tables.map((t) => t.info);
    const messages = infos.find((t) => t.name === 'messages')!;
    const parents = infos.filter((t) => t.name !== 'messages');

    // Setup (untimed): parent tables with their constraints, loaded by the sink.
    await sql(url, [...renderCreateTables(parents), ...renderForeignKeys(parents), ...renderIndexes(parents)].join('\n'));
    const parentPlan = makePlan(def, planOptions(o.rows, PARENTS));
    await generate(parentPlan, runInfo(parentPlan), [new PostgresSink({ url, yes: true })]);

    // The messages CSV, written once by the engine.
    const csvPath = join(dir, 'messages.csv');
    const msgPlan = makePlan(def, planOptions(o.rows, ['messages']));
    const written = await generate(msgPlan, runInfo(msgPlan), [fileSink(csvPath)]);
    const rows = written.tables[0]!.rows;
    const csvBytes = written.tables[0]!.bytes;
    log(`messages: ${rows} rows, ${(csvBytes / 1e6).toFixed(1)} MB of CSV`);

    const constrained = [...renderCreateTables([messages]), ...renderForeignKeys([messages]), ...renderIndexes([messages])].join('\n');
    const bare = renderCreateTables([{ ...messages, primaryKey: [], uniques: [], checks: [] }]).join('\n');
    const names = ddlNames([messages]);
    const after = [
      `ALTER TABLE "messages" ADD CONSTRAINT ${quoteIdent(names.primaryKeys.get('messages')!)} PRIMARY KEY ("id");`,
      ...names.checks.map((c) => `ALTER TABLE "messages" ADD CONSTRAINT ${quoteIdent(c.name)} CHECK (${c.expression});`),
      ...renderForeignKeys([messages]),
      ...renderIndexes([messages]),
    ].join('\n');
    const reset = (ddl: string): Promise<void> => sql(url, `DROP TABLE IF EXISTS "messages" CASCADE;\n${ddl}\nCHECKPOINT;`);
    const cols = messages.columns.map((c) => quoteIdent(c.name)).join(', ');
    const copy = `\\copy "messages" (${cols}) FROM '${csvPath}' WITH (FORMAT csv)`;
    const psqlScript = async (name: string, body: string): Promise<string> => {
      const p = join(dir, `${name}.sql`);
      await writeFile(p, `SET maintenance_work_mem = '256MB';\n${body}\nANALYZE "messages";\n`);
      return p;
    };
    const bareScript = await psqlScript('bare', `${copy}\n${after}`);
    const intoScript = await psqlScript('constrained', copy);
    const target = psqlTarget(url);

    const node = (kind: string, extra: Record<string, unknown> = {}) => (): Measured =>
      timed(process.execPath, [...HEAP_FLAGS, '--import', 'tsx', SELF, '--child', kind, JSON.stringify({ rows: o.rows, ...extra })], { [URL_ENV]: url });
    const workers = o.workers ?? 2;
    const auto = autoWorkers();
    const baseline = o.baseline;
    const baselineScript = baseline ? join(baseline, 'scripts/bench/postgres.ts') : '';
    const baselineFlags = baseline ? await flagsOf(baseline) : [];
    const all: { id: BenchMethod; method: string; ddl: string; measure: () => Measured }[] = [
      { id: 'copy-after', method: 'psql \\copy bare + PK, check, FKs, indexes after', ddl: bare, measure: () => timed('/usr/bin/psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', target.url, '-f', bareScript], target.env) },
      { id: 'seedpipe', method: 'seedpipe, 1 thread (generate + COPY + keys after)', ddl: constrained, measure: node('seedpipe') },
      { id: 'text', method: 'seedpipe, 1 thread, --copy-format text', ddl: constrained, measure: node('seedpipe', { copyFormat: 'text' }) },
      ...(baseline ? [{
        id: 'seedpipe' as const, method: `seedpipe, 1 thread, baseline checkout (${baseline})`, ddl: constrained,
        measure: () => timed(process.execPath, [...baselineFlags, '--import', 'tsx', baselineScript, '--child', 'seedpipe', JSON.stringify({ rows: o.rows })], { [URL_ENV]: url }),
      }] : []),
      ...(workers > 1 ? [{ id: 'workers' as const, method: `seedpipe, ${workers} generation workers`, ddl: constrained, measure: node('seedpipe', { workers }) }] : []),
      ...(o.auto !== false ? [{ id: 'auto' as const, method: `seedpipe, --workers auto (${auto} here)`, ddl: constrained, measure: node('seedpipe', { workers: auto }) }] : []),
      { id: 'sink', method: 'seedpipe sink alone, COPY of the same CSV + keys after', ddl: constrained, measure: node('sink', { csv: csvPath }) },
      { id: 'copy-constrained', method: 'psql \\copy into constrained table', ddl: constrained, measure: () => timed('/usr/bin/psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', target.url, '-f', intoScript], target.env) },
      { id: 'insert', method: 'batched INSERT x1000 (generate + insert)', ddl: constrained, measure: node('insert') },
      { id: 'generate', method: 'generation only (no database)', ddl: '', measure: node('generate') },
    ];
    const methods = all.filter((m) => !o.methods || m.id === 'copy-after' || o.methods.includes(m.id));
    const times = methods.map((): number[] => []);
    const rss = methods.map((): number[] => []);
    for (let r = 0; r < runs; r++) {
      for (const [j, m] of methods.entries()) {
        if (m.ddl) await reset(m.ddl);
        const res = m.measure();
        let seconds = res.seconds;
        if (res.stdout.trim()) {
          const got = JSON.parse(res.stdout.trim().split('\n').pop()!) as { rows: number; seconds: number };
          if (got.rows !== rows) throw new Error(`${m.method}: ${got.rows} rows, expected ${rows}`);
          seconds = got.seconds;
        }
        if (m.ddl) {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          const n = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM messages')).rows[0]!.n);
          const k = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM pg_constraint WHERE conrelid = 'messages'::regclass AND contype IN ('p', 'c', 'f')`)).rows[0]!.n);
          await c.end();
          if (n !== rows) throw new Error(`${m.method}: messages has ${n} rows, expected ${rows}`);
          if (k !== 5) throw new Error(`${m.method}: messages has ${k} constraints, expected 5 (pkey, check, 3 fkeys)`);
        }
        times[j]!.push(seconds);
        rss[j]!.push(res.peakRssMB);
        log(`round ${r + 1}/${runs}, ${m.method}: ${Math.round(rows / seconds)} rows/s`);
      }
    }
    // methods[0] is `\copy` bare + after: each round's ratio is against that round's `\copy`.
    const results = methods.map((m, j): BenchPostgresRow => {
      const seconds = median(times[j]!);
      const ratio = median(times[j]!.map((t, r) => times[0]![r]! / t));
      return { method: m.method, rows, seconds, rowsPerSec: rows / seconds, mbPerSec: csvBytes / 1e6 / seconds, ratio, peakRssMB: median(rss[j]!) };
    });
    return { rows, csvBytes, results };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await sql(o.url, 'DROP DATABASE IF EXISTS seedpipe_bench WITH (FORCE)').catch(() => undefined);
  }
}

export function formatBench(r: BenchPostgresResult): string {
  const head = ['method', 'rows', 'seconds', 'rows/s', 'MB/s', 'vs \\copy+after', 'peak RSS MB'];
  const body = r.results.map((x) => [x.method, String(x.rows), x.seconds.toFixed(2), String(Math.round(x.rowsPerSec)), x.mbPerSec.toFixed(1), `${x.ratio.toFixed(2)}x`, x.peakRssMB.toFixed(0)]);
  const w = head.map((h, j) => Math.max(h.length, ...body.map((b) => b[j]!.length)));
  const line = (c: string[]): string => c.map((s, j) => (j === 0 ? s.padEnd(w[j]!) : s.padStart(w[j]!))).join('  ');
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const m = process.argv.indexOf('--methods');
  const methods = m >= 0 ? (process.argv[m + 1] ?? '').split(',') as BenchMethod[] : undefined;
  const b = process.argv.indexOf('--baseline');
  const baseline = b >= 0 ? process.argv[b + 1] : undefined;
  const unknown = methods?.filter((x) => !BENCH_METHODS.includes(x));
  if (unknown?.length) throw new Error(`unknown method(s) ${unknown.join(', ')}; known: ${BENCH_METHODS.join(', ')}`);
  const { startEmbedded, stopEmbedded } = await import('../../src/db/embedded.js');
  const dir = await mkdtemp(join(tmpdir(), 'seedpipe-bench-pgdata-'));
  await chmod(dir, 0o755);
  try {
    // Default durability (fsync on): what `seedpipe run` gets from its embedded database.
    const server = await startEmbedded({ dir: join(dir, 'pg') });
    for (const rows of sizes.length ? sizes : [100_000, 1_000_000]) {
      const r = await benchPostgres({ url: server.url, rows, runs: rows >= 5_000_000 ? 1 : 3, log: (l) => console.error(`  ${l}`), ...(methods ? { methods } : {}), ...(baseline ? { baseline } : {}) });
      console.log(`\nchat messages, ~${rows} rows (${r.rows} generated, ${(r.csvBytes / 1e6).toFixed(1)} MB CSV, ${(r.csvBytes / r.rows).toFixed(0)} B/row), embedded PostgreSQL 18, ${rows >= 5_000_000 ? '1 run' : 'median of 3 rounds'}:`);
      console.log(formatBench(r));
    }
  } finally {
    await stopEmbedded(join(dir, 'pg')).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const i = process.argv.indexOf('--child');
  const task = i >= 0 ? child(process.argv[i + 1]!, JSON.parse(process.argv[i + 2]!) as { rows: number; workers?: number; csv?: string; copyFormat?: 'text' }, process.env[URL_ENV] ?? '') : main();
  task.catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
