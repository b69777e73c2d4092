/**
 * Introspect real schemas (Chinook and test/fixtures/schemas/big.sql), write the dataset, load it into
 * the same database with the Postgres sink (into the existing tables), and validate: every table
 * gets rows, every foreign key, unique and check holds, and every column is generated or reported.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeedpipeError } from '../../../src/errors.js';
import { buildRunInfo, loadDataset, makePlan } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import { copyLoad, fullCsvSink } from './copy-load.js';
import { startTestEmbedded, type TestPostgres } from '../../support/postgres.js';
import {
  CHINOOK, FIXTURES, assertEveryColumnAccountedFor, databaseWith, failedChecks, introspectInto, loadInto, tableCounts, withClient,
} from './helpers.js';

let server: TestPostgres;
before(async () => {
  server = await startTestEmbedded();
});
after(async () => {
  await server?.stop();
});

test('Chinook: every table filled, keys and uniques valid, nothing to report', async () => {
  const url = await databaseWith(server.url, 'chinook', CHINOOK);
  const r = await introspectInto(url, { rows: 200 });
  assert.equal(r.catalog.tables.length, 11);
  assert.deepEqual(r.dataset.findings.filter((f) => f.severity !== 'info'), []);
  const { def, report } = await loadInto(r.files.dataset, url);
  assert.deepEqual(failedChecks(report), []);
  assert.ok(report.ok);
  assertEveryColumnAccountedFor(r, def);
  const counts = await tableCounts(url, r.catalog.tables.map((t) => t.name));
  for (const [t, n] of Object.entries(counts)) assert.ok(n > 0, `${t} has rows`);
  assert.equal(counts.customer, 200);
  assert.ok(counts.invoice_line! > counts.invoice!, 'child tables get more rows than their parents');
  await withClient(url, async (c) => {
    // Self-reference to earlier rows; playlist_track composite key unique by construction.
    const bad = await c.query('SELECT count(*)::int AS n FROM employee e WHERE e.reports_to >= e.employee_id');
    assert.equal(bad.rows[0].n, 0);
    // Identity ALWAYS columns were loaded, and their sequences moved past the loaded keys.
    await c.query(`INSERT INTO genre (name) VALUES ('after the load')`);
  });
});

test('big.sql (60 tables): composite and self keys, cycles (nullable and NOT NULL), enums, domains, checks, partial uniques, identity and generated columns', async () => {
  const url = await databaseWith(server.url, 'big', new URL('big.sql', FIXTURES));
  const r = await introspectInto(url, { rows: 100 });
  assert.ok(r.catalog.tables.length >= 40);
  assert.deepEqual(r.dataset.findings.filter((f) => f.severity === 'error'), []);
  const { def, report } = await loadInto(r.files.dataset, url);
  assert.deepEqual(failedChecks(report), []);
  assertEveryColumnAccountedFor(r, def);
  const counts = await tableCounts(url, r.catalog.tables.map((t) => t.name));
  const empty = Object.entries(counts).filter(([, n]) => n === 0).map(([t]) => t);
  assert.deepEqual(empty, [], 'every table has rows');

  // Regular-expression checks (a table check, a domain check) are solved, not reported: the values match.
  const about = (table: string, column: string): boolean => r.dataset.findings.some((f) => f.table === table && f.column === column && f.severity !== 'info');
  assert.ok(!about('tickets', 'reference') && !about('suppliers', 'contact_email'));
  assert.ok(r.dataset.findings.some((f) => f.table === 'orders' && f.column === 'total' && /generated column/.test(f.problem)));

  await withClient(url, async (c) => {
    const one = async (sql: string): Promise<number> => Number(Object.values((await c.query(sql)).rows[0] as Record<string, unknown>)[0]);
    assert.equal(await one(`SELECT count(*) FROM tickets WHERE reference !~ '^[A-Z]'`), 0);
    assert.ok((await one(`SELECT count(*) FROM suppliers WHERE contact_email ~ '^[^@\\s]+@[^@\\s]+$'`)) > 0, 'e-mails filled (and the domain check held)');
    // The cycle departments.manager_id ↔ employees.department_id: loaded NULL, then set.
    assert.ok((await one('SELECT count(manager_id) FROM departments')) > 0);
    // The NOT NULL cycle accounts ↔ contacts: one key left undeclared (reported), valid after the load.
    assert.ok(r.dataset.findings.some((f) => ['accounts', 'contacts'].includes(f.table) && /cycle of NOT NULL/.test(f.problem)));
    assert.equal(await one('SELECT count(*) FROM accounts a LEFT JOIN contacts c ON c.id = a.primary_contact_id WHERE c.id IS NULL'), 0);
    assert.equal(await one('SELECT count(*) FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id WHERE a.id IS NULL'), 0);
    // NOT NULL self-reference: the root points at itself, the others at earlier rows.
    assert.equal(await one('SELECT count(*) FROM org_units WHERE parent_id > id'), 0);
    assert.equal(await one('SELECT count(*) FROM org_units WHERE parent_id = id'), 1);
    // Grouped keys: line numbers 1..n within each order; shipment items reference real order lines.
    assert.equal(await one('SELECT count(*) FROM (SELECT order_id FROM order_items GROUP BY order_id HAVING max(line_no) <> count(*)) x'), 0);
    assert.ok((await one('SELECT count(*) FROM shipment_items si JOIN order_items oi USING (order_id, line_no)')) > 0);
    // Row orderings from checks and conventions.
    assert.equal(await one('SELECT count(*) FROM users WHERE updated_at < created_at'), 0);
    assert.ok((await one('SELECT count(*) FROM employees WHERE termination_date IS NOT NULL')) > 0);
    // Generated columns computed by the database; enums, IN lists, domains.
    assert.equal(await one('SELECT count(*) FROM orders WHERE total IS DISTINCT FROM subtotal + tax'), 0);
    assert.ok((await one(`SELECT count(DISTINCT status) FROM orders`)) >= 4);
    assert.ok((await one(`SELECT count(DISTINCT kind) FROM payment_methods`)) >= 3);
    // One active subscription per organisation (partial unique), one profile per user (1:1).
    assert.equal(await one('SELECT count(*) FROM user_profiles'), await one('SELECT count(*) FROM users'));
    // Identity/serial sequences are past the loaded keys: the application can insert.
    await c.query(`INSERT INTO tags (label) VALUES ('after-the-load')`);
    await c.query(`INSERT INTO users (organization_id, email, username, first_name, last_name, password_hash, created_at, updated_at)
                   SELECT id, 'new@example.com', 'new_user', 'New', 'User', 'x', now(), now() FROM organizations LIMIT 1`);
    // Arrays, bytea, inet, time: filled when the sink loads them, left to the database (and reported) when not.
    const tags = r.dataset.findings.find((f) => f.table === 'products' && f.column === 'tags');
    if (tags) assert.match(tags.chosen, /left to the database/);
    else assert.ok((await one(`SELECT count(*) FROM products WHERE tags <> '{}'`)) > 0);
  });
});

test('exotic NOT NULL columns: loaded as text literals when the sink accepts them, otherwise reported as errors before any load', async () => {
  const url = await databaseWith(server.url, 'exotic', new URL('exotic.sql', FIXTURES));
  const r = await introspectInto(url, { rows: 50 });
  const errors = r.dataset.findings.filter((f) => f.severity === 'error').map((f) => f.column);
  assert.ok(r.dataset.findings.some((f) => f.column === 'area' && f.severity === 'warning'), 'box has no generator: left NULL and reported');
  if (errors.length === 0) {
    const { report } = await loadInto(r.files.dataset, url);
    assert.deepEqual(failedChecks(report), []);
    assert.equal((await tableCounts(url, ['tokens'])).tokens, 50);
    return;
  }
  // The sink does not load these types: the report names each column, and the load stops before writing.
  assert.deepEqual(errors.sort(), ['client_ip', 'digest', 'lifetime', 'scopes', 'valid_daily_from']);
  await assert.rejects(loadInto(r.files.dataset, url), (e: unknown) => isSeedpipeError(e) && e.code === 'SCHEMA_MISMATCH' && /tokens, column scopes/.test(e.message));
  assert.equal((await tableCounts(url, ['tokens'])).tokens, 0);
});

test('several schemas: tables of both are read; a clashing name gets its own key, non-snake_case names keep their SQL name; the declarations load', async () => {
  const url = await databaseWith(server.url, 'multi', new URL('multi-schema.sql', FIXTURES));
  const r = await introspectInto(url, { schemas: ['public', 'billing'], rows: 20 });
  assert.deepEqual(r.catalog.tables.map((t) => `${t.schema}.${t.name}`), ['public.customers', 'public.invoices', 'billing.Ledger', 'billing.invoices', 'billing.payments']);
  assert.deepEqual(r.dataset.tables.map((t) => [t.table, t.schema, t.sqlName]), [
    ['customers', 'public', 'customers'], ['invoices', 'public', 'invoices'], ['ledger', 'billing', 'Ledger'], ['billing_invoices', 'billing', 'invoices'], ['payments', 'billing', 'payments'],
  ]);
  assert.deepEqual(r.dataset.findings.filter((f) => f.severity === 'error'), []);
  assert.ok(r.dataset.findings.some((f) => f.table === 'customers' && f.column === 'region_id' && f.severity === 'warning' && /other\.regions/.test(f.problem)));
  assert.match(r.dataset.source, /region_id: \{ type: 'int', nullable: true, references: .*gen: \(\) => null \}|region_id: \{ type: 'int', nullable: true, gen: \(\) => null \}/);
  const { def } = await loadDataset(r.files.dataset);
  assert.equal(def.tables.billing_invoices!.schema, 'billing');
  assert.equal(def.tables.billing_invoices!.sqlName, 'invoices');
  assert.equal(def.tables.payments!.columns.amount!.sqlName, 'Amount');
  assert.equal(def.tables.payments!.columns.invoice_id!.references, 'billing_invoices');
  // Loaded by the names the dataset declares (plain COPY), each constraint held by Postgres.
  const plan = makePlan(def);
  const sink = await fullCsvSink();
  await runPlan({ plan, run: buildRunInfo(plan), sinks: [sink] });
  const loaded = await copyLoad(url, plan, sink);
  assert.deepEqual(Object.values(loaded.rows).every((n) => n > 0), true);
});
