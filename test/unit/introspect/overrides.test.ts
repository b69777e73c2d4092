import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetDef } from '../../../src/dataset/types.js';
import { defineDataset } from '../../../src/dataset/define.js';
import { isSeedpipeError } from '../../../src/errors.js';
import { withOverrides } from '../../../src/introspect/overrides.js';

const generated = (): DatasetDef => ({
  name: 'shop',
  seed: 1,
  refDate: '2025-01-01T00:00:00Z',
  params: { a: 1 },
  tables: {
    users: {
      rows: 100,
      columns: {
        id: { type: 'bigint' },
        email: { type: 'text', unique: true, gen: (c) => `u${c.i}@example.com` },
        bio: { type: 'text', nullable: true, gen: () => 'generated bio' },
      },
    },
    tags: { rows: 4, fixed: [{}, {}, {}, {}], columns: { id: { type: 'int' }, label: { type: 'text', gen: (c) => `t${c.i}` } } },
    user_tags: {
      junction: { parent: 'users', target: 'tags', count: 2 },
      primaryKey: ['user_id', 'tag_id'],
      columns: { user_id: { type: 'bigint', references: 'users', gen: (c) => c.parentIndex + 1 }, tag_id: { type: 'int', references: 'tags', gen: (c) => c.partner + 1 } },
    },
  },
});

test('column overrides merge field by field; table fields replace; shapes replace shapes', () => {
  const g = generated();
  const bio = () => 'mine';
  const d = withOverrides(g, {
    seed: 7,
    params: { b: 2 },
    tables: {
      users: { rows: 5000, columns: { bio: { gen: bio } } },
      user_tags: { per: { parent: 'users', count: 1 } },
    },
  });
  assert.equal(d.seed, 7);
  assert.deepEqual(d.params, { a: 1, b: 2 });
  assert.equal(d.tables.users!.rows, 5000);
  assert.equal(d.tables.users!.columns.bio!.gen, bio);
  assert.equal(d.tables.users!.columns.bio!.nullable, true, 'type and nullability kept');
  assert.equal(d.tables.users!.columns.email!.unique, true);
  assert.equal(d.tables.user_tags!.junction, undefined);
  assert.deepEqual(d.tables.user_tags!.per, { parent: 'users', count: 1 });
  // Inputs unchanged; the result is a valid dataset.
  assert.equal(g.tables.users!.rows, 100);
  assert.equal(g.seed, 1);
  defineDataset(d);
});

test('null removes a table or a column; new complete columns and tables are added', () => {
  const d = withOverrides(generated(), {
    tables: {
      user_tags: null,
      users: { columns: { bio: null, nickname: { type: 'text', gen: () => 'nick' } } },
      notes: { rows: 3, columns: { id: { type: 'int' }, body: { type: 'text', gen: () => 'x' } } },
    },
  });
  assert.equal(d.tables.user_tags, undefined);
  assert.deepEqual(Object.keys(d.tables.users!.columns), ['id', 'email', 'nickname']);
  assert.equal(d.tables.notes!.rows, 3);
  defineDataset(d);
});

test('an override of a table or column the schema no longer has names it', () => {
  const err = (f: () => unknown, code: string, name: string): void => {
    assert.throws(f, (e: unknown) => isSeedpipeError(e) && e.code === code && e.message.includes(name));
  };
  err(() => withOverrides(generated(), { tables: { orders: { rows: 10 } } }), 'OVERRIDE_UNKNOWN_TABLE', 'orders');
  err(() => withOverrides(generated(), { tables: { users: { columns: { avatar: { gen: () => 'x' } } } } }), 'OVERRIDE_UNKNOWN_COLUMN', 'users.avatar');
  err(() => withOverrides(generated(), { tables: { users: { columns: { avatar: null } } } }), 'OVERRIDE_UNKNOWN_COLUMN', 'users.avatar');
});

test('a row override on a fixed catalog keeps its literal rows; checks are appended', () => {
  const g = { ...generated(), checks: [{ name: 'a', sql: 'SELECT 1 WHERE false' }] };
  const d = withOverrides(g, { tables: { tags: { rows: 10 } }, checks: [{ name: 'b', sql: 'SELECT 1 WHERE false' }] });
  assert.equal(d.tables.tags!.rows, 10);
  assert.equal(d.tables.tags!.fixed!.length, 4);
  assert.deepEqual(d.checks!.map((c) => c.name), ['a', 'b']);
});
