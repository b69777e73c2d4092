import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TableInfo } from '../../../src/contracts.js';
import { loadDataset, makePlan } from '../../../src/index.js';
import { columnsOf, ddlNames, quoteIdent, renderDdl } from '../../../stages/sinks/postgres/ddl.js';

const snapshot = fileURLToPath(new URL('./__snapshots__/chat-ddl.sql', import.meta.url));

/** Compares with the committed snapshot; UPDATE_SNAPSHOTS=1 writes it instead. */
function matchSnapshot(actual: string, file: string): void {
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `snapshot ${file} is missing: run with UPDATE_SNAPSHOTS=1 to write it, then review and commit it`);
  assert.equal(actual, readFileSync(file, 'utf8'));
}

const table = (t: Partial<TableInfo> & Pick<TableInfo, 'name' | 'columns'>): TableInfo => ({
  primaryKey: [], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 0, firstRow: 0, ...t,
});
const col = (name: string, type: TableInfo['columns'][number]['type'] = 'bigint', extra: Partial<TableInfo['columns'][number]> = {}): TableInfo['columns'][number] =>
  ({ name, type, nullable: false, exported: true, deferred: false, ...extra });

test('the chat dataset renders the DDL of the committed snapshot', async () => {
  const { def } = await loadDataset('chat');
  const plan = makePlan(def, { profile: 'light' });
  const ddl = renderDdl(plan.tables.map((t) => t.info));
  matchSnapshot(ddl, snapshot);
  // The same tables at another profile give the same DDL: row counts are not part of it.
  assert.equal(renderDdl(makePlan(def, { profile: 'medium' }).tables.map((t) => t.info)), ddl);
});

test('enum columns get a <table>_<column> type, created before the table that uses it', () => {
  const ddl = renderDdl([table({ name: 'tickets', columns: [col('id'), col('status', 'text', { enumValues: ['open', "won't fix"] })], primaryKey: ['id'] })], { schema: 'app' });
  assert.match(ddl, /^CREATE TYPE "app"\."tickets_status" AS ENUM \('open', 'won''t fix'\);/);
  assert.match(ddl, /"status" "app"\."tickets_status" NOT NULL/);
  assert.ok(ddl.indexOf('CREATE TYPE') < ddl.indexOf('CREATE TABLE'));
});

test('composite keys, uniques and foreign keys; foreign keys and indexes come after every table', () => {
  const a = table({ name: 'a', columns: [col('x'), col('y'), col('b_id', 'bigint', { nullable: true })], primaryKey: ['x', 'y'], uniques: [['y', 'x']], foreignKeys: [{ columns: ['b_id'], table: 'b', refColumns: ['id'], nullable: true }], indexes: [['b_id']] });
  const b = table({ name: 'b', columns: [col('id'), col('ax'), col('ay')], primaryKey: ['id'], foreignKeys: [{ columns: ['ax', 'ay'], table: 'a', refColumns: ['x', 'y'], nullable: false }], indexes: [['ax', 'ay']] });
  const ddl = renderDdl([a, b]);
  assert.match(ddl, /CONSTRAINT "a_pkey" PRIMARY KEY \("x", "y"\)/);
  assert.match(ddl, /CONSTRAINT "a_y_x_key" UNIQUE \("y", "x"\)/);
  assert.match(ddl, /ALTER TABLE "b" ADD CONSTRAINT "b_ax_ay_fkey" FOREIGN KEY \("ax", "ay"\) REFERENCES "a"\("x", "y"\);/);
  assert.match(ddl, /CREATE INDEX "b_ax_ay_idx" ON "b" \("ax", "ay"\);/);
  assert.ok(ddl.lastIndexOf('CREATE TABLE') < ddl.indexOf('ALTER TABLE'), 'a cycle between a and b needs both tables first');
});

test('identifiers are quoted, and names are cut to 63 bytes and numbered when they collide', () => {
  assert.equal(quoteIdent('we"ird'), '"we""ird"');
  const long = 'x'.repeat(60);
  const t = table({ name: long, columns: [col('a'), col('b')], uniques: [['a'], ['a', 'b']], checks: ['a > 0', 'a < 10'] });
  const names = ddlNames([t]);
  for (const n of [...names.uniques.map((u) => u.name), ...names.checks.map((c) => c.name)]) assert.ok(Buffer.byteLength(n) <= 63, n);
  assert.equal(new Set(names.uniques.map((u) => u.name)).size, 2);
  // Postgres would truncate `<table>_a_check` the same way; the second one gets a number.
  assert.deepEqual(names.checks.map((c) => c.name), [`${'x'.repeat(57)}_check`, `${'x'.repeat(56)}_check1`]);
});

test('a check is named after the columns it mentions, not words inside string literals', () => {
  const cols = [col('status', 'text'), col('closed_at', 'timestamptz', { nullable: true })];
  assert.deepEqual(columnsOf(`status <> 'closed_at' OR closed_at IS NOT NULL AND "status" = 'x'`, cols), ['status', 'closed_at']);
});
