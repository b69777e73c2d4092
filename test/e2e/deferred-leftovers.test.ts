/**
 * `kill -9` of a run loading a foreign-key cycle leaves its temp directory of cycle-breaking values
 * (`seedpipe-deferred-<pid>-…` in the temp dir); `seedpipe clean` and the next run remove it and say
 * so. Directories of a process that still runs, and ones without a pid in their name, are left alone.
 * The run's own temp dir is a fresh TMPDIR; the database a test server (a killed CLI cannot stop an
 * embedded one it started).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, runCli } from '../support/cli.js';
import { isRunning, sqlRows, startTestEmbedded, type TestPostgres } from '../support/postgres.js';

const DATASET = fileURLToPath(new URL('../fixtures/datasets/cycle-big.ts', import.meta.url));
let db: TestPostgres;
let work: string;
let temp: string;

before(async () => {
  db = await startTestEmbedded();
  work = await mkdtemp(join(tmpdir(), 'sp-deferred-'));
  temp = join(work, 'tmp');
  await mkdir(temp);
});
after(async () => {
  await db?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const env = (): Record<string, string | undefined> => {
  const e: Record<string, string | undefined> = { DATABASE_URL: undefined, TMPDIR: temp };
  for (const k of Object.keys(process.env)) if (k.startsWith('PG')) e[k] = undefined;
  return e;
};
const ARGS = ['run', DATASET, '--db', '', '--create-tables', '--yes', '--skip-csv', '--heartbeat', '0'];
const args = (): string[] => ARGS.map((a, i) => (ARGS[i - 1] === '--db' ? db.url : a));

const deferredDirs = async (): Promise<string[]> => (await readdir(temp)).filter((n) => n.startsWith('seedpipe-deferred-')).sort();

/** Starts a run and SIGKILLs the CLI process (under the launcher) once its deferred values are on disk. */
async function runAndKill(): Promise<{ dir: string; pid: number }> {
  const e = { ...process.env, ...env() };
  for (const [k, v] of Object.entries(e)) if (v === undefined) delete e[k];
  const child = spawn(process.execPath, [BIN, ...args()], { cwd: work, env: e, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<void>((r) => child.on('close', () => r()));
  const limit = setTimeout(() => child.kill('SIGKILL'), 120_000);
  try {
    for (;;) {
      const names = await deferredDirs();
      const name = names.find((n) => !n.includes(`-${process.pid}-`));
      if (name) {
        const files = await readdir(join(temp, name)).catch(() => []);
        const sizes = await Promise.all(files.map((f) => stat(join(temp, name, f)).then((s) => s.size, () => 0)));
        if (sizes.some((s) => s > 0)) {
          const pid = Number(/^seedpipe-deferred-(\d+)-/.exec(name)![1]);
          const cli = execFileSync('pgrep', ['-P', String(child.pid)]).toString().trim().split('\n').map(Number);
          assert.ok(cli.includes(pid), `the directory is named for the CLI process (${cli.join(',')}): ${name}`);
          process.kill(pid, 'SIGKILL');
          for (let i = 0; i < 200 && isRunning(pid); i++) await new Promise((r) => setTimeout(r, 25));
          return { dir: join(temp, name), pid };
        }
      }
      if (child.exitCode !== null) throw new Error(`the run ended before staging its deferred values: ${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await closed;
    clearTimeout(limit);
  }
}

test('kill -9 during the load of a cycle: the temp dir stays; seedpipe clean removes it (and only it), naming it', async () => {
  // Left alone: a directory of this (running) test process, and one without a pid (its owner unknown).
  const alive = join(temp, `seedpipe-deferred-${process.pid}-keepme`);
  const unnamed = join(temp, 'seedpipe-deferred-AbC123');
  await mkdir(alive);
  await mkdir(unnamed);
  await writeFile(join(alive, 'a.1.csv'), '1,2\n');

  const { dir, pid } = await runAndKill();
  assert.ok(existsSync(dir), 'kill -9 leaves the directory');
  assert.ok(!isRunning(pid));
  assert.deepEqual(await sqlRows(db.url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'seedpipe%' AND state = 'active'`).then((r) => r[0]), { n: 0 });

  const r = await runCli(['clean', '--json'], { cwd: work, env: env() });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { removed: string[] };
  assert.equal(report.removed.length, 1, r.stdout);
  assert.match(report.removed[0]!, new RegExp(`^removed ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ bytes of cycle-breaking values\\), left by process ${pid} that no longer runs$`));
  assert.ok(!existsSync(dir), 'removed');
  assert.deepEqual(await deferredDirs(), [`seedpipe-deferred-${process.pid}-keepme`, 'seedpipe-deferred-AbC123'], 'the others left alone');

  const again = await runCli(['clean'], { cwd: work, env: env() });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /nothing to remove/);
  await rm(alive, { recursive: true });
  await rm(unnamed, { recursive: true });
});

test('kill -9 during the load of a cycle: the next run removes the leftover, says so, and loads', async () => {
  const { dir, pid } = await runAndKill();
  assert.ok(existsSync(dir));
  const r = await runCli(args(), { cwd: work, env: env(), timeoutMs: 180_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stderr.includes(`seedpipe: removed ${dir} (`), r.stderr);
  assert.ok(r.stderr.includes(`left by process ${pid} that no longer runs`), r.stderr);
  assert.deepEqual(await deferredDirs(), [], 'nothing left: neither the killed run’s directory nor this run’s');
  const [row] = await sqlRows<{ a: number; linked: number }>(db.url, `SELECT count(*)::int AS a, count(b_id)::int AS linked FROM a`);
  assert.deepEqual(row, { a: 400_000, linked: 266_666 }, 'every row, with its cycle-breaking value set');
});
