/** Lines fitted to the terminal: widths, no number cut, the summary at 60 columns. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compact, phaseLine, tableLine, type TableView } from '../../../src/cli/layout.js';
import { renderSummary, type RunSummaryJson } from '../../../src/cli/output.js';

const views: TableView[] = [
  { name: 'message_reactions', rows: 1_234_567, total: 10_000_000, rate: 123_456, elapsed: 10, state: 'running' },
  { name: 'users', rows: 200, total: 200, rate: 5_000, elapsed: 0.04, state: 'done' },
  { name: 'a_very_long_table_name_from_an_introspected_schema', rows: 3, total: undefined, rate: 0, elapsed: 0, state: 'closing' },
];

test('table lines fit every width from 20 to 200 columns, numbers whole', () => {
  for (let w = 20; w <= 200; w++) {
    for (const v of views) {
      const line = tableLine(v, w, 18);
      assert.ok([...line].length <= Math.max(19, w - 1), `${w}: ${line}`);
      // The row count is printed whole (full or compact), never cut.
      assert.ok(line.includes(v.rows.toLocaleString('en-US')) || line.includes(compact(v.rows)), `${w}: ${line}`);
    }
  }
  const wide = tableLine(views[0]!, 160, 18);
  assert.match(wide, /1,234,567\/10,000,000 rows \| 123,456 rows\/s \| ETA/);
  assert.doesNotMatch(tableLine(views[0]!, 60, 18), /ETA/, 'ETA goes first at 60 columns');
});

test('phase lines fit, keep count and time, and cut only the detail', () => {
  const p = { stage: 'postgres', phase: 'foreign keys', done: 3, total: 1_200, detail: 'order_lines_product_id_warehouse_id_fkey', elapsed: 12, ended: false };
  for (let w = 20; w <= 160; w++) assert.ok([...phaseLine(p, w)].length <= Math.max(19, w - 1), String(w));
  assert.match(phaseLine(p, 60), /^… postgres: foreign keys 3\/1,200 \(.*\) 12 s$/);
  assert.equal(phaseLine({ ...p, ended: true }, 60), '✓ postgres: foreign keys 1,200/1,200 12 s');
});

test('the summary at 60 columns: no line wider, each number on one line', () => {
  const j: RunSummaryJson = {
    dataset: 'chat', profile: 'light', seed: 1, seconds: 12.3456, peakRssMB: 151.2,
    tables: [{ table: 'message_reactions', rows: 1_234_567, bytes: 98_765_432, seconds: 3.5, rowsPerSec: 352_733 }],
    sinks: [{ sink: 'postgres', location: 'postgres://127.0.0.1:5432/chat', tables: [{ table: 'message_reactions', rows: 1_234_567, bytes: 98_765_432 }] }],
    connect: { url: 'npx seedpipe db url --database chat   (prints the full URL for your app)' },
  };
  const text = renderSummary(j, 60);
  for (const line of text.split('\n')) assert.ok([...line].length <= 59, line);
  assert.match(text, /1,234,567/);
  assert.match(text, /1,234,567\u00a0rows in 12\.35\u00a0s/);
  const full = renderSummary(j);
  assert.match(full, /rows\/s/);
});
