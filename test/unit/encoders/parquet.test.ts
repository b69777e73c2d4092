import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { isSeedpipeError, type TableInfo, type Values } from '../../../src/index.js';
import { parquetEncoder } from '../../../stages/encoders/parquet/index.js';
import { ParquetFooter } from '../../../src/verify-formats.js';
import { eventsTable } from './tables.js';

const t: TableInfo = eventsTable([
  ['id', 'bigint', false], ['n', 'int', true], ['amount', 'numeric(10,2)', true], ['ok', 'boolean', false], ['day', 'date', false],
  ['at', 'timestamptz', false], ['payload', 'jsonb', true], ['note', 'text', true], ['secret', 'text', true, false],
]);
const row = (i: number): Values => [i + 1, i % 3 === 0 ? null : i, i % 2 ? '1.50' : 2.25, i % 2 === 0, new Date(Date.UTC(2025, 0, 1 + (i % 28))), new Date(1_735_689_600_000 + i * 1000), i % 5 ? { i } : null, `note ${i}`, 'pw'];

function file(rows: number, batch: number, rowGroupRows: number): { bytes: Buffer; sizes: number[] } {
  const e = parquetEncoder({ rowGroupRows }).forTable(t);
  const parts = [e.header];
  const sizes: number[] = [];
  for (let s = 0; s < rows; s += batch) {
    const b = e.encode(Array.from({ length: Math.min(batch, rows - s) }, (_, k) => row(s + k)), s);
    sizes.push(b.length);
    parts.push(b);
  }
  parts.push(e.trailer!());
  return { bytes: Buffer.concat(parts), sizes };
}

const ab = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;

test('a readable Parquet file: exported columns with their types and values, row groups of the asked size', async () => {
  const { bytes, sizes } = file(5000, 700, 2000);
  assert.ok(sizes.filter((n) => n === 0).length >= 3, 'batches that fill no row group write nothing yet');
  const meta = parquetMetadata(ab(bytes));
  assert.equal(Number(meta.num_rows), 5000);
  assert.deepEqual(meta.row_groups.map((g) => Number(g.num_rows)), [2100, 2100, 800]);
  assert.deepEqual(meta.schema.slice(1).map((s) => s.name), ['id', 'n', 'amount', 'ok', 'day', 'at', 'payload', 'note']);
  const rows = await parquetReadObjects({ file: ab(bytes) });
  assert.equal(rows.length, 5000);
  const r1 = rows[1]!;
  assert.equal(r1.id, 2n);
  assert.equal(r1.n, 1);
  assert.equal(r1.amount, '1.50');
  assert.equal(rows[0]!.amount, '2.25');
  assert.equal(r1.ok, false);
  assert.deepEqual(r1.day, new Date(Date.UTC(2025, 0, 2)));
  assert.deepEqual(r1.at, new Date(1_735_689_601_000));
  assert.deepEqual(r1.payload, { i: 1 });
  assert.equal(rows[0]!.n, null);
  assert.equal(r1.note, 'note 1');
  assert.ok(!('secret' in r1));
  const f = new ParquetFooter();
  f.push(bytes);
  assert.equal(f.records(), 5000, 'verify reads the footer');
});

test('an empty table is a valid file with no rows; bad values and options are errors', () => {
  const { bytes } = file(0, 100, 1000);
  assert.equal(Number(parquetMetadata(ab(bytes)).num_rows), 0);
  assert.throws(() => parquetEncoder({ rowGroupRows: 10 }), (e) => isSeedpipeError(e) && e.code === 'PARQUET_OPTIONS');
  const e = parquetEncoder().forTable(t);
  assert.throws(() => e.encode([[1, 'x', null, true, new Date(), new Date(), null, null, null]], 3), (err) => isSeedpipeError(err) && err.code === 'GENERATOR_TYPE');
});
