/** Transforms a dataset's tables declare reach only the sinks they name, scoped to their table; sinks with the same chain share a branch. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunInfo, datasetRoutes, defineDataset, isSeedpipeError, makePlan } from '../../../src/index.js';
import { maskTransform } from '../../../stages/transforms/mask/index.js';
import { selectTransform } from '../../../stages/transforms/select/index.js';
import { deriveTransform } from '../../../stages/transforms/derive/index.js';
import { RecordingSink } from '../../support/fake-stages.js';
import { runPlan } from '../../support/pipeline.js';

const shop = defineDataset({
  name: 'shop',
  seed: 1,
  refDate: '2025-01-01T00:00:00Z',
  tables: {
    customers: {
      rows: 50,
      columns: {
        id: { type: 'bigint' },
        email: { type: 'text', gen: (c) => `person${c.i}@corp.example` },
        helper: { type: 'int', gen: (c) => c.i * 2 },
      },
      transforms: [
        { use: maskTransform({ key: 'dataset-declared-key-01' }), sinks: ['csv', 's3'] },
        { use: selectTransform({ drop: ['helper'] }), sinks: ['csv', 's3'] },
        { use: deriveTransform({ columns: [{ table: 'customers', name: 'domain', type: 'text', value: (r) => String(r.email).split('@')[1] }] }) },
      ],
    },
    // Same column names: a table-scoped transform leaves this table alone.
    suppliers: { rows: 5, columns: { id: { type: 'bigint' }, email: { type: 'text', gen: (c) => `s${c.i}@corp.example` }, helper: { type: 'int', gen: () => 1 } } },
  },
});

test('the database gets the full row, files the masked one without the helper; every sink the derived column', async () => {
  const plan = makePlan(shop);
  const db = new RecordingSink('postgres', { rows: true });
  const csv = new RecordingSink('csv', { rows: true });
  const s3 = new RecordingSink('s3', { rows: true });
  const routes = datasetRoutes(shop, [db, csv, s3]);
  await runPlan({ plan, run: buildRunInfo(plan), sinks: routes });
  const rowsOf = (s: RecordingSink, t: string) => s.rec.batches.get(t)!.flatMap((b) => b.rows!);
  const cols = (s: RecordingSink, t: string) => s.rec.infos.get(t)!.columns.map((c) => c.name);
  assert.deepEqual(cols(db, 'customers'), ['id', 'email', 'helper', 'domain']);
  assert.deepEqual(cols(csv, 'customers'), ['id', 'email', 'domain']);
  assert.deepEqual(rowsOf(db, 'customers')[3], [4, 'person3@corp.example', 6, 'corp.example']);
  const masked = rowsOf(csv, 'customers')[3]!;
  assert.match(String(masked[1]), /@example\.(com|net|org)$/);
  assert.equal(masked[2], 'example.' + String(masked[1]).split('.').pop(), 'derived after masking: the domain of the masked email');
  assert.deepEqual(rowsOf(csv, 'customers'), rowsOf(s3, 'customers'), 'csv and s3 share one branch');
  assert.deepEqual(cols(csv, 'suppliers'), ['id', 'email', 'helper']);
  assert.equal(rowsOf(csv, 'suppliers')[0]![1], 's0@corp.example');
  assert.equal(db.rec.run!.tables.find((t) => t.name === 'customers')!.columns.length, 4);
});

test('a dataset without transforms routes every sink as it is; a transform that is not one is refused at load', () => {
  const plain = defineDataset({ name: 'p', seed: 1, refDate: '2025-01-01T00:00:00Z', tables: { t: { rows: 1, columns: { id: { type: 'bigint' } } } } });
  const s = new RecordingSink('csv', {});
  assert.deepEqual(datasetRoutes(plain, [s]), [s]);
  assert.throws(
    () => defineDataset({ name: 'p', seed: 1, refDate: '2025-01-01T00:00:00Z', tables: { t: { rows: 1, columns: { id: { type: 'bigint' } }, transforms: [{ use: {} as never }] } } }),
    (e) => isSeedpipeError(e),
  );
});
