import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeedpipeError } from '../../../src/index.js';
import { compileExpression, filterTransform } from '../../../stages/transforms/filter/index.js';
import { table, through } from './helpers.js';

const msgs = table('messages', { id: 'bigint', user_id: 'bigint', body: 'text', is_dm: 'boolean', amount: 'numeric(10,2)', created_at: 'timestamptz' });
const rows = [
  [1, 7, 'hello world', false, '12.50', new Date('2025-01-02T00:00:00Z')],
  [2, 8, null, true, '3.00', new Date('2024-06-01T00:00:00Z')],
  [3, 7, "it's", false, null, new Date('2025-03-01T00:00:00Z')],
];
const ids = (expr: string): unknown[] => rows.filter((r) => compileExpression(expr, msgs.columns.map((c) => c.name))(r) === true).map((r) => r[0]);

test('comparisons, boolean logic, NULL semantics, IN, LIKE, dates and decimals', () => {
  assert.deepEqual(ids("created_at >= '2025-01-01'"), [1, 3]);
  assert.deepEqual(ids('user_id = 7 and not is_dm'), [1, 3]);
  assert.deepEqual(ids('is_dm or (user_id != 7)'), [2]);
  assert.deepEqual(ids('body is null'), [2]);
  assert.deepEqual(ids('body is not null and body like \'%world\''), [1]);
  assert.deepEqual(ids("body = 'it''s'"), [3]);
  assert.deepEqual(ids('amount > 10'), [1], 'a NULL amount is not > 10, and not <= 10 either');
  assert.deepEqual(ids('not (amount > 10)'), [2]);
  assert.deepEqual(ids('user_id in (8, 9)'), [2]);
  assert.deepEqual(ids('user_id not in (8)'), [1, 3]);
  assert.deepEqual(ids('"user_id" <> 8'), [1, 3]);
});

test('bad conditions are usage errors naming what to change, and nothing is evaluated as code', () => {
  const names = msgs.columns.map((c) => c.name);
  assert.throws(() => compileExpression('nope = 1', names), (e) => isSeedpipeError(e) && e.code === 'FILTER_COLUMN_UNKNOWN' && /user_id/.test(e.message));
  for (const bad of ['user_id = ', "body = 'open", 'user_id == 1 )', 'process.exit(1)', 'user_id ; drop']) {
    assert.throws(() => compileExpression(bad, names), (e) => isSeedpipeError(e) && e.disposition === 'usage', bad);
  }
});

test('the transform keeps matching rows in order, from a condition or a function; other tables untouched', async () => {
  const t = filterTransform({ where: { messages: 'user_id = 7', users: (u) => u.id === 1 } });
  const r = (await through(t, msgs, rows))!;
  assert.deepEqual(r.rows.map((x) => x[0]), [1, 3]);
  assert.equal(r.info, msgs);
  const u = (await through(t, table('users', { id: 'bigint' }), [[1], [2]]))!;
  assert.deepEqual(u.rows, [[1]]);
  assert.equal(await through(t, table('channels', { id: 'bigint' }), [[1]]), undefined);
});

test('a throwing predicate names table and row', async () => {
  const t = filterTransform({ where: { messages: () => { throw new Error('boom'); } } });
  await assert.rejects(through(t, msgs, rows, 100), (e) => isSeedpipeError(e) && e.code === 'FILTER_FAILED' && /row 100/.test(e.message));
});
