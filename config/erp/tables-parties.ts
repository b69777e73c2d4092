/**
 * erp parties and catalogue: clients with contacts, addresses, tags and negotiated prices; vendors
 * with contacts and consignment agreements; strains and products with their price history, search
 * synonyms, media and tags.
 */
import { defineTables, DAY, type RowsIn } from '../../src/index.js';
import type { params } from './params.js';
import type { coreTables } from './tables-core.js';
import { CATEGORIES, GRADES, PRICING_PROFILES, REF_MS, START } from './catalogs.js';
import { SUBCATEGORIES, UNITS } from './catalogs-ops.js';
import { money, priceTimeline, productFacts, productVendor, slug, vendorRank, type ErpRows } from './rules.js';
import { pickUser } from './tables-core.js';

const STATES = [['CA', 40], ['WA', 14], ['OR', 14], ['CO', 10], ['NV', 8], ['AZ', 6], ['MI', 5], ['IL', 3]] as const;
const date = (s: string): number => Date.parse(s);
const ms = (d: Date): number => d.getTime();
const domainOf = (email: unknown): string => String(email).split('@')[1]!;

export const partyTables = defineTables<ErpRows & RowsIn<typeof coreTables>, typeof params>()({
  clients: {
    rows: 300,
    description: 'Wholesale accounts (dispensaries, distributors). Revenue is Pareto-distributed across them.',
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', gen: (c) => `${c.faker.company.name()} ${c.rng.pick(['Dispensary', 'Wellness', 'Cannabis Co.', 'Provisions', 'Collective', 'Distribution', 'Apothecary'])}` },
      license_number: { type: 'text', unique: true, gen: (c) => `C${c.rng.int(9, 12)}-${String(100_000 + c.i).padStart(7, '0')}-LIC` },
      email: { type: 'text', unique: true, gen: (c) => `ap${c.i + 1}@${slug(c.row.name).slice(0, 24)}.example.com` },
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
      is_supplier: { type: 'boolean', gen: (c) => c.rng.chance(0.12) },
      created_at: { type: 'timestamptz', gen: (c) => (c.rng.chance(0.75) ? c.t.between(date('2021-06-01'), START) : c.t.between(START, REF_MS - 45 * DAY)) },
    },
    embed: { text: (r) => `${r.name} (${r.state}), ${r.credit_rating}-rated wholesale client` },
  },
  client_contacts: {
    per: { parent: 'clients', count: (c) => c.rng.int(1, 3) },
    columns: {
      id: { type: 'bigint' },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      first: { type: 'text', virtual: true, gen: (c) => c.faker.person.firstName() },
      last: { type: 'text', virtual: true, gen: (c) => c.faker.person.lastName() },
      name: { type: 'text', gen: (c) => `${c.row.first} ${c.row.last}` },
      role: { type: { enum: ['buyer', 'accounts_payable', 'owner', 'store_manager'] }, gen: (c) => (c.k === 0 ? 'buyer' : c.k === 1 ? 'accounts_payable' : c.rng.pick(['owner', 'store_manager'])) },
      email: { type: 'text', unique: true, gen: (c) => `${slug(c.row.first)}.${slug(c.row.last)}${c.i + 1}@${domainOf(c.parent.email)}` },
      phone: { type: 'text', gen: (c) => c.faker.phone.number({ style: 'national' }) },
      is_primary: { type: 'boolean', gen: (c) => c.k === 0 },
    },
  },
  client_addresses: {
    per: { parent: 'clients', count: (c) => c.rng.weighted([[1, 55], [2, 35], [3, 10]]) },
    description: 'Billing address first, then ship-to locations (multi-location retailers have several).',
    columns: {
      id: { type: 'bigint' },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      kind: { type: { enum: ['billing', 'shipping'] }, gen: (c) => (c.k === 0 && c.n > 1 ? 'billing' : 'shipping') },
      line1: { type: 'text', gen: (c) => (c.k === 0 ? c.parent.address : c.faker.location.streetAddress()) },
      city: { type: 'text', gen: (c) => (c.k === 0 ? c.parent.city : c.faker.location.city()) },
      state: { type: 'text', gen: (c) => c.parent.state },
      postal_code: { type: 'text', gen: (c) => c.faker.location.zipCode('#####') },
      is_default: { type: 'boolean', gen: (c) => c.k === c.n - 1 || (c.n === 1) },
    },
  },
  client_tags: {
    junction: { parent: 'clients', target: 'tags', count: (c) => c.rng.weighted([[0, 50], [1, 35], [2, 15]]) },
    primaryKey: ['client_id', 'tag_id'],
    columns: {
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      tag_id: { type: 'bigint', references: 'tags', gen: (c) => c.partner + 1 },
    },
  },
  vendors: {
    rows: 60,
    description: 'Suppliers; most deliver on consignment (paid when the goods sell), the others are billed on receipt.',
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', gen: (c) => `${c.faker.company.name()} ${c.rng.pick(['Cultivation', 'Farms', 'Extracts', 'Growers', 'Supply', 'Botanicals'])}` },
      license_number: { type: 'text', unique: true, gen: (c) => `V${c.rng.int(9, 12)}-${String(500_000 + c.i).padStart(7, '0')}-LIC` },
      email: { type: 'text', unique: true, gen: (c) => `orders${c.i + 1}@${slug(c.row.name).slice(0, 24)}.example.com` },
      phone: { type: 'text', gen: (c) => c.faker.phone.number({ style: 'national' }) },
      state: { type: 'text', gen: (c) => c.rng.weighted(STATES) },
      is_consignment: { type: 'boolean', gen: (c) => vendorRank(c, c.i) % 10 !== 6 },
      payment_terms_days: { type: 'int', check: 'payment_terms_days IN (15, 30, 45, 60)', gen: (c) => c.rng.weighted([[30, 60], [45, 20], [60, 10], [15, 10]]) },
      buyer_id: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'warehouse', 'manager') },
      rating: { type: 'smallint', check: 'rating BETWEEN 1 AND 5', gen: (c) => c.rng.weighted([[5, 30], [4, 40], [3, 20], [2, 7], [1, 3]]) },
      created_at: { type: 'timestamptz', gen: (c) => c.t.between(date('2021-03-01'), date('2023-09-01')) },
    },
  },
  vendor_contacts: {
    per: { parent: 'vendors', count: (c) => c.rng.int(1, 2) },
    columns: {
      id: { type: 'bigint' },
      vendor_id: { type: 'bigint', references: 'vendors', gen: (c) => c.parentIndex + 1 },
      first: { type: 'text', virtual: true, gen: (c) => c.faker.person.firstName() },
      last: { type: 'text', virtual: true, gen: (c) => c.faker.person.lastName() },
      name: { type: 'text', gen: (c) => `${c.row.first} ${c.row.last}` },
      role: { type: { enum: ['sales', 'billing', 'logistics'] }, gen: (c) => (c.k === 0 ? 'sales' : c.rng.pick(['billing', 'logistics'])) },
      email: { type: 'text', unique: true, gen: (c) => `${slug(c.row.first)}.${slug(c.row.last)}${c.i + 1}@${domainOf(c.parent.email)}` },
      phone: { type: 'text', gen: (c) => c.faker.phone.number({ style: 'national' }) },
    },
  },
  consignment_agreements: {
    per: { parent: 'vendors', count: (c) => (c.parent.is_consignment ? 1 : 0) },
    description: 'Consignment terms: goods stay the vendor’s until sold; sold goods are settled monthly at the agreed cost.',
    columns: {
      id: { type: 'bigint' },
      vendor_id: { type: 'bigint', unique: true, references: 'vendors', gen: (c) => c.parentIndex + 1 },
      settlement: { type: { enum: ['monthly'] }, gen: () => 'monthly' },
      settlement_day: { type: 'smallint', gen: () => 10 },
      return_unsold_after_days: { type: 'int', gen: (c) => c.rng.pick([180, 270, 365]) },
      signed_at: { type: 'timestamptz', gen: (c) => c.t.after(c.parent.created_at, 60 * DAY, DAY) },
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
      lineage: { type: 'text', nullable: true, gen: (c) => (c.rng.chance(0.3) ? null : `${c.rng.pick(['OG Kush', 'Durban Poison', 'Chemdawg', 'Skunk #1', 'Blueberry', 'Haze'])} x ${c.rng.pick(['Gelato', 'Zkittlez', 'Sherbet', 'GSC', 'Wedding Cake', 'Sour Diesel'])}`) },
      created_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'manager', 'admin') },
    },
  },
  products: {
    rows: 400,
    description: 'Sellable SKUs from one vendor each; cost and list price in USD (price changes in price_history).',
    checks: ['list_price >= unit_cost'],
    columns: {
      id: { type: 'bigint' },
      category: { type: 'int', virtual: true, gen: (c) => c.rng.weighted(CATEGORIES.map((k, j) => [j, k.weight] as const)) },
      sku: { type: 'text', unique: true, gen: (c) => `${CATEGORIES[c.row.category]!.name.slice(0, 3).toUpperCase()}-${String(c.i + 1).padStart(6, '0')}` },
      brand_id: { type: 'bigint', references: 'brands', gen: (c) => c.ref('brands', { dist: 'zipf' }) },
      vendor_id: { type: 'bigint', references: 'vendors', gen: (c) => productVendor(c, c.i) + 1 },
      category_id: { type: 'bigint', references: 'categories', gen: (c) => c.row.category + 1 },
      subcategory_id: {
        type: 'bigint',
        references: 'subcategories',
        gen: (c) => { const k = c.row.category; return c.groupStart('subcategories', k) + c.rng.int(0, SUBCATEGORIES[k]!.length - 1) + 1; },
      },
      strain_id: { type: 'bigint', nullable: true, references: 'strains', gen: (c) => (CATEGORIES[c.row.category]!.strain ? c.ref('strains', { dist: 'zipf' }) : null) },
      grade_id: { type: 'bigint', nullable: true, references: 'grades', gen: (c) => (c.row.strain_id === null ? null : c.rng.weighted([[1, 10], [2, 30], [3, 35], [4, 18], [5, 7]])) },
      name: {
        type: 'text',
        gen: (c) => {
          const cat = CATEGORIES[c.row.category]!;
          const strain = c.row.strain_id === null ? c.faker.commerce.productAdjective() : c.lookup('strains', c.row.strain_id - 1).name.replace(/ #\d+$/, '');
          return `${strain} ${cat.name}${cat.unit === 'lb' ? ' (1 lb)' : ` (case of ${c.rng.pick([12, 24, 48, 50, 100])})`}`;
        },
      },
      unit: { type: 'text', gen: (c) => CATEGORIES[c.row.category]!.unit },
      unit_id: { type: 'bigint', references: 'units_of_measure', gen: (c) => UNITS.findIndex((u) => u.code === c.row.unit) + 1 },
      cost_cents: { type: 'bigint', virtual: true, gen: (c) => Math.round(c.rng.lognormal(Math.log(CATEGORIES[c.row.category]!.cost), 0.25) * (c.row.grade_id === null ? 1 : GRADES[c.row.grade_id - 1]!.factor) * 100) },
      unit_cost: { type: 'numeric(12,2)', gen: (c) => money(c.row.cost_cents) },
      launch_cents: { type: 'bigint', virtual: true, gen: (c) => Math.round(c.row.cost_cents * c.rng.uniform(1.35, 1.8)) },
      created_at: { type: 'timestamptz', gen: (c) => c.t.between(date('2022-06-01'), START - 75 * DAY) },
      list_price: { type: 'numeric(12,2)', gen: (c) => money(priceTimeline(c, c.i, c.row.launch_cents, ms(c.row.created_at)).at(-1)!.cents) },
      is_active: { type: 'boolean', gen: (c) => c.rng.chance(0.93) },
    },
    embed: { text: (r) => `${r.name} — ${r.sku}`, metadata: (r) => ({ sku: r.sku, category_id: r.category_id }) },
  },
  price_history: {
    per: { parent: 'products', count: (c) => productFacts(c, c.parentIndex).prices.length },
    uniques: [['product_id', 'valid_from']],
    description: 'List price of a product from a date on; the latest is products.list_price.',
    columns: {
      id: { type: 'bigint' },
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.parentIndex + 1 },
      list_price: { type: 'numeric(12,2)', gen: (c) => money(productFacts(c, c.parentIndex).prices[c.k]!.cents) },
      previous_price: { type: 'numeric(12,2)', nullable: true, gen: (c) => (c.k === 0 ? null : money(productFacts(c, c.parentIndex).prices[c.k - 1]!.cents)) },
      valid_from: { type: 'timestamptz', gen: (c) => new Date(productFacts(c, c.parentIndex).prices[c.k]!.from) },
      valid_to: { type: 'timestamptz', nullable: true, gen: (c) => { const next = productFacts(c, c.parentIndex).prices[c.k + 1]; return next ? new Date(next.from) : null; } },
      changed_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'manager', 'admin') },
    },
  },
  product_synonyms: {
    per: { parent: 'products', count: (c) => c.rng.int(1, 3) },
    uniques: [['product_id', 'synonym']],
    description: 'Search aliases: initials, run-together spelling, the SKU without dashes.',
    columns: {
      id: { type: 'bigint' },
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.parentIndex + 1 },
      synonym: {
        type: 'text',
        gen: (c) => {
          const name = c.parent.name.replace(/ \(.*\)$/, '');
          const words = name.split(' ');
          const forms = [words.map((w) => w.charAt(0)).join('').toUpperCase(), slug(name), c.parent.sku.replace('-', '').toLowerCase()];
          return forms[c.k]!;
        },
      },
      kind: { type: { enum: ['initials', 'spelling', 'sku'] }, gen: (c) => (['initials', 'spelling', 'sku'] as const)[c.k]! },
    },
  },
  product_media: {
    per: { parent: 'products', count: (c) => c.rng.int(1, 4) },
    uniques: [['product_id', 'position']],
    columns: {
      id: { type: 'bigint' },
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.parentIndex + 1 },
      kind: { type: { enum: ['photo', 'label', 'lifestyle', 'coa'] }, gen: (c) => (c.k === 0 ? 'photo' : c.rng.pick(['photo', 'label', 'lifestyle', 'coa'])) },
      url: { type: 'text', unique: true, gen: (c) => `https://cdn.example.com/products/${c.parent.sku.toLowerCase()}/${c.k + 1}.${c.row.kind === 'coa' ? 'pdf' : 'jpg'}` },
      position: { type: 'smallint', gen: (c) => c.k + 1 },
      is_primary: { type: 'boolean', gen: (c) => c.k === 0 },
      alt_text: { type: 'text', gen: (c) => `${c.parent.name}, ${c.row.kind}` },
    },
  },
  product_tags: {
    junction: { parent: 'products', target: 'tags', count: (c) => c.rng.weighted([[0, 35], [1, 35], [2, 20], [3, 10]]) },
    primaryKey: ['product_id', 'tag_id'],
    columns: {
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.parentIndex + 1 },
      tag_id: { type: 'bigint', references: 'tags', gen: (c) => c.partner + 1 },
    },
  },
  client_pricing_overrides: {
    junction: { parent: 'clients', target: 'products', count: (c) => (c.rng.chance(0.7) ? 0 : c.rng.int(1, 4)) },
    primaryKey: ['client_id', 'product_id'],
    description: 'Negotiated prices of a product for one client, from a date on.',
    columns: {
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.partner + 1 },
      cents: { type: 'bigint', virtual: true, gen: (c) => Math.round(productFacts(c, c.partner).prices[0]!.cents * c.rng.uniform(0.78, 0.95)) },
      price: { type: 'numeric(12,2)', gen: (c) => money(c.row.cents) },
      valid_from: { type: 'timestamptz', gen: (c) => c.t.between(Math.max(ms(c.parent.created_at), Date.parse('2024-01-01')), REF_MS - 30 * DAY) },
      approved_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'manager', 'admin') },
    },
  },
});
