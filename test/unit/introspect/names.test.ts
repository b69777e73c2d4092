import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bookkeepingOf, snakeKey, uniqueKeys } from '../../../src/introspect/names.js';
import type { CatalogTable } from '../../../src/introspect/catalog-types.js';
import { defineDataset } from '../../../src/dataset/define.js';
import { isSeedpipeError } from '../../../src/errors.js';

const table = (name: string, cols: string[]): CatalogTable => ({
  schema: 'public', name, kind: 'r', comment: null, primaryKey: null, uniques: [], foreignKeys: [], checks: [], exclusions: [], insertTriggers: [],
  columns: cols.map((c, i) => ({ name: c, position: i + 1, type: { declared: 'text', declaredBase: 'text', base: 'text', baseSchema: 'pg_catalog', typtype: 'b', category: 'S', arrayDims: 0, domains: [] }, notNull: false, default: null, identity: null, generated: null, comment: null, sequence: null })),
});

test('dataset keys for database names: snake_case, unique', () => {
  assert.equal(snakeKey('TeamMember'), 'team_member');
  assert.equal(snakeKey('teamID'), 'team_id');
  assert.equal(snakeKey('createdOn'), 'created_on');
  assert.equal(snakeKey('HTTPRequestLog'), 'http_request_log');
  assert.equal(snakeKey('Order Items'), 'order_items');
  assert.equal(snakeKey('2fa_codes'), '_2fa_codes');
  assert.deepEqual([...uniqueKeys(['userId', 'user_id', 'Amount']).values()], ['user_id', 'user_id_2', 'amount']);
});

test('framework bookkeeping is recognised by name and columns, not by name alone', () => {
  assert.equal(bookkeepingOf(table('schema_migrations', ['version'])), 'Rails / Ecto / dbmate');
  assert.equal(bookkeepingOf(table('schema_migrations', ['version', 'dirty'])), 'golang-migrate');
  assert.equal(bookkeepingOf(table('ar_internal_metadata', ['key', 'value', 'created_at', 'updated_at'])), 'Rails');
  assert.equal(bookkeepingOf(table('django_migrations', ['id', 'app', 'name', 'applied'])), 'Django');
  assert.equal(bookkeepingOf(table('_prisma_migrations', ['id', 'checksum', 'migration_name'])), 'Prisma');
  assert.equal(bookkeepingOf(table('alembic_version', ['version_num'])), 'Alembic');
  assert.equal(bookkeepingOf(table('knex_migrations_lock', ['index', 'is_locked'])), 'Knex');
  assert.equal(bookkeepingOf(table('flyway_schema_history', ['installed_rank', 'version', 'script'])), 'Flyway');
  assert.equal(bookkeepingOf(table('databasechangeloglock', ['id', 'locked'])), 'Liquibase');
  assert.equal(bookkeepingOf(table('migrations', ['id', 'timestamp', 'name'])), 'TypeORM');
  assert.equal(bookkeepingOf(table('__diesel_schema_migrations', ['version', 'run_on'])), 'Diesel');
  assert.equal(bookkeepingOf(table('migrations', ['id', 'title', 'body'])), null, 'an app table named migrations');
});

test('the dataset declarations: schema, SQL names, sequences, untouched tables; clashes are errors', () => {
  const base = { name: 'x', seed: 1, refDate: '2025-01-01T00:00:00Z' };
  const ok = defineDataset({
    ...base, schema: 'billing', untouched: [{ table: 'schema_migrations', reason: 'Rails migration bookkeeping' }],
    tables: {
      team_member: { rows: 1, sqlName: 'TeamMember', columns: { id: { type: 'int', sequence: { schema: 'billing', name: 'shared', owned: false } }, team_id: { type: 'int', sqlName: 'teamID', gen: () => 1 } } },
      public_invoices: { rows: 1, schema: 'public', sqlName: 'invoices', columns: { id: { type: 'int' } } },
      invoices: { rows: 1, columns: { id: { type: 'int' } } },
    },
  });
  assert.equal(ok.tables.team_member!.sqlName, 'TeamMember');
  const clash = (tables: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => {
    try {
      defineDataset({ ...base, ...extra, tables } as never);
      return null;
    } catch (e) {
      return e;
    }
  };
  const e1 = clash({ a: { rows: 1, sqlName: 'b', columns: { id: { type: 'int' } } }, b: { rows: 1, columns: { id: { type: 'int' } } } });
  assert.ok(isSeedpipeError(e1) && /both name the database table public\.b/.test(e1.message));
  const e2 = clash({ a: { rows: 1, columns: { id: { type: 'int' }, x: { type: 'int', sqlName: 'id', gen: () => 1 } } } });
  assert.ok(isSeedpipeError(e2) && /both name the database column id/.test(e2.message));
  const e3 = clash({ schema_migrations: { rows: 1, columns: { id: { type: 'int' } } } }, { untouched: [{ table: 'schema_migrations', reason: 'x' }] });
  assert.ok(isSeedpipeError(e3) && /also generated/.test(e3.message));
});
