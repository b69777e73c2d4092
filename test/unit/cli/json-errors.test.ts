/** `--json` errors: one JSON object on stdout, the one line on stderr, secrets redacted, no stack trace. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeFor, main, type Io } from '../../../src/cli/main.js';
import { SeedpipeError } from '../../../src/errors.js';

function capture(env: NodeJS.ProcessEnv = {}): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', env, cwd: '/', isTTY: false, out: (s: string) => { io.stdout += s; }, err: (s: string) => { io.stderr += s; } };
  return io;
}

test('a usage error with --json: {"error":{"code":"USAGE",…}} on stdout, exit 2', async () => {
  const io = capture();
  assert.equal(await main(['run', 'chat', '--no-such-flag', '--json'], io), 2);
  const lines = io.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const { error } = JSON.parse(lines[0]!) as { error: Record<string, unknown> };
  assert.equal(error.code, 'USAGE');
  assert.equal(error.reason, 'unknownOption');
  assert.equal(error.exitCode, 2);
  assert.match(String(error.message), /--no-such-flag/);
  assert.match(io.stderr, /--no-such-flag/);
});

test('without --json (or with --json after --) stdout stays empty', async () => {
  for (const argv of [['run', 'chat', '--no-such-flag'], ['run', 'chat', '--no-such-flag', '--', '--json']]) {
    const io = capture();
    assert.equal(await main(argv, io), 2);
    assert.equal(io.stdout, '');
  }
});

test('a SeedpipeError with --json: code, message, disposition, data, all redacted', () => {
  const io = capture({ PINECONE_API_KEY: 'pc-key-s3cret' });
  const e = new SeedpipeError('DB_UNREACHABLE', 'Cannot connect to postgres://seed:pw-s3cret@db.example.com:5432/app (key pc-key-s3cret).', {
    disposition: 'retriable', data: { url: 'postgres://seed:pw-s3cret@db.example.com:5432/app?password=again-s3cret' },
  });
  assert.equal(exitCodeFor(e, io, { json: true }), 1);
  assert.doesNotMatch(io.stdout + io.stderr, /s3cret/);
  const { error } = JSON.parse(io.stdout) as { error: Record<string, unknown> };
  assert.equal(error.code, 'DB_UNREACHABLE');
  assert.equal(error.disposition, 'retriable');
  assert.equal(error.exitCode, 1);
  assert.match(String(error.message), /db\.example\.com:5432\/app/);
  assert.match(JSON.stringify(error.data), /db\.example\.com/);
});

test('an unexpected error with --json: code UNEXPECTED, the message without its stack', () => {
  const io = capture();
  assert.equal(exitCodeFor(new TypeError('x is not a function'), io, { json: true }), 1);
  const { error } = JSON.parse(io.stdout) as { error: Record<string, unknown> };
  assert.deepEqual(error, { code: 'UNEXPECTED', message: 'x is not a function', exitCode: 1 });
});
