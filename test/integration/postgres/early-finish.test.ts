/**
 * Each table is finished as soon as its rows are in (early-finish.ts): its keys, indexes, the foreign keys
 * whose both tables are in, and ANALYZE go to the server behind its COPY while the next table is generated.
 * Against PG18 and PG15: the order the server runs the statements in, a violation in an early table reported
 * as itself while later tables load (and everything rolled back), an abort with finishing work queued, and a
 * cycle-breaking table still finished after its UPDATE.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defineDataset, isSeedpipeError, makePlan } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import { PostgresSink } from '../../../stages/sinks/postgres/index.js';
import type { TestPostgres } from '../../support/postgres.js';
import { cycle } from '../../fixtures/postgres/datasets.js';
import { SERVERS, counts, freshDatabase, recordingConnect, runInfo, withClient } from './helpers.js';

const shop = (o: { duplicateAt?: number; tailRows?: number } = {}) => defineDataset({
  name: 'early_shop',
  seed: 3,
  refDate: '2025-01-01T00:00:00Z',
  tables: {
    customers: {
      rows: 200,
      columns: {
        id: { type: 'bigint' },
        email: { type: 'text', unique: true, gen: (c) => `c${c.i === o.duplicateAt ? 7 : c.i}@example.com` },
      },
    },
    orders: {
      rows: 1000,
      columns: { id: { type: 'bigint' }, customer_id: { type: 'bigint', references: 'customers', gen: (c) => (c.i % 200) + 1 } },
      indexes: [['customer_id']],
    },
    events: {
      rows: o.tailRows ?? 5000,
      columns: { id: { type: 'bigint' }, order_id: { type: 'bigint', references: 'orders', gen: (c) => (c.i % 1000) + 1 }, note: { type: 'text', gen: (c) => `event ${c.i}` } },
    },
  },
});

const recording = (sent: string[]) => recordingConnect(sent);

const at = (sent: readonly string[], re: RegExp): number => {
  const i = sent.findIndex((s) => re.test(s));
  assert.ok(i >= 0, `no statement matches ${re}:\n${sent.join('\n')}`);
  return i;
};

for (const server of SERVERS) {
  describe(`postgres sink, tables finished as they load, ${server.name}`, () => {
    let pg: TestPostgres;
    before(async () => {
      pg = await server.start();
    });
    after(async () => {
      await pg?.stop();
    });

    test('a table\'s keys, indexes, ready foreign keys and ANALYZE run before the next table\'s COPY; the commit only has what is left', async () => {
      const url = await freshDatabase(pg.url, 'early_order');
      const plan = makePlan(shop());
      await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, createTables: true })] });
      const sent: string[] = [];
      const phases: string[] = [];
      const again = makePlan(shop());
      await runPipelineObserved(again, new PostgresSink({ url, yes: true, connect: recording(sent) }), phases);
      // A table's finishing statements go in one message, so the server runs them back to back.
      const customersDone = sent.find((m) => /customers_pkey/.test(m) && /^ANALYZE "public"."customers"$/m.test(m));
      assert.ok(customersDone && /customers_email_key/.test(customersDone), `one message finishes customers:\n${sent.join('\n')}`);
      sent.splice(0, sent.length, ...sent.flatMap((m) => m.split(/;\n/)));
      const copyOrders = at(sent, /^COPY "public"."orders"/);
      const copyEvents = at(sent, /^COPY "public"."events"/);
      assert.ok(at(sent, /^ALTER TABLE .*customers.* ADD CONSTRAINT "customers_pkey"/) < copyOrders);
      assert.ok(at(sent, /^ALTER TABLE .*customers.* ADD CONSTRAINT "customers_email_key"/) < copyOrders);
      assert.ok(at(sent, /^ANALYZE "public"."customers"$/) < copyOrders);
      assert.ok(at(sent, /^CREATE INDEX .*orders/) < copyEvents);
      assert.ok(at(sent, /^ALTER TABLE \S+ ADD CONSTRAINT "orders_customer_id_fkey"/) < copyEvents);
      assert.ok(at(sent, /^ALTER TABLE \S+ ADD CONSTRAINT "events_order_id_fkey"/) > copyEvents);
      // Nothing was left for the commit's own steps but sequences and COMMIT.
      assert.deepEqual(phases.filter((p) => /keys|indexes|analyse/.test(p)), []);
      assert.deepEqual(await counts(url, ['customers', 'orders', 'events']), { customers: 200, orders: 1000, events: 5000 });
      await withClient(url, async (c) => {
        const cons = await c.query(`SELECT conname FROM pg_constraint WHERE conrelid IN ('customers'::regclass, 'orders'::regclass, 'events'::regclass) AND contype IN ('p', 'u', 'f') ORDER BY 1`);
        assert.deepEqual(cons.rows.map((r) => r.conname), ['customers_email_key', 'customers_pkey', 'events_order_id_fkey', 'events_pkey', 'orders_customer_id_fkey', 'orders_pkey']);
        const analysed = await c.query(`SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL ORDER BY 1`);
        assert.deepEqual(analysed.rows.map((r) => r.relname), ['customers', 'events', 'orders']);
      });
    });

    test('a duplicate in the first table is reported as its key while later tables load; nothing is committed', async () => {
      const url = await freshDatabase(pg.url, 'early_dup');
      const sent: string[] = [];
      const plan = makePlan(shop({ duplicateAt: 50, tailRows: 300_000 }));
      await assert.rejects(runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, createTables: true, connect: recording(sent) })] }), (e: unknown) => {
        assert.ok(isSeedpipeError(e), String(e));
        assert.equal(e.code, 'CONSTRAINT_VIOLATION');
        assert.match(e.message, /unique constraint customers_email_key on table customers, column email/);
        assert.match(e.message, /Key \(email\)=\(c7@example\.com\) is duplicated/);
        assert.doesNotMatch(e.message, /current transaction is aborted/);
        return true;
      });
      assert.ok(!sent.includes('COMMIT'));
      assert.ok(sent.includes('ROLLBACK'));
      // The tables were created by the run's transaction: rolled back, they are gone.
      assert.deepEqual(await counts(url, ['customers', 'orders', 'events']), { customers: -1, orders: -1, events: -1 });
    });

    test('an abort while finishing work is queued cancels it and rolls back at once', async () => {
      const url = await freshDatabase(pg.url, 'early_abort');
      const plan = makePlan(shop({ tailRows: 2_000_000 }));
      const sink = new PostgresSink({ url, createTables: true });
      const running = runPlan({
        plan, run: runInfo(plan), sinks: [sink],
        onProgress: (e) => { if (e.table === 'events' && e.rows >= 100_000) void sink.abort(new Error('stop')); },
      });
      const t0 = performance.now();
      await assert.rejects(running);
      assert.ok(sink.undone, 'the sink says what it undid');
      assert.ok(performance.now() - t0 < 60_000);
      assert.deepEqual(await counts(url, ['customers', 'orders', 'events']), { customers: -1, orders: -1, events: -1 });
    });

    test('a cycle-breaking table keeps its keys and indexes for after the UPDATE that sets its deferred column', async () => {
      const url = await freshDatabase(pg.url, 'early_cycle');
      const sent: string[] = [];
      const plan = makePlan(cycle);
      await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, createTables: true, connect: recording(sent) })] });
      const update = at(sent, /^UPDATE "public"."a"/);
      assert.ok(at(sent, /^ALTER TABLE \S+ ADD CONSTRAINT "a_pkey"/) > update);
      assert.ok(at(sent, /^ALTER TABLE \S+ ADD CONSTRAINT "a_b_id_fkey"/) > update);
      assert.ok(at(sent, /^ALTER TABLE \S+ ADD CONSTRAINT "b_a_id_fkey"/) > update);
      assert.ok(at(sent, /^ANALYZE .*"public"."a"/) > update);
      await withClient(url, async (c) => {
        assert.equal((await c.query(`SELECT count(*)::int AS n FROM a WHERE b_id IS NOT NULL`)).rows[0].n, 40);
      });
    });
  });
}

/** runPlan with the phases reported at commit (their names, once each step ends with work in it). */
async function runPipelineObserved(plan: ReturnType<typeof makePlan>, sink: PostgresSink, phases: string[]): Promise<void> {
  const { runPipeline } = await import('../../../src/index.js');
  const { generatorSource } = await import('../../../stages/sources/generator/index.js');
  const { ENCODERS } = await import('../../support/pipeline.js');
  await runPipeline({
    run: runInfo(plan), sources: generatorSource(plan), encoders: ENCODERS, sinks: [sink],
    observer: { phase: (e) => { if (e.state === 'end' && e.stage === 'postgres') phases.push(e.phase); } },
  });
}
