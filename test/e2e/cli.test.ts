/** The CLI as a user runs it: exit codes, files written (or not), the JSON summary. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/datasets/${name}.ts`, import.meta.url));

test('--help works and lists the commands', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  for (const c of ['run', 'plan', 'validate', 'verify', 'db', 'ddl']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
});

test('unknown flag, dataset or profile: a one-line error and exit code 2', async () => {
  for (const args of [['run', 'chat', '--bogus'], ['run', 'no_such_dataset'], ['run', 'chat', '--profile', 'huge'], ['run', 'chat', '--scale', '-2'], ['run', 'chat', '--shard', '3/2']]) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')} prints one line: ${r.stderr}`);
  }
});

test('bad datasets fail before any file is written, naming what to change', async () => {
  const cases: [string, RegExp][] = [
    ['bad-ref', /table posts, column author_id: refers to unknown table "authors"/],
    ['bad-type', /table events, column happened_at \(row 9\).*return a valid Date/],
    ['bad-cycle', /cycle with no nullable foreign key: .*(teams|players).*nullable/],
  ];
  for (const [name, re] of cases) {
    const out = await mkdtemp(join(tmpdir(), 'sp-bad-'));
    await rm(out, { recursive: true });
    const r = await runCli(['run', fixture(name), '--skip-db', '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, re);
    assert.equal(existsSync(out), false, `${name}: nothing written`);
  }
});

test('run --skip-db writes every table, manifest and a JSON summary on stdout only', async () => {
  const out = await mkdtemp(join(tmpdir(), 'sp-run-'));
  try {
    const r = await runCli(['run', 'chat', '--profile', 'light', '--scale', '0.2', '--set', 'messagesPerChannel=30', '--skip-db', '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { tables: { table: string; rows: number }[]; sinks: { sink: string; location: string }[]; peakRssMB: number };
    assert.deepEqual(summary.tables.map((t) => t.table), ['users', 'reactions', 'channels', 'user_channels', 'messages', 'message_reactions']);
    assert.equal(summary.tables.find((t) => t.table === 'users')!.rows, 200);
    assert.equal(summary.sinks[0]!.sink, 'csv');
    assert.ok(summary.peakRssMB > 0);
    const files = (await readdir(out)).sort();
    assert.deepEqual(files, ['channels.csv', 'manifest.json', 'message_reactions.csv', 'messages.csv', 'metadata.csv', 'reactions.csv', 'user_channels.csv', 'users.csv']);
    const users = (await readFile(join(out, 'users.csv'), 'utf8')).split('\n');
    assert.equal(users[0], 'id,auth0_id,email,name,picture,bio,is_active,created_at');
    assert.equal(users.length - 2, 200);
    // Same seed again through the CLI: identical bytes; another seed: different.
    const again = await mkdtemp(join(tmpdir(), 'sp-run2-'));
    const other = await mkdtemp(join(tmpdir(), 'sp-run3-'));
    try {
      const common = ['--profile', 'light', '--scale', '0.2', '--set', 'messagesPerChannel=30', '--skip-db', '--quiet'];
      assert.equal((await runCli(['run', 'chat', ...common, '--out', again, '--workers', '3'])).code, 0);
      assert.equal((await runCli(['run', 'chat', ...common, '--out', other, '--seed', '43'])).code, 0);
      for (const f of ['users.csv', 'messages.csv', 'message_reactions.csv']) {
        assert.deepEqual(await readFile(join(again, f)), await readFile(join(out, f)), f);
        assert.notDeepEqual(await readFile(join(other, f)), await readFile(join(out, f)), f);
      }
    } finally {
      await rm(again, { recursive: true, force: true });
      await rm(other, { recursive: true, force: true });
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test('plan and --dry-run print the plan with a Mermaid graph and touch nothing', async () => {
  const out = join(tmpdir(), `sp-dry-${process.pid}`);
  const plan = await runCli(['plan', 'chat', '--profile', 'light', '--json']);
  assert.equal(plan.code, 0, plan.stderr);
  const p = JSON.parse(plan.stdout) as { tables: { table: string; rows: number; estimatedBytes: number }[]; mermaid: string };
  assert.equal(p.tables[0]!.table, 'users');
  assert.ok(p.tables.every((t) => t.estimatedBytes > 0 || t.rows === 0));
  assert.match(p.mermaid, /messages -->\|channel_id\| channels/);
  const dry = await runCli(['run', 'chat', '--profile', 'light', '--dry-run', '--out', out, '--vectors', 'lancedb://' + out + '/v']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /would write:/);
  assert.match(dry.stdout, /vectors messages: \d+ texts, ~\d+ tokens/);
  assert.equal(existsSync(out), false);
});

test('a non-local database is refused without --confirm-production, and its password is never printed', async () => {
  const r = await runCli(['run', 'chat', '--profile', 'light', '--db', 'postgres://app:hunter2secret@db.example.com:5432/prod', '--skip-csv']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /PRODUCTION_NOT_CONFIRMED/);
  assert.match(r.stderr, /db\.example\.com/);
  assert.ok(!r.stderr.includes('hunter2secret') && !r.stdout.includes('hunter2secret'));
});
