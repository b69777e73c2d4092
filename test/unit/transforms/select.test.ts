import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeedpipeError } from '../../../src/index.js';
import { selectTransform } from '../../../stages/transforms/select/index.js';
import { table, through } from './helpers.js';

const users = table('users', { id: 'bigint', email: 'text', password_hash: 'text', name: 'text' }, { uniques: [['email']], checks: ['char_length(name) < 99'] });
const rows = [[1, 'a@x.io', 'h1', 'Ada'], [2, 'b@x.io', 'h2', 'Bo']];

test('drop and rename: columns, rows, keys and uniques follow', async () => {
  const r = (await through(selectTransform({ drop: ['users.password_hash'], rename: { 'users.email': 'mail' } }), users, rows))!;
  assert.deepEqual(r.info.columns.map((c) => c.name), ['id', 'mail', 'name']);
  assert.deepEqual(r.rows, [[1, 'a@x.io', 'Ada'], [2, 'b@x.io', 'Bo']]);
  assert.deepEqual(r.info.uniques, [['mail']]);
  assert.deepEqual(r.info.primaryKey, ['id']);
  assert.deepEqual(r.info.checks, [], 'SQL checks do not survive a rename');
});

test('keep picks columns of the tables it names and leaves others whole; a bare name applies to every table', async () => {
  const r = (await through(selectTransform({ keep: ['users.id', 'users.name'] }), users, rows))!;
  assert.deepEqual(r.rows, [[1, 'Ada'], [2, 'Bo']]);
  assert.equal(await through(selectTransform({ keep: ['users.id'] }), table('posts', { id: 'bigint', body: 'text' }), []), undefined);
  const bare = (await through(selectTransform({ drop: ['password_hash'] }), users, rows))!;
  assert.equal(bare.info.columns.length, 3);
});

test('a table left without columns, or with two of one name, is a usage error', () => {
  assert.throws(() => selectTransform({ drop: ['id', 'email', 'password_hash', 'name'] }).forTable(users), (e) => isSeedpipeError(e) && e.code === 'SELECT_NO_COLUMNS');
  assert.throws(() => selectTransform({ rename: { 'users.email': 'name' } }).forTable(users), (e) => isSeedpipeError(e) && e.code === 'SELECT_DUPLICATE_COLUMN');
});

test('dropping a key column drops the key', async () => {
  const r = (await through(selectTransform({ drop: ['users.id'] }), users, rows))!;
  assert.deepEqual(r.info.primaryKey, []);
});
