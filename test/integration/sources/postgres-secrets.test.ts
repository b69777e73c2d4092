/**
 * The Postgres source reads its URL the way the sink does (canonicalDatabaseUrl: pg's parser, every
 * setting explicit, key=value strings refused) and never shows the password: not in its location, not in a
 * connection failure, not in a server error that quotes it, not in `seedpipe export`'s output.
 * Against the embedded PostgreSQL 18 with a role whose password needs percent-encoding.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSeedpipeError } from '../../../src/errors.js';
import { openPostgresSource } from '../../../stages/sources/postgres/index.js';
import { runCli } from '../../support/cli.js';
import { sqlRows, startTestEmbedded, type TestPostgres } from '../../support/postgres.js';

const PASSWORD = 'Rd-s3cret/with:odd@chars';
let server: TestPostgres;
let url: string;
let work: string;

before(async () => {
  server = await startTestEmbedded();
  await sqlRows(server.url, `CREATE ROLE reader LOGIN PASSWORD '${PASSWORD}'; CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes SELECT i, 'note ' || i FROM generate_series(1, 20) i; GRANT SELECT ON notes TO reader`);
  const u = new URL(server.url);
  url = `postgres://reader:${encodeURIComponent(PASSWORD)}@${u.host}${u.pathname}`;
  work = await mkdtemp(join(tmpdir(), 'sp-src-secret-'));
});
after(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const leaks = (text: string): boolean => text.includes(PASSWORD) || text.includes(encodeURIComponent(PASSWORD));

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

test('a URL with a percent-encoded password connects; the location names host, port and database only', async () => {
  const s = await openPostgresSource({ url });
  try {
    assert.deepEqual(s.tables.map((t) => [t.info.name, t.rows]), [['notes', 20]]);
    const u = new URL(server.url);
    assert.equal(s.location, `postgres://${u.hostname}:${u.port}${u.pathname}`);
    assert.ok(!leaks(s.location) && !leaks(JSON.stringify(s.tables.map((t) => t.info))), 'no password in the location or table infos');
    assert.ok(Object.values(s).every((v) => typeof v !== 'string' || !leaks(v)), 'no enumerable field holds the URL');
  } finally {
    await s.close();
  }
});

test('a key=value connection string is refused as the sink refuses it, without showing the value', async () => {
  const u = new URL(server.url);
  const e = await failure(openPostgresSource({ url: `host=${u.hostname} port=${u.port} user=reader password=${PASSWORD} dbname=postgres` }));
  assert.ok(isSeedpipeError(e) && e.code === 'DB_URL_INVALID', String(e));
  assert.ok(!leaks(e.message), e.message);
});

test('a wrong password: DB_UNREACHABLE naming the target, without the password', async () => {
  const wrong = url.replace(encodeURIComponent(PASSWORD), encodeURIComponent(`${PASSWORD}-nope`));
  const e = await failure(openPostgresSource({ url: wrong }));
  assert.ok(isSeedpipeError(e) && e.code === 'DB_UNREACHABLE', String(e));
  assert.match(e.message, /password authentication failed/);
  assert.ok(!leaks(e.message) && !leaks(JSON.stringify(e)), e.message);
});

test('a server error that quotes the password (a bad row condition) is scrubbed, raw and percent-encoded', async () => {
  for (const shown of [PASSWORD, encodeURIComponent(PASSWORD)]) {
    const e = await failure(openPostgresSource({ url, where: { notes: `id = '${shown}'::int` } }));
    assert.ok(isSeedpipeError(e) && e.code === 'SOURCE_READ_FAILED', String(e));
    assert.match(e.message, /invalid input syntax for type integer/);
    assert.ok(!leaks(e.message), e.message);
  }
});

test('seedpipe export from a URL with a password: no password in stdout or stderr, on success and on failure', async () => {
  const env = { DATABASE_URL: undefined, PGPASSWORD: undefined, AWS_CA_BUNDLE: undefined };
  const ok = await runCli(['export', '--db', url, '--out', join(work, 'out'), '--json'], { cwd: work, env, timeoutMs: 120_000 });
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(!leaks(ok.stdout + ok.stderr), ok.stdout + ok.stderr);
  const bad = await runCli(['export', '--db', url, '--out', join(work, 'bad'), '--where', `notes: id = '${PASSWORD}'::int`], { cwd: work, env, timeoutMs: 120_000 });
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stderr, /invalid input syntax for type integer/);
  assert.ok(!leaks(bad.stdout + bad.stderr), bad.stderr);
});
