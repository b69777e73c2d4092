/**
 * The erp dataset without I/O: the light plan (tables, dependency tiers, spec sizes), the rule
 * helpers (Pareto clients, pricing, payment schedules, workflow), and rows recomputed in memory
 * (invoice totals, balanced postings).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, loadDataset, makePlan, type DatasetDef, type Plan, type Row } from '../../../src/index.js';
import { World } from '../../../src/generate/world.js';
import { REF_MS, WORKFLOW_STAGES } from '../../../config/erp/catalogs.js';
import { discounted, paretoClient, paymentAmounts, tierDiscount, workflowTimes, type Installment } from '../../../config/erp/rules.js';
import { tiersOf } from '../../support/tiers.js';

/**
 * Every table the seeding plan names (its 14 gap areas, the 9 core tables and the system defaults),
 * in snake case: the dataset has each of them, and more (≥ 107 in all).
 */
const DOCUMENT_TABLES = [
  'clients', 'strains', 'products', 'lots', 'batches', 'orders', 'invoices', 'returns', 'refunds', 'brands', 'users',
  'roles', 'permissions', 'role_permissions', 'locations', 'categories', 'subcategories', 'grades', 'expense_categories', 'accounts',
  'events', 'event_attendees', 'event_invitations', 'event_reminders',
  'freeform_notes', 'note_comments', 'note_activity', 'scratch_pad_notes', 'client_notes', 'vendor_notes',
  'client_communications', 'client_transactions', 'client_activities', 'client_needs',
  'lists', 'list_items', 'list_shares', 'tasks', 'inbox_items',
  'client_supplies', 'matchmaking_results',
  'workflow_items', 'workflow_stages', 'workflow_transitions', 'workflow_assignments', 'workflow_templates',
  'pricing_rules', 'pricing_profiles', 'pricing_tiers', 'client_pricing_overrides',
  'invoice_lines', 'payments', 'bills', 'bill_line_items', 'bank_accounts', 'bank_transactions', 'bank_transfers', 'ledger_entries', 'fiscal_periods',
  'batch_locations', 'payment_history', 'cogs_history', 'sales',
  'purchase_orders', 'purchase_order_items', 'vendors',
  'product_synonyms', 'product_media', 'product_tags', 'tags',
  'dashboard_widgets', 'dashboard_kpi_configs', 'user_dashboard_preferences',
  'analytics_snapshots', 'report_configs',
  'audit_log', 'sequences',
  'consignment_agreements', 'consignment_settlements',
];

let def: DatasetDef;
let plan: Plan;
let world: World;

const cents = (x: unknown): number => Math.round((x as number) * 100);

before(async () => {
  def = (await loadDataset('erp')).def;
  plan = makePlan(def, { profile: 'light' });
  world = new World(plan.resolved);
});

describe('erp plan (light)', () => {
  test('has every table the seeding plan names, at least 107 in all, none empty, and no deferred keys', () => {
    const names = new Set(plan.tables.map((t) => t.name));
    assert.ok(plan.tables.length >= 107, `${plan.tables.length} tables`);
    assert.deepEqual(DOCUMENT_TABLES.filter((t) => !names.has(t)), []);
    assert.deepEqual(plan.tables.filter((t) => t.total === 0).map((t) => t.name), []);
    assert.ok(tiersOf(plan).length >= 8, 'a deep dependency graph');
    assert.equal(plan.deferred.size, 0);
  });

  test('is the spec size: ≈4,400 invoices, ≥3,000 payments, 200–300 events', () => {
    const n = (t: string): number => plan.tables.find((x) => x.name === t)!.total;
    assert.equal(n('invoices'), 4_400);
    assert.equal(n('orders'), n('invoices'));
    assert.ok(n('payments') >= 3_000, `${n('payments')} payments`);
    assert.ok(n('events') >= 200 && n('events') <= 300);
    const documents = ['invoices', 'refunds', 'payments', 'bills', 'vendor_payments', 'consignment_settlements', 'expenses', 'payroll_runs', 'bank_transfers', 'inventory_adjustments'];
    assert.equal(n('journal_entries'), 1 + documents.reduce((s, t) => s + n(t), 0));
    assert.ok(n('returns') > 0 && n('returns') < n('orders') * 0.012, `${n('returns')} returns`);
    assert.ok(n('pricing_profiles') >= 10 && n('pricing_rules') >= 20);
  });

  test('medium and heavy scale the transactional tables up', () => {
    const light = plan.tables.find((t) => t.name === 'invoices')!.total;
    for (const [profile, k] of [['medium', 3], ['heavy', 10]] as const) {
      const p = makePlan(def, { profile });
      assert.equal(p.tables.find((t) => t.name === 'invoices')!.total, light * k);
      assert.equal(p.tables.find((t) => t.name === 'events')!.total, 250);
    }
  });

  test('password hashes stay out of file exports', () => {
    const users = plan.tables.find((t) => t.name === 'users')!.info;
    assert.equal(users.columns.find((c) => c.name === 'password_hash')!.exported, false);
  });
});

describe('erp rule helpers', () => {
  test('Pareto client choice: the busiest 20% of clients get about 80% of picks', () => {
    const n = 300;
    const hits = new Array<number>(n).fill(0);
    const rng = new Rng();
    for (let i = 0; i < 200_000; i++) hits[paretoClient(rng.reset(Uint32Array.of(1, 2, 3, 4), i), n, 1.1)]!++;
    const sorted = [...hits].sort((a, b) => b - a);
    const top = sorted.slice(0, n / 5).reduce((a, b) => a + b, 0) / 200_000;
    assert.ok(top > 0.7 && top < 0.9, `top 20% share ${top}`);
    // The permutation spreads the big accounts over the id range.
    assert.notEqual(hits.indexOf(sorted[0]!), 0);
  });

  test('pricing: volume tiers and half-up cent rounding', () => {
    assert.equal(tierDiscount(0, 1), 0);
    assert.equal(tierDiscount(0, 10), 3);
    assert.equal(tierDiscount(0, 49), 3);
    assert.equal(tierDiscount(0, 50), 6);
    assert.equal(tierDiscount(4, 300), 16);
    assert.equal(discounted(10_000, 3), 9_700);
    assert.equal(discounted(1_050, 10), 945);
    assert.equal(discounted(1_005, 50), 503); // 502.5 rounds up, like round(numeric, 2)
  });

  test('instalments split the total and never exceed it', () => {
    const at = REF_MS - 100 * 86_400_000;
    const three: Installment[] = [{ at, share: 0.4, method: 'ACH' }, { at, share: 0.5, method: 'check' }, { at, share: 1, method: 'wire' }];
    const a = paymentAmounts(123_457, three);
    assert.equal(a.reduce((s, x) => s + x, 0), 123_457);
    assert.equal(a[0], Math.round(123_457 * 0.4));
    const stalled = paymentAmounts(123_457, three.slice(0, 2));
    assert.ok(stalled.reduce((s, x) => s + x, 0) < 123_457);
  });

  test('workflow times only move forward, one stage at a time, up to the reference date', () => {
    const rng = new Rng();
    for (let i = 0; i < 500; i++) {
      const t = workflowTimes(rng.reset(Uint32Array.of(9, 8, 7, 6), i), REF_MS - (i % 40) * 86_400_000);
      assert.ok(t.length >= 1 && t.length <= WORKFLOW_STAGES.length);
      for (let k = 1; k < t.length; k++) assert.ok(t[k]! > t[k - 1]!);
      assert.ok(t.at(-1)! <= REF_MS);
    }
  });
});

describe('erp rows recomputed in memory (light)', () => {
  test('invoice total = sum of its lines, payments sum to what is paid and never exceed it', () => {
    const invoices = world.table('invoices');
    const lines = world.table('invoice_lines');
    const payments = world.table('payments');
    for (let i = 0; i < 300; i++) {
      const inv = invoices.rowAt(i);
      const group = lines.group(i);
      assert.equal(cents(inv.total), group.reduce((s: number, l: Row) => s + cents(l.line_total), 0));
      const paid = payments.group(i).reduce((s: number, p: Row) => s + cents(p.amount), 0);
      assert.equal(paid, cents(inv.amount_paid));
      assert.ok(paid <= cents(inv.total));
    }
  });

  test('every journal entry balances (samples of each journal)', () => {
    const je = world.table('journal_entries');
    const le = world.table('ledger_entries');
    for (let j = 0; j < 11; j++) {
      const start = je.groupStart(j);
      const size = je.groupStart(j + 1) - start;
      for (let k = 0; k < Math.min(40, size); k++) {
        const lines = le.group(start + k);
        const debit = lines.reduce((s: number, l: Row) => s + cents(l.debit), 0);
        const credit = lines.reduce((s: number, l: Row) => s + cents(l.credit), 0);
        assert.equal(debit, credit, `journal ${j + 1} entry ${k}`);
        assert.ok(debit > 0);
      }
    }
  });

  test('rows are pure functions of the seed: recomputing gives the same values', () => {
    const a = new World(plan.resolved).table('payments').rowAt(1234);
    const b = new World(plan.resolved).table('payments').rowAt(1234);
    assert.deepEqual(a, b);
  });
});

describe('erp supply chain and books (light)', () => {
  test('no batch is sold beyond what it received; every line sells from a released batch of its product', () => {
    const batches = world.table('batches');
    const sales = world.table('sales');
    const orders = world.table('orders');
    const sold = new Map<number, number>();
    for (let o = 0; o < 1_500; o++) {
      const at = (orders.rowAt(o).ordered_at as Date).getTime();
      for (const l of sales.group(o)) {
        const b = batches.rowAt((l.batch_id as number) - 1);
        assert.equal(b.product_id, l.product_id);
        assert.ok(b.released_at !== null && (b.released_at as Date).getTime() <= at, `order ${o + 1}: batch released before the sale`);
        sold.set(l.batch_id as number, (sold.get(l.batch_id as number) ?? 0) + (l.quantity as number));
      }
    }
    for (const [id, n] of sold) {
      const b = batches.rowAt(id - 1);
      assert.ok(n <= (b.quantity_sold as number) && (b.quantity_sold as number) <= (b.quantity as number), `batch ${id}: ${n} of ${b.quantity}`);
    }
  });

  test('text is domain text: notes name their client, expenses their category, no filler', () => {
    const notes = world.table('client_notes');
    const clients = world.table('clients');
    let named = 0;
    for (let i = 0; i < 200; i++) {
      const n = notes.rowAt(i);
      if ((n.body as string).includes(clients.rowAt((n.client_id as number) - 1).name as string)) named++;
    }
    assert.ok(named > 100, `${named} of 200 notes name their client`);
    const expenses = world.table('expenses');
    for (let i = 0; i < 50; i++) assert.doesNotMatch(expenses.rowAt(i).description as string, /lorem|ipsum|dolor/i);
  });
});

describe('erp at small scales', () => {
  test('--scale 0.1: a need gets distinct products of its category, at most as many as the category has', () => {
    const small = new World(makePlan(def, { scale: 0.1 }).resolved);
    const needs = small.table('client_needs');
    const results = small.table('matchmaking_results');
    const products = small.table('products');
    const byCategory = new Map<number, number>();
    for (let p = 0; p < products.total(); p++) byCategory.set(Number(products.rowAt(p).category_id), (byCategory.get(Number(products.rowAt(p).category_id)) ?? 0) + 1);
    assert.ok([...byCategory.values()].some((n) => n < 3), 'some category has fewer products than a need may get suggestions');
    let checked = 0;
    for (let i = 0; i < needs.total(); i++) {
      const need = needs.rowAt(i);
      const group = results.group(i);
      const ids = group.map((r: Row) => Number(r.product_id));
      assert.equal(new Set(ids).size, ids.length, `need ${i + 1}: (client_need_id, product_id) unique`);
      assert.ok(ids.length <= (byCategory.get(Number(need.category_id)) ?? 0));
      for (const id of ids) assert.equal(Number(products.rowAt(id - 1).category_id), Number(need.category_id));
      assert.equal(need.status === 'matched', group.some((r: Row) => r.status === 'accepted'), `need ${i + 1}: matched exactly when a suggestion is accepted`);
      checked += ids.length;
    }
    assert.ok(checked > 0);
  });
});
