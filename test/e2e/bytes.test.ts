/**
 * What Postgres stores is exactly what was generated, on PostgreSQL 15 and 18, with binary and with text
 * COPY: `\.` lines, multi-line
 * text, emoji counted as characters in varchar(n). A NUL or a lone surrogate is a generator error naming
 * table, column and row, and the run leaves nothing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runCli } from '../support/cli.js';
import { startTestEmbedded, startTestPg15, type TestPostgres } from '../support/postgres.js';
import { SHORTS, TEXTS } from '../fixtures/datasets/bytes.js';

const DATASET = fileURLToPath(new URL('../fixtures/datasets/bytes.ts', import.meta.url));
const servers: [string, () => Promise<TestPostgres>][] = [['PostgreSQL 18', startTestEmbedded], ['PostgreSQL 15', startTestPg15]];

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

for (const [version, start] of servers) {
  let db: TestPostgres;
  before(async () => (db = await start()));
  after(async () => db?.stop());

  for (const format of ['auto', 'text']) test(`${version}, --copy-format ${format}: every value is stored exactly as generated`, async () => {
    const r = await runCli(['run', DATASET, '--db', db.url, '--create-tables', '--yes', '--skip-csv', '--quiet', '--copy-format', format]);
    assert.equal(r.code, 0, r.stderr);
    const notes = await query(db.url, 'SELECT id, body, short, meta FROM notes ORDER BY id');
    assert.equal(notes.length, 1000);
    notes.forEach((n, i) => {
      assert.equal(n.body, TEXTS[i % TEXTS.length], `notes.body row ${i}`);
      assert.equal(n.short, SHORTS[i % SHORTS.length], `notes.short row ${i}`);
      assert.deepEqual(n.meta, { text: TEXTS[i % TEXTS.length] }, `notes.meta row ${i}`);
    });
    const lines = await query(db.url, 'SELECT v FROM lines');
    assert.equal(lines.length, 10, 'a \\. line does not end the COPY');
    assert.equal(lines.filter((l) => l.v === '\\.').length, 5);
  });

  for (const [bad, format] of [['nul', 'auto'], ['surrogate', 'auto'], ['nul', 'text']]) {
    test(`${version}, --copy-format ${format}: a ${bad} in generated text names table, column and row, and leaves nothing`, async () => {
      await query(db.url, 'DROP TABLE IF EXISTS notes, lines');
      const r = await runCli(['run', DATASET, '--db', db.url, '--create-tables', '--yes', '--skip-csv', '--quiet', '--set', `bad=${bad}`, '--copy-format', format!]);
      assert.equal(r.code, 2, r.stderr); // a generator's mistake, like a wrong type: exit 2
      assert.match(r.stderr, /GENERATOR_VALUE/);
      assert.match(r.stderr, /table notes, column body \(row 700\)/);
      assert.doesNotMatch(r.stderr, /unexpected error/);
      assert.deepEqual(await query(db.url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`), []);
    });
  }
}
