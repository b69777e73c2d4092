/**
 * `seedpipe init` as a new project uses it: a dataset folder and a config file, then `seedpipe run`
 * with no dataset argument fills it; with --db, the folder is introspected from that database;
 * nothing that exists is overwritten.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { REPO, runCli } from '../support/cli.js';
import { startTestEmbedded, type TestPostgres } from '../support/postgres.js';

let project: string;
let db: TestPostgres;
before(async () => {
  project = await mkdtemp(join(tmpdir(), 'sp-init-'));
  await mkdir(join(project, 'node_modules'));
  await symlink(REPO, join(project, 'node_modules', 'seedpipe')); // the installed package, as npm would link it
  db = await startTestEmbedded();
});
after(async () => {
  await db?.stop();
  await rm(project, { recursive: true, force: true });
});

test('init writes a typed dataset, a README and seedpipe.config.ts; run then needs no dataset argument', async () => {
  const r = await runCli(['init', 'seed/shop'], { cwd: project });
  assert.equal(r.code, 0, r.stderr);
  for (const f of ['seed/shop/dataset.ts', 'seed/shop/README.md', 'seedpipe.config.ts']) assert.ok(existsSync(join(project, f)), f);
  assert.match(await readFile(join(project, 'seed/shop/dataset.ts'), 'utf8'), /defineDataset\(\{\n {2}name: 'shop'/);
  const run = await runCli(['run', '--profile', 'light', '--skip-db', '--json'], { cwd: join(project, 'seed') });
  assert.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as { dataset: string; tables: { table: string; rows: number }[] };
  assert.equal(summary.dataset, 'shop');
  assert.equal(summary.tables.find((t) => t.table === 'customers')!.rows, 100);
  const csv = (await readFile(join(project, 'out/shop/orders.csv'), 'utf8')).trim().split('\n');
  assert.equal(csv.length - 1, summary.tables.find((t) => t.table === 'orders')!.rows);
  // Again: nothing is overwritten.
  await writeFile(join(project, 'seed/shop/README.md'), 'mine\n');
  const again = await runCli(['init', 'seed/shop'], { cwd: project });
  assert.equal(again.code, 0);
  assert.equal(await readFile(join(project, 'seed/shop/README.md'), 'utf8'), 'mine\n');
});

test('init --db introspects the database into the folder', async () => {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query(`CREATE TABLE teams (id bigint PRIMARY KEY, name text NOT NULL UNIQUE);
                 CREATE TABLE players (id bigint PRIMARY KEY, team_id bigint NOT NULL REFERENCES teams(id), email text NOT NULL, joined_at timestamptz NOT NULL)`);
  await c.end();
  const r = await runCli(['init', 'seed/league', '--db', db.url, '--rows', '50'], { cwd: project });
  assert.equal(r.code, 0, r.stderr);
  const files = (await readdir(join(project, 'seed/league'))).sort();
  for (const f of ['README.md', 'dataset.ts', 'introspect-report.md', 'schema.generated.ts']) assert.ok(files.includes(f), f);
  const load = await runCli(['run', 'seed/league', '--db', db.url, '--yes', '--skip-csv', '--json'], { cwd: project });
  assert.equal(load.code, 0, load.stderr);
  const t = (JSON.parse(load.stdout) as { tables: { table: string; rows: number }[] }).tables;
  assert.ok(t.find((x) => x.table === 'players')!.rows > 0);
});
