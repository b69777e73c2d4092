/**
 * Export throughput and memory: chat `messages` (with their parents' keys, 147 B/row) read out of
 * embedded PostgreSQL 18 to a CSV file by the Postgres source → CSV sink (what `seedpipe export`
 * runs), next to `psql \copy (SELECT … ORDER BY id) TO` of the same table. Both read in key order.
 * The export also runs with values parsed (a `mask` transform on the text column), the cost of a
 * transform (up to 1M rows). Each method runs in its own process under `/usr/bin/time -v` (peak RSS), the export
 * with the CLI's heap flags and timed from inside (tsx start-up left out); psql from spawn to exit.
 * `benchExport(url, rows)` measures one size; run directly (`node --import tsx scripts/bench/export.ts
 * [--full]`) it starts a database, prints 100k and 1M (and 10M) rows, and stops it.
 */
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadDataset, makePlan, runPipeline } from '../../src/index.js';
import { HEAP_FLAGS } from '../../src/heap.mjs';
import { PostgresSink } from '../../stages/sinks/postgres/index.js';
import { renderCreateTables } from '../../stages/sinks/postgres/ddl.js';
import { CsvSink } from '../../stages/sinks/csv/index.js';
import { openPostgresSource } from '../../stages/sources/postgres/index.js';
import { maskTransform } from '../../stages/transforms/mask/index.js';
import { standardEncoders } from '../../stages/encoders/standard/index.js';
import { generatorSource } from '../../stages/sources/generator/index.js';
import { median, planOptions, psqlTarget, runInfo, sql, timed, withDb } from './postgres.js';

const SELF = fileURLToPath(import.meta.url);
const URL_ENV = 'SEEDPIPE_BENCH_DATABASE_URL';

export interface ExportPoint {
  rows: number;
  method: string;
  seconds: number;
  rowsPerSec: number;
  ratio: number;
  peakRssMB: number;
}

/** Loads `rows` chat messages into a fresh database `seedpipe_export_bench` (untimed). */
async function load(url: string, rows: number): Promise<string> {
  const db = withDb(url, 'seedpipe_export_bench');
  await sql(url, 'DROP DATABASE IF EXISTS seedpipe_export_bench WITH (FORCE)');
  await sql(url, 'CREATE DATABASE seedpipe_export_bench');
  const { def } = await loadDataset('chat');
  const plan = makePlan(def, planOptions(rows, ['messages']));
  const messages = plan.tables.find((t) => t.name === 'messages')!.info;
  await sql(db, renderCreateTables([messages]).join('\n'));
  await runPipeline({ run: runInfo(plan), sources: generatorSource(plan), encoders: standardEncoders(), sinks: [new PostgresSink({ url: db, yes: true })] });
  await sql(db, 'VACUUM ANALYZE messages');
  return db;
}

/** The child: one export of `messages` to a CSV directory, timed from here. */
async function child(dir: string, masked: boolean): Promise<void> {
  const url = process.env[URL_ENV]!;
  const sources = await openPostgresSource({ url, tables: ['messages'], counts: 'estimate' });
  const t0 = performance.now();
  const run = { dataset: 'bench', seed: 0, profile: 'export', scale: 1, refDate: new Date(0).toISOString(), startedAt: new Date(0).toISOString(), versions: { seedpipe: 'bench', faker: 'bench', node: process.version }, tables: sources.tables.map((t) => t.info) };
  const out = await runPipeline({
    run, sources, encoders: standardEncoders(), sinks: [new CsvSink({ dir })],
    ...(masked ? { transforms: [maskTransform({ key: 'benchmark-masking-key-01', columns: { 'messages.content': 'text' }, auto: false })] } : {}),
  });
  process.stdout.write(JSON.stringify({ rows: out.tables[0]!.rows, seconds: (performance.now() - t0) / 1000 }) + '\n');
}

export async function benchExport(url: string, rows: number, log: (s: string) => void = () => undefined): Promise<ExportPoint[]> {
  const db = await load(url, rows);
  log(`loaded ${rows.toLocaleString('en')} messages`);
  const dir = await mkdtemp(join(tmpdir(), 'seedpipe-bench-export-'));
  await chmod(dir, 0o777);
  try {
    const target = psqlTarget(db);
    const file = join(dir, 'psql.csv');
    const exportRun = (masked: boolean) => {
      const m = timed(process.execPath, [...HEAP_FLAGS, '--import', 'tsx', SELF, '--child', join(dir, masked ? 'masked' : 'plain'), ...(masked ? ['--masked'] : [])], { [URL_ENV]: db });
      const r = JSON.parse(m.stdout.trim().split('\n').pop()!) as { rows: number; seconds: number };
      return { seconds: r.seconds, peakRssMB: m.peakRssMB, rows: r.rows };
    };
    const methods: { name: string; measure: () => { seconds: number; peakRssMB: number } }[] = [
      { name: 'psql \\copy (SELECT … ORDER BY id) TO file', measure: () => timed('/usr/bin/psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', target.url, '-c', `\\copy (SELECT * FROM messages ORDER BY id) TO '${file}' WITH (FORMAT csv, HEADER)`], target.env) },
      { name: 'seedpipe export → CSV (bytes pass through)', measure: () => exportRun(false) },
      // Masking is per value and bound by CPU, the same at any size: measured up to 1M rows to keep --full short.
      ...(rows < 5_000_000 ? [{ name: 'seedpipe export → CSV, values parsed and masked', measure: () => exportRun(true) }] : []),
    ];
    const runs = rows >= 5_000_000 ? 1 : 3;
    const results = methods.map(() => [] as { seconds: number; peakRssMB: number }[]);
    for (let r = 0; r < runs; r++) {
      methods.forEach((m, i) => {
        results[i]!.push(m.measure());
        log(`${m.name}: round ${r + 1}`);
      });
    }
    const base = median(results[0]!.map((x) => x.seconds));
    return methods.map((m, i) => {
      const seconds = median(results[i]!.map((x) => x.seconds));
      return { rows, method: m.name, seconds, rowsPerSec: Math.round(rows / seconds), ratio: base / seconds, peakRssMB: Math.max(...results[i]!.map((x) => x.peakRssMB)) };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
    await sql(url, 'DROP DATABASE IF EXISTS seedpipe_export_bench WITH (FORCE)');
  }
}

export function formatExportBench(points: readonly ExportPoint[]): string {
  const lines = points.map((p) => `${p.method.padEnd(50)} ${p.rows.toLocaleString('en').padStart(11)} rows  ${p.seconds.toFixed(2).padStart(7)} s  ${p.rowsPerSec.toLocaleString('en').padStart(9)} rows/s  ${p.ratio.toFixed(2)}×  peak RSS ${p.peakRssMB.toFixed(0)} MB`);
  const plain = points.filter((p) => p.method.startsWith('seedpipe export → CSV (bytes'));
  if (plain.length > 1) lines.push(`export peak RSS, largest/smallest: ${(plain[plain.length - 1]!.peakRssMB / plain[0]!.peakRssMB).toFixed(2)}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!, args.includes('--masked'));
  const { startTestEmbedded } = await import('../../test/support/postgres.js');
  const server = await startTestEmbedded();
  try {
    const points: ExportPoint[] = [];
    for (const rows of args.includes('--full') ? [100_000, 1_000_000, 10_000_000] : [100_000, 1_000_000]) points.push(...(await benchExport(server.url, rows, (s) => process.stderr.write(`  … ${s}\n`))));
    console.log(formatExportBench(points));
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
