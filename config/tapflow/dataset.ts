/**
 * tapflow — device analytics for a contactless tap-terminal company: 150 customer accounts in four
 * tiers with exact counts, their locations, devices, users and subscriptions (ids in fixed ranges
 * per entity), and three event streams (taps, page views, feature usage) with daily, weekly and
 * yearly seasonality, each event inside its device's or user's lifetime. Every rule below holds by
 * construction and is also a `validate` check.
 */
import { defineDataset, DAY, MINUTE, type GenContext, type Rng } from '../../src/index.js';

/** Weights for `c.t.seasonal` (hour of day UTC, day of week from Sunday, month from January). */
interface SeasonalOptions {
  hourly?: readonly number[];
  weekly?: readonly number[];
  monthly?: readonly number[];
}

const START = '2020-01-01T00:00:00Z';
const START_MS = Date.parse(START);
const REF = '2025-06-25T00:00:00Z';
const REF_MS = Date.parse(REF);
const YEAR = 365.25 * DAY;

/** Id range [first, last] of each entity; keys are allocated in order from `first`. */
export const ID_RANGES = {
  accounts: [1, 1_000],
  locations: [1_001, 5_000],
  subscriptions: [5_001, 6_000],
  devices: [10_001, 40_000],
  users: [50_001, 60_000],
} as const;
type Entity = keyof typeof ID_RANGES;
const offset = (e: Entity): number => ID_RANGES[e][0] - 1;

type Tier = 'small' | 'medium' | 'large' | 'enterprise';
type Range = readonly [number, number];
/** Per tier: share of accounts and children per parent (inclusive ranges). */
export const TIERS: Readonly<Record<Tier, { share: number; locations: Range; devicesPerLocation: Range; users: Range; plan: string; joinedBy: string }>> = {
  enterprise: { share: 0.02, locations: [50, 100], devicesPerLocation: [30, 100], users: [100, 500], plan: 'enterprise', joinedBy: '2021-07-01T00:00:00Z' },
  large: { share: 0.08, locations: [10, 50], devicesPerLocation: [20, 50], users: [20, 100], plan: 'business', joinedBy: '2022-07-01T00:00:00Z' },
  medium: { share: 0.2, locations: [3, 10], devicesPerLocation: [10, 20], users: [5, 20], plan: 'growth', joinedBy: '2023-07-01T00:00:00Z' },
  small: { share: 0.7, locations: [1, 2], devicesPerLocation: [5, 10], users: [2, 5], plan: 'starter', joinedBy: '2024-12-31T00:00:00Z' },
};
/** Tiers from the top: ranks [0, round(2% n)) are enterprise, the next round(8% n) large, … */
const TIER_ORDER: readonly Tier[] = ['enterprise', 'large', 'medium', 'small'];
const PLAN_BELOW: Readonly<Record<string, string>> = { enterprise: 'business', business: 'growth', growth: 'starter', starter: 'starter' };
const PRICE_PER_DEVICE: Readonly<Record<string, number>> = { starter: 9, growth: 14, business: 19, enterprise: 24 };

/**
 * A deterministic shuffle of account indexes: rank = (i·a + 17) mod n with a coprime to n (a
 * bijection), so tiers by rank ranges have exact counts while tiers are spread over the id range.
 */
const steps = new Map<number, number>();
function rankOf(i: number, n: number): number {
  let a = steps.get(n);
  if (a === undefined) {
    const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
    a = Math.max(1, Math.floor(n * 0.618));
    while (gcd(a, n) !== 1) a++;
    steps.set(n, a);
  }
  return (i * a + 17) % n;
}

function tierOf(rank: number, n: number): Tier {
  let edge = 0;
  for (const t of TIER_ORDER) {
    edge += t === 'small' ? n : Math.round(TIERS[t].share * n);
    if (rank < edge) return t;
  }
  return 'small';
}

/** An integer in [lo, hi] skewed towards lo (mean ≈ lo + 40% of the range). */
const lowSkew = (r: Rng, [lo, hi]: Range): number => Math.min(hi, lo + Math.floor((hi - lo + 1) * Math.pow(r.float(), 1.5)));

/** Poisson count of events for a lifetime of `years` at `perYear`, scaled by the entity's activity. */
const events = (r: Rng, perYear: number, years: number, activity: number): number => r.poisson(Math.max(0, perYear * years * activity));

/** Retail foot traffic (UTC): lunch and early-evening peaks, quiet nights, busy Fridays/Saturdays, a December peak. */
const TAP_SEASON: SeasonalOptions = {
  hourly: [0.05, 0.03, 0.02, 0.02, 0.03, 0.06, 0.15, 0.35, 0.55, 0.65, 0.75, 0.9, 1, 0.95, 0.8, 0.75, 0.8, 0.95, 1, 0.85, 0.6, 0.4, 0.2, 0.1],
  weekly: [0.75, 0.8, 0.85, 0.88, 0.92, 1.1, 1.2],
  monthly: [0.85, 0.85, 0.92, 0.95, 1, 1, 1.02, 1.02, 0.97, 1, 1.1, 1.3],
};
/** The dashboard is used in office hours on weekdays (the default curve), a little less in summer. */
const OFFICE_SEASON: SeasonalOptions = { monthly: [1, 1, 1, 1, 1, 0.95, 0.85, 0.8, 1, 1, 1, 0.9] };

// Weighted choices of the hot event path as ready pairs (no per-row Object.entries).
const TAP_KINDS: readonly (readonly [string, number])[] = [['payment', 62], ['check_in', 15], ['loyalty', 13], ['access', 10]];
const TAP_OUTCOMES: readonly (readonly [string, number])[] = [['success', 93], ['declined', 5], ['error', 2]];
const ROLE_ACTIVITY: Readonly<Record<string, number>> = { owner: 1.2, admin: 1.1, analyst: 1.5, viewer: 0.5 };
const DEVICE_FEATURES = ['firmware_update', 'device_reboot', 'bulk_config', 'geo_fence'] as const;
const FEATURES = [...DEVICE_FEATURES, 'export_report', 'alert_rule', 'dashboard_share', 'api_key'] as const;
const PAGES: readonly (readonly [string, number])[] = [
  ['/dashboard', 30], ['/devices', 14], ['/devices/detail', 12], ['/locations', 8], ['/reports/taps', 10], ['/reports/revenue', 7],
  ['/alerts', 6], ['/users', 3], ['/settings/billing', 2], ['/settings/integrations', 2], ['/help', 3], ['/firmware', 3],
];
const TIMEZONES: Readonly<Record<string, string>> = {
  US: 'America/New_York', GB: 'Europe/London', DE: 'Europe/Berlin', CA: 'America/Toronto', AU: 'Australia/Sydney', FR: 'Europe/Paris', NL: 'Europe/Amsterdam',
};
const MODELS: readonly (readonly [string, number])[] = [['TapPad Mini', 40], ['TapPad Pro', 35], ['Kiosk X2', 15], ['Gate Reader', 10]];
const MODEL_CODE: Readonly<Record<string, string>> = { 'TapPad Mini': 'TM', 'TapPad Pro': 'TP', 'Kiosk X2': 'KX', 'Gate Reader': 'GR' };

const slug = (s: string): string => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '');
const ms = (v: unknown): number => (v as Date).getTime();
const at = (t: number): Date => new Date(t);

/**
 * Global index range [first, end) of an account's devices: its locations are one contiguous group
 * and their devices are contiguous too. Memoised per run (one entry per account).
 */
const deviceRanges = new WeakMap<object, Map<number, readonly [number, number]>>();
function devicesOf(c: GenContext, account: number): readonly [number, number] {
  let m = deviceRanges.get(c.params);
  if (!m) deviceRanges.set(c.params, (m = new Map()));
  let r = m.get(account);
  if (!r) {
    const l0 = c.groupStart('locations', account);
    const l1 = c.groupStart('locations', account + 1);
    r = [c.groupStart('devices', l0), c.groupStart('devices', l1)] as const;
    m.set(account, r);
  }
  return r;
}

/** End of a device's life: retirement, else the reference date. */
const deviceEnd = (d: Record<string, unknown>): number => (d.retired_at ? ms(d.retired_at) : REF_MS);

interface Use {
  feature: string;
  device: number | null;
  lo: number;
  hi: number;
}

/** A feature use: device features on one of the account's devices that was live after the user signed up. */
function featureUse(c: GenContext): Use {
  const signup = ms(c.parent.signed_up_at);
  const feature = c.rng.pick(FEATURES);
  if (!(DEVICE_FEATURES as readonly string[]).includes(feature)) return { feature, device: null, lo: signup, hi: REF_MS };
  const [d0, d1] = devicesOf(c, (c.parent.account_id as number) - 1 - offset('accounts'));
  for (let attempt = 0; attempt < 4; attempt++) {
    const idx = c.rng.int(d0, d1 - 1);
    const d = c.lookup('devices', idx);
    const lo = Math.max(signup, ms(d.installed_at));
    const hi = deviceEnd(d);
    if (hi - lo > MINUTE) return { feature, device: d.id as number, lo, hi };
  }
  return { feature: 'export_report', device: null, lo: signup, hi: REF_MS };
}

export default defineDataset({
  name: 'tapflow',
  description: 'Tap-terminal analytics: accounts in four tiers, locations, devices, users, subscriptions, and tap, page-view and feature-usage event streams.',
  seed: 42,
  refDate: REF,
  params: { tapsPerDeviceYear: 20, pageViewsPerUserYear: 60, featureUsesPerUserYear: 25 },
  profiles: {
    light: { params: { tapsPerDeviceYear: 0.8, pageViewsPerUserYear: 4, featureUsesPerUserYear: 2 } },
    medium: { params: { tapsPerDeviceYear: 20, pageViewsPerUserYear: 60, featureUsesPerUserYear: 25 } },
    heavy: { params: { tapsPerDeviceYear: 180, pageViewsPerUserYear: 400, featureUsesPerUserYear: 150 } },
  },
  tables: {
    accounts: {
      rows: 150,
      keyOffset: offset('accounts'),
      description: 'Customer accounts; tiers by a deterministic shuffle: 70% small, 20% medium, 8% large, 2% enterprise, exactly.',
      columns: {
        id: { type: 'bigint' },
        rank: { type: 'int', virtual: true, gen: (c) => rankOf(c.i, c.n) },
        tier: { type: { enum: ['small', 'medium', 'large', 'enterprise'] }, gen: (c) => tierOf(c.row.rank as number, c.n) },
        name: { type: 'text', gen: (c) => c.faker.company.name() },
        slug: { type: 'text', unique: true, gen: (c) => `${slug(c.row.name as string).slice(0, 40)}-${offset('accounts') + c.i + 1}` },
        industry: {
          type: { enum: ['retail', 'hospitality', 'fitness', 'transit', 'healthcare', 'education', 'events', 'parking'] },
          gen: (c) => c.rng.weighted({ retail: 30, hospitality: 20, fitness: 12, transit: 8, healthcare: 8, education: 8, events: 7, parking: 7 }),
        },
        country: { type: 'varchar(2)', gen: (c) => c.rng.weighted({ US: 45, GB: 15, DE: 10, CA: 10, AU: 8, FR: 7, NL: 5 }) },
        created_at: { type: 'timestamptz', gen: (c) => c.t.businessHours(c.t.between(START_MS, Date.parse(TIERS[c.row.tier as Tier].joinedBy))) },
        // When accounts with a subscription history moved to their current plan.
        upgraded_at: { type: 'bigint', virtual: true, gen: (c) => c.t.between(ms(c.row.created_at) + 60 * DAY, REF_MS - 30 * DAY).getTime() },
      },
    },
    locations: {
      per: { parent: 'accounts', count: (c) => lowSkew(c.rng, TIERS[c.parent.tier as Tier].locations) },
      keyOffset: offset('locations'),
      columns: {
        id: { type: 'bigint' },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.key('accounts', c.parentIndex) },
        tier: { type: 'text', virtual: true, gen: (c) => c.parent.tier },
        city: { type: 'text', gen: (c) => c.faker.location.city() },
        name: { type: 'text', gen: (c) => `${c.row.city} ${c.rng.pick(['Downtown', 'Mall', 'Airport', 'Central', 'North', 'Station', 'Campus', 'Harbour'])}` },
        country: { type: 'varchar(2)', gen: (c) => c.parent.country },
        timezone: { type: 'text', gen: (c) => TIMEZONES[c.parent.country as string]! },
        opened_at: {
          type: 'timestamptz',
          gen: (c) => { const from = ms(c.parent.created_at); return c.t.between(from, Math.min(from + 540 * DAY, REF_MS - 90 * DAY)); },
        },
      },
    },
    devices: {
      per: { parent: 'locations', count: (c) => lowSkew(c.rng, TIERS[c.parent.tier as Tier].devicesPerLocation) },
      keyOffset: offset('devices'),
      columns: {
        id: { type: 'bigint' },
        location_id: { type: 'bigint', references: 'locations', gen: (c) => c.key('locations', c.parentIndex) },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.parent.account_id },
        model: { type: { enum: MODELS.map((m) => m[0]) }, gen: (c) => c.rng.weighted(MODELS) },
        serial: { type: 'text', unique: true, gen: (c) => `${MODEL_CODE[c.row.model as string]}-${String(offset('devices') + c.i + 1).padStart(7, '0')}` },
        firmware: { type: 'text', gen: (c) => c.rng.weighted([['3.4.2', 10], ['3.5.0', 15], ['4.0.1', 30], ['4.1.3', 45]]) },
        activity: { type: 'double precision', virtual: true, gen: (c) => c.rng.lognormal(-0.125, 0.5) },
        installed_at: {
          type: 'timestamptz',
          gen: (c) => { const from = ms(c.parent.opened_at); return c.t.between(from, Math.min(from + 720 * DAY, REF_MS - DAY)); },
        },
        retired_at: {
          type: 'timestamptz',
          nullable: true,
          gen: (c) => { const from = ms(c.row.installed_at) + 30 * DAY; return from < REF_MS - DAY && c.rng.chance(0.03) ? c.t.between(from, REF_MS - DAY) : null; },
        },
        status: { type: { enum: ['active', 'offline', 'retired'] }, gen: (c) => (c.row.retired_at ? 'retired' : c.rng.chance(0.04) ? 'offline' : 'active') },
      },
    },
    users: {
      per: { parent: 'accounts', count: (c) => c.rng.int(...TIERS[c.parent.tier as Tier].users) },
      keyOffset: offset('users'),
      columns: {
        id: { type: 'bigint' },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.key('accounts', c.parentIndex) },
        first_name: { type: 'text', virtual: true, gen: (c) => c.faker.person.firstName() },
        last_name: { type: 'text', virtual: true, gen: (c) => c.faker.person.lastName() },
        email: { type: 'text', unique: true, gen: (c) => `${slug(c.row.first_name as string)}.${slug(c.row.last_name as string)}.${offset('users') + c.i + 1}@example.com` },
        full_name: { type: 'text', gen: (c) => `${c.row.first_name} ${c.row.last_name}` },
        role: { type: { enum: ['owner', 'admin', 'analyst', 'viewer'] }, gen: (c) => (c.k === 0 ? 'owner' : c.rng.weighted({ admin: 15, analyst: 35, viewer: 50 })) },
        activity: { type: 'double precision', virtual: true, gen: (c) => c.rng.lognormal(-0.125, 0.5) * ROLE_ACTIVITY[c.row.role as string]! },
        // The account owner signs up with the account; colleagues join over its lifetime.
        signed_up_at: {
          type: 'timestamptz',
          gen: (c) => { const from = ms(c.parent.created_at); return c.k === 0 ? at(from + c.rng.int(1, 60) * MINUTE) : c.t.between(from, REF_MS - DAY); },
        },
      },
    },
    subscriptions: {
      // Every account has its current subscription; 20% (rank ≡ 4 mod 5) also an earlier, smaller plan.
      per: { parent: 'accounts', count: (c) => ((c.parent.rank as number) % 5 === 4 ? 2 : 1) },
      keyOffset: offset('subscriptions'),
      columns: {
        id: { type: 'bigint' },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.key('accounts', c.parentIndex) },
        current: { type: 'boolean', virtual: true, gen: (c) => c.k === c.n - 1 },
        plan: {
          type: { enum: ['starter', 'growth', 'business', 'enterprise'] },
          gen: (c) => { const p = TIERS[c.parent.tier as Tier].plan; return c.row.current ? p : PLAN_BELOW[p]!; },
        },
        status: { type: { enum: ['active', 'ended'] }, gen: (c) => (c.row.current ? 'active' : 'ended') },
        // The terminal the licence is registered to: one of the account's devices.
        device_id: {
          type: 'bigint',
          references: 'devices',
          gen: (c) => { const [d0, d1] = devicesOf(c, c.parentIndex); return c.key('devices', c.rng.int(d0, d1 - 1)); },
        },
        seats: {
          type: 'int',
          gen: (c) => { const [d0, d1] = devicesOf(c, c.parentIndex); return c.row.current ? d1 - d0 : Math.max(1, Math.round((d1 - d0) * 0.6)); },
        },
        monthly_price: { type: 'numeric(10,2)', gen: (c) => (c.row.seats as number) * PRICE_PER_DEVICE[c.row.plan as string]! },
        started_at: { type: 'timestamptz', gen: (c) => (c.k === 0 ? c.parent.created_at : at(c.parent.upgraded_at as number)) },
        ended_at: { type: 'timestamptz', nullable: true, gen: (c) => (c.row.current ? null : at(c.parent.upgraded_at as number)) },
      },
    },
    tap_events: {
      per: {
        parent: 'devices',
        count: (c) => events(c.rng, c.params.tapsPerDeviceYear as number, (deviceEnd(c.parent) - ms(c.parent.installed_at)) / YEAR, c.parent.activity as number),
      },
      description: 'Taps on a terminal between its installation and retirement (or the reference date).',
      columns: {
        id: { type: 'bigint' },
        device_id: { type: 'bigint', references: 'devices', gen: (c) => c.parent.id },
        location_id: { type: 'bigint', references: 'locations', gen: (c) => c.parent.location_id },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.parent.account_id },
        tapped_at: { type: 'timestamptz', gen: (c) => c.t.seasonal(ms(c.parent.installed_at), deviceEnd(c.parent), TAP_SEASON) },
        kind: { type: { enum: TAP_KINDS.map((k) => k[0]) }, gen: (c) => c.rng.weighted(TAP_KINDS) },
        outcome: { type: { enum: TAP_OUTCOMES.map((k) => k[0]) }, gen: (c) => c.rng.weighted(TAP_OUTCOMES) },
        response_ms: { type: 'int', gen: (c) => Math.round(c.rng.lognormal(5.2, 0.35) * (c.row.outcome === 'error' ? 4 : 1)) },
        amount_cents: { type: 'int', nullable: true, gen: (c) => (c.row.kind === 'payment' ? Math.max(50, Math.round(c.rng.lognormal(7, 0.8))) : null) },
      },
    },
    page_views: {
      per: {
        parent: 'users',
        count: (c) => events(c.rng, c.params.pageViewsPerUserYear as number, (REF_MS - ms(c.parent.signed_up_at)) / YEAR, c.parent.activity as number),
      },
      description: 'Dashboard page views of a user after sign-up.',
      columns: {
        id: { type: 'bigint' },
        user_id: { type: 'bigint', references: 'users', gen: (c) => c.parent.id },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.parent.account_id },
        path: { type: 'text', gen: (c) => c.rng.weighted(PAGES) },
        viewed_at: { type: 'timestamptz', gen: (c) => c.t.seasonal(ms(c.parent.signed_up_at), REF_MS, OFFICE_SEASON) },
        duration_ms: { type: 'int', gen: (c) => Math.min(3_600_000, Math.round(c.rng.lognormal(9.6, 1))) },
      },
    },
    feature_usage: {
      per: {
        parent: 'users',
        count: (c) => events(c.rng, c.params.featureUsesPerUserYear as number, (REF_MS - ms(c.parent.signed_up_at)) / YEAR, c.parent.activity as number),
      },
      description: 'Feature uses of a user after sign-up; device features act on a device of the account that was live then.',
      columns: {
        id: { type: 'bigint' },
        user_id: { type: 'bigint', references: 'users', gen: (c) => c.parent.id },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.parent.account_id },
        use: { type: 'jsonb', virtual: true, gen: featureUse },
        feature: { type: { enum: [...FEATURES] }, gen: (c) => (c.row.use as Use).feature },
        device_id: { type: 'bigint', nullable: true, references: 'devices', gen: (c) => (c.row.use as Use).device },
        used_at: { type: 'timestamptz', gen: (c) => { const u = c.row.use as Use; return c.t.seasonal(u.lo, u.hi, OFFICE_SEASON); } },
        duration_ms: { type: 'int', gen: (c) => Math.round(c.rng.lognormal(8.5, 1.1)) },
      },
    },
  },
  checks: [
    // Tiers
    {
      name: 'tier_counts_exact',
      sql: `WITH n AS (SELECT count(*)::numeric AS n FROM accounts),
        want AS (SELECT 'enterprise' AS tier, round(n * 0.02) AS k FROM n UNION ALL SELECT 'large', round(n * 0.08) FROM n UNION ALL SELECT 'medium', round(n * 0.2) FROM n
                 UNION ALL SELECT 'small', n - round(n * 0.02) - round(n * 0.08) - round(n * 0.2) FROM n)
        SELECT w.tier, w.k AS expected, count(a.id) AS actual FROM want w LEFT JOIN accounts a ON a.tier::text = w.tier GROUP BY w.tier, w.k HAVING count(a.id) <> w.k`,
      description: 'Exactly 70% small, 20% medium, 8% large and 2% enterprise accounts (105/30/12/3 of 150).',
    },
    {
      name: 'locations_per_account_by_tier',
      sql: `SELECT a.id, a.tier, count(l.id) AS locations FROM accounts a LEFT JOIN locations l ON l.account_id = a.id GROUP BY a.id, a.tier
        HAVING count(l.id) NOT BETWEEN (CASE a.tier WHEN 'small' THEN 1 WHEN 'medium' THEN 3 WHEN 'large' THEN 10 ELSE 50 END)
                                   AND (CASE a.tier WHEN 'small' THEN 2 WHEN 'medium' THEN 10 WHEN 'large' THEN 50 ELSE 100 END)`,
    },
    {
      name: 'devices_per_location_by_tier',
      sql: `SELECT l.id, a.tier, count(d.id) AS devices FROM locations l JOIN accounts a ON a.id = l.account_id LEFT JOIN devices d ON d.location_id = l.id GROUP BY l.id, a.tier
        HAVING count(d.id) NOT BETWEEN (CASE a.tier WHEN 'small' THEN 5 WHEN 'medium' THEN 10 WHEN 'large' THEN 20 ELSE 30 END)
                                   AND (CASE a.tier WHEN 'small' THEN 10 WHEN 'medium' THEN 20 WHEN 'large' THEN 50 ELSE 100 END)`,
    },
    {
      name: 'users_per_account_by_tier',
      sql: `SELECT a.id, a.tier, count(u.id) AS users FROM accounts a LEFT JOIN users u ON u.account_id = a.id GROUP BY a.id, a.tier
        HAVING count(u.id) NOT BETWEEN (CASE a.tier WHEN 'small' THEN 2 WHEN 'medium' THEN 5 WHEN 'large' THEN 20 ELSE 100 END)
                                   AND (CASE a.tier WHEN 'small' THEN 5 WHEN 'medium' THEN 20 WHEN 'large' THEN 100 ELSE 500 END)`,
    },
    // Id ranges
    ...(Object.entries(ID_RANGES) as [Entity, readonly [number, number]][]).map(([t, [lo, hi]]) => ({
      name: `${t}_ids_in_range`,
      sql: `SELECT id FROM ${t} WHERE id NOT BETWEEN ${lo} AND ${hi}`,
      description: `${t} ids are allocated inside ${lo}–${hi}.`,
    })),
    // Entities
    { name: 'device_location_exists', sql: `SELECT d.id FROM devices d LEFT JOIN locations l ON l.id = d.location_id WHERE l.id IS NULL` },
    { name: 'device_account_matches_location', sql: `SELECT d.id FROM devices d JOIN locations l ON l.id = d.location_id WHERE l.account_id <> d.account_id` },
    { name: 'location_opened_after_account_created', sql: `SELECT l.id FROM locations l JOIN accounts a ON a.id = l.account_id WHERE l.opened_at < a.created_at` },
    {
      name: 'device_installed_while_location_open',
      sql: `SELECT d.id FROM devices d JOIN locations l ON l.id = d.location_id WHERE d.installed_at < l.opened_at OR d.installed_at >= TIMESTAMPTZ '${REF}' OR d.retired_at <= d.installed_at OR (d.status = 'retired') <> (d.retired_at IS NOT NULL)`,
    },
    { name: 'user_signed_up_after_account_created', sql: `SELECT u.id FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.signed_up_at < a.created_at OR u.signed_up_at >= TIMESTAMPTZ '${REF}'` },
    { name: 'one_owner_per_account', sql: `SELECT a.id FROM accounts a WHERE (SELECT count(*) FROM users u WHERE u.account_id = a.id AND u.role = 'owner') <> 1` },
    { name: 'accounts_within_time_range', sql: `SELECT id FROM accounts WHERE created_at < TIMESTAMPTZ '${START}' OR created_at >= TIMESTAMPTZ '${REF}'` },
    // Subscriptions
    { name: 'one_active_subscription_per_account', sql: `SELECT a.id FROM accounts a WHERE (SELECT count(*) FROM subscriptions s WHERE s.account_id = a.id AND s.status = 'active' AND s.ended_at IS NULL) <> 1` },
    { name: 'subscription_device_of_account', sql: `SELECT s.id FROM subscriptions s JOIN devices d ON d.id = s.device_id WHERE d.account_id <> s.account_id` },
    {
      name: 'subscription_history_consistent',
      sql: `SELECT s.id FROM subscriptions s JOIN accounts a ON a.id = s.account_id WHERE s.started_at < a.created_at OR s.ended_at < s.started_at
        OR EXISTS (SELECT 1 FROM subscriptions o WHERE o.account_id = s.account_id AND o.id <> s.id AND o.started_at < coalesce(s.ended_at, 'infinity') AND s.started_at < coalesce(o.ended_at, 'infinity'))`,
      description: 'Subscriptions start after the account was created and never overlap.',
    },
    { name: 'subscriptions_one_or_two_per_account', sql: `SELECT a.id FROM accounts a WHERE (SELECT count(*) FROM subscriptions s WHERE s.account_id = a.id) NOT BETWEEN 1 AND 2` },
    // Event streams
    {
      name: 'tap_during_device_life',
      sql: `SELECT t.id FROM tap_events t JOIN devices d ON d.id = t.device_id WHERE t.tapped_at < d.installed_at OR t.tapped_at >= coalesce(d.retired_at, TIMESTAMPTZ '${REF}') OR t.location_id <> d.location_id OR t.account_id <> d.account_id`,
      description: 'A device taps only after it was installed and before it was retired, at its own location and account.',
    },
    {
      name: 'page_view_after_sign_up',
      sql: `SELECT p.id FROM page_views p JOIN users u ON u.id = p.user_id WHERE p.viewed_at < u.signed_up_at OR p.viewed_at >= TIMESTAMPTZ '${REF}' OR p.account_id <> u.account_id`,
    },
    {
      name: 'feature_use_after_sign_up_on_live_device',
      sql: `SELECT f.id FROM feature_usage f JOIN users u ON u.id = f.user_id LEFT JOIN devices d ON d.id = f.device_id
        WHERE f.used_at < u.signed_up_at OR f.used_at >= TIMESTAMPTZ '${REF}' OR f.account_id <> u.account_id
           OR (d.id IS NOT NULL AND (d.account_id <> f.account_id OR f.used_at < d.installed_at OR f.used_at >= coalesce(d.retired_at, TIMESTAMPTZ '${REF}')))
           OR ((f.device_id IS NOT NULL) <> (f.feature IN ('firmware_update', 'device_reboot', 'bulk_config', 'geo_fence')))`,
    },
  ],
});
