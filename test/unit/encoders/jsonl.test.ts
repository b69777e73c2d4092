import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeedpipeError, type ColumnInfo, type TableInfo } from '../../../src/index.js';
import { eventsTable } from './tables.js';
import { jsonlEncoder } from '../../../stages/encoders/jsonl/index.js';
import { LineCounter } from '../../../src/verify-formats.js';

const t: TableInfo = {
  ...eventsTable([['id', 'bigint', false], ['amount', 'numeric(10,2)', true], ['ok', 'boolean', false], ['day', 'date', false], ['at', 'timestamptz', false], ['payload', 'jsonb', true], ['note', 'text', true], ['secret', 'text', true, false]]),
};
(t.columns as ColumnInfo[]).push({ name: 'kind', type: 'text', enumValues: ['a', 'b'], nullable: false, exported: true, deferred: false });
const at = new Date('2025-01-02T03:04:05.678Z');

test('one JSON object per row, exported columns only, types as JSON', () => {
  const e = jsonlEncoder().forTable(t);
  const bytes = e.encode([[2n ** 60n, 12.5, true, new Date('2025-01-02T00:00:00Z'), at, { a: [1, 'x'] }, 'say "hi"\n', 'pw', 'a'], [1, null, false, '2025-01-03', at, null, null, null, 'b']], 0).toString();
  const lines = bytes.split('\n');
  assert.equal(lines.length, 3);
  assert.equal(lines[0], '{"id":1152921504606846976,"amount":12.50,"ok":true,"day":"2025-01-02","at":"2025-01-02T03:04:05.678Z","payload":{"a":[1,"x"]},"note":"say \\"hi\\"\\n","kind":"a"}');
  assert.deepEqual(JSON.parse(lines[1]!), { id: 1, amount: null, ok: false, day: '2025-01-03', at: '2025-01-02T03:04:05.678Z', payload: null, note: null, kind: 'b' });
  assert.equal(e.header.length, 0);
  assert.equal(e.line!([1, null, false, '2025-01-03', at, null, null, null, 'b'], 0), lines[1] + '\n', 'line and encode agree');
  const c = new LineCounter();
  c.push(Buffer.from(bytes));
  assert.equal(c.records(), 2);
});

test('values are type-checked as for CSV', () => {
  const e = jsonlEncoder().forTable(t);
  assert.throws(() => e.encode([[1, null, 'yes', '2025-01-01', at, null, null, null, 'a']], 7), (err) => isSeedpipeError(err) && err.code === 'GENERATOR_TYPE' && /row 7/.test(err.message));
  assert.throws(() => e.encode([[1, null, true, '2025-01-01', at, null, null, null, 'zzz']], 0), (err) => isSeedpipeError(err) && err.code === 'GENERATOR_TYPE');
});
