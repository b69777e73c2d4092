/**
 * erp reference data and parties: users, catalogs, chart of accounts, clients, vendors, products,
 * lots, pricing, purchase orders and receipts.
 */
import { scryptSync } from 'node:crypto';
import { DAY, type GenContext, type TableDef } from '../../src/index.js';
import {
  ACCOUNTS, CATEGORIES, EVENT_SERIES, EXPENSE_CATEGORIES, GRADES, JOURNALS, LOCATIONS, PRICING_PROFILES, REF_MS, START, TAGS, WORKFLOW_STAGES,
  accountId,
} from './catalogs.js';
import { lotReceivedAt, money, productFacts, slug } from './rules.js';

/** Roles repeat in blocks of 20 users (after the owner), so a user of a role is found arithmetically. */
const ROLE_PATTERN = ['sales', 'warehouse', 'sales', 'accounting', 'sales', 'warehouse', 'manager', 'sales', 'warehouse', 'sales', 'accounting', 'sales', 'warehouse', 'manager', 'sales', 'warehouse', 'sales', 'accounting', 'manager', 'admin'] as const;
export type Role = (typeof ROLE_PATTERN)[number];
export const roleOf = (i: number): Role => (i === 0 ? 'admin' : ROLE_PATTERN[(i - 1) % ROLE_PATTERN.length]!);

/** Indexes of users with one of `roles`, for a user table of n rows (small; cached per n). */
const roleCache = new Map<string, number[]>();
export function usersWith(n: number, ...roles: Role[]): number[] {
  const k = `${n}:${roles.join(',')}`;
  let list = roleCache.get(k);
  if (!list) {
    list = [];
    for (let i = 0; i < n; i++) if (roles.includes(roleOf(i))) list.push(i);
    if (list.length === 0) list.push(0);
    roleCache.set(k, list);
  }
  return list;
}
export const pickUser = (c: GenContext, ...roles: Role[]): number => c.rng.pick(usersWith(c.count('users'), ...roles)) + 1;

/** The owner logs in with a known password (`seedpipe-demo`); hashed once with a fixed salt. */
const OWNER_HASH = `scrypt$6f776e6572$${scryptSync('seedpipe-demo', 'owner', 32).toString('hex')}`;

const STATES = [['CA', 40], ['WA', 14], ['OR', 14], ['CO', 10], ['NV', 8], ['AZ', 6], ['MI', 5], ['IL', 3]] as const;
const date = (s: string): number => Date.parse(s);

export const coreTables: Record<string, TableDef> = {
  users: {
    rows: 40,
    description: 'Staff: sales reps, warehouse, accounting, managers; user 1 is the owner (owner@example.com / seedpipe-demo).',
    fixed: [{ email: 'owner@example.com', full_name: 'Olivia Owner', password_hash: OWNER_HASH, title: 'Owner' }],
    columns: {
      id: { type: 'bigint' },
      first_name: { type: 'text', virtual: true, gen: (c) => c.faker.person.firstName() },
      last_name: { type: 'text', virtual: true, gen: (c) => c.faker.person.lastName() },
      email: { type: 'text', unique: true, gen: (c) => `${slug(c.row.first_name as string)}.${slug(c.row.last_name as string)}${c.i + 1}@example.com` },
      full_name: { type: 'text', gen: (c) => `${c.row.first_name} ${c.row.last_name}` },
      role: { type: { enum: ['admin', 'manager', 'sales', 'warehouse', 'accounting'] }, gen: (c) => roleOf(c.i) },
      title: { type: 'text', gen: (c) => ({ admin: 'Operations Admin', manager: 'Manager', sales: 'Account Executive', warehouse: 'Warehouse Associate', accounting: 'Staff Accountant' })[roleOf(c.i)] },
      password_hash: { type: 'text', export: false, gen: (c) => `scrypt$${c.faker.string.hexadecimal({ length: 16, casing: 'lower', prefix: '' })}$${c.faker.string.hexadecimal({ length: 64, casing: 'lower', prefix: '' })}` },
      phone: { type: 'text', gen: (c) => c.faker.phone.number({ style: 'national' }) },
      is_active: { type: 'boolean', gen: (c) => c.i === 0 || c.rng.chance(0.92) },
      created_at: { type: 'timestamptz', gen: (c) => (c.i === 0 ? new Date('2021-03-01T16:00:00Z') : c.t.between(date('2021-06-01'), date('2024-03-01'))) },
      last_login_at: { type: 'timestamptz', nullable: true, gen: (c) => (c.row.is_active ? c.t.recent(REF_MS - 30 * DAY, REF_MS, 2) : null) },
    },
  },
  brands: {
    rows: 25,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `${c.faker.word.adjective({ length: { min: 4, max: 8 } }).replace(/^./, (m) => m.toUpperCase())} ${c.rng.pick(['Farms', 'Gardens', 'Labs', 'Botanicals', 'Co.', 'Collective', 'Growers', 'Extracts'])} ${c.i + 1}` },
      website: { type: 'text', gen: (c) => `https://${slug(c.row.name as string)}.example.com` },
      is_house_brand: { type: 'boolean', gen: (c) => c.i < 2 },
      created_at: { type: 'timestamptz', gen: (c) => c.t.between(date('2021-01-01'), date('2023-06-01')) },
    },
  },
  locations: {
    rows: LOCATIONS.length,
    fixed: LOCATIONS.map((l) => ({ name: l.name, kind: l.kind })),
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `Location ${c.i + 1}` },
      kind: { type: 'text', gen: () => 'warehouse' },
      address: { type: 'text', gen: (c) => c.faker.location.streetAddress() },
      is_active: { type: 'boolean', gen: () => true },
    },
  },
  categories: {
    rows: CATEGORIES.length,
    fixed: CATEGORIES.map((k) => ({ name: k.name, unit: k.unit, tracks_strain: k.strain })),
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `Category ${c.i + 1}` },
      unit: { type: 'text', gen: () => 'case' },
      tracks_strain: { type: 'boolean', gen: () => false },
    },
  },
  grades: {
    rows: GRADES.length,
    fixed: GRADES.map((g) => ({ code: g.code, name: g.name, price_factor: g.factor })),
    columns: {
      id: { type: 'bigint' },
      code: { type: 'text', unique: true, gen: (c) => `G${c.i}` },
      name: { type: 'text', gen: () => 'grade' },
      price_factor: { type: 'numeric(4,2)', gen: () => 1 },
    },
  },
  accounts: {
    rows: ACCOUNTS.length,
    description: 'Chart of accounts.',
    fixed: ACCOUNTS.map((a) => ({ code: a.code, name: a.name, type: a.type })),
    columns: {
      id: { type: 'bigint' },
      code: { type: 'text', unique: true, gen: (c) => String(9000 + c.i) },
      name: { type: 'text', gen: () => 'Account' },
      type: { type: { enum: ['asset', 'liability', 'equity', 'revenue', 'expense'] }, gen: () => 'asset' },
      normal_balance: { type: { enum: ['debit', 'credit'] }, gen: (c) => (['asset', 'expense'].includes(ACCOUNTS[c.i]!.type) && ACCOUNTS[c.i]!.code !== '1510' ? 'debit' : 'credit') },
      is_active: { type: 'boolean', gen: () => true },
    },
  },
  expense_categories: {
    rows: EXPENSE_CATEGORIES.length,
    fixed: EXPENSE_CATEGORIES.map((e) => ({ name: e.name })),
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `Expense ${c.i + 1}` },
      account_code: { type: 'text', references: { table: 'accounts', column: 'code' }, gen: (c) => EXPENSE_CATEGORIES[c.i]!.code },
    },
  },
  journals: {
    rows: JOURNALS.length,
    fixed: JOURNALS.map((j) => ({ code: j.code, name: j.name, source_table: j.source })),
    columns: {
      id: { type: 'bigint' },
      // A per-seed value used by helpers that recompute order headers and line counts.
      salt: { type: 'bigint', virtual: true, gen: (c) => c.rng.u32() },
      code: { type: 'text', unique: true, gen: (c) => `J${c.i}` },
      name: { type: 'text', gen: () => 'Journal' },
      source_table: { type: 'text', gen: () => 'expenses' },
    },
  },
  workflow_stages: {
    rows: WORKFLOW_STAGES.length,
    fixed: WORKFLOW_STAGES.map((name, j) => ({ name, position: j + 1, is_terminal: j === WORKFLOW_STAGES.length - 1 })),
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `stage_${c.i}` },
      position: { type: 'int', unique: true, gen: (c) => c.i + 1 },
      is_terminal: { type: 'boolean', gen: () => false },
    },
  },
  event_series: {
    rows: EVENT_SERIES.length,
    fixed: EVENT_SERIES.map((s) => ({ title: s.title, recurrence: s.everyDays === 0 ? 'FREQ=MONTHLY' : `FREQ=DAILY;INTERVAL=${s.everyDays}`, occurrences: s.occurrences, first_starts_at: new Date(s.first), duration_minutes: s.minutes })),
    columns: {
      id: { type: 'bigint' },
      title: { type: 'text', gen: () => 'Series' },
      recurrence: { type: 'text', gen: () => 'FREQ=WEEKLY' },
      occurrences: { type: 'int', gen: () => 1 },
      first_starts_at: { type: 'timestamptz', gen: () => new Date(START) },
      duration_minutes: { type: 'int', gen: () => 60 },
    },
  },
  pricing_profiles: {
    rows: PRICING_PROFILES.length,
    fixed: PRICING_PROFILES.map((p) => ({ name: p.name, description: p.description })),
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `Profile ${c.i + 1}` },
      description: { type: 'text', gen: () => '' },
    },
  },
  tags: {
    rows: TAGS.length,
    fixed: TAGS.map((name) => ({ name })),
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `tag-${c.i + 1}` },
      color: { type: 'text', gen: (c) => c.rng.pick(['#2563eb', '#16a34a', '#dc2626', '#ca8a04', '#9333ea', '#0891b2', '#64748b']) },
      created_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'manager', 'admin', 'sales') },
    },
  },
  bank_accounts: {
    rows: 3,
    fixed: [
      { name: 'Operating', account_id: accountId('1000'), last4: '4821' },
      { name: 'Payroll', account_id: accountId('1010'), last4: '7310' },
      { name: 'Reserve', account_id: accountId('1020'), last4: '0954' },
    ],
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `Bank ${c.i + 1}` },
      account_id: { type: 'bigint', unique: true, references: 'accounts', gen: () => accountId('1000') },
      bank_name: { type: 'text', gen: () => 'First Pacific Credit Union' },
      last4: { type: 'text', gen: () => '0000' },
      opened_at: { type: 'date', gen: () => new Date('2021-03-15T00:00:00Z') },
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
    // One rule per (profile, category) at most: an extra category discount for a while.
    junction: { parent: 'pricing_profiles', target: 'categories', count: (c) => c.rng.int(2, 4) },
    uniques: [['pricing_profile_id', 'category_id']],
    checks: ['valid_to IS NULL OR valid_to > valid_from'],
    columns: {
      id: { type: 'bigint' },
      pricing_profile_id: { type: 'bigint', references: 'pricing_profiles', gen: (c) => c.parentIndex + 1 },
      category_id: { type: 'bigint', references: 'categories', gen: (c) => c.partner + 1 },
      name: { type: 'text', gen: (c) => `${PRICING_PROFILES[c.parentIndex]!.name} ${CATEGORIES[c.partner]!.name} promo` },
      adjustment_pct: { type: 'int', check: 'adjustment_pct BETWEEN 0 AND 10', gen: (c) => c.rng.int(1, 5) },
      valid_from: { type: 'timestamptz', gen: (c) => c.t.between(START, REF_MS - 60 * DAY) },
      valid_to: { type: 'timestamptz', nullable: true, gen: (c) => (c.rng.chance(0.5) ? null : c.t.after(c.row.valid_from as Date, 240 * DAY, 30 * DAY)) },
    },
  },
  clients: {
    rows: 300,
    description: 'Wholesale accounts (dispensaries, distributors). Revenue is Pareto-distributed across them.',
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', gen: (c) => `${c.faker.company.name()} ${c.rng.pick(['Dispensary', 'Wellness', 'Cannabis Co.', 'Provisions', 'Collective', 'Distribution', 'Apothecary'])}` },
      license_number: { type: 'text', unique: true, gen: (c) => `C${c.rng.int(9, 12)}-${String(100_000 + c.i).padStart(7, '0')}-LIC` },
      email: { type: 'text', unique: true, gen: (c) => `ap${c.i + 1}@${slug(c.row.name as string).slice(0, 24)}.example.com` },
      phone: { type: 'text', gen: (c) => c.faker.phone.number({ style: 'national' }) },
      address: { type: 'text', gen: (c) => c.faker.location.streetAddress() },
      city: { type: 'text', gen: (c) => c.faker.location.city() },
      state: { type: 'text', gen: (c) => c.rng.weighted(STATES) },
      sales_rep_id: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'sales') },
      pricing_profile_id: { type: 'bigint', references: 'pricing_profiles', gen: (c) => c.rng.weighted(PRICING_PROFILES.map((p, j) => [j + 1, p.weight] as const)) },
      payment_terms_days: { type: 'int', check: 'payment_terms_days IN (15, 30, 45)', gen: (c) => c.rng.weighted([[30, 70], [15, 15], [45, 15]]) },
      credit_rating: { type: { enum: ['A', 'B', 'C', 'D'] }, gen: (c) => c.rng.weighted({ A: 42, B: 30, C: 18, D: 10 }) },
      credit_limit: { type: 'numeric(12,2)', gen: (c) => money(c.rng.pick([25_000, 50_000, 75_000, 100_000, 150_000, 250_000]) * 100) },
      status: { type: { enum: ['active', 'inactive', 'on_hold'] }, gen: (c) => (c.row.credit_rating === 'D' && c.rng.chance(0.3) ? 'on_hold' : c.rng.chance(0.06) ? 'inactive' : 'active') },
      created_at: { type: 'timestamptz', gen: (c) => (c.rng.chance(0.75) ? c.t.between(date('2021-06-01'), START) : c.t.between(START, REF_MS - 45 * DAY)) },
    },
    embed: { text: (r) => `${r.name} (${r.state}), ${r.credit_rating}-rated wholesale client` },
  },
  vendors: {
    rows: 60,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', gen: (c) => `${c.faker.company.name()} ${c.rng.pick(['Cultivation', 'Farms', 'Extracts', 'Packaging', 'Supply', 'Labs'])}` },
      license_number: { type: 'text', unique: true, gen: (c) => `V${c.rng.int(9, 12)}-${String(500_000 + c.i).padStart(7, '0')}-LIC` },
      email: { type: 'text', unique: true, gen: (c) => `orders${c.i + 1}@${slug(c.row.name as string).slice(0, 24)}.example.com` },
      phone: { type: 'text', gen: (c) => c.faker.phone.number({ style: 'national' }) },
      state: { type: 'text', gen: (c) => c.rng.weighted(STATES) },
      payment_terms_days: { type: 'int', check: 'payment_terms_days IN (15, 30, 45, 60)', gen: (c) => c.rng.weighted([[30, 60], [45, 20], [60, 10], [15, 10]]) },
      buyer_id: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'warehouse', 'manager') },
      rating: { type: 'smallint', check: 'rating BETWEEN 1 AND 5', gen: (c) => c.rng.weighted([[5, 30], [4, 40], [3, 20], [2, 7], [1, 3]]) },
      created_at: { type: 'timestamptz', gen: (c) => c.t.between(date('2021-03-01'), date('2023-10-01')) },
    },
  },
  strains: {
    rows: 80,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `${c.rng.pick(['Blue', 'Golden', 'Purple', 'Sour', 'Lemon', 'Cherry', 'Northern', 'Cosmic', 'Wild', 'Velvet', 'Midnight', 'Pineapple'])} ${c.rng.pick(['Haze', 'Kush', 'Dream', 'Diesel', 'Cookies', 'Glue', 'Runtz', 'Gelato', 'Widow', 'Express', 'Cake', 'Punch'])} #${c.i + 1}` },
      type: { type: { enum: ['indica', 'sativa', 'hybrid'] }, gen: (c) => c.rng.weighted({ hybrid: 55, indica: 25, sativa: 20 }) },
      thc_pct: { type: 'numeric(4,1)', check: 'thc_pct BETWEEN 0 AND 40', gen: (c) => Math.round(c.rng.normal(22, 4) * 10) / 10 },
      cbd_pct: { type: 'numeric(4,1)', check: 'cbd_pct BETWEEN 0 AND 25', gen: (c) => (c.rng.chance(0.15) ? Math.round(c.rng.uniform(2, 15) * 10) / 10 : Math.round(c.rng.uniform(0, 1) * 10) / 10) },
      lineage: { type: 'text', nullable: true, gen: (c) => (c.rng.chance(0.3) ? null : `${c.faker.word.adjective()} x ${c.faker.word.noun()}`) },
      created_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'manager', 'admin') },
    },
  },
  products: {
    rows: 400,
    description: 'Sellable SKUs; cost and list price in USD.',
    checks: ['list_price >= unit_cost'],
    columns: {
      id: { type: 'bigint' },
      category: { type: 'int', virtual: true, gen: (c) => c.rng.weighted(CATEGORIES.map((k, j) => [j, k.weight] as const)) },
      sku: { type: 'text', unique: true, gen: (c) => `${CATEGORIES[c.row.category as number]!.name.slice(0, 3).toUpperCase()}-${String(c.i + 1).padStart(6, '0')}` },
      brand_id: { type: 'bigint', references: 'brands', gen: (c) => c.ref('brands', { dist: 'zipf' }) },
      category_id: { type: 'bigint', references: 'categories', gen: (c) => (c.row.category as number) + 1 },
      strain_id: { type: 'bigint', nullable: true, references: 'strains', gen: (c) => (CATEGORIES[c.row.category as number]!.strain ? c.ref('strains', { dist: 'zipf' }) : null) },
      grade_id: { type: 'bigint', nullable: true, references: 'grades', gen: (c) => (c.row.strain_id === null ? null : c.rng.weighted([[1, 10], [2, 30], [3, 35], [4, 18], [5, 7]])) },
      name: {
        type: 'text',
        gen: (c) => {
          const cat = CATEGORIES[c.row.category as number]!;
          const strain = c.row.strain_id === null ? c.faker.commerce.productAdjective() : (c.lookup('strains', (c.row.strain_id as number) - 1).name as string).replace(/ #\d+$/, '');
          return `${strain} ${cat.name}${cat.unit === 'lb' ? ' (1 lb)' : ` (case of ${c.rng.pick([12, 24, 48, 50, 100])})`}`;
        },
      },
      unit: { type: 'text', gen: (c) => CATEGORIES[c.row.category as number]!.unit },
      cost_cents: { type: 'bigint', virtual: true, gen: (c) => Math.round(c.rng.lognormal(Math.log(CATEGORIES[c.row.category as number]!.cost), 0.25) * (c.row.grade_id === null ? 1 : GRADES[(c.row.grade_id as number) - 1]!.factor) * 100) },
      unit_cost: { type: 'numeric(12,2)', gen: (c) => money(c.row.cost_cents as number) },
      price_cents: { type: 'bigint', virtual: true, gen: (c) => Math.round((c.row.cost_cents as number) * c.rng.uniform(1.35, 1.8)) },
      list_price: { type: 'numeric(12,2)', gen: (c) => money(c.row.price_cents as number) },
      is_active: { type: 'boolean', gen: (c) => c.rng.chance(0.93) },
      created_at: { type: 'timestamptz', gen: (c) => c.t.between(date('2022-06-01'), START - 7 * DAY) },
    },
    embed: { text: (r) => `${r.name} — ${r.sku}`, metadata: (r) => ({ sku: r.sku as string, category_id: r.category_id as number }) },
  },
  lots: {
    rows: 500,
    description: 'Inbound lots from vendors, received into a location.',
    columns: {
      id: { type: 'bigint' },
      lot_number: { type: 'text', unique: true, gen: (c) => `LOT-${String(c.i + 1).padStart(6, '0')}` },
      vendor_id: { type: 'bigint', references: 'vendors', gen: (c) => c.ref('vendors', { dist: 'zipf' }) },
      grade_id: { type: 'bigint', references: 'grades', gen: (c) => c.rng.weighted([[1, 10], [2, 30], [3, 35], [4, 18], [5, 7]]) },
      location_id: { type: 'bigint', references: 'locations', gen: (c) => c.rng.weighted([[1, 50], [2, 15], [3, 15], [4, 20]]) },
      quantity: { type: 'numeric(10,2)', check: 'quantity > 0', gen: (c) => Math.round(c.rng.lognormal(Math.log(60), 0.6) * 100) / 100 },
      coa_status: { type: { enum: ['passed', 'pending', 'failed'] }, gen: (c) => c.rng.weighted({ passed: 90, pending: 6, failed: 4 }) },
      received_at: { type: 'timestamptz', gen: (c) => new Date(lotReceivedAt(c.i, c.n, c.rng.float())) },
    },
  },
  purchase_orders: {
    rows: 700,
    description: 'Purchases from vendors; received orders post to inventory and AP, paid ones to cash.',
    checks: ['expected_at > ordered_at'],
    columns: {
      id: { type: 'bigint' },
      po_number: { type: 'text', unique: true, gen: (c) => `PO-${String(c.i + 1).padStart(6, '0')}` },
      vendor_id: { type: 'bigint', references: 'vendors', gen: (c) => c.ref('vendors', { dist: 'zipf' }) },
      created_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'warehouse', 'manager') },
      ordered_at: { type: 'timestamptz', gen: (c) => c.t.businessHours(c.t.recent(START - 20 * DAY, REF_MS - DAY, 1.2)) },
      expected_at: { type: 'timestamptz', gen: (c) => new Date((c.row.ordered_at as Date).getTime() + c.rng.int(3, 14) * DAY) },
      cancelled: { type: 'boolean', virtual: true, gen: (c) => c.rng.chance(0.03) },
      received_ms: { type: 'bigint', virtual: true, gen: (c) => Math.max((c.row.ordered_at as Date).getTime() + DAY, (c.row.expected_at as Date).getTime() + Math.round(c.rng.normal(0, 2) * DAY)) },
      paid_ms: {
        type: 'bigint',
        virtual: true,
        gen: (c) => (c.row.received_ms as number) + (c.lookup('vendors', (c.row.vendor_id as number) - 1).payment_terms_days as number) * DAY + Math.round(c.rng.normal(0, 3) * DAY),
      },
      status: {
        type: { enum: ['ordered', 'received', 'paid', 'cancelled'] },
        gen: (c) => (c.row.cancelled ? 'cancelled' : (c.row.paid_ms as number) <= REF_MS ? 'paid' : (c.row.received_ms as number) <= REF_MS ? 'received' : 'ordered'),
      },
      total: {
        type: 'numeric(12,2)',
        gen: (c) => money(c.children('purchase_order_items', c.i).reduce((s, l) => s + (l.cents as number), 0)),
      },
    },
  },
  purchase_order_items: {
    junction: { parent: 'purchase_orders', target: 'products', count: (c) => c.rng.int(1, 6) },
    primaryKey: ['purchase_order_id', 'product_id'],
    checks: ['line_total = round(quantity * unit_cost, 2)'],
    columns: {
      purchase_order_id: { type: 'bigint', references: 'purchase_orders', gen: (c) => c.parentIndex + 1 },
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.partner + 1 },
      quantity: { type: 'int', check: 'quantity > 0', gen: (c) => Math.max(1, Math.round(c.rng.lognormal(Math.log(20), 0.7))) },
      cost: { type: 'bigint', virtual: true, gen: (c) => Math.round(productFacts(c, c.partner).costCents * c.rng.uniform(0.9, 1.0)) },
      unit_cost: { type: 'numeric(12,2)', gen: (c) => money(c.row.cost as number) },
      cents: { type: 'bigint', virtual: true, gen: (c) => (c.row.cost as number) * (c.row.quantity as number) },
      line_total: { type: 'numeric(14,2)', gen: (c) => money(c.row.cents as number) },
    },
  },
  po_receipts: {
    per: { parent: 'purchase_orders', count: (c) => (c.parent.status === 'received' || c.parent.status === 'paid' ? 1 : 0) },
    description: 'Goods received against a purchase order (posts inventory and AP).',
    columns: {
      id: { type: 'bigint' },
      purchase_order_id: { type: 'bigint', unique: true, references: 'purchase_orders', gen: (c) => c.parentIndex + 1 },
      received_at: { type: 'timestamptz', gen: (c) => new Date(c.parent.received_ms as number) },
      received_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'warehouse') },
      location_id: { type: 'bigint', references: 'locations', gen: (c) => c.rng.weighted([[1, 60], [4, 25], [7, 15]]) },
      amount: { type: 'numeric(12,2)', gen: (c) => c.parent.total },
      pay_ms: { type: 'bigint', virtual: true, gen: (c) => (c.parent.status === 'paid' ? (c.parent.paid_ms as number) : null) },
    },
  },
  vendor_payments: {
    per: { parent: 'po_receipts', count: (c) => (c.parent.pay_ms === null ? 0 : 1) },
    description: 'Payments to vendors for received purchase orders (posts AP and cash).',
    columns: {
      id: { type: 'bigint' },
      po_receipt_id: { type: 'bigint', unique: true, references: 'po_receipts', gen: (c) => c.parentIndex + 1 },
      paid_at: { type: 'timestamptz', gen: (c) => new Date(c.parent.pay_ms as number) },
      amount: { type: 'numeric(12,2)', gen: (c) => c.parent.amount },
      method: { type: { enum: ['check', 'wire', 'ACH'] }, gen: (c) => c.rng.weighted({ ACH: 60, check: 25, wire: 15 }) },
      bank_account_id: { type: 'bigint', references: 'bank_accounts', gen: () => 1 },
      reference: { type: 'text', unique: true, gen: (c) => `VP-${String(c.i + 1).padStart(6, '0')}` },
    },
  },
  expenses: {
    rows: 1_800,
    description: 'Operating expenses paid from the operating or payroll account (general journal).',
    checks: ['amount > 0'],
    columns: {
      id: { type: 'bigint' },
      category: { type: 'int', virtual: true, gen: (c) => c.rng.weighted(EXPENSE_CATEGORIES.map((e, j) => [j, e.weight] as const)) },
      expense_category_id: { type: 'bigint', references: 'expense_categories', gen: (c) => (c.row.category as number) + 1 },
      vendor_id: { type: 'bigint', nullable: true, references: 'vendors', gen: (c) => (c.rng.chance(EXPENSE_CATEGORIES[c.row.category as number]!.vendorShare) ? c.ref('vendors') : null) },
      description: { type: 'text', gen: (c) => `${EXPENSE_CATEGORIES[c.row.category as number]!.name}: ${c.text.sentence(2, 6).replace(/\.$/, '')}` },
      cents: { type: 'bigint', virtual: true, gen: (c) => Math.max(500, Math.round(c.rng.lognormal(Math.log(EXPENSE_CATEGORIES[c.row.category as number]!.median), 0.45) * 100)) },
      amount: { type: 'numeric(12,2)', gen: (c) => money(c.row.cents as number) },
      bank_account_id: { type: 'bigint', references: 'bank_accounts', gen: (c) => (EXPENSE_CATEGORIES[c.row.category as number]!.code === '6020' ? 2 : 1) },
      incurred_at: { type: 'timestamptz', gen: (c) => c.t.businessHours(c.t.between(START, REF_MS - DAY)) },
      entered_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'accounting') },
    },
  },
};

