/**
 * erp rules of operations as SQL (each query returns the rows that break its rule): the supply
 * chain and stock, consignment, the intake workflow, calendar, lists and tasks, notes, CRM,
 * access control, polymorphic references and the audit log.
 */
import type { CheckDef } from '../../src/index.js';

const REF_TS = `TIMESTAMPTZ '2025-10-31T23:59:59Z'`;

export const opsChecks: readonly CheckDef[] = [
  // Supply chain and stock
  {
    name: 'no_batch_sold_beyond_received',
    description: 'Units sold from a batch (order lines) never exceed what its lot received, and match batches.quantity_sold.',
    sql: `SELECT b.id FROM batches b LEFT JOIN sales s ON s.batch_id = b.id GROUP BY b.id HAVING COALESCE(SUM(s.quantity), 0) > b.quantity OR COALESCE(SUM(s.quantity), 0) <> b.quantity_sold
      UNION ALL SELECT b.id FROM batches b JOIN lots l ON l.id = b.lot_id WHERE b.quantity <> l.quantity`,
  },
  {
    name: 'stock_reconciles',
    description: 'On hand = received − sold (zero once expired: owned stock written off, consigned stock back to its vendor) = units by location.',
    sql: `SELECT b.id FROM batches b WHERE b.on_hand <> CASE WHEN b.status IN ('expired', 'returned') THEN 0 ELSE b.quantity - b.quantity_sold END
        OR b.on_hand <> (SELECT COALESCE(SUM(quantity), 0) FROM batch_locations bl WHERE bl.batch_id = b.id)
        OR (b.status = 'expired') <> EXISTS (SELECT 1 FROM inventory_adjustments a WHERE a.batch_id = b.id)
        OR (b.status IN ('expired', 'returned') AND (b.expires_at > ${REF_TS}::date OR b.quantity = b.quantity_sold))
      UNION ALL SELECT a.batch_id FROM inventory_adjustments a JOIN batches b ON b.id = a.batch_id WHERE a.quantity <> b.quantity_sold - b.quantity OR a.value <> -a.quantity * b.unit_cost OR b.ownership <> 'owned'`,
  },
  {
    name: 'supply_chain_links',
    description: 'Purchase order → item → lot → batch → order line: the same product throughout, received before it is released, released before it is sold.',
    sql: `SELECT l.id FROM lots l JOIN purchase_order_items it ON it.id = l.purchase_order_item_id JOIN purchase_orders po ON po.id = it.purchase_order_id JOIN po_receipts r ON r.purchase_order_id = po.id
        WHERE l.product_id <> it.product_id OR l.quantity <> it.quantity OR l.vendor_id <> po.vendor_id OR l.received_at <> r.received_at OR r.received_at <= po.ordered_at OR (l.ownership = 'consignment') <> po.is_consignment
      UNION ALL SELECT b.id FROM batches b JOIN lots l ON l.id = b.lot_id JOIN purchase_order_items it ON it.id = l.purchase_order_item_id
        WHERE b.product_id <> l.product_id OR b.unit_cost <> it.unit_cost OR b.created_at <> l.received_at OR b.released_at < b.created_at
      UNION ALL SELECT s.id FROM sales s JOIN batches b ON b.id = s.batch_id JOIN orders o ON o.id = s.order_id JOIN order_items oi ON oi.order_id = s.order_id AND oi.product_id = s.product_id
        WHERE b.product_id <> s.product_id OR b.released_at IS NULL OR b.released_at > o.ordered_at OR oi.batch_id <> s.batch_id OR oi.quantity <> s.quantity OR s.cogs <> s.quantity * b.unit_cost OR s.ownership::text <> b.ownership::text
      UNION ALL SELECT it.id FROM purchase_order_items it JOIN purchase_orders po ON po.id = it.purchase_order_id WHERE (po.status <> 'ordered') <> EXISTS (SELECT 1 FROM lots l WHERE l.purchase_order_item_id = it.id)`,
  },
  {
    name: 'purchase_orders_tie_out',
    sql: `SELECT po.id FROM purchase_orders po LEFT JOIN purchase_order_items it ON it.purchase_order_id = po.id GROUP BY po.id HAVING po.total <> COALESCE(SUM(it.line_total), 0)
      UNION ALL SELECT r.purchase_order_id FROM po_receipts r JOIN purchase_orders po ON po.id = r.purchase_order_id WHERE r.amount <> po.total OR po.status = 'ordered'
      UNION ALL SELECT b.id FROM bills b JOIN purchase_orders po ON po.id = b.purchase_order_id WHERE po.is_consignment OR b.total <> po.total OR b.vendor_id <> po.vendor_id
        OR b.total <> (SELECT SUM(line_total) FROM bill_line_items bl WHERE bl.bill_id = b.id) OR (po.status = 'paid') <> (b.status = 'paid')
      UNION ALL SELECT po.id FROM purchase_orders po JOIN po_receipts r ON r.purchase_order_id = po.id WHERE NOT po.is_consignment AND NOT EXISTS (SELECT 1 FROM bills b WHERE b.purchase_order_id = po.id)
      UNION ALL SELECT v.bill_id FROM vendor_payments v JOIN bills b ON b.id = v.bill_id WHERE v.amount <> b.total OR v.paid_at < b.billed_at`,
  },
  {
    name: 'consignment_settled_as_sold',
    description: 'Each monthly settlement pays exactly the cost of its vendor’s consigned units sold that month, after the month closes; consignment POs have no bill.',
    sql: `SELECT s.id::text FROM consignment_settlements s WHERE s.paid_at < s.month + interval '1 month'
        OR (s.amount, s.units) <> (SELECT COALESCE(SUM(x.cogs), 0), COALESCE(SUM(x.quantity), 0) FROM sales x JOIN batches b ON b.id = x.batch_id JOIN lots l ON l.id = b.lot_id
          WHERE l.vendor_id = s.vendor_id AND x.ownership = 'consignment' AND x.sold_at >= s.month::timestamp AT TIME ZONE 'UTC' AND x.sold_at < (s.month + interval '1 month')::timestamp AT TIME ZONE 'UTC')
      UNION ALL SELECT a.id::text FROM consignment_agreements a JOIN vendors v ON v.id = a.vendor_id WHERE NOT v.is_consignment
      UNION ALL SELECT 'most intake is consignment' WHERE (SELECT SUM(total) FILTER (WHERE is_consignment) / SUM(total) FROM purchase_orders) NOT BETWEEN 0.85 AND 0.97`,
  },
  {
    name: 'cogs_history_matches_sales',
    sql: `SELECT h.id::text FROM cogs_history h WHERE (h.units, h.cogs) <> (SELECT COALESCE(SUM(quantity), 0), COALESCE(SUM(cogs), 0) FROM sales s WHERE s.batch_id = h.batch_id
        AND s.sold_at >= h.month::timestamp AT TIME ZONE 'UTC' AND s.sold_at < (h.month + interval '1 month')::timestamp AT TIME ZONE 'UTC')
      UNION ALL SELECT 'sales without history' WHERE (SELECT SUM(cogs) FROM sales) <> (SELECT SUM(cogs) FROM cogs_history)`,
  },
  {
    name: 'lab_tests_follow_intake',
    sql: `SELECT t.id FROM lab_tests t JOIN lots l ON l.id = t.lot_id WHERE (t.completed_at IS NOT NULL) <> (l.coa_status = 'passed') OR t.sampled_at < l.received_at OR t.completed_at < t.sampled_at
      UNION ALL SELECT a.id FROM attachments a JOIN lab_tests t ON t.id = a.lab_test_id WHERE t.completed_at IS NULL OR a.uploaded_at <> t.completed_at`,
  },
  // Workflow
  {
    name: 'workflow_transitions_are_valid_moves',
    description: 'Only receiving → testing → packaging → released, one stage at a time; the first row enters receiving.',
    sql: `SELECT t.id FROM workflow_transitions t JOIN workflow_stages ts ON ts.id = t.to_stage_id LEFT JOIN workflow_stages fs ON fs.id = t.from_stage_id
      WHERE (fs.id IS NULL AND ts.position <> 1) OR (fs.id IS NOT NULL AND ts.position <> fs.position + 1)`,
  },
  {
    name: 'workflow_history_in_time_order',
    sql: `SELECT id FROM (SELECT id, transitioned_at, from_stage_id, lag(transitioned_at) OVER w AS prev_at, lag(to_stage_id) OVER w AS prev_to FROM workflow_transitions WINDOW w AS (PARTITION BY workflow_item_id ORDER BY id)) x
      WHERE (prev_at IS NOT NULL AND (transitioned_at <= prev_at OR from_stage_id IS DISTINCT FROM prev_to)) OR (prev_at IS NULL AND from_stage_id IS NOT NULL)`,
  },
  {
    name: 'workflow_current_stage_is_last_transition',
    sql: `SELECT w.id FROM workflow_items w JOIN LATERAL (SELECT to_stage_id, transitioned_at FROM workflow_transitions t WHERE t.workflow_item_id = w.id ORDER BY t.id DESC LIMIT 1) last ON true
        WHERE last.to_stage_id <> w.current_stage_id OR last.transitioned_at <> w.updated_at
      UNION ALL SELECT w.id FROM workflow_items w JOIN batches b ON b.id = w.batch_id JOIN workflow_stages s ON s.id = w.current_stage_id WHERE s.is_terminal <> (b.released_at IS NOT NULL) OR w.is_done <> s.is_terminal
      UNION ALL SELECT a.id FROM workflow_assignments a JOIN workflow_transitions t ON t.workflow_item_id = a.workflow_item_id AND t.to_stage_id = a.stage_id WHERE a.assigned_at <> t.transitioned_at`,
  },
  { name: 'workflow_items_in_every_stage', sql: `SELECT s.name FROM workflow_stages s WHERE NOT EXISTS (SELECT 1 FROM workflow_items w WHERE w.current_stage_id = s.id)` },
  // Calendar
  {
    name: 'events_200_to_300_past_and_future',
    sql: `SELECT count(*) FROM events HAVING count(*) NOT BETWEEN 200 AND 300 OR count(*) FILTER (WHERE starts_at > ${REF_TS}) = 0 OR count(*) FILTER (WHERE starts_at <= ${REF_TS}) = 0
        OR count(*) FILTER (WHERE series_id IS NULL) = 0 OR count(*) FILTER (WHERE series_id IS NOT NULL) = 0`,
  },
  { name: 'event_status_follows_time', sql: `SELECT id FROM events WHERE (status = 'completed' AND ends_at > ${REF_TS}) OR (status = 'scheduled' AND ends_at <= ${REF_TS})` },
  { name: 'organizer_attends', sql: `SELECT e.id FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_attendees a WHERE a.event_id = e.id AND a.user_id = e.organizer_id AND a.role = 'organizer')` },
  {
    name: 'invitation_responses_consistent',
    sql: `SELECT i.event_id, i.client_id FROM event_invitations i JOIN events e ON e.id = i.event_id
      WHERE i.invited_at >= e.starts_at OR (i.status = 'pending' AND (i.responded_at IS NOT NULL OR e.starts_at <= ${REF_TS})) OR (i.status <> 'pending' AND (i.responded_at IS NULL OR i.responded_at < i.invited_at OR i.responded_at > e.starts_at))
      UNION ALL SELECT NULL, NULL WHERE (SELECT count(DISTINCT status) FROM event_invitations) < 3`,
  },
  { name: 'reminders_before_event', sql: `SELECT r.id FROM event_reminders r JOIN events e ON e.id = r.event_id WHERE r.remind_at >= e.starts_at OR r.remind_at <> e.starts_at - r.minutes_before * interval '1 minute' OR r.sent <> (r.remind_at <= ${REF_TS})` },
  // Lists, tasks, inbox, notes
  { name: 'lists_not_shared_with_owner', sql: `SELECT s.list_id, s.user_id FROM list_shares s JOIN lists l ON l.id = s.list_id WHERE s.user_id = l.owner_id` },
  {
    name: 'list_items_and_tasks_have_completion_priority_due',
    description: 'To-do items and tasks carry a priority and (mostly) a due date; completed ones were completed after they were created and by the reference date; each state occurs.',
    sql: `SELECT 'list_items ' || id FROM list_items WHERE completed_at > ${REF_TS} OR due_date < (added_at AT TIME ZONE 'UTC')::date
      UNION ALL SELECT 'tasks ' || id FROM tasks WHERE completed_at > ${REF_TS}
      UNION ALL SELECT 'no completed item' WHERE NOT EXISTS (SELECT 1 FROM list_items WHERE is_completed) OR NOT EXISTS (SELECT 1 FROM list_items WHERE NOT is_completed)
      UNION ALL SELECT 'task statuses' WHERE (SELECT count(DISTINCT status) FROM tasks) < 3 OR (SELECT count(DISTINCT priority) FROM tasks) < 4
      UNION ALL SELECT 'overdue open work' WHERE NOT EXISTS (SELECT 1 FROM tasks WHERE status <> 'done' AND due_date < ${REF_TS}::date)`,
  },
  {
    name: 'tasks_reference_existing_records',
    sql: `SELECT t.id FROM tasks t WHERE NOT CASE t.related_type
        WHEN 'client' THEN EXISTS (SELECT 1 FROM clients x WHERE x.id = t.related_id AND x.created_at <= t.created_at)
        WHEN 'order' THEN EXISTS (SELECT 1 FROM orders x WHERE x.id = t.related_id AND x.ordered_at <= t.created_at)
        WHEN 'purchase_order' THEN EXISTS (SELECT 1 FROM purchase_orders x WHERE x.id = t.related_id AND x.ordered_at <= t.created_at)
        WHEN 'product' THEN EXISTS (SELECT 1 FROM products x WHERE x.id = t.related_id)
        ELSE false END
      UNION ALL SELECT i.id FROM inbox_items i JOIN tasks t ON t.id = i.task_id WHERE i.user_id <> t.assigned_to OR i.created_at < t.created_at`,
  },
  {
    name: 'note_activity_tells_the_notes_story',
    sql: `SELECT n.id FROM freeform_notes n WHERE (SELECT count(*) FROM note_activity a WHERE a.note_id = n.id) <> 1 + (SELECT count(*) FROM note_comments c WHERE c.note_id = n.id) + (CASE WHEN n.updated_at > n.created_at THEN 1 ELSE 0 END)
        OR (SELECT action FROM note_activity a WHERE a.note_id = n.id ORDER BY a.id LIMIT 1) <> 'created'
      UNION ALL SELECT a.id FROM note_activity a LEFT JOIN note_comments c ON c.id = a.note_comment_id WHERE (a.action = 'commented') <> (c.id IS NOT NULL) OR c.note_id <> a.note_id OR (c.id IS NOT NULL AND (c.created_at <> a.occurred_at OR c.author_id <> a.user_id))
      UNION ALL SELECT id FROM (SELECT id, occurred_at, lag(occurred_at) OVER (PARTITION BY note_id ORDER BY id) AS prev FROM note_activity) x WHERE occurred_at < prev
      UNION ALL SELECT c.id FROM note_comments c JOIN freeform_notes n ON n.id = c.note_id WHERE c.created_at <= n.created_at`,
  },
  // Clients, vendors, catalogue
  { name: 'client_timeline_in_order', sql: `SELECT id FROM (SELECT id, occurred_at, lag(occurred_at) OVER (PARTITION BY client_id ORDER BY id) AS prev FROM client_activities) x WHERE occurred_at < prev` },
  {
    name: 'matchmaking_fits_needs',
    sql: `SELECT m.id FROM matchmaking_results m JOIN client_needs n ON n.id = m.client_need_id JOIN products p ON p.id = m.product_id WHERE p.category_id <> n.category_id OR m.suggested_at < n.created_at
      UNION ALL SELECT n.id FROM client_needs n WHERE (n.status = 'matched') <> EXISTS (SELECT 1 FROM matchmaking_results m WHERE m.client_need_id = n.id AND m.status = 'accepted')
        OR (SELECT count(*) FROM matchmaking_results m WHERE m.client_need_id = n.id AND m.status = 'accepted') > 1
      UNION ALL SELECT s.id FROM client_supplies s JOIN clients c ON c.id = s.client_id WHERE NOT c.is_supplier`,
  },
  {
    name: 'contacts_and_addresses_belong_to_their_party',
    sql: `SELECT c.id FROM clients c WHERE (SELECT count(*) FROM client_contacts x WHERE x.client_id = c.id AND x.is_primary) <> 1 OR NOT EXISTS (SELECT 1 FROM client_addresses a WHERE a.client_id = c.id AND a.kind = 'shipping')
      UNION ALL SELECT x.id FROM client_contacts x JOIN clients c ON c.id = x.client_id WHERE split_part(x.email, '@', 2) <> split_part(c.email, '@', 2)
      UNION ALL SELECT o.id FROM orders o JOIN client_addresses a ON a.id = o.ship_to_address_id WHERE a.client_id <> o.client_id OR a.kind <> 'shipping'`,
  },
  { name: 'dashboard_widgets_do_not_overlap', sql: `SELECT a.id, b.id FROM dashboard_widgets a JOIN dashboard_widgets b ON a.user_id = b.user_id AND a.id < b.id WHERE a.x < b.x + b.w AND b.x < a.x + a.w AND a.y < b.y + b.h AND b.y < a.y + a.h` },
  // Access, sequences, references
  {
    name: 'access_follows_roles',
    sql: `SELECT u.id::text FROM users u LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id GROUP BY u.id, u.role HAVING count(*) <> 1 OR max(r.name) <> u.role::text
      UNION ALL SELECT r.name FROM roles r WHERE r.name = 'admin' AND (SELECT count(*) FROM role_permissions rp WHERE rp.role_id = r.id) <> (SELECT count(*) FROM permissions)
      UNION ALL SELECT u.id::text FROM users u WHERE u.last_login_at IS DISTINCT FROM (SELECT max(signed_in_at) FROM user_sessions s WHERE s.user_id = u.id)`,
  },
  {
    name: 'sequences_continue_after_documents',
    sql: `SELECT s.name FROM sequences s WHERE s.next_value <> 1 + CASE s.name
        WHEN 'orders' THEN (SELECT count(*) FROM orders) WHEN 'invoices' THEN (SELECT count(*) FROM invoices) WHEN 'purchase_orders' THEN (SELECT count(*) FROM purchase_orders)
        WHEN 'quotes' THEN (SELECT count(*) FROM quotes) WHEN 'returns' THEN (SELECT count(*) FROM returns) WHEN 'refunds' THEN (SELECT count(*) FROM refunds)
        WHEN 'bills' THEN (SELECT count(*) FROM bills) WHEN 'vendor_payments' THEN (SELECT count(*) FROM vendor_payments) WHEN 'payments' THEN (SELECT count(*) FROM payments) END`,
  },
  {
    name: 'comments_reference_existing_targets',
    sql: `SELECT cm.id FROM comments cm WHERE NOT CASE cm.target_type
        WHEN 'order' THEN EXISTS (SELECT 1 FROM orders o WHERE o.id = cm.target_id AND o.ordered_at <= cm.created_at AND (cm.body LIKE '%' || o.order_number || '%' OR cm.body LIKE '%' || (SELECT name FROM clients c WHERE c.id = o.client_id) || '%'))
        WHEN 'client' THEN EXISTS (SELECT 1 FROM clients c WHERE c.id = cm.target_id AND c.created_at <= cm.created_at AND cm.body LIKE '%' || c.name || '%')
        WHEN 'event' THEN EXISTS (SELECT 1 FROM events e WHERE e.id = cm.target_id AND e.created_at <= cm.created_at AND cm.body LIKE '%' || e.title || '%')
        ELSE false END`,
    description: 'Comments point at an existing order, client or event, after it existed, and name it.',
  },
  { name: 'comments_cover_all_target_types', sql: `SELECT t FROM (VALUES ('order'), ('client'), ('event')) v(t) WHERE NOT EXISTS (SELECT 1 FROM comments WHERE target_type::text = v.t)` },
  {
    name: 'audit_log_records_real_changes',
    description: 'Every audit row is a change that happened: the row of its source, at that time, with the old and new values that row records.',
    sql: `SELECT a.id::text FROM audit_log a JOIN audit_sources s ON s.id = a.audit_source_id WHERE a.entity_type::text <> s.entity_type
      UNION ALL SELECT a.id::text FROM audit_log a JOIN audit_sources s ON s.id = a.audit_source_id AND s.source_table = 'payment_history' JOIN payment_history h ON h.id = a.source_row_id
        WHERE a.entity_id <> h.invoice_id OR a.at <> h.changed_at OR (a.changes->'balance'->>'from')::numeric <> h.balance_before OR (a.changes->'balance'->>'to')::numeric <> h.balance_after
      UNION ALL SELECT a.id::text FROM audit_log a JOIN audit_sources s ON s.id = a.audit_source_id AND s.source_table = 'workflow_transitions' JOIN workflow_transitions t ON t.id = a.source_row_id JOIN workflow_stages ts ON ts.id = t.to_stage_id
        WHERE a.entity_id <> t.workflow_item_id OR a.at <> t.transitioned_at OR a.changes->'stage'->>'to' <> ts.name OR a.actor_id <> t.by_user_id
      UNION ALL SELECT a.id::text FROM audit_log a JOIN audit_sources s ON s.id = a.audit_source_id AND s.source_table = 'price_history' JOIN price_history h ON h.id = a.source_row_id
        WHERE a.entity_id <> h.product_id OR a.at <> h.valid_from OR (a.changes->'list_price'->>'to')::numeric <> h.list_price
      UNION ALL SELECT a.id::text FROM audit_log a JOIN audit_sources s ON s.id = a.audit_source_id AND s.source_table = 'po_receipts' JOIN po_receipts r ON r.id = a.source_row_id WHERE a.entity_id <> r.purchase_order_id OR a.at <> r.received_at
      UNION ALL SELECT a.id::text FROM audit_log a JOIN audit_sources s ON s.id = a.audit_source_id AND s.source_table = 'user_sessions' JOIN user_sessions u ON u.id = a.source_row_id WHERE a.entity_id <> u.user_id OR a.at <> u.signed_in_at
      UNION ALL SELECT s.source_table FROM audit_sources s WHERE (SELECT count(*) FROM audit_log a WHERE a.audit_source_id = s.id) = 0`,
  },
];
