import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { csvTableEncoder, fastIso } from '../../../src/encode/csv.js';
import type { ColumnInfo, TableInfo } from '../../../src/contracts.js';
import { COPY_CSV, COPY_CSV_FINAL, encoders as copyEncoders } from '../../../stages/encoders/copy-csv/index.js';
import { csvEncoder } from '../../../stages/encoders/csv/index.js';
import { SeedpipeError } from '../../../src/errors.js';

const col = (name: string, type: ColumnInfo['type'], extra: Partial<ColumnInfo> = {}): ColumnInfo => ({ name, type, nullable: false, exported: true, deferred: false, ...extra });
const info = (columns: ColumnInfo[]): TableInfo => ({ name: 't', columns, primaryKey: [], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 0, firstRow: 0 });
/** The exported columns' CSV with final values (the `csv` encoding, without its header). */
const createEncoder = (t: TableInfo) => {
  const e = csvTableEncoder(t, { columns: 'exported', deferred: 'value', header: true });
  return { csv: (rows: unknown[][], start: number) => e.encode(rows, start), header: e.header.toString() };
};

test('text is RFC 4180: same bytes as csv-stringify for tricky strings, and parses back', () => {
  const values = ['plain', 'with,comma', 'with "quotes"', 'line\nbreak', 'cr\rlf\r\n', ' spaces ', 'émoji 🎉', "'single'", '""'];
  const enc = createEncoder(info([col('a', 'text'), col('b', 'text')]));
  const rows = values.map((v, i) => [v, String(i)]);
  const ours = enc.csv(rows, 0).toString('utf8');
  assert.equal(ours, stringify(rows, { record_delimiter: '\n' }));
  assert.deepEqual(parse(ours), rows);
});

test('NULL is an empty unquoted field and the empty string is ""', () => {
  const enc = createEncoder(info([col('a', 'text', { nullable: true }), col('b', 'text')]));
  assert.equal(enc.csv([[null, ''], [undefined, 'x']], 0).toString(), ',""\n,x\n');
});

test('types are formatted for Postgres COPY (FORMAT csv)', () => {
  const enc = createEncoder(
    info([
      col('i', 'bigint'), col('n', 'numeric(10,2)'), col('b', 'boolean'), col('d', 'date'), col('ts', 'timestamptz'), col('j', 'jsonb'), col('e', 'text', { enumValues: ['a', 'b'] }), col('v', 'varchar(3)'), col('f', 'double precision'),
    ]),
  );
  const out = enc.csv([[12n, 3.456, true, new Date('2025-01-02T10:00:00Z'), new Date('2025-01-02T10:00:00.123Z'), { a: [1, 'x,y'] }, 'b', 'abc', 0.5]], 0).toString();
  assert.equal(out, '12,3.46,true,2025-01-02,2025-01-02T10:00:00.123Z,"{""a"":[1,""x,y""]}",b,abc,0.5\n');
});

test('a wrong type names table, column, row and what to return', () => {
  const cases: [ColumnInfo, unknown][] = [
    [col('age', 'int'), 'twelve'],
    [col('age', 'int'), 1.5],
    [col('small', 'smallint'), 70000],
    [col('at', 'timestamptz'), '2025-01-01'],
    [col('code', 'varchar(2)'), 'abc'],
    [col('status', 'text', { enumValues: ['open'] }), 'closed'],
    [col('must', 'text'), null],
    [col('flag', 'boolean'), 'yes'],
    [col('price', 'numeric(4,2)'), 1000],
  ];
  for (const [c, v] of cases) {
    const enc = createEncoder(info([c]));
    assert.throws(
      () => enc.csv([[v]], 41),
      (e: unknown) => e instanceof SeedpipeError && e.code === 'GENERATOR_TYPE' && e.message.includes(`table t, column ${c.name} (row 41)`) && /return /.test(e.message),
      `${c.name} ${String(v)}`,
    );
  }
});

test('csv leaves out hidden columns; copy-csv has every column with deferred ones NULL; copy-csv-final their values', () => {
  const t = info([col('id', 'int'), col('secret', 'text', { exported: false }), col('peer', 'int', { nullable: true, deferred: true })]);
  const rows = [[1, 'hash', 2]];
  const csv = csvEncoder().forTable(t);
  const copy = copyEncoders[COPY_CSV].forTable(t);
  const final = copyEncoders[COPY_CSV_FINAL].forTable(t);
  assert.equal(csv.header.toString(), 'id,peer\n');
  assert.equal(csv.encode(rows, 0).toString(), '1,2\n');
  assert.equal(copy.header.length, 0);
  assert.equal(copy.encode(rows, 0).toString(), '1,hash,\n');
  assert.equal(final.encode(rows, 0).toString(), '1,hash,2\n');
  assert.equal(csv.line!(rows[0]!, 0) + csv.line!([3, 'h', null], 1), '1,2\n3,\n', 'line and encode agree');
  assert.equal(new Set([csv.identity, copy.identity, final.identity]).size, 3);
  // A deferred value of the wrong type is refused even where it is written as NULL.
  assert.throws(() => copy.encode([[1, 'h', 'x']], 5), { code: 'GENERATOR_TYPE' });
});

test('encodings that give the same bytes share an identity (made once per batch)', () => {
  const plain = info([col('id', 'int'), col('name', 'text')]);
  const ids = [csvEncoder(), copyEncoders[COPY_CSV], copyEncoders[COPY_CSV_FINAL]].map((e) => e.forTable(plain).identity);
  assert.equal(new Set(ids).size, 1);
  const hidden = info([col('id', 'int'), col('hash', 'text', { exported: false })]);
  assert.notEqual(csvEncoder().forTable(hidden).identity, copyEncoders[COPY_CSV].forTable(hidden).identity);
  assert.equal(copyEncoders[COPY_CSV].forTable(hidden).identity, copyEncoders[COPY_CSV_FINAL].forTable(hidden).identity);
  assert.equal(csvEncoder({ header: false }).forTable(plain).header.length, 0);
});

test('fastIso matches toISOString', () => {
  for (const t of [0, 1, -1, 86_399_999, 1_700_000_000_123, -62135596800000, 253402300799999, 951782400000, 7_258_118_400_000, 7_258_118_399_999]) assert.equal(fastIso(t), new Date(t).toISOString());
  // Every day of the cached range and either side of it, at a spread of times of day.
  for (let ms = -400 * 86_400_000 + 12_345; ms < 7_300_000_000_000; ms += 86_400_000 + 3_599_917) assert.equal(fastIso(ms), new Date(ms).toISOString());
});

test('a lone \\. is quoted (COPY reads it as data, not as the end-of-data marker); other backslashes are left alone', () => {
  const enc = createEncoder(info([col('a', 'text')]));
  assert.equal(enc.csv([['\\.'], ['\\'], ['a\\.b'], ['x\n\\.\ny']], 0).toString(), '"\\."\n\\\na\\.b\n"x\n\\.\ny"\n');
  assert.deepEqual(parse(enc.csv([['\\.']], 0).toString()), [['\\.']]);
});

test('varchar(n) counts characters, not UTF-16 units', () => {
  const enc = createEncoder(info([col('v', 'varchar(5)')]));
  assert.equal(enc.csv([['🎉🎉🎉🎉🎉'], ['𝒳𝒴𝒵ab']], 0).toString(), '🎉🎉🎉🎉🎉\n𝒳𝒴𝒵ab\n');
  assert.throws(() => enc.csv([['🎉🎉🎉🎉🎉🎉']], 3), (e: unknown) => e instanceof SeedpipeError && e.code === 'GENERATOR_TYPE');
});

test('NUL characters and lone surrogates are errors naming table, column and row, never silently changed', () => {
  for (const [c, v] of [[col('t', 'text'), 'a\u0000b'], [col('t', 'text'), 'x\uD800'], [col('t', 'text'), '\uDC00y'], [col('v', 'varchar(9)'), 'a\u0000'], [col('e', 'text', { enumValues: ['a\u0000'] }), 'a\u0000']] as const) {
    const enc = createEncoder(info([c]));
    assert.throws(() => enc.csv([[v]], 9), (e: unknown) => e instanceof SeedpipeError && e.code === 'GENERATOR_VALUE' && e.message.includes(`column ${c.name} (row 9)`), JSON.stringify(v));
  }
  assert.equal(createEncoder(info([col('t', 'text')])).csv([['paired 🎉 ok']], 0).toString(), 'paired 🎉 ok\n');
});

test('jsonb: BigInt, cycles, NUL and lone surrogates are clear generator errors; escaped backslashes are fine', () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  for (const v of [{ n: 1n }, circular, { s: 'a\u0000' }, { s: '\uD800' }]) {
    const enc = createEncoder(info([col('j', 'jsonb')]));
    assert.throws(() => enc.csv([[v]], 2), (e: unknown) => e instanceof SeedpipeError && e.code === 'GENERATOR_TYPE' && e.message.includes('column j (row 2)'));
  }
  const enc = createEncoder(info([col('j', 'jsonb')]));
  assert.equal(JSON.parse(parse(enc.csv([[{ s: 'literal \\u0000 text', e: '🎉' }]], 0).toString())[0][0]).s, 'literal \\u0000 text');
});
