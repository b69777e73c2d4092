/**
 * The erp dataset at its light profile, loaded into a throwaway embedded PostgreSQL with table
 * creation: `validate` passes (every foreign key, row counts, uniques and every business rule),
 * the headline numbers read back from SQL, and broken rules are caught.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValidationTable, validateDatabase } from '../../../stages/sinks/postgres/index.js';
import { useLoadedDataset } from '../../support/loaded-dataset.js';

const ds = useLoadedDataset('erp');
const query = ds.query;
const failedChecks = ds.failedChecks;

describe('erp dataset in PostgreSQL (light)', () => {
  test('validate passes: foreign keys, row counts, uniques and every dataset check', async () => {
    const report = await validateDatabase({ url: ds.server.url, plan: ds.plan, checks: ds.def.checks ?? [] });
    assert.equal(report.ok, true, formatValidationTable(report));
    assert.equal(report.items.filter((i) => i.kind === 'check').length, ds.def.checks!.length);
    assert.equal(report.items.filter((i) => i.kind === 'rows').length, ds.plan.tables.length);
  });

  test('the headline numbers: ≈4,400 invoices, ≥3,000 payments, Pareto revenue, every aging bucket', async () => {
    const [n] = await query<{ invoices: string; payments: string; events: string; share: string }>(`SELECT
      (SELECT count(*) FROM invoices) AS invoices, (SELECT count(*) FROM payments) AS payments, (SELECT count(*) FROM events) AS events,
      (WITH rev AS (SELECT c.id, COALESCE(SUM(i.total), 0) AS r FROM clients c LEFT JOIN invoices i ON i.client_id = c.id GROUP BY c.id),
        ranked AS (SELECT r, row_number() OVER (ORDER BY r DESC) AS rn, count(*) OVER () AS k FROM rev)
        SELECT SUM(r) FILTER (WHERE rn <= ceil(k * 0.2)) / SUM(r) FROM ranked) AS share`);
    assert.equal(Number(n!.invoices), 4_400);
    assert.ok(Number(n!.payments) >= 3_000);
    assert.ok(Number(n!.events) >= 200 && Number(n!.events) <= 300);
    assert.ok(Number(n!.share) > 0.75 && Number(n!.share) < 0.85, `top-20% share ${n!.share}`);
    const buckets = await query<{ bucket: string }>(`SELECT DISTINCT CASE WHEN DATE '2025-10-31' - due_date <= 30 THEN '0-30' WHEN DATE '2025-10-31' - due_date <= 60 THEN '31-60'
      WHEN DATE '2025-10-31' - due_date <= 90 THEN '61-90' ELSE '90+' END AS bucket FROM invoices WHERE balance > 0 ORDER BY 1`);
    assert.deepEqual(buckets.map((b) => b.bucket), ['0-30', '31-60', '61-90', '90+']);
  });

  test('the trial balance is zero and every key account moved', async () => {
    const [tb] = await query<{ debit: string; credit: string }>(`SELECT SUM(debit) AS debit, SUM(credit) AS credit FROM ledger_entries`);
    assert.equal(tb!.debit, tb!.credit);
    const moved = await query<{ code: string }>(`SELECT DISTINCT a.code FROM ledger_entries le JOIN accounts a ON a.id = le.account_id WHERE a.code IN ('1000', '1100', '1200', '2000', '4000', '5000') ORDER BY 1`);
    assert.deepEqual(moved.map((m) => m.code), ['1000', '1100', '1200', '2000', '4000', '5000']);
  });

  test('broken rules are reported: an unbalanced entry, an overpaid invoice, an orphan comment, a skipped stage', async () => {
    assert.deepEqual(await failedChecks(), []);
    await query(`BEGIN;
      UPDATE ledger_entries SET debit = debit + 1 WHERE id = (SELECT min(id) FROM ledger_entries WHERE debit > 0);
      UPDATE payments SET amount = amount + 100000 WHERE id = 1;
      UPDATE comments SET target_id = target_id + 1000000 WHERE id = 1;
      UPDATE workflow_transitions SET to_stage_id = 3 WHERE id = (SELECT min(t.id) FROM workflow_transitions t JOIN workflow_items w ON w.id = t.workflow_item_id WHERE w.current_stage_id = 2 AND t.to_stage_id = 2);
      COMMIT`);
    const failed = await failedChecks();
    for (const name of ['journal_entries_balance', 'payments_never_exceed_invoice', 'comments_reference_existing_targets', 'workflow_transitions_are_valid_moves']) {
      assert.ok(failed.includes(name), `${name} should fail; failed: ${failed.join(', ')}`);
    }
  });
});
