/**
 * erp comments, dashboards, reports and the audit log: polymorphic comments that name their
 * target; widget layouts, KPI configurations and preferences per user; saved reports; and an audit
 * log whose every row records a real change (old and new value) of a real row.
 */
import { defineTables, jsonb, DAY, MINUTE, type RowsIn } from '../../src/index.js';
import type { params } from './params.js';
import type { coreTables } from './tables-core.js';
import type { partyTables } from './tables-parties.js';
import type { supplyTables } from './tables-supply.js';
import type { salesTables } from './tables-sales.js';
import type { collabTables } from './tables-collab.js';
import { REF_MS, START, WIDGETS, WORKFLOW_STAGES } from './catalogs.js';
import { AUDIT_SOURCES, KPI_METRICS, REPORT_TYPES } from './catalogs-ops.js';
import { clientFacts, dueDate, money, orderHeader, paretoClient, type ErpGenContext, type ErpRows } from './rules.js';
import { invoiceFacts, invoiceStatus, paymentOf } from './invoicing.js';
import { batchFlow, intakeUser, transitionOf } from './tables-supply.js';
import { accountant, pickUser, roleOf } from './tables-core.js';
import { CLIENT_COMMENTS, EVENT_COMMENTS, ORDER_COMMENTS } from './text.js';

const ms = (d: Date): number => d.getTime();

interface Change {
  entity: string;
  id: number;
  action: 'create' | 'update' | 'login';
  actor: number;
  at: number;
  changes: Record<string, { from: unknown; to: unknown }> | null;
}

/** The rows of the other groups these generators and `change` read. */
type Earlier = ErpRows & RowsIn<typeof coreTables> & RowsIn<typeof partyTables> & RowsIn<typeof supplyTables> & RowsIn<typeof salesTables> & RowsIn<typeof collabTables>;

/** The change row k of audit source s describes, read from that row. */
function change(c: ErpGenContext<unknown, unknown, Earlier>, s: number, k: number): Change {
  const src = AUDIT_SOURCES[s]!;
  // The two large sources are recomputed from their plans; the others are small lookups.
  if (src.source === 'payment_history') {
    const { invoice, j } = paymentOf(c, k);
    const f = invoiceFacts(c, invoice);
    let before = f.total - (f.credit?.cents ?? 0);
    for (let q = 0; q < j; q++) before -= f.amounts[q]!;
    const after = before - f.amounts[j]!;
    const due = dueDate(f.header.issued, clientFacts(c, f.header.client).terms);
    const paid = f.total - (f.credit?.cents ?? 0) - before;
    const changes: Change['changes'] = { balance: { from: money(before), to: money(after) } };
    const from = invoiceStatus(before, paid, due, f.schedule[j]!.at);
    const to = invoiceStatus(after, paid + f.amounts[j]!, due, f.schedule[j]!.at);
    if (from !== to) changes.status = { from, to };
    return { entity: 'invoice', id: invoice + 1, action: 'update', actor: accountant(c, k), at: f.schedule[j]!.at, changes };
  }
  if (src.source === 'workflow_transitions') {
    const { batch, stage } = transitionOf(c, k);
    return {
      entity: 'workflow_item', id: batch + 1, action: stage === 0 ? 'create' : 'update', actor: intakeUser(c, k), at: batchFlow(c, batch)[stage]!,
      changes: { stage: { from: stage === 0 ? null : WORKFLOW_STAGES[stage - 1], to: WORKFLOW_STAGES[stage] } },
    };
  }
  switch (src.source) {
    case 'price_history': {
      const r = c.lookup('price_history', k);
      return { entity: 'product', id: r.product_id, action: r.previous_price === null ? 'create' : 'update', actor: r.changed_by, at: ms(r.valid_from), changes: { list_price: { from: r.previous_price, to: r.list_price } } };
    }
    case 'po_receipts': {
      const r = c.lookup('po_receipts', k);
      return { entity: 'purchase_order', id: r.purchase_order_id, action: 'update', actor: r.received_by, at: ms(r.received_at), changes: { status: { from: 'ordered', to: 'received' } } };
    }
    case 'vendor_payments': {
      const r = c.lookup('vendor_payments', k);
      const po = c.lookup('bills', r.bill_id - 1).purchase_order_id;
      return { entity: 'purchase_order', id: po, action: 'update', actor: pickUser(c, 'accounting'), at: ms(r.paid_at), changes: { status: { from: 'received', to: 'paid' } } };
    }
    default: {
      const r = c.lookup('user_sessions', k);
      return { entity: 'user', id: r.user_id, action: 'login', actor: r.user_id, at: ms(r.signed_in_at), changes: null };
    }
  }
}

export const adminTables = defineTables<Earlier, typeof params>()({
  comments: {
    rows: 3_000,
    description: 'Polymorphic comments on orders, clients and events (target_type + target_id), naming their target.',
    indexes: [['target_type', 'target_id']],
    columns: {
      id: { type: 'bigint' },
      target_type: { type: { enum: ['order', 'client', 'event'] }, gen: (c) => c.rng.weighted({ order: 55, client: 30, event: 15 }) },
      target_id: {
        type: 'bigint',
        gen: (c) => {
          if (c.row.target_type === 'order') return c.refIndex('orders', { dist: 'recent' }) + 1;
          if (c.row.target_type === 'client') return paretoClient(c.rng, c.count('clients'), c.params.clientZipf) + 1;
          return c.refIndex('events') + 1;
        },
      },
      author_id: { type: 'bigint', references: 'users', gen: (c) => c.ref('users') },
      body: {
        type: 'text',
        gen: (c) => {
          const id = c.row.target_id - 1;
          if (c.row.target_type === 'order') return c.text.say(ORDER_COMMENTS, { order: `SO-${String(id + 1).padStart(7, '0')}`, client: clientFacts(c, orderHeader(c, id).client).name });
          if (c.row.target_type === 'client') return c.text.say(CLIENT_COMMENTS, { client: clientFacts(c, id).name });
          return c.text.say(EVENT_COMMENTS, { event: `"${c.lookup('events', id).title}"` });
        },
      },
      created_at: {
        type: 'timestamptz',
        gen: (c) => {
          const id = c.row.target_id - 1;
          const from = c.row.target_type === 'order' ? orderHeader(c, id).at : c.row.target_type === 'client' ? Math.max(START, clientFacts(c, id).created) : ms(c.lookup('events', id).created_at);
          return c.t.after(from, 20 * DAY, MINUTE);
        },
      },
    },
  },
  dashboard_widgets: {
    per: { parent: 'users', count: (c) => c.rng.int(3, 8) },
    uniques: [['user_id', 'widget_type']],
    description: 'Saved dashboard layout per user: a 12-column grid, two 6-wide widgets per row, no overlaps.',
    checks: ['x >= 0 AND w > 0 AND x + w <= 12', 'y >= 0 AND h > 0'],
    columns: {
      id: { type: 'bigint' },
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.parentIndex + 1 },
      widget_type: { type: 'text', gen: (c) => WIDGETS[(Math.imul(c.parentIndex + 1, 7) + c.k) % WIDGETS.length]! },
      x: { type: 'smallint', gen: (c) => (c.k % 2) * 6 },
      y: { type: 'smallint', gen: (c) => Math.floor(c.k / 2) * 4 },
      w: { type: 'smallint', gen: () => 6 },
      h: { type: 'smallint', gen: (c) => (c.rng.chance(0.3) ? 3 : 4) },
      settings: { type: 'jsonb', gen: (c) => ({ range: c.rng.pick(['7d', '30d', '90d', 'ytd']), compare: c.rng.chance(0.4) }) },
    },
  },
  dashboard_kpi_configs: {
    per: { parent: 'users', count: (c) => c.rng.int(2, 5) },
    uniques: [['user_id', 'metric']],
    columns: {
      id: { type: 'bigint' },
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.parentIndex + 1 },
      kpi: { type: 'int', virtual: true, gen: (c) => (c.parentIndex * 3 + c.k) % KPI_METRICS.length },
      metric: { type: 'text', gen: (c) => KPI_METRICS[c.row.kpi]!.metric },
      unit: { type: 'text', gen: (c) => KPI_METRICS[c.row.kpi]!.unit },
      target: { type: 'numeric(14,2)', gen: (c) => { const m = KPI_METRICS[c.row.kpi]!; return m.unit === 'usd' ? Math.round((m.target * c.count('clients')) / 300) : m.target; } },
      warn_below_pct: { type: 'smallint', gen: (c) => c.rng.pick([80, 85, 90]) },
      period: { type: { enum: ['day', 'week', 'month', 'quarter'] }, gen: (c) => c.rng.weighted({ month: 50, week: 25, quarter: 15, day: 10 }) },
    },
  },
  user_dashboard_preferences: {
    per: { parent: 'users', count: 1 },
    columns: {
      user_id: { type: 'bigint', references: 'users', unique: true, gen: (c) => c.parentIndex + 1 },
      id: { type: 'bigint' },
      theme: { type: { enum: ['light', 'dark', 'system'] }, gen: (c) => c.rng.weighted({ system: 50, light: 30, dark: 20 }) },
      default_range: { type: { enum: ['7d', '30d', '90d', 'ytd'] }, gen: (c) => c.rng.weighted({ '30d': 50, '7d': 20, '90d': 15, ytd: 15 }) },
      density: { type: { enum: ['comfortable', 'compact'] }, gen: (c) => (c.rng.chance(0.3) ? 'compact' : 'comfortable') },
      landing_page: { type: 'text', gen: (c) => ({ admin: '/dashboard', manager: '/dashboard', sales: '/clients', warehouse: '/inventory', accounting: '/invoices' })[roleOf(c.parentIndex)] },
      updated_at: { type: 'timestamptz', gen: (c) => c.t.recent(Math.max(START, ms(c.parent.created_at)), REF_MS, 1.5) },
    },
  },
  report_configs: {
    per: { parent: 'users', count: (c) => { const r = roleOf(c.parentIndex); return r === 'manager' || r === 'accounting' || r === 'admin' ? c.rng.int(1, 3) : c.rng.int(0, 1); } },
    uniques: [['user_id', 'report_type']],
    columns: {
      id: { type: 'bigint' },
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.parentIndex + 1 },
      report_type: { type: { enum: [...REPORT_TYPES] }, gen: (c) => REPORT_TYPES[(c.parentIndex * 5 + c.k) % REPORT_TYPES.length]! },
      name: { type: 'text', gen: (c) => `${String(c.row.report_type).replace(/_/g, ' ').replace(/^./, (m) => m.toUpperCase())} (${c.rng.pick(['weekly', 'month-end', 'for the owner', 'top clients'])})` },
      filters: { type: 'jsonb', gen: (c) => ({ period: c.rng.pick(['last_month', 'this_quarter', 'ytd']), min_amount: c.rng.pick([0, 1000, 5000]) }) },
      schedule: { type: { enum: ['none', 'weekly', 'monthly'] }, gen: (c) => c.rng.weighted({ monthly: 45, weekly: 30, none: 25 }) },
      last_run_at: { type: 'timestamptz', nullable: true, gen: (c) => (c.row.schedule === 'none' ? null : c.t.recent(REF_MS - 31 * DAY, REF_MS, 1)) },
    },
  },
  audit_log: {
    per: { parent: 'audit_sources', count: (c) => c.count(AUDIT_SOURCES[c.parentIndex]!.source) },
    indexes: [['entity_type', 'entity_id']],
    description: 'Who changed what, from which value to which, at the moment it happened: one row per real change (see audit_sources).',
    columns: {
      id: { type: 'bigint' },
      audit_source_id: { type: 'bigint', references: 'audit_sources', gen: (c) => c.parentIndex + 1 },
      ch: { type: jsonb<Change>(), virtual: true, gen: (c) => change(c, c.parentIndex, c.k) },
      source_row_id: { type: 'bigint', gen: (c) => c.k + 1 },
      actor_id: { type: 'bigint', references: 'users', gen: (c) => c.row.ch.actor },
      entity_type: { type: { enum: ['invoice', 'workflow_item', 'product', 'purchase_order', 'user'] }, gen: (c) => c.row.ch.entity },
      entity_id: { type: 'bigint', gen: (c) => c.row.ch.id },
      action: { type: { enum: ['create', 'update', 'login'] }, gen: (c) => c.row.ch.action },
      changes: { type: 'jsonb', nullable: true, gen: (c) => c.row.ch.changes },
      at: { type: 'timestamptz', gen: (c) => new Date(c.row.ch.at) },
      ip: { type: 'text', gen: (c) => `10.${c.rng.int(0, 3)}.${c.rng.int(0, 255)}.${c.rng.int(2, 254)}` },
    },
  },
});
