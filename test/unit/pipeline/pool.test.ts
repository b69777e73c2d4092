/** The generation worker pool and the generator source on it: identical bytes to one thread, order, errors with their code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { makePlan, isSeedpipeError, buildRunInfo } from '../../../src/index.js';
import { BatchMaker, WorkerPool } from '../../../src/stage-kit.js';
import { COPY_CSV, encoders as copyEncoders } from '../../../stages/encoders/copy-csv/index.js';
import { CSV, encoders as csvEncoders } from '../../../stages/encoders/csv/index.js';
import { shapes } from '../../fixtures/datasets/shapes.js';
import { runPlan } from '../../support/pipeline.js';
import { RecordingSink } from '../../support/fake-stages.js';

const SHAPES = fileURLToPath(new URL('../../fixtures/datasets/shapes.ts', import.meta.url));
const BAD_TYPE = fileURLToPath(new URL('../../fixtures/datasets/bad-type.ts', import.meta.url));
const planOptions = { profile: 'medium' };
const csv = csvEncoders[CSV];
const copy = copyEncoders[COPY_CSV];
const wanted = [{ format: CSV, module: csv.module! }, { format: COPY_CSV, module: copy.module! }];

for (const shared of [false, true]) {
test(`worker batches are byte-identical to this thread, for every encoding and with row values${shared ? ', with the plan\'s group counts shared' : ''}`, async () => {
  const plan = makePlan(shapes(), planOptions);
  const maker = new BatchMaker(plan.world);
  const pool = new WorkerPool(2, SHAPES, planOptions, shared ? { counts: plan.world.sharedCounts() } : {});
  try {
    for (const t of plan.tables) {
      const end = Math.min(t.end, t.start + 300);
      const local = maker.generate(t.info, t.start, end, true, [{ format: CSV, table: csv.forTable(t.info) }, { format: COPY_CSV, table: copy.forTable(t.info) }]);
      const remote = await pool.request(t.name, t.start, end, true, wanted);
      assert.equal(remote.count, local.count, t.name);
      assert.ok(remote.encoded.get(CSV)!.equals(local.encoded.get(CSV)!), `${t.name} csv`);
      assert.ok(remote.encoded.get(COPY_CSV)!.equals(local.encoded.get(COPY_CSV)!), `${t.name} copy-csv`);
      assert.deepEqual(remote.rows, local.rows, `${t.name} rows`);
    }
  } finally {
    await pool.close();
  }
});
}

test('many requests in flight each come back with their own range', async () => {
  const plan = makePlan(shapes(), planOptions);
  const t = plan.tables.find((x) => x.name === 'users')!;
  const pool = new WorkerPool(2, SHAPES, planOptions);
  try {
    const starts = Array.from({ length: 12 }, (_, k) => t.start + k * 10);
    const out = await Promise.all(starts.map((s) => pool.request('users', s, s + 10, false, wanted.slice(0, 1))));
    assert.deepEqual(out.map((b) => b.start), starts);
    assert.ok(out.every((b) => b.count === 10 && b.rows.length === 0));
    const joined = Buffer.concat(out.map((b) => b.encoded.get(CSV)!));
    const maker = new BatchMaker(plan.world);
    assert.ok(joined.equals(maker.make(t.info, t.start, t.start + 120, false).csv));
  } finally {
    await pool.close();
  }
});

test('a generator error in a worker surfaces with its code, disposition and message; later requests fail too', async () => {
  const pool = new WorkerPool(1, BAD_TYPE, {});
  try {
    await assert.rejects(pool.request('events', 0, 10, false, wanted.slice(0, 1)), (e: unknown) => {
      assert.ok(isSeedpipeError(e));
      assert.equal(e.code, 'GENERATOR_TYPE');
      assert.equal(e.disposition, 'usage');
      assert.match(e.message, /table events, column happened_at \(row 9\)/);
      return true;
    });
    // The worker itself is fine: another table still generates.
    const ok = await pool.request('ok_table', 0, 10, false, wanted.slice(0, 1));
    assert.equal(ok.count, 10);
  } finally {
    await pool.close();
  }
});

test('an encoder module without the asked format fails the request with ENCODER_MODULE_INVALID', async () => {
  const pool = new WorkerPool(1, SHAPES, planOptions);
  try {
    await assert.rejects(pool.request('plans', 0, 3, false, [{ format: 'parquet', module: csv.module! }]), { code: 'ENCODER_MODULE_INVALID' });
  } finally {
    await pool.close();
  }
});

test('a dataset a worker cannot load fails every request instead of hanging', async () => {
  const pool = new WorkerPool(1, '/nonexistent/dataset.ts', {});
  try {
    await assert.rejects(pool.request('t', 0, 1, false, []));
    await assert.rejects(pool.request('t', 1, 2, false, []));
  } finally {
    await pool.close();
  }
});

test('the generator source: the same bytes and rows through runPipeline with 1 and 3 workers', async () => {
  const capture = async (workers: number) => {
    const plan = makePlan(shapes(), planOptions);
    const db = new RecordingSink('db', (t) => ({ format: COPY_CSV, rows: t.columns.some((c) => c.deferred) }));
    const file = new RecordingSink('file', { format: CSV });
    await runPlan({ plan, run: buildRunInfo(plan), sinks: [db, file], workers, worker: { modulePath: SHAPES, planOptions }, batchRows: 97 });
    const bytes = (s: RecordingSink) => [...s.rec.batches].map(([t, bs]) => `${t}:${Buffer.concat(bs.map((b) => b.bytes)).toString('base64')}`);
    const rows = [...db.rec.batches].map(([t, bs]) => [t, bs.flatMap((b) => b.rows ?? [])]);
    return { db: bytes(db), file: bytes(file), rows };
  };
  const one = await capture(1);
  const three = await capture(3);
  assert.deepEqual(three, one);
  assert.ok(one.rows.some(([, r]) => (r as unknown[]).length > 0), 'row values for the table with a deferred column');
});
