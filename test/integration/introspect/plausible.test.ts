/**
 * Plausible by name and by structure, on a schema made to hold one of each: ordered pairs whichever
 * column comes first, sums, small integer enums, coordinates, timestamps spread over a partition
 * window, a boolean partial unique that does not cap the table, a 1:1 table under a composite key,
 * references kept within one tenant (also from a table without a tenant column), sequences
 * declared, and framework bookkeeping left alone (or generated on request).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunInfo, loadDataset, makePlan } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import { startTestEmbedded, type TestPostgres } from '../../support/postgres.js';
import { databaseWith, FIXTURES, introspectInto, withClient } from './helpers.js';
import { copyLoad, fullCsvSink } from './copy-load.js';
import { introspect } from '../../../src/introspect/index.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let server: TestPostgres;
before(async () => {
  server = await startTestEmbedded();
});
after(async () => {
  await server?.stop();
});

test('a schema of plausibility cases: loads as introspected, and every rule holds in every row', async () => {
  const url = await databaseWith(server.url, 'plausible', new URL('plausible.sql', FIXTURES));
  const r = await introspectInto(url, { rows: 300, everyType: true });
  assert.deepEqual(r.dataset.findings.filter((f) => f.severity === 'error'), []);
  assert.deepEqual(r.dataset.untouched.map((u) => u.table).sort(), ['ar_internal_metadata', 'knex_migrations', 'schema_migrations']);
  assert.equal(r.dataset.tenant, 'organizations');
  const { def } = await loadDataset(r.files.dataset);
  assert.equal(def.tables.schema_migrations, undefined);
  assert.deepEqual(def.tables.notes!.columns.id!.sequence, { schema: 'public', name: 'shared_ids', owned: false });
  assert.deepEqual(def.tables.users!.columns.id!.sequence, { schema: 'public', name: 'users_id_seq', owned: true });
  const plan = makePlan(def);
  assert.deepEqual(plan.untouched.map((u) => u.table).sort(), ['ar_internal_metadata', 'knex_migrations', 'schema_migrations']);
  const sink = await fullCsvSink();
  await runPlan({ plan, run: buildRunInfo(plan), sinks: [sink] });
  await copyLoad(url, plan, sink);

  await withClient(url, async (c) => {
    const one = async (sql: string): Promise<number> => Number(Object.values((await c.query(sql)).rows[0] as Record<string, unknown>)[0]);
    assert.equal(await one('SELECT count(*) FROM schema_migrations'), 2, 'bookkeeping untouched');
    assert.equal(await one('SELECT count(*) FROM knex_migrations'), 0);
    // The boolean partial unique does not cap the table; at most one active admin.
    assert.ok((await one('SELECT count(*) FROM users')) >= 100);
    assert.ok((await one('SELECT count(*) FROM users WHERE admin AND deleted_at IS NULL')) <= 1);
    assert.ok((await one('SELECT count(*) FROM users WHERE admin')) > 1, 'other admins are deleted ones');
    // Orderings by name, whichever column comes first; checks; small enums; coordinates.
    assert.equal(await one('SELECT count(*) FROM users WHERE updated_at < created_at'), 0);
    assert.equal(await one('SELECT count(*) FROM invoices WHERE due_on < issued_on'), 0);
    assert.equal(await one('SELECT count(*) FROM areas WHERE max_lat < min_lat OR max_lon < min_lon'), 0);
    assert.equal(await one('SELECT count(*) FROM areas WHERE abs(min_lat) > 90 OR abs(max_lat) > 90 OR abs(min_lon) > 180 OR abs(max_lon) > 180'), 0);
    assert.equal(await one('SELECT count(*) FROM users WHERE abs(latitude) > 90 OR abs(longitude) > 180'), 0);
    assert.ok((await one('SELECT max(status) FROM users')) <= 4 && (await one('SELECT max(role) FROM users')) <= 4);
    assert.ok((await one('SELECT count(DISTINCT status) FROM users')) >= 2);
    // Sums: total = fees + taxes in every row.
    assert.equal(await one('SELECT count(*) FROM invoices WHERE total <> fees + taxes'), 0);
    // Partition window: every payment in it, spread over it (not one day).
    assert.ok((await one(`SELECT count(DISTINCT date_trunc('day', paid_at)) FROM payments`)) >= 30);
    // Constraints of one partition hold (Postgres checked them during the load); both partitions got rows.
    assert.ok((await one('SELECT count(*) FROM payments_2024_01')) > 0 && (await one('SELECT count(*) FROM payments_2024_02')) > 0);
    assert.equal(await one('SELECT count(*) FROM payments_2024_02 WHERE amount < 5'), 0);
    // 1:1 under a composite key.
    assert.equal(await one('SELECT count(*) FROM (SELECT user_id FROM user_profiles GROUP BY user_id HAVING count(*) > 1) x'), 0);
    assert.ok((await one('SELECT count(*) FROM user_profiles')) > 0);
    // Tenancy: a subscription's customer and plan, an invoice's subscription and customer, one organization each.
    assert.equal(await one('SELECT count(*) FROM subscriptions s JOIN customers cu ON cu.id = s.customer_id JOIN plans p ON p.id = s.plan_id WHERE cu.organization_id <> s.organization_id OR p.organization_id <> s.organization_id'), 0);
    assert.equal(await one('SELECT count(*) FROM invoices i JOIN subscriptions s ON s.id = i.subscription_id JOIN customers cu ON cu.id = i.customer_id WHERE cu.organization_id <> s.organization_id'), 0);
    assert.ok((await one('SELECT count(DISTINCT organization_id) FROM subscriptions')) > 5, 'many tenants');
  });
});

test('bookkeeping tables are generated on request (includeBookkeeping)', async () => {
  const url = await databaseWith(server.url, 'plausible_bk', new URL('plausible.sql', FIXTURES));
  const outDir = await mkdtemp(join(tmpdir(), 'seedpipe-bk-'));
  const r = await withClient(url, (client) => introspect({ client, outDir, source: 'test', includeBookkeeping: true, rows: 20 }));
  assert.deepEqual(r.dataset.untouched, []);
  assert.ok(r.dataset.tables.some((t) => t.table === 'schema_migrations'));
});
