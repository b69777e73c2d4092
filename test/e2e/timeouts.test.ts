/**
 * Timeouts through the CLI: a database and a vector index that accept connections and never answer.
 * The run fails with an error naming the host (no password, no API key) and the flag that sets the
 * bound; nothing is left in --out.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

let silent: Server;
let port = 0;
const sockets = new Set<Socket>();
let work: string;

before(async () => {
  // Accepts every connection, reads what comes, never writes a byte.
  silent = createServer((s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); s.resume(); });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  port = (silent.address() as AddressInfo).port;
  work = await mkdtemp(join(tmpdir(), 'sp-timeouts-'));
});
after(async () => {
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
