/** Which tables the Postgres sink loads with binary COPY: dataset column types against catalog rows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ColumnInfo, TableInfo } from '../../../src/contracts.js';
import { isSeedpipeError } from '../../../src/errors.js';
import { binaryMismatch, chooseCopyFormats } from '../../../stages/sinks/postgres/copy-format.js';
import { COST_TYPES, PER_ROW, PER_VALUE, costTypeOf, rowCost } from '../../../stages/sinks/postgres/copy-cost.js';
import type { CatalogColumn, CatalogSnapshot } from '../../../stages/sinks/postgres/schema-check.js';

const col = (name: string, type: ColumnInfo['type'], extra: Partial<ColumnInfo> = {}): ColumnInfo => ({ name, type, nullable: true, exported: true, deferred: false, ...extra });
const table = (name: string, columns: ColumnInfo[]): TableInfo => ({ name, columns, primaryKey: [], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 0, firstRow: 0 });
const db = (t: string, column: string, type: string, typtype = 'b'): CatalogColumn => ({ table: t, column, type, typtype, notNull: false, hasDefault: false, identity: '', generated: '' });
const catalog = (columns: CatalogColumn[]): CatalogSnapshot => ({ tables: new Set(columns.map((c) => c.table)), columns });

test('each dataset type takes binary only into its own database type', () => {
  const same: [ColumnInfo['type'], string][] = [
    ['bigint', 'bigint'], ['int', 'integer'], ['smallint', 'smallint'], ['double precision', 'double precision'],
    ['numeric(10,2)', 'numeric(10,2)'], ['numeric(10,2)', 'numeric'], ['text', 'text'], ['text', 'character varying(20)'],
    ['varchar(5)', 'character varying(5)'], ['varchar(5)', 'text'], ['boolean', 'boolean'], ['uuid', 'uuid'], ['date', 'date'],
    ['timestamptz', 'timestamp with time zone'], ['timestamptz', 'timestamp without time zone'], ['timestamptz', 'timestamp(6) without time zone'], ['timestamptz', 'timestamp(3) with time zone'], ['jsonb', 'jsonb'],
  ];
  for (const [ours, theirs] of same) assert.equal(binaryMismatch(col('c', ours), db('t', 'c', theirs)), undefined, `${ours} → ${theirs}`);
  const other: [ColumnInfo['type'], string][] = [
    ['int', 'bigint'], ['bigint', 'numeric'], ['smallint', 'integer'], ['double precision', 'real'], ['numeric(10,2)', 'double precision'],
    ['text', 'character(5)'], ['text', 'citext'], ['date', 'timestamp with time zone'], ['jsonb', 'json'], ['timestamptz', 'time without time zone'], ['timestamptz', 'interval'], ['uuid', 'text'], ['boolean', 'text'],
  ];
  for (const [ours, theirs] of other) assert.match(binaryMismatch(col('c', ours), db('t', 'c', theirs))!, new RegExp(`^${theirs.replace(/[()]/g, '\\$&')} in the database, `), `${ours} → ${theirs}`);
  assert.equal(binaryMismatch(col('e', 'text', { enumValues: ['a'] }), db('t', 'e', 'mood', 'e')), undefined);
  assert.equal(binaryMismatch(col('e', 'text', { enumValues: ['a'] }), db('t', 'e', 'text')), 'text in the database, an enum in the dataset');
  assert.equal(binaryMismatch(col('c', 'text'), undefined), 'missing in the database');
});

test('auto: binary per table where every column fits; the others say why; sqlName is the database column', () => {
  const tables = [
    table('a', [col('id', 'bigint'), col('at', 'timestamptz', { sqlName: 'At' })]),
    table('b', [col('id', 'bigint'), col('n', 'int')]),
  ];
  const cat = catalog([db('a', 'id', 'bigint'), db('a', 'At', 'timestamp with time zone'), db('b', 'id', 'bigint'), db('b', 'n', 'bigint')]);
  const choice = chooseCopyFormats(tables, cat, 'auto');
  assert.deepEqual([...choice.binary], ['a']);
  assert.deepEqual([...choice.text], [['b', "binary COPY needs the dataset's column types; column n: bigint in the database, int in the dataset"]]);
  assert.deepEqual([...chooseCopyFormats(tables, cat, 'text').binary], []);
});

test('binary: a table that cannot take it stops the run, naming it and the flag that loads it as CSV', () => {
  const tables = [table('b', [col('n', 'int')])];
  assert.throws(() => chooseCopyFormats(tables, catalog([db('b', 'n', 'numeric')]), 'binary'), (e: unknown) => {
    assert.ok(isSeedpipeError(e));
    assert.equal(e.code, 'COPY_BINARY_UNSUITED');
    assert.match(e.message, /table b: column n: numeric in the database, int in the dataset/);
    assert.match(e.message, /--copy-format auto/);
    return true;
  });
  assert.deepEqual([...chooseCopyFormats(tables, catalog([db('b', 'n', 'integer')]), 'binary').binary], ['b']);
});

test('row cost: the row framing plus each column by its type, from the measured table', () => {
  const t = table('m', [col('id', 'bigint'), col('body', 'varchar(200)'), col('at', 'timestamptz'), col('kind', 'text', { enumValues: ['a', 'b'] }), col('amount', 'numeric(12,2)')]);
  assert.deepEqual(t.columns.map(costTypeOf), ['bigint', 'text', 'timestamptz', 'enum', 'numeric']);
  const want = (f: 'text' | 'binary'): number => PER_ROW[f] + PER_VALUE.bigint[f] + PER_VALUE.text[f] + PER_VALUE.timestamptz[f] + PER_VALUE.enum[f] + PER_VALUE.numeric[f];
  assert.deepEqual(rowCost(t), { text: want('text'), binary: want('binary') });
  // Every dataset type has a measured cost.
  const types: ColumnInfo['type'][] = ['bigint', 'int', 'smallint', 'text', 'boolean', 'date', 'timestamptz', 'uuid', 'jsonb', 'double precision', 'numeric(10,2)', 'varchar(5)'];
  for (const ty of types) {
    const c = PER_VALUE[costTypeOf(col('c', ty))];
    assert.ok(COST_TYPES.includes(costTypeOf(col('c', ty))) && c.text > 0 && c.binary > 0, ty);
  }
});

test('auto: a table estimated cheaper as CSV is loaded as CSV and says so; binary and text ignore the estimate', () => {
  const tables = [table('cheap_text', [col('id', 'bigint')]), table('cheap_binary', [col('id', 'bigint'), col('at', 'timestamptz')])];
  const cat = catalog([db('cheap_text', 'id', 'bigint'), db('cheap_binary', 'id', 'bigint'), db('cheap_binary', 'at', 'timestamp with time zone')]);
  const cost = (t: TableInfo) => (t.name === 'cheap_text' ? { text: 100, binary: 150 } : { text: 300, binary: 120 });
  const choice = chooseCopyFormats(tables, cat, 'auto', cost);
  assert.deepEqual([...choice.binary], ['cheap_binary']);
  assert.deepEqual([...choice.text], [['cheap_text', 'estimated cheaper than binary for its column types: 100 against 150 ns per row']]);
  assert.deepEqual([...chooseCopyFormats(tables, cat, 'binary', cost).binary], ['cheap_text', 'cheap_binary']);
  assert.equal(chooseCopyFormats(tables, cat, 'text', cost).binary.size, 0);
  // With the measured costs, the built-in datasets' kinds of tables all take binary.
  assert.deepEqual([...chooseCopyFormats(tables, cat, 'auto').binary], ['cheap_text', 'cheap_binary']);
});
