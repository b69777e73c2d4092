/**
 * The production guard decides on the host pg actually connects to, and no form of a password reaches
 * the output. "Remote" here is 0.0.0.0: the guard counts it as not this machine, while on Linux a
 * connection to it reaches the test server on 127.0.0.1 — so a bypass would really write, and no
 * traffic ever leaves the machine.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runCli } from '../support/cli.js';
import { startTestEmbedded, startTestPg15, type TestPostgres } from '../support/postgres.js';

const SMALL = ['--profile', 'light', '--scale', '0.1', '--set', 'messagesPerChannel=5', '--skip-csv', '--yes', '--create-tables'];
const PW = 'seedpipe'; // the embedded test server's password

let db: TestPostgres;
let pg15: TestPostgres;
let port: string;
let work: string;
before(async () => {
  [db, pg15] = await Promise.all([startTestEmbedded(), startTestPg15()]);
  port = new URL(db.url).port;
  work = await mkdtemp(join(tmpdir(), 'sp-guard-'));
});
after(async () => {
  await Promise.all([db?.stop(), pg15?.stop()]);
  await rm(work, { recursive: true, force: true });
});

async function tables(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.tablename as string);
  } finally {
    await c.end();
  }
}

/** Environment without the developer's own PG* settings, plus the given ones. */
function env(extra: Record<string, string>): Record<string, string | undefined> {
  const e: Record<string, string | undefined> = { DATABASE_URL: undefined };
  for (const k of Object.keys(process.env)) if (k.startsWith('PG')) e[k] = undefined;
  return { ...e, ...extra };
}

const bypasses: [string, Record<string, string>][] = [
  ['a URL without a host, PGHOST and PGPORT naming another machine', { DATABASE_URL: `postgres://postgres:${PW}@/postgres`, PGHOST: '0.0.0.0', PGPORT: '' }],
  ['postgres:///db with the host, port, user and password from PG* variables', { DATABASE_URL: 'postgres:///postgres', PGHOST: '0.0.0.0', PGPORT: '', PGUSER: 'postgres', PGPASSWORD: PW }],
  ['a password ending in an unencoded @', { DATABASE_URL: `postgres://postgres:${PW}@@0.0.0.0:PORT/postgres` }],
];

for (const [name, given] of bypasses) {
  test(`run and reset refuse ${name}`, async () => {
    const e = env(Object.fromEntries(Object.entries(given).map(([k, v]) => [k, k === 'PGPORT' ? port : v.replace('PORT', port)])));
    const run = await runCli(['run', 'chat', ...SMALL], { env: e });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /PRODUCTION_NOT_CONFIRMED/);
    assert.match(run.stderr, /0\.0\.0\.0/, 'the message names the host pg would connect to');
    assert.ok(!run.stderr.includes(`:${PW}@`) && !run.stdout.includes(`:${PW}@`));
    const reset = await runCli(['reset', 'chat', '--yes'], { env: e });
    assert.equal(reset.code, 2, reset.stderr);
    assert.match(reset.stderr, /PRODUCTION_NOT_CONFIRMED/);
    assert.deepEqual(await tables(db.url), [], 'nothing was created or emptied');
  });
}

test('with --confirm-production the load goes to the host the guard named', async () => {
  const e = env({ DATABASE_URL: `postgres://postgres:${PW}@/postgres`, PGHOST: '0.0.0.0', PGPORT: port });
  const r = await runCli(['run', 'chat', ...SMALL, '--confirm-production', '--countdown', '0', '--json'], { env: e });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /host: 0\.0\.0\.0:/);
  assert.ok((await tables(db.url)).includes('messages'));
  const reset = await runCli(['reset', 'chat', '--yes', '--confirm-production'], { env: e });
  assert.equal(reset.code, 0, reset.stderr);
});

test('a ?password= URL is redacted in the summary, the --json connect block and the log file', async () => {
  const secret = 'hunter2-query-secret';
  const url = new URL(pg15.url);
  url.searchParams.set('password', secret); // PostgreSQL 15 test server: trust authentication ignores it
  const log = join(work, 'audit.log');
  for (const extra of [['--json'], []]) {
    const r = await runCli(['run', 'chat', ...SMALL, '--db', url.toString(), '--log-file', log, ...extra], { env: env({}) });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'no password in stdout or stderr');
  }
  assert.ok(!(await readFile(log, 'utf8')).includes(secret), 'no password in the log file');
});

test('a mistyped --db, a key=value string and an empty --db: clear errors, no password, no other database used', async () => {
  for (const bad of ['postgress://app:hunter2-typo@db.example.com/prod', 'host=db.example.com password=hunter2-kv dbname=prod', 'app:hunter2-bare@db.example.com/prod']) {
    const r = await runCli(['run', 'chat', ...SMALL, '--db', bad], { env: env({}) });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /DB_URL_INVALID/);
    assert.doesNotMatch(r.stderr + r.stdout, /hunter2/);
  }
  const empty = await runCli(['run', 'chat', ...SMALL, '--db', ''], { env: env({}) });
  assert.equal(empty.code, 2, empty.stderr);
  assert.match(empty.stderr, /DB_URL_EMPTY/);
  const emptyEnv = await runCli(['run', 'chat', ...SMALL], { env: env({ DATABASE_URL: '' }) });
  assert.equal(emptyEnv.code, 2, emptyEnv.stderr);
  assert.match(emptyEnv.stderr, /DB_URL_EMPTY/);
});
