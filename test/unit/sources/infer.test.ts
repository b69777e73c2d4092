import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferColumns } from '../../../stages/sources/csv/index.js';

test('types are the narrowest every value fits; NULLs fit all; declared types win', () => {
  const header = ['id', 'price', 'ok', 'day', 'at', 'key', 'zip', 'note', 'empty'];
  const rows = [
    ['1', '9.5', 'true', '2025-01-02', '2025-01-02T03:04:05.678Z', '6f1c0a3e-0000-4000-8000-000000000000', '01234', 'hi', null],
    ['2', '10', 'false', null, '2025-01-02 03:04:05+00', null, '99999', '', null],
  ];
  const cols = inferColumns(header, rows, { note: 'varchar(10)' });
  assert.deepEqual(cols.map((c) => `${c.name}:${c.type}`), ['id:bigint', 'price:double precision', 'ok:boolean', 'day:date', 'at:timestamptz', 'key:uuid', 'zip:text', 'note:varchar(10)', 'empty:text']);
  assert.ok(cols.every((c) => c.nullable && c.exported && !c.deferred));
});
