/**
 * Regression: sinks that share an encoding's bytes. Two sinks of a stateful format (parquet) share one
 * encoder, so both streams end with the footer of the batches made; a csv sink next to a copy-csv sink
 * of the same bytes keeps csv's header.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunInfo, defineDataset, makePlan, runPipeline } from '../../../src/index.js';
import { generatorSource } from '../../../stages/sources/generator/index.js';
import { standardEncoders } from '../../../stages/encoders/standard/index.js';
import { RecordingSink } from '../../support/fake-stages.js';

const ds = defineDataset({ name: 'd', seed: 1, refDate: '2025-01-01T00:00:00Z', tables: { t: { rows: 3000, columns: { id: { type: 'bigint' }, v: { type: 'text', gen: (c) => `v${c.i}` } } } } });

test('two parquet sinks get the same header, bytes and footer; csv keeps its header next to copy-csv', async () => {
  const plan = makePlan(ds);
  const a = new RecordingSink('a', { format: 'parquet' });
  const b = new RecordingSink('b', { format: 'parquet' });
  const db = new RecordingSink('db', { format: 'copy-csv' });
  const csv = new RecordingSink('csv', { format: 'csv' });
  await runPipeline({ run: buildRunInfo(plan), sources: generatorSource(plan), encoders: standardEncoders({ parquet: { rowGroupRows: 1000 } }), sinks: [a, b, db, csv], batchRows: 700 });
  const file = (s: RecordingSink) => Buffer.concat([s.rec.streams.get('t')!.header, ...s.rec.batches.get('t')!.map((x) => x.bytes), s.rec.streams.get('t')!.trailer()]);
  const fa = file(a);
  assert.ok(fa.subarray(0, 4).equals(Buffer.from('PAR1')) && fa.subarray(-4).equals(Buffer.from('PAR1')));
  assert.ok(fa.equals(file(b)));
  assert.ok(fa.length > 1000);
  assert.equal(csv.rec.streams.get('t')!.header.toString(), 'id,v\n');
  assert.equal(db.rec.streams.get('t')!.header.length, 0);
  assert.ok(file(csv).subarray(5).equals(file(db)), 'the same bytes after the header');
});
