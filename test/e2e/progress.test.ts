/**
 * Progress that tells the truth: on a terminal the steps before the first row and after the last
 * one are shown as they happen, and nothing is wider than the terminal (60 columns here); in a pipe
 * a line arrives at least every heartbeat interval even while the run waits on the database.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import * as pty from 'node-pty';
import { BIN, REPO, runCli } from '../support/cli.js';
import { startTestEmbedded, type TestPostgres } from '../support/postgres.js';

const SMALL = ['--profile', 'light', '--scale', '0.3', '--set', 'messagesPerChannel=40'];
let db: TestPostgres;
let work: string;
before(async () => {
  db = await startTestEmbedded();
  work = await mkdtemp(join(tmpdir(), 'sp-progress-'));
});
after(async () => {
  await db?.stop();
  await rm(work, { recursive: true, force: true });
});

function inPty(args: string[], cols: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const p = pty.spawn(process.execPath, [BIN, ...args], { cols, rows: 30, cwd: REPO, env: process.env as Record<string, string> });
    let output = '';
    p.onData((d) => (output += d));
    p.onExit(({ exitCode }) => resolve({ code: exitCode, output }));
  });
}

/** What a terminal shows of each write: text between cursor movements and line ends. */
function segments(output: string): string[] {
  return output.split(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]|\r|\n/).filter((s) => s.length > 0);
}

test('a 60-column terminal: preparation and every post-load step shown, no line wider than the terminal, numbers whole', async () => {
  const r = await inPty(['run', 'chat', ...SMALL, '--db', db.url, '--create-tables', '--yes', '--out', join(work, 'tty')], 60);
  assert.equal(r.code, 0, r.output);
  const shown = segments(r.output);
  const wide = shown.filter((s) => [...s].length > 60);
  assert.deepEqual(wide, [], 'every line fits 60 columns');
  const text = shown.join('\n');
  // Steps before the first row and after the last one, each with its elapsed time.
  // Keys, indexes, foreign keys and ANALYZE of each table run as it ends; the last ones' are what the commit finishes.
  for (const step of ['preflight', 'setting constraints aside', 'finishing loaded tables', 'sequences', 'publishing files']) {
    assert.match(text, new RegExp(`✓ [a-z]+: ${step}( [\\d,]+/[\\d,]+)? [\\d.]+ s`), `${step} is shown with its time`);
  }
  // The summary's numbers are whole: the loaded row count appears as one token.
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const n = Number((await c.query('SELECT count(*) AS n FROM messages')).rows[0].n);
  await c.end();
  assert.ok(shown.some((s) => s.includes(`${n.toLocaleString('en-US')} rows`) || s.includes(` ${n.toLocaleString('en-US')} `)), `messages' ${n} rows appear whole`);
});

test('in a pipe: a line at least every heartbeat while the run waits on a locked table', async () => {
  const load = await runCli(['run', 'chat', ...SMALL, '--db', db.url, '--create-tables', '--yes', '--skip-csv', '--quiet']);
  assert.equal(load.code, 0, load.stderr);
  const holder = new pg.Client({ connectionString: db.url });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('LOCK TABLE messages IN ACCESS EXCLUSIVE MODE');
  const arrivals: number[] = [];
  const child = spawn(process.execPath, [BIN, 'run', 'chat', ...SMALL, '--db', db.url, '--yes', '--skip-csv', '--heartbeat', '1'], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let pending = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const _ of lines) arrivals.push(performance.now());
  });
  const started = performance.now();
  const locked = 6000;
  await new Promise((r) => setTimeout(r, locked));
  const released = performance.now();
  await holder.query('ROLLBACK');
  await holder.end();
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /\x1b\[/, 'no control sequences in a pipe');
  // From the first line on (the CLI needs a moment to start), no gap longer than the interval and slack.
  const during = arrivals.filter((t) => t <= released);
  assert.ok(during.length >= 3, `lines while the table was locked: ${during.length}\n${stderr}`);
  let prev = during[0]!;
  for (const t of [...during.slice(1), released]) {
    assert.ok(t - prev < 2500, `a silence of ${Math.round(t - prev)} ms (heartbeat 1 s)\n${stderr}`);
    prev = t;
  }
  assert.ok(during[0]! - started < 10_000, 'the first line comes while the CLI starts up');
});
