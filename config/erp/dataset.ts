/**
 * erp — a wholesale distributor's ERP over 22 months (January 2024 – October 2025), every table of
 * the seeding plan it comes from filled: parties and catalogue, a supply chain from purchase orders
 * to the order lines that sell each batch (consignment and owned stock), order-to-cash with Pareto
 * clients, credits and late payers, double-entry books that reconcile with inventory, receivables,
 * payables and funded cash accounts, the intake workflow, calendar, tasks, notes, CRM, dashboards,
 * analytics and an audit log of real changes. Every business rule holds by construction and is
 * also a `validate` check (checks-*.ts).
 */
import { defineDataset, mergeTables } from '../../src/index.js';
import { REF } from './catalogs.js';
import { erpChecks } from './checks.js';
import { adminTables } from './tables-admin.js';
import { booksTables } from './tables-books.js';
import { collabTables } from './tables-collab.js';
import { coreTables } from './tables-core.js';
import { crmTables } from './tables-crm.js';
import { partyTables } from './tables-parties.js';
import { salesTables } from './tables-sales.js';
import { supplyTables } from './tables-supply.js';
import { params } from './params.js';

/** Transactional tables grow with the profile; catalogs, the calendar and the payroll calendar stay the same. */
function scaled(k: number): Record<string, number> {
  const base: Record<string, number> = {
    users: 40, brands: 25, clients: 300, vendors: 60, strains: 80, products: 400, expenses: 1_800, orders: 4_400, lists: 60, comments: 3_000, tasks: 800,
  };
  const fixed = new Set(['brands', 'strains']);
  return Object.fromEntries(Object.entries(base).map(([t, n]) => [t, fixed.has(t) ? n : Math.round(n * k)]));
}

export default defineDataset({
  name: 'erp',
  description: 'Wholesale ERP: supply chain from purchase orders to batches sold, order-to-cash with credits and AR aging, reconciled double-entry books, workflow, CRM, calendar, tasks, analytics.',
  seed: 2024,
  refDate: REF,
  params,
  profiles: {
    light: { rows: scaled(1) },
    medium: { rows: { ...scaled(3), events: 250 }, params: { clientZipf: 1.06 } },
    heavy: { rows: { ...scaled(10), events: 250 }, params: { clientZipf: 1.02 } },
  },
  defaultProfile: 'light',
  tables: mergeTables(coreTables, partyTables, supplyTables, salesTables, booksTables, crmTables, collabTables, adminTables),
  checks: erpChecks,
});
