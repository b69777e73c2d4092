/**
 * The run lock across a sharded load, on an embedded PostgreSQL: prepare and finalize hold it
 * exclusively (a prepare during a run, a finalize during shards, two finalizes at once: refused with
 * RUN_IN_PROGRESS naming the holder, nothing changed), shards hold it shared (two shards load side by
 * side and commit; a run, prepare or finalize waits for both).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { defineDataset, isSeedpipeError, makePlan } from '../../../src/index.js';
import { finalizeShardedLoad, PostgresSink, prepareShardedLoad, ShardLoadSink, SHARD_DDL_TABLE } from '../../../stages/sinks/postgres/index.js';
import { runPlan } from '../../support/pipeline.js';
import { startTestEmbedded, type TestPostgres } from '../../support/postgres.js';
import { counts, runInfo, withClient } from './helpers.js';

const shop = defineDataset({
  name: 'shop', seed: 1, refDate: '2025-01-01T00:00:00Z',
  tables: {
    customers: { rows: 40, columns: { id: { type: 'bigint' }, name: { type: 'text', gen: (c) => `customer ${c.i}` } } },
    orders: {
      per: { parent: 'customers', count: 3 },
      columns: { id: { type: 'bigint' }, customer_id: { type: 'bigint', references: 'customers', gen: (c) => c.parent!.id as number } },
    },
  },
});
const TABLES = ['customers', 'orders'];

let db: TestPostgres;
before(async () => {
  db = await startTestEmbedded();
});
after(async () => {
  await db?.stop();
});

const whole = makePlan(shop);
const tables = whole.tables.map((t) => t.info);
const prepare = () => prepareShardedLoad({ url: db.url, dataset: shop.name, tables, createTables: true, yes: true });
const finalize = () => finalizeShardedLoad({ url: db.url, dataset: shop.name, tables });
const shardPlan = (index: number) => makePlan(shop, { shard: { index, count: 2 } });
const shardRun = (index: number) => ({ ...runInfo(shardPlan(index)), shard: { index, count: 2 } });
const loadShards = () => Promise.all([0, 1].map((i) => runPlan({ plan: shardPlan(i), run: shardRun(i), sinks: [new ShardLoadSink({ url: db.url })] })));

/** Asserts a RUN_IN_PROGRESS refusal and returns its message. */
async function refused(p: Promise<unknown>, re: RegExp): Promise<string> {
  let message = '';
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isSeedpipeError(e) && e.code === 'RUN_IN_PROGRESS', String(e));
    assert.match(e.message, re);
    assert.match(e.message, /Nothing was changed/);
    assert.match(e.message, /backend pid \d+/);
    message = e.message;
    return true;
  });
  return message;
}

const prepared = () => withClient(db.url, async (c) => (await c.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [SHARD_DDL_TABLE])).rows[0]!.ok as boolean);

test('a prepare while a run loads the dataset: refused naming the run, the run’s tables untouched', async () => {
  await runPlan({ plan: whole, run: runInfo(whole), sinks: [new PostgresSink({ url: db.url, createTables: true, yes: true })] });
  const running = new PostgresSink({ url: db.url, yes: true });
  await running.open(runInfo(whole));
  try {
    await refused(prepare(), /^cannot prepare a sharded load: another run is loading dataset shop into schema public/);
  } finally {
    await running.abort(new Error('test over'));
  }
  assert.deepEqual(await counts(db.url, TABLES), { customers: 40, orders: 120 }, 'nothing emptied');
  assert.equal(await prepared(), false, 'nothing recorded');
});

test('two shards load side by side; while they do, a finalize, a prepare and a run are refused; then finalize completes', async () => {
  await prepare();
  const a = new ShardLoadSink({ url: db.url });
  const b = new ShardLoadSink({ url: db.url });
  // Both open (each takes the lock in shared mode) without waiting for the other.
  await a.open(shardRun(0));
  await b.open(shardRun(1));
  try {
    const m = await refused(finalize(), /^cannot finalize a sharded load: the shards of a sharded load are loading dataset shop/);
    assert.match(m, /and 1 more session\(s\)/);
    await refused(prepare(), /^cannot prepare a sharded load: the shards/);
    await refused(new PostgresSink({ url: db.url, yes: true }).open(runInfo(whole)), /the shards of a sharded load are loading dataset shop/);
  } finally {
    await a.abort(new Error('test over'));
    await b.abort(new Error('test over'));
  }
  assert.equal(await prepared(), true, 'the refused finalize left the records');
  // The real shards, at the same time.
  await loadShards();
  assert.equal((await finalize()).foreignKeys, 1);
  assert.deepEqual(await counts(db.url, TABLES), { customers: 40, orders: 120 });
  assert.equal(await prepared(), false);
});

test('a shard while a run loads the dataset: refused naming the run', async () => {
  await prepare();
  const running = new PostgresSink({ url: db.url, yes: true, mode: 'append' });
  await running.open(runInfo(whole));
  try {
    await refused(new ShardLoadSink({ url: db.url }).open(shardRun(1)), /^cannot load shard 1\/2: another run is loading dataset shop/);
  } finally {
    await running.abort(new Error('test over'));
  }
  await loadShards();
  await finalize();
});

test('two finalizes at once: the second is refused while the first works, the first completes', async () => {
  await prepare();
  await loadShards();
  // Another session holds a lock on orders: the first finalize waits at its first statement on it, lock in hand.
  await withClient(db.url, async (blocker) => {
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
    const first = finalize();
    first.catch(() => undefined);
    // Wait until the first finalize holds the run lock (its session shows in pg_locks).
    for (let i = 0; i < 500; i++) {
      const n = Number((await blocker.query(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`)).rows[0]!.n);
      if (n > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await refused(finalize(), /^cannot finalize a sharded load: another run is loading dataset shop/);
    await blocker.query('ROLLBACK');
    assert.equal((await first).foreignKeys, 1);
  });
  assert.deepEqual(await counts(db.url, TABLES), { customers: 40, orders: 120 });
  assert.equal(await withClient(db.url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM pg_constraint WHERE contype = 'f'`)).rows[0]!.n)), 1, 'the foreign key is back once');
});
