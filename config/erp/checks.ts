/**
 * erp business rules as SQL: each query returns the rows that break its rule (none when the data
 * is right). `seedpipe validate` runs them after a load.
 */
import type { CheckDef } from '../../src/index.js';
import { AP, AR, CASH, COGS, INVENTORY, REVENUE } from './catalogs.js';

const REF_DAY = `DATE '2025-10-31'`;
const REF_TS = `TIMESTAMPTZ '2025-10-31T23:59:59Z'`;

export const erpChecks: readonly CheckDef[] = [
  // Revenue and receivables
  {
    name: 'client_revenue_is_pareto',
    description: 'The top 20% of clients by invoiced revenue hold 70–90% of it.',
    sql: `WITH rev AS (SELECT c.id, COALESCE(SUM(i.total), 0) AS r FROM clients c LEFT JOIN invoices i ON i.client_id = c.id GROUP BY c.id),
      ranked AS (SELECT r, row_number() OVER (ORDER BY r DESC) AS rn, count(*) OVER () AS n FROM rev)
      SELECT share FROM (SELECT SUM(r) FILTER (WHERE rn <= ceil(n * 0.2)) / NULLIF(SUM(r), 0) AS share FROM ranked) s
      WHERE share IS NULL OR share < 0.7 OR share > 0.9`,
  },
  {
    name: 'invoice_total_is_sum_of_lines',
    sql: `SELECT i.id FROM invoices i LEFT JOIN invoice_lines l ON l.invoice_id = i.id GROUP BY i.id HAVING i.total <> COALESCE(SUM(l.line_total), 0) OR count(l.id) = 0`,
  },
  {
    name: 'invoice_lines_mirror_order_items',
    sql: `SELECT l.id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
      LEFT JOIN order_items oi ON oi.order_id = i.order_id AND oi.product_id = l.product_id
      WHERE oi.order_id IS NULL OR oi.quantity <> l.quantity OR oi.unit_price <> l.unit_price
      UNION ALL SELECT i.id FROM invoices i JOIN orders o ON o.id = i.order_id WHERE i.total <> o.total OR i.client_id <> o.client_id OR i.issued_at < o.ordered_at`,
  },
  {
    name: 'order_total_is_sum_of_items',
    sql: `SELECT o.id FROM orders o LEFT JOIN order_items oi ON oi.order_id = o.id GROUP BY o.id HAVING o.total <> COALESCE(SUM(oi.line_total), 0)`,
  },
  {
    name: 'order_prices_follow_pricing',
    description: 'Unit price = client override when one applies, else list price less volume tier and category promotion.',
    sql: `SELECT oi.order_id, oi.product_id FROM order_items oi
      JOIN orders o ON o.id = oi.order_id JOIN clients cl ON cl.id = o.client_id JOIN products p ON p.id = oi.product_id
      LEFT JOIN client_pricing_overrides cpo ON cpo.client_id = o.client_id AND cpo.product_id = oi.product_id AND cpo.valid_from <= o.ordered_at
      LEFT JOIN LATERAL (SELECT t.discount_pct FROM pricing_tiers t WHERE t.pricing_profile_id = cl.pricing_profile_id AND t.min_qty <= oi.quantity ORDER BY t.min_qty DESC LIMIT 1) t ON true
      LEFT JOIN pricing_rules r ON r.pricing_profile_id = cl.pricing_profile_id AND r.category_id = p.category_id AND r.valid_from <= o.ordered_at AND (r.valid_to IS NULL OR r.valid_to > o.ordered_at)
      WHERE oi.unit_price <> COALESCE(cpo.price, round(p.list_price * (100 - COALESCE(t.discount_pct, 0) - COALESCE(r.adjustment_pct, 0)) / 100, 2))`,
  },
  {
    name: 'payments_never_exceed_invoice',
    sql: `SELECT i.id FROM invoices i LEFT JOIN payments p ON p.invoice_id = i.id GROUP BY i.id
      HAVING COALESCE(SUM(p.amount), 0) > i.total OR COALESCE(SUM(p.amount), 0) <> i.amount_paid`,
  },
  {
    name: 'payments_after_issue_and_by_ref_date',
    sql: `SELECT p.id FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.paid_at < i.issued_at OR p.paid_at > ${REF_TS} OR p.client_id <> i.client_id`,
  },
  {
    name: 'partial_and_instalment_payments_exist',
    sql: `SELECT 'no partially paid invoice' WHERE NOT EXISTS (SELECT 1 FROM invoices WHERE amount_paid > 0 AND amount_paid < total)
      UNION ALL SELECT 'no invoice paid in instalments' WHERE NOT EXISTS (SELECT 1 FROM payments GROUP BY invoice_id HAVING count(*) > 1)`,
  },
  {
    name: 'payment_methods_check_wire_ach',
    sql: `SELECT m FROM (VALUES ('check'), ('wire'), ('ACH')) v(m) WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.method::text = v.m)`,
  },
  {
    name: 'invoice_status_matches_balance',
    sql: `SELECT id FROM invoices WHERE (status = 'paid') <> (balance = 0) OR (status = 'overdue' AND NOT (balance > 0 AND due_date < ${REF_DAY}))
      OR (status IN ('open', 'partial') AND due_date < ${REF_DAY}) OR (status = 'open' AND amount_paid > 0) OR (status = 'partial' AND amount_paid = 0)
      OR ((paid_at IS NULL) <> (status <> 'paid'))`,
  },
  {
    name: 'ar_aging_has_every_bucket',
    description: 'Open balances fall in every aging bucket (0–30, 31–60, 61–90, 90+ days past due), most of them in 0–30.',
    sql: `WITH b AS (SELECT CASE WHEN ${REF_DAY} - due_date <= 30 THEN '0-30' WHEN ${REF_DAY} - due_date <= 60 THEN '31-60' WHEN ${REF_DAY} - due_date <= 90 THEN '61-90' ELSE '90+' END AS bucket, balance
        FROM invoices WHERE balance > 0),
      s AS (SELECT bucket, SUM(balance) AS amt FROM b GROUP BY bucket)
      SELECT v.bucket FROM (VALUES ('0-30'), ('31-60'), ('61-90'), ('90+')) v(bucket) LEFT JOIN s USING (bucket) WHERE s.amt IS NULL
      UNION ALL SELECT 'largest bucket is not 0-30' WHERE (SELECT bucket FROM s ORDER BY amt DESC LIMIT 1) <> '0-30'`,
  },
  {
    name: 'chronically_late_clients',
    description: 'D-rated clients pay on average more than 45 days past due; A-rated within 10 days.',
    sql: `WITH late AS (SELECT c.credit_rating, AVG((p.paid_at AT TIME ZONE 'UTC')::date - i.due_date) AS days
        FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN clients c ON c.id = i.client_id GROUP BY c.credit_rating)
      SELECT credit_rating, days FROM late WHERE (credit_rating = 'D' AND days <= 45) OR (credit_rating = 'A' AND days > 10)
      UNION ALL SELECT 'D', NULL WHERE NOT EXISTS (SELECT 1 FROM late WHERE credit_rating = 'D')`,
  },
  // The books
  {
    name: 'journal_entries_balance',
    sql: `SELECT je.id FROM journal_entries je LEFT JOIN ledger_entries le ON le.journal_entry_id = je.id GROUP BY je.id HAVING COALESCE(SUM(le.debit), 0) <> COALESCE(SUM(le.credit), 0) OR count(le.id) < 2`,
  },
  {
    name: 'key_accounts_all_move',
    description: 'Revenue, COGS, AR, AP, inventory and cash all carry postings.',
    sql: `SELECT v.code FROM (VALUES ('${REVENUE}'), ('${COGS}'), ('${AR}'), ('${AP}'), ('${INVENTORY}'), ('${CASH}')) v(code)
      WHERE NOT EXISTS (SELECT 1 FROM ledger_entries le JOIN accounts a ON a.id = le.account_id WHERE a.code = v.code AND (le.debit > 0 OR le.credit > 0))`,
  },
  {
    name: 'every_document_is_posted_once',
    sql: `SELECT 'invoice', i.id FROM invoices i WHERE (SELECT count(*) FROM journal_entries je WHERE je.invoice_id = i.id) <> 1
      UNION ALL SELECT 'payment', p.id FROM payments p WHERE (SELECT count(*) FROM journal_entries je WHERE je.payment_id = p.id) <> 1
      UNION ALL SELECT 'receipt', r.id FROM po_receipts r WHERE (SELECT count(*) FROM journal_entries je WHERE je.po_receipt_id = r.id) <> 1
      UNION ALL SELECT 'vendor payment', v.id FROM vendor_payments v WHERE (SELECT count(*) FROM journal_entries je WHERE je.vendor_payment_id = v.id) <> 1
      UNION ALL SELECT 'expense', e.id FROM expenses e WHERE (SELECT count(*) FROM journal_entries je WHERE je.expense_id = e.id) <> 1`,
  },
  {
    name: 'postings_tie_to_documents',
    description: 'AR debit = invoice total, cash debit = payment, inventory debit = receipt, AP debit = vendor payment, expense debit = expense.',
    sql: `SELECT je.id FROM journal_entries je JOIN ledger_entries le ON le.journal_entry_id = je.id AND le.line_number = 1
      LEFT JOIN invoices i ON i.id = je.invoice_id LEFT JOIN payments p ON p.id = je.payment_id LEFT JOIN po_receipts r ON r.id = je.po_receipt_id
      LEFT JOIN vendor_payments v ON v.id = je.vendor_payment_id LEFT JOIN expenses e ON e.id = je.expense_id
      WHERE le.debit <> COALESCE(i.total, p.amount, r.amount, v.amount, e.amount)`,
  },
  {
    name: 'bank_transactions_match_cash_postings',
    sql: `SELECT bt.id FROM bank_transactions bt JOIN bank_accounts ba ON ba.id = bt.bank_account_id
      JOIN ledger_entries le ON le.journal_entry_id = bt.journal_entry_id AND le.account_id = ba.account_id
      GROUP BY bt.id, bt.amount HAVING bt.amount <> SUM(le.debit - le.credit)
      UNION ALL SELECT bt.id FROM bank_transactions bt JOIN journal_entries je ON je.id = bt.journal_entry_id
        WHERE bt.initiated_at <> je.entry_date OR (bt.status = 'cleared') <> (bt.cleared_at IS NOT NULL) OR bt.cleared_at < bt.initiated_at OR bt.cleared_at > ${REF_TS} OR (bt.reconciled AND bt.status <> 'cleared')
      UNION ALL SELECT je.id FROM journal_entries je JOIN ledger_entries le ON le.journal_entry_id = je.id JOIN bank_accounts ba ON ba.account_id = le.account_id
        WHERE NOT EXISTS (SELECT 1 FROM bank_transactions bt WHERE bt.journal_entry_id = je.id)`,
  },
  {
    name: 'purchase_orders_tie_out',
    sql: `SELECT po.id FROM purchase_orders po LEFT JOIN purchase_order_items it ON it.purchase_order_id = po.id GROUP BY po.id HAVING po.total <> COALESCE(SUM(it.line_total), 0)
      UNION ALL SELECT r.purchase_order_id FROM po_receipts r JOIN purchase_orders po ON po.id = r.purchase_order_id WHERE r.amount <> po.total OR r.received_at <= po.ordered_at OR po.status NOT IN ('received', 'paid')
      UNION ALL SELECT r.purchase_order_id FROM vendor_payments v JOIN po_receipts r ON r.id = v.po_receipt_id WHERE v.amount <> r.amount OR v.paid_at < r.received_at`,
  },
  // Polymorphic references
  {
    name: 'comments_reference_existing_targets',
    sql: `SELECT cm.id FROM comments cm WHERE NOT CASE cm.target_type
        WHEN 'order' THEN EXISTS (SELECT 1 FROM orders o WHERE o.id = cm.target_id AND o.ordered_at <= cm.created_at)
        WHEN 'client' THEN EXISTS (SELECT 1 FROM clients c WHERE c.id = cm.target_id AND c.created_at <= cm.created_at)
        WHEN 'event' THEN EXISTS (SELECT 1 FROM events e WHERE e.id = cm.target_id AND e.created_at <= cm.created_at)
        ELSE false END`,
  },
  {
    name: 'comments_cover_all_target_types',
    sql: `SELECT t FROM (VALUES ('order'), ('client'), ('event')) v(t) WHERE NOT EXISTS (SELECT 1 FROM comments WHERE target_type::text = v.t)`,
  },
  {
    name: 'audit_log_references_existing_rows',
    sql: `SELECT a.id FROM audit_log a WHERE NOT CASE a.entity_type
        WHEN 'order' THEN EXISTS (SELECT 1 FROM orders x WHERE x.id = a.entity_id AND x.ordered_at <= a.at)
        WHEN 'invoice' THEN EXISTS (SELECT 1 FROM invoices x WHERE x.id = a.entity_id AND x.issued_at <= a.at)
        WHEN 'payment' THEN EXISTS (SELECT 1 FROM payments x WHERE x.id = a.entity_id AND x.paid_at <= a.at)
        WHEN 'client' THEN EXISTS (SELECT 1 FROM clients x WHERE x.id = a.entity_id)
        WHEN 'product' THEN EXISTS (SELECT 1 FROM products x WHERE x.id = a.entity_id)
        WHEN 'purchase_order' THEN EXISTS (SELECT 1 FROM purchase_orders x WHERE x.id = a.entity_id AND x.ordered_at <= a.at)
        WHEN 'user' THEN EXISTS (SELECT 1 FROM users x WHERE x.id = a.entity_id)
        ELSE false END`,
  },
  // Workflow
  {
    name: 'workflow_transitions_are_valid_moves',
    description: 'Only receiving → testing → packaging → shipping → shipped, one stage at a time; the first row enters receiving.',
    sql: `SELECT t.id FROM workflow_transitions t JOIN workflow_stages ts ON ts.id = t.to_stage_id LEFT JOIN workflow_stages fs ON fs.id = t.from_stage_id
      WHERE (fs.id IS NULL AND ts.position <> 1) OR (fs.id IS NOT NULL AND ts.position <> fs.position + 1)`,
  },
  {
    name: 'workflow_history_in_time_order',
    sql: `SELECT id FROM (SELECT id, transitioned_at, from_stage_id, lag(transitioned_at) OVER w AS prev_at, lag(to_stage_id) OVER w AS prev_to
        FROM workflow_transitions WINDOW w AS (PARTITION BY workflow_item_id ORDER BY id)) x
      WHERE (prev_at IS NOT NULL AND (transitioned_at <= prev_at OR from_stage_id IS DISTINCT FROM prev_to)) OR (prev_at IS NULL AND from_stage_id IS NOT NULL)`,
  },
  {
    name: 'workflow_current_stage_is_last_transition',
    sql: `SELECT w.id FROM workflow_items w JOIN LATERAL (SELECT to_stage_id, transitioned_at FROM workflow_transitions t WHERE t.workflow_item_id = w.id ORDER BY t.id DESC LIMIT 1) last ON true
      WHERE last.to_stage_id <> w.current_stage_id OR last.transitioned_at <> w.updated_at`,
  },
  {
    name: 'workflow_items_in_every_stage',
    sql: `SELECT s.name FROM workflow_stages s WHERE NOT EXISTS (SELECT 1 FROM workflow_items w WHERE w.current_stage_id = s.id)`,
  },
  // Calendar
  {
    name: 'events_200_to_300_past_and_future',
    sql: `SELECT count(*) FROM events HAVING count(*) NOT BETWEEN 200 AND 300
        OR count(*) FILTER (WHERE starts_at > ${REF_TS}) = 0 OR count(*) FILTER (WHERE starts_at <= ${REF_TS}) = 0
        OR count(*) FILTER (WHERE series_id IS NULL) = 0 OR count(*) FILTER (WHERE series_id IS NOT NULL) = 0`,
  },
  {
    name: 'event_status_follows_time',
    sql: `SELECT id FROM events WHERE (status = 'completed' AND ends_at > ${REF_TS}) OR (status = 'scheduled' AND ends_at <= ${REF_TS})`,
  },
  {
    name: 'organizer_attends',
    sql: `SELECT e.id FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_attendees a WHERE a.event_id = e.id AND a.user_id = e.organizer_id AND a.role = 'organizer')`,
  },
  {
    name: 'invitation_responses_consistent',
    description: 'Pending only while the event is ahead; answers come after the invitation and before the event.',
    sql: `SELECT i.event_id, i.client_id FROM event_invitations i JOIN events e ON e.id = i.event_id
      WHERE i.invited_at >= e.starts_at OR (i.status = 'pending' AND (i.responded_at IS NOT NULL OR e.starts_at <= ${REF_TS}))
        OR (i.status <> 'pending' AND (i.responded_at IS NULL OR i.responded_at < i.invited_at OR i.responded_at > e.starts_at))
      UNION ALL SELECT NULL, NULL WHERE (SELECT count(DISTINCT status) FROM event_invitations) < 3`,
  },
  {
    name: 'reminders_before_event',
    sql: `SELECT r.id FROM event_reminders r JOIN events e ON e.id = r.event_id
      WHERE r.remind_at >= e.starts_at OR r.remind_at <> e.starts_at - r.minutes_before * interval '1 minute' OR r.sent <> (r.remind_at <= ${REF_TS})`,
  },
  // Lists, clients, dashboards
  {
    name: 'lists_not_shared_with_owner',
    sql: `SELECT s.list_id, s.user_id FROM list_shares s JOIN lists l ON l.id = s.list_id WHERE s.user_id = l.owner_id`,
  },
  {
    name: 'client_timeline_in_order',
    sql: `SELECT id FROM (SELECT id, occurred_at, lag(occurred_at) OVER (PARTITION BY client_id ORDER BY id) AS prev FROM client_activities) x WHERE occurred_at < prev`,
  },
  {
    name: 'dashboard_widgets_do_not_overlap',
    sql: `SELECT a.id, b.id FROM dashboard_widgets a JOIN dashboard_widgets b ON a.user_id = b.user_id AND a.id < b.id
      WHERE a.x < b.x + b.w AND b.x < a.x + a.w AND a.y < b.y + b.h AND b.y < a.y + a.h`,
  },
  // Inventory
  {
    name: 'batches_follow_their_lot',
    sql: `SELECT b.id FROM batches b JOIN lots l ON l.id = b.lot_id WHERE b.created_at < l.received_at
      UNION ALL SELECT oi.order_id FROM order_items oi JOIN batches b ON b.id = oi.batch_id JOIN orders o ON o.id = oi.order_id WHERE b.product_id <> oi.product_id OR b.created_at > o.ordered_at`,
  },
];
