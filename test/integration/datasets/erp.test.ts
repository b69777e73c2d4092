/**
 * The erp dataset at its light profile, loaded into a throwaway embedded PostgreSQL with table
 * creation: `validate` passes (every foreign key, row count, unique and business rule),
 * `seedpipe coverage` finds at least 107 tables all holding rows, the headline numbers and the
 * document's business consistency read back from SQL (stock, cash, sub-ledgers), and broken rules
 * are caught.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValidationTable, validateDatabase } from '../../../stages/sinks/postgres/index.js';
import { runCli } from '../../support/cli.js';
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

  test('seedpipe coverage: at least 107 tables, every one covered by the dataset and holding rows', async () => {
    const cov = await runCli(['coverage', 'erp', '--db', ds.server.url, '--json', '--min-coverage', '100']);
    assert.equal(cov.code, 0, cov.stderr);
    const report = JSON.parse(cov.stdout) as { tables: { table: string; rows: number; covered: boolean }[]; nonEmpty: number; total: number; percent: number; missing: string[] };
    assert.ok(report.total >= 107, `${report.total} tables`);
    assert.equal(report.percent, 100);
    assert.equal(report.nonEmpty, report.total);
    assert.deepEqual(report.tables.filter((t) => !t.covered).map((t) => t.table), []);
    assert.deepEqual(report.missing, []);
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

  test('every account balance is plausible: no negative inventory, cash or payables; the trial balance is zero', async () => {
    const [tb] = await query<{ debit: string; credit: string }>(`SELECT SUM(debit) AS debit, SUM(credit) AS credit FROM ledger_entries`);
    assert.equal(tb!.debit, tb!.credit);
    const balances = await query<{ code: string; type: string; normal: string; balance: string }>(`SELECT a.code, a.type::text AS type, a.normal_balance::text AS normal,
      SUM(CASE WHEN a.normal_balance = 'debit' THEN le.debit - le.credit ELSE le.credit - le.debit END) AS balance
      FROM ledger_entries le JOIN accounts a ON a.id = le.account_id GROUP BY a.code, a.type, a.normal_balance ORDER BY a.code`);
    // Every account that moved sits on its normal side (assets, expenses and contra-revenue debit; liabilities, equity and revenue credit).
    for (const b of balances) assert.ok(Number(b.balance) >= 0, `${b.code} (${b.type}) balance ${b.balance} is on its normal side`);
    const by = Object.fromEntries(balances.map((b) => [b.code, Number(b.balance)]));
    for (const code of ['1000', '1010', '1020', '1100', '1200', '2000', '2010', '4000', '5000']) assert.ok(code in by, `${code} moved`);
    // The lowest point of each cash account, posting by posting, is still above zero.
    const lows = await query<{ code: string; low: string }>(`SELECT code, min(run) AS low FROM (SELECT a.code, SUM(le.debit - le.credit) OVER (PARTITION BY a.code ORDER BY je.entry_date, je.id ROWS UNBOUNDED PRECEDING) AS run
      FROM ledger_entries le JOIN journal_entries je ON je.id = le.journal_entry_id JOIN accounts a ON a.id = le.account_id WHERE a.code IN ('1000', '1010', '1020')) x GROUP BY code ORDER BY code`);
    assert.equal(lows.length, 3);
    for (const l of lows) assert.ok(Number(l.low) >= 0, `cash ${l.code} never below zero (lowest ${l.low})`);
    const [stock] = await query<{ negative: string; oversold: string; batches: string }>(`SELECT count(*) FILTER (WHERE on_hand < 0) AS negative,
      count(*) FILTER (WHERE quantity_sold > quantity) AS oversold, count(*) AS batches FROM batches`);
    assert.deepEqual({ ...stock, batches: undefined }, { negative: '0', oversold: '0', batches: undefined });
  });

  test('broken rules are reported: an unbalanced entry, an overpaid invoice, an oversold batch, a skipped stage, an overdrawn account', async () => {
    assert.deepEqual(await failedChecks(), []);
    await query(`BEGIN;
      UPDATE ledger_entries SET debit = debit + 1 WHERE id = (SELECT min(id) FROM ledger_entries WHERE debit > 0 AND journal_entry_id > 1);
      UPDATE payments SET amount = amount + 100000 WHERE id = 1;
      UPDATE sales SET quantity = quantity + 100000 WHERE id = 1;
      UPDATE workflow_transitions SET to_stage_id = 3 WHERE id = (SELECT min(t.id) FROM workflow_transitions t JOIN workflow_items w ON w.id = t.workflow_item_id WHERE w.current_stage_id = 2 AND t.to_stage_id = 2);
      UPDATE ledger_entries SET debit = 0, credit = debit WHERE journal_entry_id = 1 AND line_number = 1;
      COMMIT`);
    const failed = await failedChecks();
    for (const name of ['journal_entries_balance', 'payments_and_credits_never_exceed_invoice', 'no_batch_sold_beyond_received', 'workflow_transitions_are_valid_moves', 'cash_never_negative']) {
      assert.ok(failed.includes(name), `${name} should fail; failed: ${failed.join(', ')}`);
    }
  });
});
