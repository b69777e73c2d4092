/**
 * erp rules of money as SQL (each query returns the rows that break its rule): order to cash,
 * credits and payments, the client statement, and books that balance, reconcile with every
 * sub-ledger (receivables, payables, consignment, inventory) and keep every cash account funded.
 */
import type { CheckDef } from '../../src/index.js';
import { AP, AR, CASH, COGS, CONSIGNMENT_PAYABLE, INVENTORY, JOURNALS, PAYROLL_CASH, RESERVE_CASH, RETURNS, REVENUE } from './catalogs.js';

const REF_DAY = `DATE '2025-10-31'`;
const REF_TS = `TIMESTAMPTZ '2025-10-31T23:59:59Z'`;
/** Net debit − credit of one account code. */
const gl = (code: string): string => `(SELECT COALESCE(SUM(le.debit - le.credit), 0) FROM ledger_entries le JOIN accounts a ON a.id = le.account_id WHERE a.code = '${code}')`;

export const moneyChecks: readonly CheckDef[] = [
  {
    name: 'client_revenue_is_pareto',
    description: 'The top 20% of clients by invoiced revenue hold 70–90% of it.',
    sql: `WITH rev AS (SELECT c.id, COALESCE(SUM(i.total), 0) AS r FROM clients c LEFT JOIN invoices i ON i.client_id = c.id GROUP BY c.id),
      ranked AS (SELECT r, row_number() OVER (ORDER BY r DESC) AS rn, count(*) OVER () AS n FROM rev)
      SELECT share FROM (SELECT SUM(r) FILTER (WHERE rn <= ceil(n * 0.2)) / NULLIF(SUM(r), 0) AS share FROM ranked) s WHERE share IS NULL OR share < 0.7 OR share > 0.9`,
  },
  { name: 'invoice_total_is_sum_of_lines', sql: `SELECT i.id FROM invoices i LEFT JOIN invoice_lines l ON l.invoice_id = i.id GROUP BY i.id HAVING i.total <> COALESCE(SUM(l.line_total), 0) OR count(l.id) = 0` },
  {
    name: 'invoice_lines_mirror_order_items',
    sql: `SELECT l.id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id LEFT JOIN order_items oi ON oi.order_id = i.order_id AND oi.product_id = l.product_id
        WHERE oi.order_id IS NULL OR oi.quantity <> l.quantity OR oi.unit_price <> l.unit_price
      UNION ALL SELECT i.id FROM invoices i JOIN orders o ON o.id = i.order_id WHERE i.total <> o.total OR i.client_id <> o.client_id OR i.issued_at < o.ordered_at`,
  },
  { name: 'order_total_is_sum_of_items', sql: `SELECT o.id FROM orders o LEFT JOIN order_items oi ON oi.order_id = o.id GROUP BY o.id HAVING o.total <> COALESCE(SUM(oi.line_total), 0)` },
  {
    name: 'order_prices_follow_pricing',
    description: 'Unit price = the client’s override when one applies, else the list price at order time (price history) less the volume tier and any category promotion.',
    sql: `SELECT oi.order_id, oi.product_id FROM order_items oi
      JOIN orders o ON o.id = oi.order_id JOIN clients cl ON cl.id = o.client_id JOIN products p ON p.id = oi.product_id
      JOIN LATERAL (SELECT ph.list_price FROM price_history ph WHERE ph.product_id = p.id AND ph.valid_from <= o.ordered_at ORDER BY ph.valid_from DESC LIMIT 1) lp ON true
      LEFT JOIN client_pricing_overrides cpo ON cpo.client_id = o.client_id AND cpo.product_id = oi.product_id AND cpo.valid_from <= o.ordered_at
      LEFT JOIN LATERAL (SELECT t.discount_pct FROM pricing_tiers t WHERE t.pricing_profile_id = cl.pricing_profile_id AND t.min_qty <= oi.quantity ORDER BY t.min_qty DESC LIMIT 1) t ON true
      LEFT JOIN pricing_rules r ON r.pricing_profile_id = cl.pricing_profile_id AND r.category_id = p.category_id AND r.valid_from <= o.ordered_at AND (r.valid_to IS NULL OR r.valid_to > o.ordered_at)
      WHERE oi.unit_price <> COALESCE(cpo.price, round(lp.list_price * (100 - COALESCE(t.discount_pct, 0) - COALESCE(r.adjustment_pct, 0)) / 100, 2))`,
  },
  {
    name: 'pricing_has_ten_profiles_and_twenty_rules',
    sql: `SELECT 'profiles' WHERE (SELECT count(*) FROM pricing_profiles) < 10 UNION ALL SELECT 'rules' WHERE (SELECT count(*) FROM pricing_rules) < 20
      UNION ALL SELECT 'a profile without tiers' WHERE EXISTS (SELECT 1 FROM pricing_profiles p WHERE NOT EXISTS (SELECT 1 FROM pricing_tiers t WHERE t.pricing_profile_id = p.id))
      UNION ALL SELECT 'overlapping promotions' WHERE EXISTS (SELECT 1 FROM pricing_rules a JOIN pricing_rules b ON a.id < b.id AND a.pricing_profile_id = b.pricing_profile_id AND a.category_id = b.category_id
        AND a.valid_from < COALESCE(b.valid_to, 'infinity') AND b.valid_from < COALESCE(a.valid_to, 'infinity'))`,
  },
  {
    name: 'list_price_is_latest_price_history',
    sql: `SELECT p.id FROM products p JOIN LATERAL (SELECT list_price FROM price_history h WHERE h.product_id = p.id ORDER BY valid_from DESC LIMIT 1) h ON true WHERE h.list_price <> p.list_price
      UNION ALL SELECT h.id FROM price_history h LEFT JOIN price_history prev ON prev.product_id = h.product_id AND prev.valid_to = h.valid_from
        WHERE h.previous_price IS DISTINCT FROM prev.list_price OR (prev.id IS NULL) <> (h.previous_price IS NULL)`,
  },
  {
    name: 'payments_and_credits_never_exceed_invoice',
    sql: `SELECT i.id FROM invoices i LEFT JOIN payments p ON p.invoice_id = i.id GROUP BY i.id
      HAVING COALESCE(SUM(p.amount), 0) + i.credited > i.total OR COALESCE(SUM(p.amount), 0) <> i.amount_paid
      UNION ALL SELECT i.id FROM invoices i LEFT JOIN refunds r ON r.invoice_id = i.id WHERE i.credited <> COALESCE(r.amount, 0)`,
  },
  { name: 'payments_after_issue_and_by_ref_date', sql: `SELECT p.id FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.paid_at < i.issued_at OR p.paid_at > ${REF_TS} OR p.client_id <> i.client_id` },
  {
    name: 'partial_and_instalment_payments_exist',
    sql: `SELECT 'no partially paid invoice' WHERE NOT EXISTS (SELECT 1 FROM invoices WHERE amount_paid > 0 AND amount_paid < total - credited)
      UNION ALL SELECT 'no invoice paid in instalments' WHERE NOT EXISTS (SELECT 1 FROM payments GROUP BY invoice_id HAVING count(*) > 1)`,
  },
  { name: 'payment_methods_check_wire_ach', sql: `SELECT m FROM (VALUES ('check'), ('wire'), ('ACH')) v(m) WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.method::text = v.m)` },
  {
    name: 'invoice_status_matches_balance',
    sql: `SELECT id FROM invoices WHERE (status = 'paid') <> (balance = 0) OR (status = 'overdue' AND NOT (balance > 0 AND due_date < ${REF_DAY}))
      OR (status IN ('open', 'partial') AND due_date < ${REF_DAY}) OR (status = 'open' AND amount_paid > 0) OR (status = 'partial' AND amount_paid = 0) OR ((paid_at IS NULL) <> (status <> 'paid'))`,
  },
  {
    name: 'ar_aging_has_every_bucket',
    description: 'Open balances fall in every aging bucket (0–30, 31–60, 61–90, 90+ days past due), most of them in 0–30.',
    sql: `WITH b AS (SELECT CASE WHEN ${REF_DAY} - due_date <= 30 THEN '0-30' WHEN ${REF_DAY} - due_date <= 60 THEN '31-60' WHEN ${REF_DAY} - due_date <= 90 THEN '61-90' ELSE '90+' END AS bucket, balance FROM invoices WHERE balance > 0),
      s AS (SELECT bucket, SUM(balance) AS amt FROM b GROUP BY bucket)
      SELECT v.bucket FROM (VALUES ('0-30'), ('31-60'), ('61-90'), ('90+')) v(bucket) LEFT JOIN s USING (bucket) WHERE s.amt IS NULL
      UNION ALL SELECT 'largest bucket is not 0-30' WHERE (SELECT bucket FROM s ORDER BY amt DESC LIMIT 1) <> '0-30'`,
  },
  {
    name: 'chronically_late_clients',
    description: 'D-rated clients pay on average more than 45 days past due; A-rated within 10 days.',
    sql: `WITH late AS (SELECT c.credit_rating, AVG((p.paid_at AT TIME ZONE 'UTC')::date - i.due_date) AS days FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN clients c ON c.id = i.client_id GROUP BY c.credit_rating)
      SELECT credit_rating, days FROM late WHERE (credit_rating = 'D' AND days <= 45) OR (credit_rating = 'A' AND days > 10) UNION ALL SELECT 'D', NULL WHERE NOT EXISTS (SELECT 1 FROM late WHERE credit_rating = 'D')`,
  },
  {
    name: 'credits_come_before_payments',
    description: 'Return credits and quality allowances are issued after the invoice and before its first payment; a return credit is its returned lines, an allowance 5% of the total.',
    sql: `SELECT r.id FROM refunds r JOIN invoices i ON i.id = r.invoice_id WHERE r.issued_at < i.issued_at OR r.issued_at > ${REF_TS}
        OR EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id AND p.paid_at <= r.issued_at)
        OR (r.kind = 'allowance' AND r.amount <> round(i.total * 0.05, 2))
        OR (r.kind = 'return' AND r.amount <> (SELECT SUM(ri.credit) FROM return_items ri WHERE ri.return_id = r.return_id))
      UNION ALL SELECT ri.return_id FROM return_items ri JOIN returns rt ON rt.id = ri.return_id LEFT JOIN order_items oi ON oi.order_id = rt.order_id AND oi.product_id = ri.product_id
        WHERE oi.order_id IS NULL OR ri.quantity >= oi.quantity OR ri.unit_price <> oi.unit_price OR ri.batch_id <> oi.batch_id`,
  },
  {
    name: 'returns_and_allowances_at_document_rates',
    description: 'About 0.5% of orders are partly returned and about 5% get a quality allowance.',
    sql: `SELECT kind::text, n, orders FROM (SELECT r.kind, count(*)::numeric AS n, (SELECT count(*) FROM orders)::numeric AS orders FROM refunds r GROUP BY r.kind) x
      WHERE (kind = 'return' AND (n / orders < 0.002 OR n / orders > 0.012)) OR (kind = 'allowance' AND (n / orders < 0.035 OR n / orders > 0.065))
      UNION ALL SELECT 'no return', 0, 0 WHERE NOT EXISTS (SELECT 1 FROM refunds WHERE kind = 'return')`,
  },
  {
    name: 'payment_history_chains_to_balance',
    sql: `SELECT h.id FROM payment_history h JOIN payments p ON p.id = h.payment_id WHERE h.invoice_id <> p.invoice_id OR h.amount <> p.amount OR h.changed_at <> p.paid_at
      UNION ALL SELECT i.id FROM invoices i JOIN LATERAL (SELECT balance_before FROM payment_history h WHERE h.invoice_id = i.id ORDER BY h.payment_id LIMIT 1) f ON true WHERE f.balance_before <> i.total - i.credited
      UNION ALL SELECT i.id FROM invoices i JOIN LATERAL (SELECT balance_after, status_after FROM payment_history h WHERE h.invoice_id = i.id ORDER BY h.payment_id DESC LIMIT 1) l ON true WHERE l.balance_after <> i.balance OR (i.balance = 0 AND l.status_after <> 'paid')
      UNION ALL SELECT id FROM (SELECT id, balance_before, lag(balance_after) OVER (PARTITION BY invoice_id ORDER BY payment_id) AS prev FROM payment_history) x WHERE prev IS NOT NULL AND prev <> balance_before`,
  },
  {
    name: 'client_statement_ends_at_balance',
    description: 'Each client statement lists every invoice, credit and payment once; its running balance ends at what the client owes.',
    sql: `SELECT id::text FROM (SELECT id, balance_after, SUM(amount) OVER (PARTITION BY client_id ORDER BY id) AS run FROM client_transactions) x WHERE run <> balance_after
      UNION ALL SELECT c.id::text FROM clients c WHERE COALESCE((SELECT balance_after FROM client_transactions t WHERE t.client_id = c.id ORDER BY t.id DESC LIMIT 1), 0) <> (SELECT COALESCE(SUM(balance), 0) FROM invoices i WHERE i.client_id = c.id)
      UNION ALL SELECT 'statement lines' WHERE (SELECT count(*) FROM client_transactions) <> (SELECT count(*) FROM invoices) + (SELECT count(*) FROM payments) + (SELECT count(*) FROM refunds)
      UNION ALL SELECT 'statement order' WHERE EXISTS (SELECT 1 FROM (SELECT occurred_at, lag(occurred_at) OVER (PARTITION BY client_id ORDER BY id) AS prev FROM client_transactions) x WHERE occurred_at < prev)`,
  },
  {
    name: 'quotes_become_their_orders',
    sql: `SELECT q.id FROM quotes q LEFT JOIN orders o ON o.id = q.order_id WHERE (q.status = 'accepted') <> (q.order_id IS NOT NULL) OR o.client_id <> q.client_id OR o.ordered_at <= q.sent_at
      UNION ALL SELECT ql.id FROM quote_lines ql JOIN quotes q ON q.id = ql.quote_id LEFT JOIN order_items oi ON oi.order_id = q.order_id AND oi.product_id = ql.product_id
        WHERE q.order_id IS NOT NULL AND (oi.order_id IS NULL OR oi.quantity <> ql.quantity OR oi.unit_price <> ql.unit_price)`,
  },
  { name: 'shipments_follow_orders', sql: `SELECT s.id FROM shipments s JOIN orders o ON o.id = s.order_id JOIN client_addresses a ON a.id = s.address_id WHERE s.shipped_at <> o.shipped_at OR s.delivered_at IS DISTINCT FROM o.delivered_at OR a.client_id <> o.client_id` },
  // The books
  { name: 'journal_entries_balance', sql: `SELECT je.id FROM journal_entries je LEFT JOIN ledger_entries le ON le.journal_entry_id = je.id GROUP BY je.id HAVING COALESCE(SUM(le.debit), 0) <> COALESCE(SUM(le.credit), 0) OR count(le.id) < 2` },
  {
    name: 'key_accounts_all_move',
    description: 'Revenue, returns, COGS, AR, AP, consignment payable, inventory and every cash account carry postings.',
    sql: `SELECT v.code FROM (VALUES ('${REVENUE}'), ('${RETURNS}'), ('${COGS}'), ('${AR}'), ('${AP}'), ('${CONSIGNMENT_PAYABLE}'), ('${INVENTORY}'), ('${CASH}'), ('${PAYROLL_CASH}'), ('${RESERVE_CASH}')) v(code)
      WHERE NOT EXISTS (SELECT 1 FROM ledger_entries le JOIN accounts a ON a.id = le.account_id WHERE a.code = v.code)`,
  },
  {
    name: 'every_document_is_posted_once',
    sql: JOURNALS.filter((j) => j.code !== 'OBJ')
      .map((j) => `SELECT '${j.source}' AS doc, d.id FROM ${j.source} d WHERE (SELECT count(*) FROM journal_entries je WHERE je.${j.column} = d.id) <> 1`)
      .join(' UNION ALL '),
  },
  {
    name: 'postings_tie_to_documents',
    description: 'The first line of each entry carries its document’s amount.',
    sql: `SELECT je.id FROM journal_entries je JOIN ledger_entries le ON le.journal_entry_id = je.id AND le.line_number = 1
      LEFT JOIN invoices i ON i.id = je.invoice_id LEFT JOIN refunds r ON r.id = je.refund_id LEFT JOIN payments p ON p.id = je.payment_id LEFT JOIN bills b ON b.id = je.bill_id
      LEFT JOIN vendor_payments v ON v.id = je.vendor_payment_id LEFT JOIN consignment_settlements s ON s.id = je.consignment_settlement_id LEFT JOIN expenses e ON e.id = je.expense_id
      LEFT JOIN payroll_runs pr ON pr.id = je.payroll_run_id LEFT JOIN bank_transfers t ON t.id = je.bank_transfer_id LEFT JOIN inventory_adjustments ia ON ia.id = je.inventory_adjustment_id
      WHERE je.journal_id <> 1 AND le.debit <> COALESCE(i.total, r.amount, p.amount, b.total, v.amount, s.amount, e.amount, pr.gross, t.amount, ia.value)`,
  },
  {
    name: 'ledger_reconciles_with_subledgers',
    description: 'AR = open invoice balances; AP = open bills; consignment payable = consigned cost sold − settlements; inventory = owned stock on hand at cost; revenue, returns and COGS = their documents.',
    sql: `SELECT 'AR' WHERE ${gl(AR)} <> (SELECT SUM(balance) FROM invoices)
      UNION ALL SELECT 'AP' WHERE -${gl(AP)} <> (SELECT COALESCE(SUM(balance), 0) FROM bills)
      UNION ALL SELECT 'consignment payable' WHERE -${gl(CONSIGNMENT_PAYABLE)} <> (SELECT COALESCE(SUM(cogs), 0) FROM sales WHERE ownership = 'consignment') - (SELECT COALESCE(SUM(amount), 0) FROM consignment_settlements)
      UNION ALL SELECT 'inventory' WHERE ${gl(INVENTORY)} <> (SELECT COALESCE(SUM(on_hand * unit_cost), 0) FROM batches WHERE ownership = 'owned')
      UNION ALL SELECT 'revenue' WHERE -${gl(REVENUE)} <> (SELECT SUM(total) FROM invoices)
      UNION ALL SELECT 'returns' WHERE ${gl(RETURNS)} <> (SELECT COALESCE(SUM(amount), 0) FROM refunds)
      UNION ALL SELECT 'cogs' WHERE ${gl(COGS)} <> (SELECT SUM(cogs) FROM sales)`,
  },
  {
    name: 'cash_never_negative',
    description: 'Every bank account’s balance, posting by posting (date, then entry), stays at or above zero.',
    sql: `SELECT code, entry_date, run FROM (SELECT a.code, je.entry_date, SUM(le.debit - le.credit) OVER (PARTITION BY a.code ORDER BY je.entry_date, je.id ROWS UNBOUNDED PRECEDING) AS run
        FROM ledger_entries le JOIN journal_entries je ON je.id = le.journal_entry_id JOIN accounts a ON a.id = le.account_id WHERE a.code IN ('${CASH}', '${PAYROLL_CASH}', '${RESERVE_CASH}')) x WHERE run < 0`,
  },
  {
    name: 'cash_accounts_funded_by_transfers',
    description: 'Payroll is paid from its own account, funded the day before each run with exactly the run’s amount; the reserve receives a sweep every month.',
    sql: `SELECT pr.id::text FROM payroll_runs pr LEFT JOIN bank_transfers t ON t.payroll_run_id = pr.id WHERE t.id IS NULL OR t.amount <> pr.gross OR t.transferred_at >= pr.pay_date OR t.to_bank_account_id <> pr.bank_account_id
      UNION ALL SELECT m::text FROM generate_series(DATE '2024-01-01', DATE '2025-10-01', interval '1 month') m WHERE NOT EXISTS (SELECT 1 FROM bank_transfers t WHERE t.purpose = 'reserve' AND date_trunc('month', t.transferred_at AT TIME ZONE 'UTC') = m)`,
  },
  {
    name: 'bank_transactions_match_cash_postings',
    sql: `SELECT bt.id FROM bank_transactions bt JOIN bank_accounts ba ON ba.id = bt.bank_account_id JOIN ledger_entries le ON le.journal_entry_id = bt.journal_entry_id AND le.account_id = ba.account_id
        GROUP BY bt.id, bt.amount HAVING bt.amount <> SUM(le.debit - le.credit)
      UNION ALL SELECT bt.id FROM bank_transactions bt JOIN journal_entries je ON je.id = bt.journal_entry_id
        WHERE bt.initiated_at <> je.entry_date OR (bt.status = 'cleared') <> (bt.cleared_at IS NOT NULL) OR bt.cleared_at < bt.initiated_at OR bt.cleared_at > ${REF_TS} OR (bt.reconciled AND bt.status <> 'cleared')
      UNION ALL SELECT je.id FROM journal_entries je JOIN ledger_entries le ON le.journal_entry_id = je.id JOIN bank_accounts ba ON ba.account_id = le.account_id
        WHERE NOT EXISTS (SELECT 1 FROM bank_transactions bt WHERE bt.journal_entry_id = je.id AND bt.bank_account_id = ba.id)`,
  },
  {
    name: 'entries_in_their_fiscal_period',
    sql: `SELECT je.id FROM journal_entries je JOIN fiscal_periods f ON f.id = je.fiscal_period_id WHERE (je.entry_date AT TIME ZONE 'UTC')::date NOT BETWEEN f.starts_on AND f.ends_on`,
  },
  {
    name: 'analytics_snapshots_match_ledger',
    description: 'Each month’s revenue, returns and COGS, and the month-end AR, inventory, consignment payable and cash, equal the ledger’s.',
    sql: `WITH m AS (SELECT s.*, s.month::timestamp AT TIME ZONE 'UTC' AS start, (s.month + interval '1 month')::timestamp AT TIME ZONE 'UTC' AS next FROM analytics_snapshots s),
      l AS (SELECT a.code, je.entry_date AS at, le.debit - le.credit AS amt FROM ledger_entries le JOIN journal_entries je ON je.id = le.journal_entry_id JOIN accounts a ON a.id = le.account_id)
      SELECT m.month FROM m WHERE m.revenue <> -(SELECT COALESCE(SUM(amt), 0) FROM l WHERE code = '${REVENUE}' AND at >= m.start AND at < m.next)
        OR m.returns_allowances <> (SELECT COALESCE(SUM(amt), 0) FROM l WHERE code = '${RETURNS}' AND at >= m.start AND at < m.next)
        OR m.cogs <> (SELECT COALESCE(SUM(amt), 0) FROM l WHERE code = '${COGS}' AND at >= m.start AND at < m.next)
        OR m.ar_balance <> (SELECT COALESCE(SUM(amt), 0) FROM l WHERE code = '${AR}' AND at < m.next)
        OR m.inventory_value <> (SELECT COALESCE(SUM(amt), 0) FROM l WHERE code = '${INVENTORY}' AND at < m.next)
        OR m.consignment_payable <> -(SELECT COALESCE(SUM(amt), 0) FROM l WHERE code = '${CONSIGNMENT_PAYABLE}' AND at < m.next)
        OR m.cash_balance <> (SELECT COALESCE(SUM(amt), 0) FROM l WHERE code IN ('${CASH}', '${PAYROLL_CASH}', '${RESERVE_CASH}') AND at < m.next)
        OR m.orders <> (SELECT count(*) FROM orders o WHERE o.ordered_at >= m.start AND o.ordered_at < m.next)
        OR m.cash_balance < 0 OR m.inventory_value < 0`,
  },
  {
    name: 'sales_targets_match_invoices',
    sql: `SELECT t.id FROM sales_targets t JOIN users u ON u.id = t.user_id WHERE u.role <> 'sales'
        OR t.achieved <> (SELECT COALESCE(SUM(i.total), 0) FROM invoices i JOIN clients c ON c.id = i.client_id WHERE c.sales_rep_id = t.user_id AND i.issued_at >= t.month::timestamp AT TIME ZONE 'UTC' AND i.issued_at < (t.month + interval '1 month')::timestamp AT TIME ZONE 'UTC')`,
  },
];
