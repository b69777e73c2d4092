/**
 * The run lock on an embedded PostgreSQL: while one sink holds the lock of a dataset and schema, a
 * second sink into them fails at open with RUN_IN_PROGRESS naming the holder (its pid and host from
 * `application_name`); the lock goes with the holder's session, so the next run loads.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import pg from 'pg';
import { defineDataset, isSeedpipeError, makePlan } from '../../../src/index.js';
import { PostgresSink } from '../../../stages/sinks/postgres/index.js';
import { runLockName } from '../../../stages/sinks/postgres/run-lock.js';
import { runPlan } from '../../support/pipeline.js';
import { startTestEmbedded, type TestPostgres } from '../../support/postgres.js';
import { counts, runInfo, withClient } from './helpers.js';

const tiny = defineDataset({
  name: 'tiny', seed: 1, refDate: '2025-01-01T00:00:00Z',
  tables: { items: { rows: 20, columns: { id: { type: 'bigint' }, label: { type: 'text', gen: (c) => `item ${c.i}` } } } },
});

let db: TestPostgres;
before(async () => {
  db = await startTestEmbedded();
});
after(async () => {
  await db?.stop();
});

const sink = (): PostgresSink => new PostgresSink({ url: db.url, createTables: true, yes: true });

test('a second run into the same dataset and schema fails fast naming the first; after it ends the next one loads', async () => {
  const plan = makePlan(tiny);
  const first = sink();
  await first.open(runInfo(plan));
  await assert.rejects(sink().open(runInfo(plan)), (e: unknown) => {
    assert.ok(isSeedpipeError(e) && e.code === 'RUN_IN_PROGRESS', String(e));
    assert.match(e.message, /another run is loading dataset tiny into schema public/);
    assert.ok(e.message.includes(`pid=${process.pid}@${hostname()}`.slice(0, 40)), e.message);
    assert.match(e.message, /backend pid \d+/);
    assert.match(e.message, /Wait for it to finish/);
    return true;
  });
  await first.abort(new Error('test over'));
  await runPlan({ plan, run: runInfo(plan), sinks: [sink()] });
  assert.deepEqual(await counts(db.url, ['items']), { items: 20 });
});

test('a lock held by another client names its application_name; released with its session', async () => {
  const plan = makePlan(tiny);
  const other = new pg.Client({ connectionString: db.url, application_name: 'nightly refresh' });
  await other.connect();
  try {
    await other.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [runLockName('tiny', 'public')]);
    await assert.rejects(sink().open(runInfo(plan)), (e: unknown) => {
      assert.ok(isSeedpipeError(e) && e.code === 'RUN_IN_PROGRESS', String(e));
      assert.match(e.message, /"nightly refresh" \(backend pid \d+/);
      assert.match(e.message, /pg_terminate_backend\(\d+\)/);
      return true;
    });
  } finally {
    await other.end();
  }
  const s = sink();
  await s.open(runInfo(plan));
  await s.abort(new Error('test over'));
  assert.equal(await withClient(db.url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'`)).rows[0]!.n)), 0, 'no advisory lock outlives its session');
});
