import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ColumnInfo, TableInfo } from '../../../src/contracts.js';
import { isSeedpipeError } from '../../../src/errors.js';
import { assertSchemaFits, diffSchema, type CatalogColumn } from '../../../stages/sinks/postgres/schema-check.js';

const col = (name: string, type: ColumnInfo['type'], extra: Partial<ColumnInfo> = {}): ColumnInfo => ({ name, type, nullable: false, exported: true, deferred: false, ...extra });
const table = (name: string, columns: ColumnInfo[]): TableInfo => ({ name, columns, primaryKey: ['id'], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 10, firstRow: 0 });
const db = (table: string, column: string, type: string, extra: Partial<CatalogColumn> = {}): CatalogColumn =>
  ({ table, column, type, typtype: 'b', enumLabels: null, notNull: false, hasDefault: false, identity: '', generated: '', ...extra });

const users = table('users', [
  col('id', 'bigint'),
  col('email', 'text'),
  col('bio', 'varchar(200)', { nullable: true }),
  col('score', 'numeric(10,2)'),
  col('created_at', 'timestamptz'),
  col('role', 'text', { enumValues: ['admin', 'member'] }),
  col('meta', 'jsonb'),
]);

test('a schema that fits: names match whatever the order, compatible types, extra nullable or defaulted columns', () => {
  const catalog = {
    tables: new Set(['users']),
    columns: [
      db('users', 'created_at', 'timestamp with time zone', { notNull: true }),
      db('users', 'id', 'bigint', { notNull: true, identity: 'a' }),
      db('users', 'email', 'citext', { notNull: true }),
      db('users', 'bio', 'text'),
      db('users', 'score', 'numeric(12,2)'),
      db('users', 'role', 'user_role', { typtype: 'e', enumLabels: ['admin', 'member', 'guest'] }),
      db('users', 'meta', 'jsonb'),
      db('users', 'nickname', 'text'),
      db('users', 'updated_at', 'timestamp with time zone', { notNull: true, hasDefault: true }),
      db('users', 'seq', 'integer', { notNull: true, identity: 'd' }),
    ],
  };
  assert.deepEqual(diffSchema([users], catalog), []);
  assert.doesNotThrow(() => assertSchemaFits([users], catalog, '127.0.0.1:5432/app'));
});

test('every problem is listed at once: missing table and column, incompatible types, unfilled NOT NULL, nullability', () => {
  const orders = table('orders', [col('id', 'bigint')]);
  const catalog = {
    tables: new Set(['users']),
    columns: [
      db('users', 'id', 'integer', { notNull: true }),
      db('users', 'email', 'integer'),
      db('users', 'bio', 'character varying(50)', { notNull: true }),
      db('users', 'score', 'bigint'),
      db('users', 'created_at', 'date'),
      db('users', 'role', 'user_role', { typtype: 'e', enumLabels: ['admin'] }),
      db('users', 'tenant_id', 'bigint', { notNull: true }),
      db('users', 'total', 'numeric', { generated: 's' }),
    ],
  };
  const problems = diffSchema([users, orders], catalog);
  const expect = [
    /table users, column id: integer in the database is narrower than the dataset's bigint/,
    /table users, column email: type integer .* incompatible with the dataset's text/,
    /table users, column bio: character varying\(50\) in the database is shorter than the dataset's varchar\(200\)/,
    /table users, column bio: NOT NULL in the database, but the dataset may leave it NULL/,
    /table users, column score: type bigint .* incompatible with the dataset's numeric\(10,2\)/,
    /table users, column created_at: type date .* incompatible with the dataset's timestamptz/,
    /table users, column role: enum type user_role lacks the value\(s\) member/,
    /table users, column meta: missing in the database/,
    /table users, column tenant_id: NOT NULL without a default/,
    /table orders: missing in schema public \(create it there, or run with --create-tables to create it in public\)/,
  ];
  for (const re of expect) assert.ok(problems.some((p) => re.test(p)), `${re} in:\n${problems.join('\n')}`);
  assert.equal(problems.length, expect.length, problems.join('\n'));
  assert.throws(() => assertSchemaFits([users, orders], catalog, '127.0.0.1:5432/app'), (e: unknown) => {
    assert.ok(isSeedpipeError(e));
    assert.equal(e.code, 'SCHEMA_MISMATCH');
    assert.match(e.message, /10 problems/);
    assert.match(e.message, /nothing was written/);
    assert.deepEqual(e.data.problems, problems);
    return true;
  });
});

test('a deferred (cycle-breaking) column must be nullable in the database; a stored generated column cannot be written', () => {
  const t = table('a', [col('id', 'bigint'), col('b_id', 'bigint', { nullable: true, deferred: true }), col('total', 'int')]);
  const problems = diffSchema([t], {
    tables: new Set(['a']),
    columns: [db('a', 'id', 'bigint'), db('a', 'b_id', 'bigint', { notNull: true }), db('a', 'total', 'integer', { generated: 's' })],
  });
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0]!, /b_id: NOT NULL in the database, but the dataset loads it as NULL first/);
  assert.match(problems[1]!, /total: is a generated column/);
});

test('widening is fine: int into bigint or numeric, date into timestamp, anything into text', () => {
  const t = table('w', [col('id', 'int'), col('d', 'date'), col('n', 'smallint'), col('u', 'uuid'), col('b', 'boolean')]);
  assert.deepEqual(diffSchema([t], {
    tables: new Set(['w']),
    columns: [db('w', 'id', 'bigint'), db('w', 'd', 'timestamp without time zone'), db('w', 'n', 'numeric(5,0)'), db('w', 'u', 'text'), db('w', 'b', 'boolean')],
  }), []);
});
