/**
 * erp reference data and people: staff and access control, sign-ins, catalogs (brands, locations,
 * categories, units, grades, carriers), the chart of accounts, journals and fiscal periods, pricing
 * profiles, tiers and promotions, bank accounts, document sequences and audit sources.
 */
import { scryptSync } from 'node:crypto';
import { defineTables, DAY, MINUTE } from '../../src/index.js';
import type { params } from './params.js';
import {
  ACCOUNTS, CATEGORIES, EVENT_SERIES, EXPENSE_CATEGORIES, GRADES, JOURNALS, LOCATIONS, PRICING_PROFILES, PRICING_RULES, REF_MS, TAGS, WORKFLOW_STAGES, accountId,
} from './catalogs.js';
import { ACTIONS, AUDIT_SOURCES, CARRIERS, LAST_SALES_MONTH, MONTHS, RESOURCES, ROLES, SUBCATEGORIES, UNITS, grantsOf, monthStart } from './catalogs-ops.js';
import { journalSize } from './books.js';
import { slug, type ErpContext, type ErpGenContext, type ErpRows } from './rules.js';

/** Roles repeat in blocks of 20 users (after the owner), so a user of a role is found arithmetically. */
const ROLE_PATTERN = ['sales', 'warehouse', 'sales', 'accounting', 'sales', 'warehouse', 'manager', 'sales', 'warehouse', 'sales', 'accounting', 'sales', 'warehouse', 'manager', 'sales', 'warehouse', 'sales', 'accounting', 'manager', 'admin'] as const;
export type Role = (typeof ROLE_PATTERN)[number];
export const roleOf = (i: number): Role => (i === 0 ? 'admin' : ROLE_PATTERN[(i - 1) % ROLE_PATTERN.length]!);

/** Indexes of users with one of `roles`, for a user table of n rows (small; cached per n). */
const roleCache = new Map<number, Map<string, number[]>>();
export function usersWith(n: number, ...roles: Role[]): number[] {
  let byRoles = roleCache.get(n);
  if (!byRoles) roleCache.set(n, (byRoles = new Map()));
  // Called for most rows: one role needs no key built.
  const k = roles.length === 1 ? roles[0]! : roles.join(',');
  let list = byRoles.get(k);
  if (!list) {
    list = [];
    for (let i = 0; i < n; i++) if (roles.includes(roleOf(i))) list.push(i);
    if (list.length === 0) list.push(0);
    byRoles.set(k, list);
  }
  return list;
}
export const pickUser = (c: ErpGenContext, ...roles: Role[]): number => c.rng.pick(usersWith(c.count('users'), ...roles)) + 1;
/** The accountant who booked document k (in rotation): recomputable by the audit log without reading the row. */
export const accountant = (c: ErpContext, k: number): number => { const list = usersWith(c.count('users'), 'accounting'); return list[k % list.length]! + 1; };

/** The owner logs in with a known password (`seedpipe-demo`); hashed once with a fixed salt. */
const OWNER_HASH = `scrypt$6f776e6572$${scryptSync('seedpipe-demo', 'owner', 32).toString('hex')}`;
const SALARY: Readonly<Record<Role, number>> = { admin: 95_000, manager: 110_000, sales: 72_000, warehouse: 48_000, accounting: 68_000 };
const TITLES: Readonly<Record<Role, string>> = { admin: 'Operations Admin', manager: 'Manager', sales: 'Account Executive', warehouse: 'Warehouse Associate', accounting: 'Staff Accountant' };
const date = (s: string): number => Date.parse(s);
const ms = (d: Date): number => d.getTime();

/** Numbered documents: table, number prefix. */
export const SEQUENCES = [
  ['orders', 'SO-'], ['invoices', 'INV-'], ['purchase_orders', 'PO-'], ['quotes', 'QT-'], ['returns', 'RMA-'], ['refunds', 'CM-'], ['bills', 'BILL-'], ['vendor_payments', 'VP-'], ['payments', 'PMT-'],
] as const;

export const coreTables = defineTables<ErpRows, typeof params>()({
  users: {
    rows: 40,
    description: 'Staff: sales reps, warehouse, accounting, managers; user 1 is the owner (owner@example.com / seedpipe-demo).',
    columns: {
      id: { type: 'bigint' },
      first_name: { type: 'text', virtual: true, gen: (c) => (c.i === 0 ? 'Olivia' : c.faker.person.firstName()) },
      last_name: { type: 'text', virtual: true, gen: (c) => (c.i === 0 ? 'Owner' : c.faker.person.lastName()) },
      email: { type: 'text', unique: true, gen: (c) => (c.i === 0 ? 'owner@example.com' : `${slug(c.row.first_name)}.${slug(c.row.last_name)}${c.i + 1}@example.com`) },
      full_name: { type: 'text', gen: (c) => `${c.row.first_name} ${c.row.last_name}` },
      role: { type: { enum: ['admin', 'manager', 'sales', 'warehouse', 'accounting'] }, gen: (c) => roleOf(c.i) },
      title: { type: 'text', gen: (c) => (c.i === 0 ? 'Owner' : TITLES[roleOf(c.i)]) },
      // Only the owner has a usable password; the others sign in through the company's SSO.
      password_hash: { type: 'text', export: false, gen: (c) => (c.i === 0 ? OWNER_HASH : `!${c.faker.string.alphanumeric(40)}`) },
      salary_cents: { type: 'bigint', virtual: true, gen: (c) => Math.round(SALARY[roleOf(c.i)] * c.rng.uniform(0.85, 1.2)) * 100 },
      phone: { type: 'text', gen: (c) => c.faker.phone.number({ style: 'national' }) },
      is_active: { type: 'boolean', gen: (c) => c.i === 0 || c.rng.chance(0.92) },
      created_at: { type: 'timestamptz', gen: (c) => (c.i === 0 ? new Date('2021-03-01T16:00:00Z') : c.t.between(date('2021-06-01'), date('2023-10-01'))) },
      last_login_at: { type: 'timestamptz', nullable: true, gen: (c) => (c.row.is_active ? c.t.recent(REF_MS - 30 * DAY, REF_MS, 2) : null) },
    },
  },
  roles: {
    rows: ROLES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => ROLES[c.i]!.name },
      description: { type: 'text', gen: (c) => ROLES[c.i]!.description },
    },
  },
  permissions: {
    rows: RESOURCES.length * ACTIONS.length,
    catalog: true,
    uniques: [['resource', 'action']],
    columns: {
      id: { type: 'bigint' },
      resource: { type: 'text', gen: (c) => RESOURCES[Math.floor(c.i / ACTIONS.length)]! },
      action: { type: { enum: [...ACTIONS] }, gen: (c) => ACTIONS[c.i % ACTIONS.length]! },
      code: { type: 'text', unique: true, gen: (c) => `${c.row.resource}.${c.row.action}` },
    },
  },
  role_permissions: {
    per: { parent: 'roles', count: (c) => grantsOf(ROLES[c.parentIndex]!.name).length },
    primaryKey: ['role_id', 'permission_id'],
    columns: {
      role_id: { type: 'bigint', references: 'roles', gen: (c) => c.parentIndex + 1 },
      permission_id: { type: 'bigint', references: 'permissions', gen: (c) => grantsOf(ROLES[c.parentIndex]!.name)[c.k]! + 1 },
    },
  },
  user_roles: {
    per: { parent: 'users', count: 1 },
    primaryKey: ['user_id', 'role_id'],
    description: 'Each user holds the role of their job (users.role).',
    columns: {
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.parentIndex + 1 },
      role_id: { type: 'bigint', references: 'roles', gen: (c) => ROLES.findIndex((r) => r.name === roleOf(c.parentIndex)) + 1 },
      granted_at: { type: 'timestamptz', gen: (c) => c.parent.created_at },
    },
  },
  user_sessions: {
    // Active users sign in every couple of days; the last sign-in is users.last_login_at.
    per: { parent: 'users', count: (c) => (c.parent.is_active ? 1 + Math.min(60, c.rng.poisson(25)) : 0) },
    columns: {
      id: { type: 'bigint' },
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.parentIndex + 1 },
      signed_in_at: {
        type: 'timestamptz',
        gen: (c) => {
          const last = c.parent.last_login_at;
          if (last === null) throw new RangeError('sessions are generated for active users only, who have a last sign-in');
          return c.k === c.n - 1 ? last : new Date(ms(last) - (c.n - 1 - c.k) * 2 * DAY - c.rng.int(1, 20 * 60) * MINUTE);
        },
      },
      ip: { type: 'text', gen: (c) => `10.${c.rng.int(0, 3)}.${c.rng.int(0, 255)}.${c.rng.int(2, 254)}` },
      user_agent: { type: 'text', gen: (c) => c.rng.weighted([['Chrome on macOS', 40], ['Chrome on Windows', 25], ['Safari on iPad', 15], ['Safari on iPhone', 12], ['Edge on Windows', 8]]) },
    },
  },
  brands: {
    rows: 25,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `${c.faker.word.adjective({ length: { min: 4, max: 8 } }).replace(/^./, (m) => m.toUpperCase())} ${c.rng.pick(['Farms', 'Gardens', 'Labs', 'Botanicals', 'Co.', 'Collective', 'Growers', 'Extracts'])} ${c.i + 1}` },
      website: { type: 'text', gen: (c) => `https://${slug(c.row.name)}.example.com` },
      is_house_brand: { type: 'boolean', gen: (c) => c.i < 2 },
      created_at: { type: 'timestamptz', gen: (c) => c.t.between(date('2021-01-01'), date('2023-06-01')) },
    },
  },
  locations: {
    rows: LOCATIONS.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => LOCATIONS[c.i]!.name },
      kind: { type: 'text', gen: (c) => LOCATIONS[c.i]!.kind },
      address: { type: 'text', gen: (c) => c.faker.location.streetAddress() },
      is_active: { type: 'boolean', gen: () => true },
    },
  },
  units_of_measure: {
    rows: UNITS.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      code: { type: 'text', unique: true, gen: (c) => UNITS[c.i]!.code },
      name: { type: 'text', gen: (c) => UNITS[c.i]!.name },
      grams: { type: 'numeric(10,3)', nullable: true, gen: (c) => UNITS[c.i]!.grams },
    },
  },
  categories: {
    rows: CATEGORIES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => CATEGORIES[c.i]!.name },
      unit_id: { type: 'bigint', references: 'units_of_measure', gen: (c) => UNITS.findIndex((u) => u.code === CATEGORIES[c.i]!.unit) + 1 },
      tracks_strain: { type: 'boolean', gen: (c) => CATEGORIES[c.i]!.strain },
    },
  },
  subcategories: {
    per: { parent: 'categories', count: (c) => SUBCATEGORIES[c.parentIndex]!.length },
    uniques: [['category_id', 'name']],
    columns: {
      id: { type: 'bigint' },
      category_id: { type: 'bigint', references: 'categories', gen: (c) => c.parentIndex + 1 },
      name: { type: 'text', gen: (c) => SUBCATEGORIES[c.parentIndex]![c.k]! },
    },
  },
  grades: {
    rows: GRADES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      code: { type: 'text', unique: true, gen: (c) => GRADES[c.i]!.code },
      name: { type: 'text', gen: (c) => GRADES[c.i]!.name },
      price_factor: { type: 'numeric(4,2)', gen: (c) => GRADES[c.i]!.factor },
    },
  },
  carriers: {
    rows: CARRIERS.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => CARRIERS[c.i]!.name },
      code: { type: 'text', unique: true, gen: (c) => CARRIERS[c.i]!.code },
    },
  },
  accounts: {
    rows: ACCOUNTS.length,
    catalog: true,
    description: 'Chart of accounts.',
    columns: {
      id: { type: 'bigint' },
      code: { type: 'text', unique: true, gen: (c) => ACCOUNTS[c.i]!.code },
      name: { type: 'text', gen: (c) => ACCOUNTS[c.i]!.name },
      type: { type: { enum: ['asset', 'liability', 'equity', 'revenue', 'expense'] }, gen: (c) => ACCOUNTS[c.i]!.type },
      normal_balance: { type: { enum: ['debit', 'credit'] }, gen: (c) => (['asset', 'expense'].includes(ACCOUNTS[c.i]!.type) && ACCOUNTS[c.i]!.code !== '1510') || ACCOUNTS[c.i]!.code === '4100' ? 'debit' : 'credit' },
      is_active: { type: 'boolean', gen: () => true },
    },
  },
  expense_categories: {
    rows: EXPENSE_CATEGORIES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => EXPENSE_CATEGORIES[c.i]!.name },
      account_code: { type: 'text', references: { table: 'accounts', column: 'code' }, gen: (c) => EXPENSE_CATEGORIES[c.i]!.code },
    },
  },
  journals: {
    rows: JOURNALS.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      // A per-seed value used by helpers that recompute order headers and line counts.
      salt: { type: 'bigint', virtual: true, gen: (c) => c.rng.u32() },
      code: { type: 'text', unique: true, gen: (c) => JOURNALS[c.i]!.code },
      name: { type: 'text', gen: (c) => JOURNALS[c.i]!.name },
      source_table: { type: 'text', gen: (c) => JOURNALS[c.i]!.source },
      entries: { type: 'int', gen: (c) => journalSize(c, c.i) },
    },
  },
  fiscal_periods: {
    rows: MONTHS,
    catalog: true,
    description: 'Calendar months of the books; closed on the 10th of the next month, up to the month before the reference date.',
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => new Date(monthStart(c.i)).toISOString().slice(0, 7) },
      starts_on: { type: 'date', gen: (c) => new Date(monthStart(c.i)) },
      ends_on: { type: 'date', gen: (c) => new Date(monthStart(c.i + 1) - DAY) },
      status: { type: { enum: ['closed', 'open'] }, gen: (c) => (c.i < LAST_SALES_MONTH ? 'closed' : 'open') },
      closed_at: { type: 'timestamptz', nullable: true, gen: (c) => (c.i < LAST_SALES_MONTH ? new Date(monthStart(c.i + 1) + 9 * DAY + 18 * 3_600_000) : null) },
    },
  },
  workflow_stages: {
    rows: WORKFLOW_STAGES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => WORKFLOW_STAGES[c.i]! },
      position: { type: 'int', unique: true, gen: (c) => c.i + 1 },
      is_terminal: { type: 'boolean', gen: (c) => c.i === WORKFLOW_STAGES.length - 1 },
    },
  },
  event_series: {
    rows: EVENT_SERIES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      title: { type: 'text', gen: (c) => EVENT_SERIES[c.i]!.title },
      recurrence: { type: 'text', gen: (c) => (EVENT_SERIES[c.i]!.everyDays === 0 ? 'FREQ=MONTHLY' : `FREQ=DAILY;INTERVAL=${EVENT_SERIES[c.i]!.everyDays}`) },
      occurrences: { type: 'int', gen: (c) => EVENT_SERIES[c.i]!.occurrences },
      first_starts_at: { type: 'timestamptz', gen: (c) => new Date(EVENT_SERIES[c.i]!.first) },
      duration_minutes: { type: 'int', gen: (c) => EVENT_SERIES[c.i]!.minutes },
    },
  },
  pricing_profiles: {
    rows: PRICING_PROFILES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => PRICING_PROFILES[c.i]!.name },
      description: { type: 'text', gen: (c) => PRICING_PROFILES[c.i]!.description },
    },
  },
  pricing_tiers: {
    per: { parent: 'pricing_profiles', count: (c) => PRICING_PROFILES[c.parentIndex]!.tiers.length },
    uniques: [['pricing_profile_id', 'min_qty']],
    columns: {
      id: { type: 'bigint' },
      pricing_profile_id: { type: 'bigint', references: 'pricing_profiles', gen: (c) => c.parentIndex + 1 },
      min_qty: { type: 'int', gen: (c) => PRICING_PROFILES[c.parentIndex]!.tiers[c.k]![0] },
      discount_pct: { type: 'int', check: 'discount_pct BETWEEN 0 AND 50', gen: (c) => PRICING_PROFILES[c.parentIndex]!.tiers[c.k]![1] },
    },
  },
  pricing_rules: {
    rows: PRICING_RULES.length,
    catalog: true,
    uniques: [['pricing_profile_id', 'category_id', 'valid_from']], checks: ['valid_to IS NULL OR valid_to > valid_from'],
    columns: {
      id: { type: 'bigint' },
      pricing_profile_id: { type: 'bigint', references: 'pricing_profiles', gen: (c) => PRICING_RULES[c.i]![0] + 1 },
      category_id: { type: 'bigint', references: 'categories', gen: (c) => PRICING_RULES[c.i]![1] + 1 },
      name: { type: 'text', gen: (c) => `${PRICING_PROFILES[PRICING_RULES[c.i]![0]]!.name} ${CATEGORIES[PRICING_RULES[c.i]![1]]!.name} promotion` },
      adjustment_pct: { type: 'int', check: 'adjustment_pct BETWEEN 0 AND 10', gen: (c) => PRICING_RULES[c.i]![2] },
      valid_from: { type: 'timestamptz', gen: (c) => new Date(`${PRICING_RULES[c.i]![3]}T00:00:00Z`) },
      valid_to: { type: 'timestamptz', nullable: true, gen: (c) => (PRICING_RULES[c.i]![4] === null ? null : new Date(`${PRICING_RULES[c.i]![4]}T00:00:00Z`)) },
    },
  },
  tags: {
    rows: TAGS.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => TAGS[c.i]! },
      color: { type: 'text', gen: (c) => c.rng.pick(['#2563eb', '#16a34a', '#dc2626', '#ca8a04', '#9333ea', '#0891b2', '#64748b']) },
      created_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'manager', 'admin', 'sales') },
    },
  },
  bank_accounts: {
    rows: ['Operating', 'Payroll', 'Reserve'].length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => ['Operating', 'Payroll', 'Reserve'][c.i]! },
      account_id: { type: 'bigint', unique: true, references: 'accounts', gen: (c) => accountId(['1000', '1010', '1020'][c.i]!) },
      bank_name: { type: 'text', gen: () => 'First Pacific Credit Union' },
      last4: { type: 'text', gen: (c) => ['4821', '7310', '0954'][c.i]! },
      opened_at: { type: 'date', gen: () => new Date('2021-03-15T00:00:00Z') },
    },
  },
  sequences: {
    rows: SEQUENCES.length,
    catalog: true,
    description: 'Document number sequences; next_value is one past the documents issued.',
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => SEQUENCES[c.i]![0] },
      prefix: { type: 'text', gen: (c) => SEQUENCES[c.i]![1] },
      // The next number to hand out: one past every document issued so far.
      next_value: { type: 'bigint', gen: (c) => c.count(SEQUENCES[c.i]![0]) + 1 },
      updated_at: { type: 'timestamptz', gen: () => new Date(REF_MS) },
    },
  },
  audit_sources: {
    rows: AUDIT_SOURCES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      source_table: { type: 'text', unique: true, gen: (c) => AUDIT_SOURCES[c.i]!.source },
      entity_type: { type: 'text', gen: (c) => AUDIT_SOURCES[c.i]!.entity },
      action: { type: 'text', gen: (c) => AUDIT_SOURCES[c.i]!.action },
      description: { type: 'text', gen: (c) => AUDIT_SOURCES[c.i]!.description },
    },
  },
});

