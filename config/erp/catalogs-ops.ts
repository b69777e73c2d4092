/**
 * More reference data of the erp dataset: access control, product taxonomy, carriers and units,
 * intake workflow templates, replenishment windows, the payroll calendar, dashboards, reports and
 * the sources the audit log records.
 */
import { DAY } from '../../src/index.js';
import { REF_MS } from './catalogs.js';

export const ROLES = [
  { name: 'admin', description: 'Full access, user and system settings' },
  { name: 'manager', description: 'Approves pricing, purchasing and credit' },
  { name: 'sales', description: 'Clients, quotes and orders' },
  { name: 'warehouse', description: 'Intake, inventory and shipping' },
  { name: 'accounting', description: 'Invoices, payments, bills and the books' },
] as const;
export type RoleName = (typeof ROLES)[number]['name'];

export const RESOURCES = ['clients', 'orders', 'invoices', 'payments', 'products', 'pricing', 'purchase_orders', 'inventory', 'ledger', 'reports', 'users', 'settings'] as const;
export const ACTIONS = ['read', 'write', 'approve'] as const;
/** Which role may do what: resource → actions per role (read is implied by write, write by approve). */
const GRANTS: Readonly<Record<RoleName, Readonly<Partial<Record<(typeof RESOURCES)[number], (typeof ACTIONS)[number]>>>>> = {
  admin: Object.fromEntries(RESOURCES.map((r) => [r, 'approve'])),
  manager: { clients: 'approve', orders: 'approve', invoices: 'read', payments: 'read', products: 'approve', pricing: 'approve', purchase_orders: 'approve', inventory: 'approve', ledger: 'read', reports: 'write', users: 'read' },
  sales: { clients: 'write', orders: 'write', invoices: 'read', payments: 'read', products: 'read', pricing: 'read', inventory: 'read', reports: 'read' },
  warehouse: { orders: 'read', products: 'write', purchase_orders: 'write', inventory: 'write', reports: 'read' },
  accounting: { clients: 'read', orders: 'read', invoices: 'approve', payments: 'approve', purchase_orders: 'read', inventory: 'read', ledger: 'approve', reports: 'write', pricing: 'read' },
};
/** Permission indexes (resource-major, then action) granted to a role. */
export function grantsOf(role: RoleName): number[] {
  const out: number[] = [];
  RESOURCES.forEach((res, r) => {
    const top = GRANTS[role][res];
    if (!top) return;
    for (let a = 0; a <= ACTIONS.indexOf(top); a++) out.push(r * ACTIONS.length + a);
  });
  return out;
}

/** Subcategories per product category (same order as CATEGORIES). */
export const SUBCATEGORIES: readonly (readonly string[])[] = [
  ['Indoor', 'Greenhouse', 'Sun grown', 'Exotic'],
  ['Indoor smalls', 'Outdoor smalls', 'Popcorn'],
  ['Singles', 'Multipacks', 'Infused'],
  ['510 carts', 'Disposables', 'Pods'],
  ['Live resin', 'Rosin', 'Wax', 'Diamonds'],
  ['Gummies', 'Chocolates', 'Beverages'],
  ['Full spectrum', 'CBD isolate'],
  ['Balms', 'Lotions'],
  ['Papers', 'Batteries', 'Packaging'],
];

export const CARRIERS = [
  { name: 'Own fleet', code: 'OWN', tracking: 'OWN' },
  { name: 'Green Line Logistics', code: 'GLL', tracking: 'GL' },
  { name: 'Pacific Cannabis Courier', code: 'PCC', tracking: 'PC' },
  { name: 'Valley Secure Transport', code: 'VST', tracking: 'VS' },
  { name: 'Client pickup', code: 'PICKUP', tracking: 'PU' },
] as const;

export const UNITS = [
  { code: 'lb', name: 'Pound', grams: 453.592 },
  { code: 'case', name: 'Case', grams: null },
  { code: 'each', name: 'Each', grams: null },
  { code: 'g', name: 'Gram', grams: 1 },
] as const;

/** Intake workflow templates: which categories use them and the SLA (hours) of each stage. */
export const WORKFLOW_TEMPLATES = [
  { name: 'Flower intake', description: 'Weigh, sample for the lab, trim check, bag and label', categories: [0, 1], sla: [24, 96, 48, 0] },
  { name: 'Packaged goods intake', description: 'Count cases, verify COA on file, relabel for compliance', categories: [2, 3, 4, 5, 6, 7, 8], sla: [24, 72, 24, 0] },
] as const;
export const templateOf = (category: number): number => (WORKFLOW_TEMPLATES[0].categories as readonly number[]).includes(category) ? 0 : 1;

/**
 * Replenishment windows: stock for the sales of window w is bought in one purchase order per
 * vendor, received before the window starts and sold inside it. Quarters of the reporting window,
 * then the window after the reference date (stock received in October for November onwards).
 */
export const WINDOW_STARTS = ['2024-01-01', '2024-04-01', '2024-07-01', '2024-10-01', '2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01', '2025-11-10'].map((d) => Date.parse(`${d}T00:00:00Z`));
export const WINDOWS = WINDOW_STARTS.length;
/** The last window with sales (the one containing the reference date). */
export const CURRENT_WINDOW = WINDOWS - 2;
export function windowOf(t: number): number {
  let w = 0;
  while (w + 1 < CURRENT_WINDOW + 1 && WINDOW_STARTS[w + 1]! <= t) w++;
  return w;
}

/** Calendar months of the books: November 2023 (opening) through December 2025. */
export const MONTH0 = Date.UTC(2023, 10, 1);
export const MONTHS = 26;
export const monthStart = (m: number): number => Date.UTC(2023, 10 + m, 1);
export function monthOf(t: number): number {
  const d = new Date(t);
  return (d.getUTCFullYear() - 2023) * 12 + d.getUTCMonth() - 10;
}
/** Months with business activity: January 2024 (index 2) … October 2025 (index 23). */
export const FIRST_SALES_MONTH = 2;
export const LAST_SALES_MONTH = monthOf(REF_MS);

/** Semi-monthly payroll: the 15th and the last day of each month, January 2024 to the reference date. */
export const PAYROLL_DATES: readonly number[] = (() => {
  const out: number[] = [];
  for (let m = FIRST_SALES_MONTH; m <= LAST_SALES_MONTH; m++) {
    const s = new Date(monthStart(m));
    const mid = Date.UTC(s.getUTCFullYear(), s.getUTCMonth(), 15, 16);
    const end = Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, 0, 16);
    for (const t of [mid, end]) if (t <= REF_MS) out.push(t);
  }
  return out;
})();
/** Monthly sweep from operating into the reserve account, on the 2nd of each month. */
export const SWEEP_DATES: readonly number[] = Array.from({ length: LAST_SALES_MONTH - FIRST_SALES_MONTH + 1 }, (_, j) => monthStart(FIRST_SALES_MONTH + j) + DAY + 17 * 3_600_000);

export const KPI_METRICS = [
  { metric: 'revenue_mtd', unit: 'usd', target: 2_000_000 }, { metric: 'gross_margin_pct', unit: 'pct', target: 30 }, { metric: 'ar_over_60_days', unit: 'usd', target: 250_000 },
  { metric: 'orders_per_day', unit: 'count', target: 7 }, { metric: 'inventory_turns', unit: 'ratio', target: 6 }, { metric: 'on_time_payments_pct', unit: 'pct', target: 70 },
  { metric: 'avg_order_value', unit: 'usd', target: 9_000 }, { metric: 'open_tasks', unit: 'count', target: 25 },
] as const;

export const REPORT_TYPES = ['ar_aging', 'sales_by_client', 'sales_by_category', 'inventory_valuation', 'consignment_statement', 'vendor_spend', 'pnl_monthly', 'cash_flow'] as const;

/**
 * What the audit log records: each source table's rows are real changes (a payment moving an
 * invoice's balance, a batch moving a workflow stage, a list-price change, a purchase order
 * received or paid, a sign-in).
 */
export const AUDIT_SOURCES = [
  { source: 'payment_history', entity: 'invoice', action: 'update', description: 'Invoice balance and status after a payment' },
  { source: 'workflow_transitions', entity: 'workflow_item', action: 'update', description: 'Intake stage of a batch' },
  { source: 'price_history', entity: 'product', action: 'update', description: 'List price change' },
  { source: 'po_receipts', entity: 'purchase_order', action: 'update', description: 'Purchase order received' },
  { source: 'vendor_payments', entity: 'purchase_order', action: 'update', description: 'Purchase order paid' },
  { source: 'user_sessions', entity: 'user', action: 'login', description: 'Sign-in' },
] as const;
