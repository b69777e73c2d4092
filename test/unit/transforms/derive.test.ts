import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeedpipeError } from '../../../src/index.js';
import { deriveTransform } from '../../../stages/transforms/derive/index.js';
import { csvEncoder } from '../../../stages/encoders/csv/index.js';
import { table, through } from './helpers.js';

const users = table('users', { id: 'bigint', email: 'text' });

test('adds a column computed from the row, or replaces one in place', async () => {
  const t = deriveTransform({ columns: [
    { table: 'users', name: 'domain', type: 'text', value: (u) => String(u.email).split('@')[1] },
    { table: 'users', name: 'email', type: 'text', value: (u, i) => `${i}:${String(u.email)}` },
  ] });
  const r = (await through(t, users, [[1, 'a@x.io'], [2, 'b@y.org']], 10))!;
  assert.deepEqual(r.info.columns.map((c) => c.name), ['id', 'email', 'domain']);
  assert.deepEqual(r.rows, [[1, '10:a@x.io', 'x.io'], [2, '11:b@y.org', 'y.org']]);
  assert.equal(await through(t, table('posts', { id: 'bigint' }), [[1]]), undefined);
});

test('derived values are type-checked by the encoder; a throwing function names the row', async () => {
  const t = deriveTransform({ columns: [{ table: 'users', name: 'n', type: 'int', nullable: false, value: () => 'not a number' }] });
  const r = (await through(t, users, [[1, 'a@x.io']]))!;
  assert.throws(() => csvEncoder().forTable(r.info).encode(r.rows, 0), (e) => isSeedpipeError(e) && e.code === 'GENERATOR_TYPE');
  const bad = deriveTransform({ columns: [{ table: 'users', name: 'n', type: 'int', value: () => { throw new Error('x'); } }] });
  await assert.rejects(through(bad, users, [[1, 'a']], 5), (e) => isSeedpipeError(e) && e.code === 'DERIVE_FAILED' && /row 5/.test(e.message));
});
