/**
 * A full disk during a run (a small tmpfs as --out, mounted for the test; needs root): the run fails
 * with a clear error that says what was committed (nothing: the database rolled back), no stack
 * trace, and nothing half-visible — no table file, no metadata.csv, no manifest, no temporary file.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runCli } from '../support/cli.js';
import { startTestEmbedded, type TestPostgres } from '../support/postgres.js';

const root = process.getuid?.() === 0;
const RUN = ['run', 'chat', '--profile', 'light', '--seed', '7', '--heartbeat', '0'];
const PAGE = 4096;

let db: TestPostgres;
let work: string;
const mounts: string[] = [];

before(async () => {
  if (!root) return;
  db = await startTestEmbedded();
  work = await mkdtemp(join(tmpdir(), 'sp-diskfull-'));
});
after(async () => {
  for (const m of mounts) execFileSync('umount', [m]);
  await db?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function smallDisk(name: string, bytes: number): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

async function freshDatabase(name: string): Promise<string> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(db.url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function tablesIn(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).rows.map((r) => r.tablename as string);
  } finally {
    await c.end();
  }
}

function assertClearError(stderr: string): void {
  assert.match(stderr, /CSV_WRITE_FAILED/);
  assert.match(stderr, /ENOSPC|no space left/i);
  assert.match(stderr, /check free space/);
  assert.match(stderr, /rolled back the transaction .*nothing of this run was committed/);
  assert.doesNotMatch(stderr, /unexpected error|\n\s+at /, 'no stack trace');
}

test('the disk fills while a table is written: nothing committed, nothing left on the disk', { skip: !root && 'needs root to mount a tmpfs' }, async () => {
  const out = await smallDisk('mid-load', 1024 * 1024); // messages.csv alone is ~2 MB
  const url = await freshDatabase('mid_load');
  const r = await runCli([...RUN, '--db', url, '--create-tables', '--yes', '--out', out]);
  assert.equal(r.code, 1, r.stderr);
  assertClearError(r.stderr);
  assert.deepEqual(await readdir(out), []);
  assert.deepEqual(await tablesIn(url), [], 'the tables the run created were rolled back');
});

test('every table file fits but the manifest does not: the database does not commit, no file becomes visible', { skip: !root && 'needs root to mount a tmpfs' }, async () => {
  // The same seed gives the same bytes: measure the table files, then give the disk exactly their
  // pages plus one (metadata.csv fits in it, the ~8 KB manifest does not).
  const probe = join(work, 'probe');
  const p = await runCli([...RUN, '--skip-db', '--out', probe]);
  assert.equal(p.code, 0, p.stderr);
  let pages = 0;
  for (const f of await readdir(probe)) {
    if (f === 'manifest.json' || f === 'metadata.csv') continue;
    pages += Math.ceil((await stat(join(probe, f))).size / PAGE);
  }
  assert.ok((await stat(join(probe, 'metadata.csv'))).size <= PAGE && (await stat(join(probe, 'manifest.json'))).size > PAGE);
  const out = await smallDisk('manifest', (pages + 1) * PAGE);
  const url = await freshDatabase('manifest_full');
  const r = await runCli([...RUN, '--db', url, '--create-tables', '--yes', '--out', out]);
  assert.equal(r.code, 1, r.stderr);
  assertClearError(r.stderr);
  assert.match(r.stderr, /manifest\.json\.tmp-\d+/, 'names the file it could not write');
  assert.deepEqual(await readdir(out), [], 'no table file, metadata.csv or manifest is visible');
  assert.deepEqual(await tablesIn(url), []);
});
