/**
 * The tapflow model: tiers, id ranges, seasonality curves, catalogs and the helpers that tables
 * share (an account's devices, its licensed terminal, feature uses, login passwords).
 */
import { DAY, MINUTE, type GenContext, type Rng, type TypedCountContext, type TypedGenContext } from '../../src/index.js';
import { parseLogins } from '../shared/logins.js';
import { hashPassword, makeSalt } from '../shared/password.js';

/** Weights for `c.t.seasonal` (hour of day UTC, day of week from Sunday, month from January). */
export interface SeasonalOptions {
  hourly?: readonly number[];
  weekly?: readonly number[];
  monthly?: readonly number[];
}

export const START = '2020-01-01T00:00:00Z';
export const START_MS = Date.parse(START);
export const REF = '2025-06-25T00:00:00Z';
export const REF_MS = Date.parse(REF);
export const YEAR = 365.25 * DAY;

/**
 * Id range [first, last] of each entity, as the data-generation runbook reserves them (devices
 * 1–30,000 referencing locations 1–1,000, users 1–6,000, subscriptions 1–200): every entity has its
 * own sequence from 1, keys are allocated in order.
 */
export const ID_RANGES = {
  accounts: [1, 1_000],
  locations: [1, 1_000],
  subscriptions: [1, 200],
  devices: [1, 30_000],
  users: [1, 6_000],
} as const;
export type Entity = keyof typeof ID_RANGES;

export type Tier = 'small' | 'medium' | 'large' | 'enterprise';
export type Range = readonly [number, number];
/** Per tier: share of accounts and children per parent (inclusive ranges). */
export const TIERS: Readonly<Record<Tier, { share: number; locations: Range; devicesPerLocation: Range; users: Range; plan: string; joinedBy: string }>> = {
  enterprise: { share: 0.02, locations: [50, 100], devicesPerLocation: [30, 100], users: [100, 500], plan: 'enterprise', joinedBy: '2021-07-01T00:00:00Z' },
  large: { share: 0.08, locations: [10, 50], devicesPerLocation: [20, 50], users: [20, 100], plan: 'business', joinedBy: '2022-07-01T00:00:00Z' },
  medium: { share: 0.2, locations: [3, 10], devicesPerLocation: [10, 20], users: [5, 20], plan: 'growth', joinedBy: '2023-07-01T00:00:00Z' },
  small: { share: 0.7, locations: [1, 2], devicesPerLocation: [5, 10], users: [2, 5], plan: 'starter', joinedBy: '2024-12-31T00:00:00Z' },
};
/** Tiers from the top: ranks [0, round(2% n)) are enterprise, the next round(8% n) large, … */
export const TIER_ORDER: readonly Tier[] = ['enterprise', 'large', 'medium', 'small'];
export const PLAN_BELOW: Readonly<Record<string, string>> = { enterprise: 'business', business: 'growth', growth: 'starter', starter: 'starter' };
export const PRICE_PER_DEVICE: Readonly<Record<string, number>> = { starter: 9, growth: 14, business: 19, enterprise: 24 };

/**
 * A deterministic shuffle of account indexes: rank = (i·a + 17) mod n with a coprime to n (a
 * bijection), so tiers by rank ranges have exact counts while tiers are spread over the id range.
 */
const steps = new Map<number, number>();
export function rankOf(i: number, n: number): number {
  let a = steps.get(n);
  if (a === undefined) {
    const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
    a = Math.max(1, Math.floor(n * 0.618));
    while (gcd(a, n) !== 1) a++;
    steps.set(n, a);
  }
  return (i * a + 17) % n;
}

export function tierOf(rank: number, n: number): Tier {
  let edge = 0;
  for (const t of TIER_ORDER) {
    edge += t === 'small' ? n : Math.round(TIERS[t].share * n);
    if (rank < edge) return t;
  }
  return 'small';
}

/** An integer in [lo, hi] skewed towards lo (mean ≈ lo + 40% of the range). */
export const lowSkew = (r: Rng, [lo, hi]: Range): number => Math.min(hi, lo + Math.floor((hi - lo + 1) * Math.pow(r.float(), 1.5)));

/** Poisson count of events for a lifetime of `years` at `perYear`, scaled by the entity's activity. */
export const events = (r: Rng, perYear: number, years: number, activity: number): number => r.poisson(Math.max(0, perYear * years * activity));

/** Retail foot traffic (UTC): lunch and early-evening peaks, quiet nights, busy Fridays/Saturdays, a December peak. */
export const TAP_SEASON: SeasonalOptions = {
  hourly: [0.05, 0.03, 0.02, 0.02, 0.03, 0.06, 0.15, 0.35, 0.55, 0.65, 0.75, 0.9, 1, 0.95, 0.8, 0.75, 0.8, 0.95, 1, 0.85, 0.6, 0.4, 0.2, 0.1],
  weekly: [0.75, 0.8, 0.85, 0.88, 0.92, 1.1, 1.2],
  monthly: [0.85, 0.85, 0.92, 0.95, 1, 1, 1.02, 1.02, 0.97, 1, 1.1, 1.3],
};
/** The dashboard is used in office hours on weekdays (the default curve), a little less in summer. */
export const OFFICE_SEASON: SeasonalOptions = { monthly: [1, 1, 1, 1, 1, 0.95, 0.85, 0.8, 1, 1, 1, 0.9] };

// Weighted choices of the hot event path as ready pairs (no per-row Object.entries).
export const TAP_KINDS: readonly (readonly [string, number])[] = [['payment', 62], ['check_in', 15], ['loyalty', 13], ['access', 10]];
export const TAP_OUTCOMES: readonly (readonly [string, number])[] = [['success', 93], ['declined', 5], ['error', 2]];
export const ROLE_ACTIVITY: Readonly<Record<string, number>> = { owner: 1.2, admin: 1.1, analyst: 1.5, viewer: 0.5 };
export const DEVICE_FEATURES = ['firmware_update', 'device_reboot', 'bulk_config', 'geo_fence'] as const;
export const FEATURES = [...DEVICE_FEATURES, 'export_report', 'alert_rule', 'dashboard_share', 'api_key'] as const;
export const PAGES: readonly (readonly [string, number])[] = [
  ['/dashboard', 30], ['/devices', 14], ['/devices/detail', 12], ['/locations', 8], ['/reports/taps', 10], ['/reports/revenue', 7],
  ['/alerts', 6], ['/users', 3], ['/settings/billing', 2], ['/settings/integrations', 2], ['/help', 3], ['/firmware', 3],
];
export const TIMEZONES: Readonly<Record<string, string>> = {
  US: 'America/New_York', GB: 'Europe/London', DE: 'Europe/Berlin', CA: 'America/Toronto', AU: 'Australia/Sydney', FR: 'Europe/Paris', NL: 'Europe/Amsterdam',
};
export const MODELS: readonly (readonly [string, number])[] = [['TapPad Mini', 40], ['TapPad Pro', 35], ['Kiosk X2', 15], ['Gate Reader', 10]];
export const MODEL_CODE: Readonly<Record<string, string>> = { 'TapPad Mini': 'TM', 'TapPad Pro': 'TP', 'Kiosk X2': 'KX', 'Gate Reader': 'GR' };

export const slug = (s: string): string => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '');
export const ms = (v: Date): number => v.getTime();
export const at = (t: number): Date => new Date(t);

/** What the helpers read of a device row. */
interface DeviceRow {
  readonly id: number;
  readonly installed_at: Date;
  readonly retired_at: Date | null;
}
/** The tables the helpers read: locations (grouped under accounts) and their devices. */
interface FleetRows {
  readonly locations: object;
  readonly devices: DeviceRow;
}
type Fleet = TypedCountContext<FleetRows>;

/**
 * Global index range [first, end) of an account's devices: its locations are one contiguous group
 * and their devices are contiguous too. Memoised per run (one entry per account).
 */
export function devicesOf(c: Fleet, account: number): readonly [number, number] {
  const m = c.memo('tapflow:devices', () => new Map<number, readonly [number, number]>());
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
export const deviceEnd = (d: { readonly retired_at: Date | null }): number => (d.retired_at ? ms(d.retired_at) : REF_MS);

/**
 * The terminal an account's subscriptions are licensed to: its first-installed device that is never
 * retired (index and installation time), so every subscription starts on or after that device went
 * live and none sits on a retired one. One scan of the account's devices, once per run.
 */
export function licensedDevice(c: Fleet, account: number): { index: number; installed: number } {
  const all = c.memo('tapflow:licensed', () => new Map<number, { index: number; installed: number }>());
  let hit = all.get(account);
  if (!hit) {
    const [d0, d1] = devicesOf(c, account);
    let best = { index: d0, installed: Infinity };
    for (let j = d0; j < d1; j++) {
      const d = c.lookup('devices', j);
      const t = ms(d.installed_at);
      if (!d.retired_at && t < best.installed) best = { index: j, installed: t };
    }
    // An account whose every device was retired keeps its earliest one (never happens at 3% retirement).
    if (best.installed === Infinity) best = { index: d0, installed: ms(c.lookup('devices', d0).installed_at) };
    hit = best;
    all.set(account, hit);
  }
  return hit;
}

/** When an account with a subscription history moved to its current plan: between first install and a month before now. */
export function upgradeAt(installed: number, frac: number): number {
  const room = REF_MS - 30 * DAY - installed;
  return room > 2 * DAY ? installed + DAY + Math.floor(frac * (room - DAY)) : installed + Math.floor((REF_MS - installed) / 2);
}

/** Dashboard password of user k of account `account`: a PBKDF2 hash for the known logins, else Django's unusable-password marker (SSO users). */
export function passwordOf(c: GenContext): string {
  if (c.parentIndex === 0 && c.k < parseLogins(c.params.logins).length) return hashPassword(String(c.params.loginPassword), makeSalt(() => c.rng.float()));
  let s = '!';
  for (let j = 0; j < 40; j++) s += SALT_CHARS[Math.floor(c.rng.float() * SALT_CHARS.length)];
  return s;
}
const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface Use {
  feature: string;
  device: number | null;
  lo: number;
  hi: number;
}

/** A feature use: device features on one of the account's devices that was live after the user signed up. */
export function featureUse(c: TypedGenContext<FleetRows, unknown, { readonly signed_up_at: Date; readonly account_id: number }>): Use {
  const signup = ms(c.parent.signed_up_at);
  const feature = c.rng.pick(FEATURES);
  if (!(DEVICE_FEATURES as readonly string[]).includes(feature)) return { feature, device: null, lo: signup, hi: REF_MS };
  const [d0, d1] = devicesOf(c, c.parent.account_id - 1);
  for (let attempt = 0; attempt < 4; attempt++) {
    const idx = c.rng.int(d0, d1 - 1);
    const d = c.lookup('devices', idx);
    const lo = Math.max(signup, ms(d.installed_at));
    const hi = deviceEnd(d);
    if (hi - lo > MINUTE) return { feature, device: d.id, lo, hi };
  }
  return { feature: 'export_report', device: null, lo: signup, hi: REF_MS };
}
