/**
 * Scale-out benchmark: the chat dataset into PostgreSQL as one process (1 thread, 2 workers, auto)
 * and as `prepare` + 4 local shard processes in parallel + `finalize`, same rows and bytes.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startTestEmbedded } from '../../test/support/postgres.js';

const BIN = fileURLToPath(new URL('../../bin/seedpipe.js', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d));
    c.stderr.on('data', (d: Buffer) => (stderr += d));
    c.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function must(args: string[]): Promise<string> {
  const r = await cli(args);
  if (r.code !== 0) throw new Error(`seedpipe ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

export interface ShardBenchRow {
  method: string;
  rows: number;
  seconds: number;
  rowsPerSec: number;
}

export async function benchShards(opts: { profile?: string; shards?: number } = {}): Promise<ShardBenchRow[]> {
  const profile = opts.profile ?? 'medium';
  const n = opts.shards ?? 4;
  const db = await startTestEmbedded();
  const url = (name: string) => db.url.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const out: ShardBenchRow[] = [];
  try {
    let rows = 0;
    for (const [label, extra] of [['1 process, 1 thread', []], ['1 process, 2 workers', ['--workers', '2']], ['1 process, --workers auto', ['--workers', 'auto']]] as const) {
      const name = `single_${out.length}`;
      await c.query(`CREATE DATABASE ${name}`);
      const t0 = performance.now();
      const j = JSON.parse(await must(['run', 'chat', '--profile', profile, '--db', url(name), '--create-tables', '--yes', '--skip-csv', '--json', ...extra])) as { tables: { rows: number }[] };
      const s = (performance.now() - t0) / 1000;
      rows = j.tables.reduce((a, t) => a + t.rows, 0);
      out.push({ method: label, rows, seconds: s, rowsPerSec: Math.round(rows / s) });
    }
    await c.query('CREATE DATABASE sharded');
    const t0 = performance.now();
    await must(['prepare', 'chat', '--profile', profile, '--db', url('sharded'), '--create-tables', '--yes']);
    await Promise.all(Array.from({ length: n }, (_, k) => must(['run', 'chat', '--profile', profile, '--db', url('sharded'), '--mode', 'shard', '--shard', `${k}/${n}`, '--skip-csv', '--quiet'])));
    await must(['finalize', 'chat', '--profile', profile, '--db', url('sharded'), '--shards', String(n)]);
    const s = (performance.now() - t0) / 1000;
    out.push({ method: `prepare + ${n} shard processes + finalize`, rows, seconds: s, rowsPerSec: Math.round(rows / s) });
  } finally {
    await c.end();
    await db.stop();
  }
  return out;
}

export function formatShardBench(rows: readonly ShardBenchRow[]): string {
  const base = rows[0]?.rowsPerSec ?? 1;
  return rows.map((r) => `${r.method.padEnd(42)} ${String(r.rows).padStart(9)} rows ${r.seconds.toFixed(1).padStart(7)} s ${String(r.rowsPerSec).padStart(8)} rows/s  ${(r.rowsPerSec / base).toFixed(2)}× of one process`).join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(formatShardBench(await benchShards()));
