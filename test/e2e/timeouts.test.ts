/**
 * Timeouts through the CLI: a database and a vector index that accept connections and never answer.
 * The run fails with an error naming the host (no password, no API key) and the flag that sets the
 * bound; nothing is left in --out. And statements that block on a real database (another session
 * holds a lock on a table; the load's own backend is stopped with SIGSTOP): --db-statement-timeout
 * ends them, the transaction rolls back, the tables keep what they held.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runCli } from '../support/cli.js';
import { sqlRows, startTestEmbedded, type TestPostgres } from '../support/postgres.js';

let silent: Server;
let port = 0;
const sockets = new Set<Socket>();
let work: string;
let db: TestPostgres;
const LOADER_PASSWORD = 'ld-s3cret-pw';
/** The server's URL as the loader role. */
const loader = (url = db.url): string => url.replace(/\/\/[^@]*@/, `//loader:${LOADER_PASSWORD}@`);

before(async () => {
  db = await startTestEmbedded();
  // A password of its own, so that "not in the output" means something.
  await sqlRows(db.url, `CREATE ROLE loader LOGIN SUPERUSER PASSWORD '${LOADER_PASSWORD}'`);
  // Accepts every connection, reads what comes, never writes a byte.
  silent = createServer((s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); s.resume(); });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  port = (silent.address() as AddressInfo).port;
  work = await mkdtemp(join(tmpdir(), 'sp-timeouts-'));
});
after(async () => {
  await db?.stop();
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  await rm(work, { recursive: true, force: true });
});

const env = (): Record<string, string | undefined> => {
  const e: Record<string, string | undefined> = { DATABASE_URL: undefined };
  for (const k of Object.keys(process.env)) if (k.startsWith('PG')) e[k] = undefined;
  return e;
};

test('a database that never answers: DB_UNREACHABLE naming host and --db-connect-timeout, password not shown', async () => {
  for (const json of [false, true]) {
    const r = await runCli(['run', 'chat', '--profile', 'light', '--scale', '0.1', '--skip-csv', '--yes', '--create-tables', '--heartbeat', '0',
      '--db', `postgres://seed:pw-s3cret@127.0.0.1:${port}/app`, '--db-connect-timeout', '1', ...(json ? ['--json'] : [])], { cwd: work, env: env(), timeoutMs: 60_000 });
    assert.equal(r.code, 1, r.stderr);
    const all = r.stdout + r.stderr;
    assert.match(all, /DB_UNREACHABLE/);
    assert.match(all, new RegExp(`127\\.0\\.0\\.1:${port}/app`));
    assert.match(all, /no answer within 1 s/);
    assert.match(all, /--db-connect-timeout/);
    assert.doesNotMatch(all, /pw-s3cret/);
    assert.doesNotMatch(all, /\n\s+at /, 'no stack trace');
    if (json) assert.equal((JSON.parse(r.stdout) as { error: { code: string } }).error.code, 'DB_UNREACHABLE');
  }
});

test('a vector index that never answers: VECTORS_TIMEOUT naming --vectors-timeout, no files written, no key shown', async () => {
  const out = join(work, 'out');
  const r = await runCli(['run', 'chat', '--profile', 'light', '--scale', '0.1', '--skip-db', '--out', out, '--heartbeat', '0',
    '--vectors', `pinecone://products?host=127.0.0.1:${port}`, '--vectors-timeout', '1'], { cwd: work, env: { ...env(), PINECONE_API_KEY: 'pc-key-s3cret' }, timeoutMs: 120_000 });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /VECTORS_TIMEOUT/);
  assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port} did not answer within 1 s`));
  assert.match(r.stderr, /--vectors-timeout/);
  assert.doesNotMatch(r.stderr, /\.\. /);
  assert.doesNotMatch(r.stderr, /pc-key-s3cret/);
  // The TLS handshake with the silent host outlived the request by ~10 s and held the process.
  assert.ok(r.lingerMs < 5_000, `the process ended ${Math.round(r.lingerMs)} ms after printing the error`);
  const left = await readdir(out).catch(() => []);
  assert.deepEqual(left, [], `nothing half-written in --out: ${left.join(', ')}`);
});

test('an embeddings endpoint that never answers: VECTORS_TIMEOUT naming --vectors-timeout, CSV files removed, no key shown', async () => {
  const out = join(work, 'out-openai');
  const r = await runCli(['run', 'chat', '--profile', 'light', '--scale', '0.1', '--skip-db', '--out', out, '--heartbeat', '0',
    '--vectors', `lancedb://${join(work, 'lance')}`, '--embedder', 'openai:text-embedding-3-small', '--no-embedding-cache', '--vectors-timeout', '1'],
  { cwd: work, env: { ...env(), OPENAI_API_KEY: 'sk-key-s3cret', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` }, timeoutMs: 120_000 });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /VECTORS_TIMEOUT/);
  assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port}/v1 did not answer within 1 s`));
  assert.match(r.stderr, /--vectors-timeout/);
  assert.doesNotMatch(r.stderr, /sk-key-s3cret/);
  assert.ok(r.lingerMs < 5_000, `the process ended ${Math.round(r.lingerMs)} ms after printing the error`);
  const left = await readdir(out).catch(() => []);
  assert.deepEqual(left, [], `nothing half-written in --out: ${left.join(', ')}`);
});

test('an S3 endpoint that never answers: S3_TIMEOUT naming --s3-timeout, nothing in --out, no secret shown', async () => {
  const out = join(work, 'out-s3');
  const r = await runCli(['run', 'chat', '--profile', 'light', '--scale', '0.1', '--skip-db', '--out', out, '--heartbeat', '0',
    '--s3', 's3://bucket/x', '--s3-endpoint', `http://127.0.0.1:${port}`, '--s3-timeout', '1'],
  { cwd: work, env: { ...env(), AWS_ACCESS_KEY_ID: 'AKIASILENT', AWS_SECRET_ACCESS_KEY: 'aws-s3cret-key', AWS_REGION: 'us-east-1', AWS_CA_BUNDLE: undefined, AWS_PROFILE: undefined }, timeoutMs: 120_000 });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /S3_TIMEOUT/);
  assert.match(r.stderr, new RegExp(`http://127\\.0\\.0\\.1:${port} took the connection but did not answer within 1 s while checking bucket "bucket"`));
  assert.match(r.stderr, /--s3-timeout/);
  assert.doesNotMatch(r.stderr, /aws-s3cret-key/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  const left = await readdir(out).catch(() => []);
  assert.deepEqual(left, [], `nothing half-written in --out: ${left.join(', ')}`);
});

const LOAD = ['run', 'chat', '--profile', 'light', '--scale', '0.1', '--skip-csv', '--yes', '--create-tables', '--heartbeat', '0'];
const TABLES = ['users', 'channels', 'messages', 'reactions', 'user_channels', 'message_reactions'];

async function contents(url: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    const [r] = await sqlRows<{ h: string }>(url, `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS h FROM ${t} t`);
    out[t] = r!.h;
  }
  return out;
}

/** Sessions of seedpipe still connected, and advisory locks still held. */
async function leftBehind(url: string): Promise<{ sessions: number; locks: number }> {
  const [r] = await sqlRows<{ sessions: number; locks: number }>(url, `SELECT (SELECT count(*)::int FROM pg_stat_activity WHERE application_name LIKE 'seedpipe%') AS sessions, (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory') AS locks`);
  return r!;
}

async function withBlocker<T>(lock: string, f: () => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: db.url, application_name: 'report writer' });
  await c.connect();
  try {
    await c.query('BEGIN');
    await c.query(lock);
    return await f();
  } finally {
    await c.query('ROLLBACK').catch(() => undefined);
    await c.end();
  }
}

function assertStatementTimeout(r: { code: number; stdout: string; stderr: string }, by: 'server' | 'client'): void {
  assert.equal(r.code, 1, r.stderr);
  const all = r.stdout + r.stderr;
  assert.match(all, /DB_STATEMENT_TIMEOUT/);
  assert.match(all, /--db-statement-timeout/);
  assert.match(all, /rolled back: nothing it wrote was committed/);
  assert.match(all, by === 'server' ? /canceling statement due to statement timeout.*pg_locks/s : /stopped answering a statement/);
  assert.ok(!all.includes(LOADER_PASSWORD), 'no password');
  assert.doesNotMatch(all, /\n\s+at /, 'no stack trace');
}

test('another session holds a lock on a table: --db-statement-timeout ends the blocked run, prepare and shard; nothing changes', async () => {
  const first = await runCli([...LOAD, '--db', loader()], { cwd: work, env: env(), timeoutMs: 120_000 });
  assert.equal(first.code, 0, first.stderr);
  const before = await contents(db.url);
  await withBlocker('SELECT count(*) FROM messages', async () => {
    const run = await runCli([...LOAD, '--db', loader(), '--db-statement-timeout', '1'], { cwd: work, env: env(), timeoutMs: 60_000 });
    assertStatementTimeout(run, 'server');
    const prep = await runCli(['prepare', 'chat', '--profile', 'light', '--scale', '0.1', '--yes', '--db', loader(), '--db-statement-timeout', '1'], { cwd: work, env: env(), timeoutMs: 60_000 });
    assertStatementTimeout(prep, 'server');
    const [p] = await sqlRows<{ ok: boolean }>(db.url, `SELECT to_regclass('seedpipe_shard_ddl') IS NOT NULL AS ok`);
    assert.equal(p!.ok, false, 'prepare recorded nothing');
  });
  assert.deepEqual(await contents(db.url), before, 'the tables hold what the first run loaded');
  assert.deepEqual(await leftBehind(db.url), { sessions: 0, locks: 0 });
  // A shard of a prepared load, blocked the same way.
  const prep = await runCli(['prepare', 'chat', '--profile', 'light', '--scale', '0.1', '--yes', '--db', loader()], { cwd: work, env: env(), timeoutMs: 60_000 });
  assert.equal(prep.code, 0, prep.stderr);
  await withBlocker('LOCK TABLE users IN ACCESS EXCLUSIVE MODE', async () => {
    const shard = await runCli([...LOAD, '--db', loader(), '--mode', 'shard', '--shard', '0/2', '--db-statement-timeout', '1'], { cwd: work, env: env(), timeoutMs: 60_000 });
    assertStatementTimeout(shard, 'server');
  });
  const [n] = await sqlRows<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM users');
  assert.equal(n!.n, 0, 'the shard rolled back');
  await sqlRows(db.url, 'DROP TABLE seedpipe_shard_ddl');
});

test('the load’s own backend stopped (SIGSTOP) mid-COPY: the client gives up after --db-statement-timeout, nothing committed', async () => {
  const url = db.url.replace(/\/[^/?]+(\?|$)/, '/frozen$1');
  await sqlRows(db.url, 'CREATE DATABASE frozen');
  const first = await runCli([...LOAD, '--db', loader(url)], { cwd: work, env: env(), timeoutMs: 120_000 });
  assert.equal(first.code, 0, first.stderr);
  const before = await contents(url);
  const child = runCli([...LOAD, '--scale', '3', '--db', loader(url), '--db-statement-timeout', '2'], { cwd: work, env: env(), timeoutMs: 120_000 });
  let stopped: number | undefined;
  try {
    for (let i = 0; i < 3000 && stopped === undefined; i++) {
      const [b] = await sqlRows<{ pid: number }>(db.url, `SELECT pid FROM pg_stat_activity WHERE datname = 'frozen' AND application_name LIKE 'seedpipe%' AND state = 'active' AND query LIKE 'COPY %' LIMIT 1`);
      if (b) {
        process.kill(b.pid, 'SIGSTOP');
        stopped = b.pid;
      } else await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(stopped, 'caught the load in a COPY');
    const r = await child;
    assertStatementTimeout(r, 'client');
  } finally {
    if (stopped) process.kill(stopped, 'SIGCONT');
    await child;
  }
  // Resumed, the backend finds its client gone and rolls back.
  for (let i = 0; i < 500 && (await leftBehind(url)).sessions > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(await leftBehind(url), { sessions: 0, locks: 0 });
  assert.deepEqual(await contents(url), before, 'the tables hold what the first run loaded');
});
