/**
 * Operating seedpipe as a user: progress on a terminal and in a pipe, the JSON summary, coverage,
 * partial runs with --only, reset, and the audit log. Asserts on behaviour and data, not wording.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import * as pty from 'node-pty';
import { BIN, REPO, runCli } from '../support/cli.js';
import { startTestEmbedded, type TestPostgres } from '../support/postgres.js';

const SMALL = ['--profile', 'light', '--scale', '0.2', '--set', 'messagesPerChannel=40'];
const TABLES = ['users', 'reactions', 'channels', 'user_channels', 'messages', 'message_reactions'];

let db: TestPostgres;
let work: string;
before(async () => {
  db = await startTestEmbedded();
  work = await mkdtemp(join(tmpdir(), 'sp-ops-'));
});
after(async () => {
  await db?.stop();
  await rm(work, { recursive: true, force: true });
});

async function query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

function runInPty(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const p = pty.spawn(process.execPath, [BIN, ...args], { cols: 160, rows: 40, cwd: REPO, env: process.env as Record<string, string> });
    let output = '';
    p.onData((d) => (output += d));
    p.onExit(({ exitCode }) => resolve({ code: exitCode, output }));
  });
}

test('on a terminal: live progress bars redrawn in place, every table reaching 100%', async () => {
  const r = await runInPty(['run', 'chat', ...SMALL, '--skip-db', '--out', join(work, 'tty')]);
  assert.equal(r.code, 0, r.output);
  assert.ok((r.output.match(/\x1b\[/g) ?? []).length > 10, 'cursor control sequences (redraws)');
  for (const t of TABLES) assert.match(r.output, new RegExp(`${t}\\s+\\|[^\\n]*100%`), `${t} reaches 100%`);
});

test('Ctrl-C on a terminal: the load is rolled back, no file left, exit 130', async () => {
  const out = join(work, 'ctrl-c');
  const p = pty.spawn(process.execPath, [BIN, 'run', 'chat', '--profile', 'light', '--scale', '10', '--db', db.url, '--create-tables', '--yes', '--out', out], { cols: 120, rows: 40, cwd: REPO, env: process.env as Record<string, string> });
  let output = '';
  let sent = false;
  const exit = new Promise<number>((resolve) => p.onExit(({ exitCode }) => resolve(exitCode)));
  p.onData((d) => {
    output += d;
    // Once rows are flowing into messages (about 200k of them at --scale 10), the key a user presses: the terminal turns it into SIGINT
    // for the whole foreground process group (the wrapper and the CLI under it).
    if (!sent && /messages\s+\|/.test(output)) {
      sent = true;
      setTimeout(() => p.write('\x03'), 100);
    }
  });
  const code = await exit;
  assert.ok(sent, `the run reached messages:\n${output.slice(-2000)}`);
  assert.equal(code, 130, output.slice(-2000));
  assert.match(output, /interrupted/i);
  // The tables were created by the run's own transaction: rolled back, they are gone.
  const left = await query<{ t: string }>(`SELECT relname AS t FROM pg_class WHERE relkind = 'r' AND relname IN (${TABLES.map((t) => `'${t}'`).join(', ')})`);
  assert.deepEqual(left, [], 'no table of the interrupted run');
  const files = await readdir(out, { recursive: true }).catch(() => [] as string[]);
  assert.deepEqual(files.filter((f) => /\.tmp-\d+$/.test(String(f))), [], 'no temporary file left');
  assert.deepEqual(files.filter((f) => String(f).endsWith('.csv')), [], 'no CSV of the interrupted run made visible');
});

test('in a pipe: one plain line per table and no control sequences; --quiet prints nothing; --json only JSON on stdout', async () => {
  const plain = await runCli(['run', 'chat', ...SMALL, '--skip-db', '--out', join(work, 'pipe')]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.doesNotMatch(plain.stderr, /\x1b\[/);
  const progressLines = plain.stderr.split('\n').filter((l) => TABLES.some((t) => l.startsWith(`${t}:`)));
  assert.deepEqual(progressLines.map((l) => l.split(':')[0]), TABLES);
  const quiet = await runCli(['run', 'chat', ...SMALL, '--skip-db', '--out', join(work, 'quiet'), '--quiet']);
  assert.equal(quiet.code, 0);
  assert.equal(quiet.stderr, '');
  assert.equal(quiet.stdout, '');
  const json = await runCli(['run', 'chat', ...SMALL, '--skip-db', '--out', join(work, 'json'), '--json']);
  const doc = JSON.parse(json.stdout) as { tables: { table: string; rows: number; bytes: number; seconds: number; rowsPerSec: number }[]; peakRssMB: number; seconds: number; sinks: { sink: string; location: string }[] };
  assert.deepEqual(doc.tables.map((t) => t.table), TABLES);
  assert.ok(doc.tables.every((t) => t.rows > 0 && t.bytes > 0 && t.seconds >= 0));
  assert.equal(doc.sinks[0]!.location, join(work, 'json'));
  assert.equal(json.stdout.trim().split('\n').length, 1, 'one JSON document');
});

test('load, coverage with empty tables, --only one table, validate, reset, audit log', async () => {
  const log = join(work, 'audit.log');
  const load = await runCli(['run', 'chat', ...SMALL, '--db', db.url, '--create-tables', '--yes', '--skip-csv', '--json', '--log-file', log]);
  assert.equal(load.code, 0, load.stderr);
  const summary = JSON.parse(load.stdout) as { tables: { table: string; rows: number }[] };
  const audit = await readFile(log, 'utf8');
  for (const kind of [/ BEGIN\n/, / COPY (public\.)?messages\n/, / ALTER TABLE (public\.)?messages\n/, / COMMIT\n/]) assert.match(audit, kind);
  assert.ok(!audit.includes(new URL(db.url).password || 'never-empty'), 'no password in the audit log');

  await query('CREATE TABLE audit_trail (id bigint); CREATE TABLE legacy_notes (id bigint, note text)');
  const cov = await runCli(['coverage', 'chat', '--db', db.url, '--json']);
  assert.equal(cov.code, 0, cov.stderr);
  const report = JSON.parse(cov.stdout) as { tables: { table: string; rows: number; covered: boolean }[]; nonEmpty: number; total: number; percent: number };
  assert.deepEqual(report.tables.filter((t) => t.rows === 0).map((t) => t.table).sort(), ['audit_trail', 'legacy_notes']);
  assert.deepEqual(report.tables.filter((t) => !t.covered).map((t) => t.table).sort(), ['audit_trail', 'legacy_notes']);
  assert.equal(report.total, 8);
  assert.equal(report.nonEmpty, 6);
  assert.equal(report.percent, 75);
  const below = await runCli(['coverage', '--db', db.url, '--min-coverage', '80']);
  assert.equal(below.code, 1);

  // Regenerate messages alone: parents already there, same keys, children still valid.
  const before = await query<{ n: string; s: string }>('SELECT count(*) AS n, sum(hashtext(content))::text AS s FROM messages');
  await query('UPDATE messages SET content = $$edited$$ WHERE id % 2 = 0');
  const only = await runCli(['run', 'chat', ...SMALL, '--db', db.url, '--only', 'messages', '--yes', '--skip-csv', '--quiet']);
  assert.equal(only.code, 0, only.stderr);
  assert.deepEqual(await query('SELECT count(*) AS n, sum(hashtext(content))::text AS s FROM messages'), before);
  const valid = await runCli(['validate', 'chat', ...SMALL, '--db', db.url, '--json']);
  assert.equal(valid.code, 0, valid.stdout + valid.stderr);
  assert.equal(summary.tables.find((t) => t.table === 'messages')!.rows, Number(before[0]!.n));

  const reset = await runCli(['reset', 'chat', '--db', db.url, '--yes']);
  assert.equal(reset.code, 0, reset.stderr);
  const counts = await query<{ n: string }>(`SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM messages) + (SELECT count(*) FROM message_reactions) AS n`);
  assert.equal(Number(counts[0]!.n), 0);

  // --only without its parents in the database: a clear error naming what to add, nothing written.
  const orphan = await runCli(['run', 'chat', ...SMALL, '--db', db.url, '--only', 'messages', '--yes', '--skip-csv']);
  assert.equal(orphan.code, 2);
  assert.match(orphan.stderr, /ONLY_PARENTS_MISSING/);
  assert.match(orphan.stderr, /channels/);
  assert.equal(Number((await query<{ n: string }>('SELECT count(*) AS n FROM messages'))[0]!.n), 0);
});
