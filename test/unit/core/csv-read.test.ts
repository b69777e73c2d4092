/** Reading CSV back: batches cut at record boundaries (quotes, chunks), fields with NULL apart from "", values by type. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvTableEncoder } from '../../../src/encode/csv.js';
import { csvRecordBatches, parseCsvRecords, valueParser } from '../../../src/encode/csv-read.js';
import { isSeedpipeError, type TableInfo, type Values } from '../../../src/index.js';

async function* chunks(s: string, size: number): AsyncGenerator<Buffer> {
  const b = Buffer.from(s);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

test('batches hold whole records whatever the chunking, quoted newlines included; header and BOM dropped', async () => {
  const text = '\uFEFFa,b\n1,"x\ny"\n2,""\n3,\n4,"q""q"\n5,z';
  for (const size of [1, 2, 3, 7, 1000]) {
    const got = [];
    for await (const b of csvRecordBatches(chunks(text, size), 2, { skip: 1, bom: true })) got.push([b.count, b.bytes.toString()]);
    assert.deepEqual(got, [[2, '1,"x\ny"\n2,""\n'], [2, '3,\n4,"q""q"\n'], [1, '5,z\n']], `chunk size ${size}`);
  }
});

test('fields: NULL is an unquoted empty field, "" the empty string; CRLF endings', () => {
  assert.deepEqual(parseCsvRecords('1,"x\ny",\n2,"",a\r\n,"a,b","q""q"\n', 't'), [['1', 'x\ny', null], ['2', '', 'a'], [null, 'a,b', 'q"q']]);
  assert.throws(() => parseCsvRecords('"open\n', 't'), (e) => isSeedpipeError(e) && e.code === 'SOURCE_CSV_MALFORMED');
});

test('values parse back to what the csv encoder wrote (round trip)', () => {
  const info: TableInfo = {
    name: 't', primaryKey: [], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 0, firstRow: 0,
    columns: (['bigint', 'int', 'numeric(10,2)', 'double precision', 'boolean', 'date', 'timestamptz', 'jsonb', 'text', 'uuid'] as const).map((type, j) => ({ name: `c${j}`, type, nullable: true, exported: true, deferred: false })),
  };
  const rows: Values[] = [
    [2n ** 60n, 7, '12.50', 0.1, true, new Date('2025-01-02T00:00:00Z'), new Date('2025-01-02T03:04:05.678Z'), { a: [1] }, 'x, "y"\nz', '6f1c0a3e-0000-4000-8000-000000000000'],
    [null, null, null, null, false, null, null, null, '', null],
  ];
  const csv = csvTableEncoder(info, { columns: 'all', deferred: 'value', header: false }).encode(rows, 0).toString();
  const parsers = info.columns.map((c) => valueParser('t', c));
  const back = parseCsvRecords(csv, 't').map((f) => f.map((v, j) => parsers[j]!(v, 0)));
  assert.deepEqual(back, rows);
  assert.throws(() => valueParser('t', info.columns[0]!)('12x', 4), (e) => isSeedpipeError(e) && e.code === 'SOURCE_VALUE' && /row 4/.test(e.message));
});
