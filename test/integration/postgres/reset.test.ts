/**
 * `seedpipe reset` against an embedded PostgreSQL with a table outside the dataset that references
 * `users`: TRUNCATE … CASCADE would empty it, so reset refuses and names it unless `--cascade`, asks
 * on a terminal with every table it will empty, refuses while a run holds the dataset's lock, and
 * with `--cascade --yes` empties and lists it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as pty from 'node-pty';
import { BIN, REPO, runCli } from '../../support/cli.js';
import { startTestEmbedded, type TestPostgres } from '../../support/postgres.js';
import pg from 'pg';
import { runLockName } from '../../../stages/sinks/postgres/run-lock.js';
import { withClient } from './helpers.js';

const SMALL = ['--profile', 'light', '--scale', '0.2', '--set', 'messagesPerChannel=40'];

let db: TestPostgres;
before(async () => {
  db = await startTestEmbedded();
});
after(async () => {
  await db?.stop();
});

async function count(table: string): Promise<number> {
  return withClient(db.url, async (c) => Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n));
}

/** Runs the CLI on a pseudo-terminal, answering `answer` once the question appears. */
function resetOnTty(args: string[], answer: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const p = pty.spawn(process.execPath, [BIN, ...args], { cols: 400, rows: 40, cwd: REPO, env: process.env as Record<string, string> });
    let output = '';
    let answered = false;
    p.onData((d) => {
      output += d;
      if (!answered && output.includes('[y/N]')) {
        answered = true;
        p.write(`${answer}\r`);
      }
    });
    p.onExit(({ exitCode }) => resolve({ code: exitCode, output }));
  });
}

test('a table outside the dataset that references users: refused and named without --cascade, asked for and emptied with it', async () => {
  const load = await runCli(['run', 'chat', ...SMALL, '--db', db.url, '--create-tables', '--yes', '--skip-csv', '--quiet']);
  assert.equal(load.code, 0, load.stderr);
  const users = await count('users');
  assert.ok(users > 0);
  await withClient(db.url, (c) => c.query(`CREATE TABLE support_tickets (id serial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id));
    INSERT INTO support_tickets (user_id) SELECT id FROM users ORDER BY id LIMIT 3`));

  const refused = await runCli(['reset', 'chat', '--db', db.url, '--yes']);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /RESET_NEEDS_CASCADE/);
  assert.match(refused.stderr, /public\.support_tickets/);
  assert.match(refused.stderr, /--cascade/);
  assert.equal(await count('users'), users, 'nothing was emptied');
  assert.equal(await count('support_tickets'), 3);

  // On a terminal the question lists every table, the outside one included; "n" changes nothing.
  const declined = await resetOnTty(['reset', 'chat', '--db', db.url, '--cascade'], 'n');
  assert.equal(declined.code, 2, declined.output);
  assert.match(declined.output, /Empty 7 table\(s\) \([^)]*users[^)]*public\.support_tickets\)/);
  assert.match(declined.output, /RESET_NOT_CONFIRMED/);
  assert.equal(await count('users'), users);
  assert.equal(await count('support_tickets'), 3);

  // While a run holds the dataset's lock, reset waits for nothing and empties nothing.
  const loader = new pg.Client({ connectionString: db.url, application_name: 'seedpipe pid=1@loader' });
  await loader.connect();
  try {
    await loader.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [runLockName('chat', 'public')]);
    const busy = await runCli(['reset', 'chat', '--db', db.url, '--cascade', '--yes']);
    assert.equal(busy.code, 1, busy.stderr);
    assert.match(busy.stderr, /RUN_IN_PROGRESS/);
    assert.match(busy.stderr, /seedpipe pid=1@loader/);
    assert.equal(await count('users'), users);
  } finally {
    await loader.end();
  }

  const emptied = await runCli(['reset', 'chat', '--db', db.url, '--cascade', '--yes']);
  assert.equal(emptied.code, 0, emptied.stderr);
  assert.match(emptied.stdout, /emptied 7 table\(s\): .*users.*; outside the dataset \(--cascade\): public\.support_tickets/);
  assert.equal(await count('users'), 0);
  assert.equal(await count('support_tickets'), 0);
});
