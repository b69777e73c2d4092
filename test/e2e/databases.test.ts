/**
 * The embedded default as a new user meets it: the quick start (`run chat`), then every other
 * built-in dataset in the same project, each into a database of its own (they share table names
 * such as `users` and `batches`); `db url`, `validate`, `coverage` and `reset` find the dataset's
 * database; tables created by the run get identity defaults past the loaded keys, so the
 * application can insert without an id.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import pg from 'pg';
import { runCli } from '../support/cli.js';

// The datasets' own smallest profile: their relations need its row counts (a smaller --scale can leave a parent empty).
const SMALL = ['--profile', 'light'];
const DATASETS = ['scrum', 'tapflow', 'erp', 'aquaculture'];
let project: string;

before(async () => {
  project = await mkdtemp('/tmp/seedpipe-e2e-dbs-');
  await chmod(project, 0o755); // the embedded server runs as user postgres when tests run as root
});
after(async () => {
  await runCli(['db', 'stop'], { cwd: project, env: { DATABASE_URL: undefined } });
  await rm(project, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { cwd: project, env: { DATABASE_URL: undefined } });

async function query<T>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

test('the quick start, then scrum, tapflow, erp and aquaculture: each in its own database on the embedded default', async () => {
  const quick = await cli(['run', 'chat', '--profile', 'light', '--json']); // the README's quick start
  assert.equal(quick.code, 0, quick.stderr);
  const loaded = new Map<string, Map<string, number>>([['chat', new Map((JSON.parse(quick.stdout) as { tables: { table: string; rows: number }[] }).tables.map((t) => [t.table, t.rows]))]]);
  for (const d of DATASETS) {
    const r = await cli(['run', d, ...SMALL, '--json', '--skip-csv']);
    assert.equal(r.code, 0, `${d}: ${r.stderr}`);
    const summary = JSON.parse(r.stdout) as { tables: { table: string; rows: number }[]; connect: Record<string, string> };
    assert.match(summary.connect.database!, new RegExp(`/${d}$`), `${d}: the URL printed names its database`);
    loaded.set(d, new Map(summary.tables.map((t) => [t.table, t.rows])));
  }
  const status = JSON.parse((await cli(['db', 'status', '--json'])).stdout) as { databases: string[] };
  assert.deepEqual(status.databases, ['aquaculture', 'chat', 'erp', 'scrum', 'tapflow']);
  // Every dataset's rows are still in its own database, untouched by the runs after it.
  for (const [d, tables] of loaded) {
    const url = (await cli(['db', 'url', '--database', d])).stdout.trim();
    assert.match(url, new RegExp(`/${d}$`));
    for (const [table, rows] of tables) {
      const [n] = await query<{ n: string }>(url, `SELECT count(*) AS n FROM "${table}"`);
      assert.equal(Number(n!.n), rows, `${d}.${table}`);
    }
  }
  // `db url` without a name: the last run's database.
  assert.match((await cli(['db', 'url'])).stdout.trim(), /\/aquaculture$/);
});

test('validate, coverage and reset use the dataset’s database; an unknown one is named', async () => {
  const valid = await cli(['validate', 'tapflow', ...SMALL, '--json']);
  const report = JSON.parse(valid.stdout) as { items: { kind: string; name: string; ok: boolean }[] };
  assert.ok(report.items.filter((i) => i.kind === 'fk' || i.kind === 'rows').every((i) => i.ok), valid.stdout);
  const cov = JSON.parse((await cli(['coverage', 'erp', '--json'])).stdout) as { total: number; missing: string[] };
  assert.equal(cov.missing.length, 0);
  assert.ok(cov.total >= 50, 'erp’s tables only, in erp’s database');
  const missing = await cli(['validate', './no-such-db']);
  assert.equal(missing.code, 2);
  const noDb = await cli(['coverage', '--database', 'nope']);
  assert.equal(noDb.code, 2);
  assert.match(noDb.stderr, /DB_NOT_FOUND/);
  const reset = await cli(['reset', 'scrum', '--yes']);
  assert.equal(reset.code, 0, reset.stderr);
  const scrum = (await cli(['db', 'url', '--database', 'scrum'])).stdout.trim();
  const chat = (await cli(['db', 'url', '--database', 'chat'])).stdout.trim();
  assert.equal(Number((await query<{ n: string }>(scrum, 'SELECT count(*) AS n FROM users'))[0]!.n), 0);
  assert.ok(Number((await query<{ n: string }>(chat, 'SELECT count(*) AS n FROM users'))[0]!.n) > 0, 'chat’s users are another database');
});

test('tables created by the run take an INSERT without an id: identity defaults start after the loaded keys', async () => {
  const url = (await cli(['db', 'url', '--database', 'chat'])).stdout.trim();
  const [{ max }] = (await query<{ max: string }>(url, 'SELECT max(id)::text AS max FROM reactions')) as [{ max: string }];
  const [row] = await query<{ id: string }>(url, `INSERT INTO reactions (code, emoji) VALUES ('new_one', 'x') RETURNING id::text`);
  assert.equal(Number(row!.id), Number(max) + 1);
});
