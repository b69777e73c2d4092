/**
 * erp — a wholesale ERP over 22 months (January 2024 – October 2025): parties and catalogue,
 * purchasing, order-to-cash with Pareto clients and late payers, double-entry books, fulfilment
 * workflow, calendar, lists, comments, dashboards and audit log. Every business rule holds by
 * construction and is also a `validate` check (checks.ts).
 */
import { defineDataset } from '../../src/index.js';
import { REF } from './catalogs.js';
import { erpChecks } from './checks.js';
import { activityTables } from './tables-activity.js';
import { coreTables } from './tables-core.js';
import { salesTables } from './tables-sales.js';

/** Transactional tables grow with the profile; catalogs and the calendar stay the same. */
function scaled(k: number): Record<string, number> {
  const base: Record<string, number> = {
    users: 40, brands: 25, clients: 300, vendors: 60, strains: 80, products: 400, lots: 500, purchase_orders: 700,
    expenses: 1_800, orders: 4_400, lists: 60, comments: 3_000, audit_log: 6_000,
  };
  const fixed = new Set(['brands', 'strains']);
  return Object.fromEntries(Object.entries(base).map(([t, n]) => [t, fixed.has(t) ? n : Math.round(n * k)]));
}

export default defineDataset({
  name: 'erp',
  description: 'Wholesale ERP: clients with Pareto revenue, orders, invoices, payments and AR aging, double-entry ledger, purchasing, workflow queue, calendar, comments.',
  seed: 2024,
  refDate: REF,
  params: {
    /** Zipf exponent of orders over clients (1.1 → top 20% ≈ 80% of revenue at 300 clients). */
    clientZipf: 1.1,
  },
  profiles: {
    light: { rows: scaled(1) },
    medium: { rows: { ...scaled(3), events: 250 }, params: { clientZipf: 1.06 } },
    heavy: { rows: { ...scaled(10), events: 250 }, params: { clientZipf: 1.02 } },
  },
  defaultProfile: 'light',
  tables: { ...coreTables, ...salesTables, ...activityTables },
  checks: erpChecks,
});
