import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import pg from 'pg';
import { EMBEDDED_PASSWORD, displayUrl, embeddedDataDir, embeddedStatus, startEmbedded, stopEmbedded } from '../../../src/db/embedded.js';
import { isSeedpipeError } from '../../../src/errors.js';
import { isRunning, startTestEmbedded } from '../../support/postgres.js';

const exec = promisify(execFile);
const embeddedModule = new URL('../../../src/db/embedded.ts', import.meta.url).href;

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try { return await client.query(sql); } finally { await client.end(); }
}

let project = '';
let dir = '';
before(async () => {
  project = await mkdtemp('/tmp/seedpipe-embedded-test-');
  await chmod(project, 0o755);
  dir = embeddedDataDir(project);
});
after(async () => {
  await stopEmbedded(dir).catch(() => undefined);
  await rm(project, { recursive: true, force: true });
});

test('embeddedDataDir lives under the project', () => {
  assert.equal(embeddedDataDir('/p/app'), '/p/app/.seedpipe/postgres');
});

test('a server started by a process that has exited keeps running, keeps its data, and is reused', async () => {
  // Start from a separate Node process: the server must outlive it.
  const script = `const m = await import(${JSON.stringify(embeddedModule)});` +
    `const s = await m.startEmbedded({ dir: ${JSON.stringify(dir)}, fast: true });` +
    'console.log(JSON.stringify({ port: s.port, pid: s.pid, alreadyRunning: s.alreadyRunning }));';
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
  const first = JSON.parse(stdout) as { port: number; pid: number; alreadyRunning: boolean };
  assert.equal(first.alreadyRunning, false);

  const status = await embeddedStatus(dir);
  assert.equal(status.running, true);
  assert.equal(status.port, first.port);
  assert.ok(status.url);
  const v = await query(status.url, 'select version() as v, current_setting(\'server_version_num\')::int as n');
  assert.match(String(v.rows[0].v), /^PostgreSQL 18\./);
  await query(status.url, 'create table kept (id int); insert into kept values (42)');

  const again = await startEmbedded({ dir });
  assert.equal(again.alreadyRunning, true);
  assert.equal(again.port, first.port);
  assert.equal(again.pid, first.pid);
  assert.equal(again.url, `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${first.port}/postgres`);
  assert.ok(!displayUrl(again.url).includes(EMBEDDED_PASSWORD));

  const stopped = await stopEmbedded(dir);
  assert.equal(stopped.wasRunning, true);
  assert.deepEqual(await embeddedStatus(dir), { running: false, dataDir: path.join(dir, 'data') });
  assert.equal((await stopEmbedded(dir)).wasRunning, false);

  // Restart: same port (persisted), same data.
  const lines: string[] = [];
  const restarted = await startEmbedded({ dir, fast: true, log: (l) => lines.push(l) });
  assert.equal(restarted.alreadyRunning, false);
  assert.equal(restarted.port, first.port);
  assert.deepEqual((await query(restarted.url, 'select id from kept')).rows, [{ id: 42 }]);
  assert.ok(lines.length > 0 && lines.every((l) => !l.includes(EMBEDDED_PASSWORD)));
  assert.equal(JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')).port, first.port);
  await stopEmbedded(dir);
  assert.equal((await embeddedStatus(dir)).running, false);
});

test('a parent directory the postgres user cannot enter gives a clear error', { skip: process.getuid?.() !== 0 && 'only as root' }, async () => {
  const closed = await mkdtemp('/tmp/seedpipe-closed-'); // mode 0700
  try {
    const proj = path.join(closed, 'app');
    await mkdir(proj);
    await assert.rejects(startEmbedded({ dir: embeddedDataDir(proj) }), (e: unknown) => {
      assert.ok(isSeedpipeError(e));
      assert.equal(e.code, 'EMBEDDED_DIR_NOT_ACCESSIBLE');
      assert.ok(e.message.includes(`chmod o+x ${closed}`), e.message);
      return true;
    });
  } finally {
    await rm(closed, { recursive: true, force: true });
  }
});

test('startTestEmbedded gives a throwaway server and stop() is idempotent', async () => {
  const server = await startTestEmbedded();
  try {
    const r = await query(server.url, 'show fsync');
    assert.equal(r.rows[0].fsync, 'off');
  } finally {
    await server.stop();
    await server.stop();
  }
  assert.ok(server.pid !== undefined);
  assert.equal(isRunning(server.pid as number), false);
});

test('a postmaster.pid left by a killed server, its pid now an unrelated process: removed and reported, that process untouched', async () => {
  const started = await startEmbedded({ dir, fast: true });
  const pidFile = path.join(dir, 'data', 'postmaster.pid');
  const saved = await readFile(pidFile, 'utf8');
  await stopEmbedded(dir);
  // The pid of a live process that is not Postgres, as after pid reuse.
  const other = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    const lines = saved.split('\n');
    lines[0] = String(other.pid);
    await writeFile(pidFile, lines.join('\n'));
    assert.equal((await embeddedStatus(dir)).running, false, 'status does not call an unrelated process our server');
    const notices: string[] = [];
    const again = await startEmbedded({ dir, fast: true, notice: (l) => notices.push(l) });
    assert.equal(again.alreadyRunning, false);
    assert.equal((await query(again.url, 'select 1 as one')).rows[0].one, 1);
    assert.equal(notices.length, 1);
    assert.match(notices[0]!, new RegExp(`stale lock file .*postmaster\\.pid.*${other.pid}`));
    await stopEmbedded(dir);
    assert.ok(isRunning(other.pid!), 'the unrelated process was not signalled');
    assert.ok(started.port > 0);
  } finally {
    other.kill('SIGKILL');
  }
});
