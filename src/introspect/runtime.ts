/**
 * Small helpers the generated dataset (`schema.generated.ts`) calls, so its column generators stay
 * one readable line each. All are pure functions of their arguments (the row's `Rng` included):
 * no clock, no global randomness.
 *
 * Uniqueness helpers are bijections of the row index, so a unique column holds by construction at
 * any row count the column's type can represent.
 */
import type { GenContext } from '../generate/context.js';
import type { Rng } from '../random/rng.js';
import { fmix32 } from '../random/hash.js';

/** Text cut to at most `max` characters (at a word boundary when there is one). */
export function fit(s: unknown, max: number): string {
  const v = String(s ?? '');
  if (v.length <= max) return v;
  const cut = v.lastIndexOf(' ', max);
  return (cut > max / 2 ? v.slice(0, cut) : v.slice(0, max)).trimEnd();
}

/** The shortest suffix length `uniq` uses for a column of `max` characters (digits or base 36). */
function suffixOf(i: number, max: number): string {
  return max >= 12 ? String(i + 1) : (i + 1).toString(36);
}

/**
 * `base` made unique by the row index: `"Rock 17"`, or for short columns (< 12 characters) the index
 * in base 36 alone (`"a7"`), always within `max` characters. Injective in `i`: the suffix after the
 * last separator is the index, so two rows never collide whatever their base.
 */
export function uniq(base: unknown, i: number, max = 1_000_000, sep = ' '): string {
  const suffix = suffixOf(i, max);
  if (max < 12) return suffix.length <= max ? suffix : suffix.slice(-max);
  const room = max - suffix.length - sep.length;
  const b = room > 0 ? fit(String(base ?? '').replace(/\s+$/, ''), room) : '';
  return b ? `${b}${sep}${suffix}` : suffix;
}

/** Lower-case ASCII letters and digits only (for emails, slugs, usernames). */
export function slug(s: unknown, sep = ''): string {
  return String(s ?? '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, sep)
    .replace(sep ? new RegExp(`^\\${sep}+|\\${sep}+$`, 'g') : /^$/, '');
}

/**
 * An e-mail address `first.last<n>@example.com` within `max` characters. With `i` the address is
 * unique (the row number is part of the local part); without it, it is only realistic.
 */
export function email(first: unknown, last: unknown, i: number | null, max = 254, domain = 'example.com'): string {
  const n = i === null ? '' : String(i + 1);
  let local = [slug(first), slug(last)].filter(Boolean).join('.') || 'user';
  const room = max - n.length - 1 - domain.length;
  if (room < 1) return `${i === null ? 'u' : (i + 1).toString(36)}@x.io`.slice(-max);
  local = local.slice(0, room).replace(/\.$/, '');
  return `${local}${n}@${domain}`;
}

/** A user name `first.last<n>` (unique with `i`) within `max` characters. */
export function username(first: unknown, last: unknown, i: number | null, max = 64): string {
  const n = i === null ? '' : String(i + 1);
  const base = `${slug(first)}${slug(last) ? '.' + slug(last) : ''}` || 'user';
  return base.slice(0, Math.max(1, max - n.length)) + n;
}

/** Title Case Of A Phrase. */
export function title(s: unknown): string {
  return String(s ?? '').replace(/\.$/, '').replace(/\b([a-z])/g, (m) => m.toUpperCase());
}

/** `v` rounded to `scale` decimals and clamped to [min, max]. */
export function clamp(v: number, min: number, max: number, scale = 0): number {
  const f = Math.pow(10, scale);
  const r = Math.round(v * f) / f;
  return Math.min(max, Math.max(min, r));
}

/**
 * A money-like amount in [min, max] with `scale` decimals: log-normal around `typical` (most values
 * near it, a long tail of large ones), as prices, totals and salaries are.
 */
export function amount(rng: Rng, min: number, max: number, scale: number, typical: number): number {
  const mid = Math.min(Math.max(typical, min > 0 ? min : 0.01), max);
  const v = rng.lognormal(Math.log(Math.max(mid, 1e-6)), 0.9);
  const f = Math.pow(10, scale);
  const r = Math.round(v * f) / f;
  if (r >= min && r <= max) return r;
  // Out of range: fall back to uniform inside it (rare for sensible ranges).
  return clamp(rng.uniform(min, max), min, max, scale);
}

/** An integer in [min, max], skewed towards small values (counts, quantities, votes). */
export function small(rng: Rng, min: number, max: number, mean = 3): number {
  if (max <= min) return min;
  const v = min + rng.poisson(Math.max(0.1, mean - min));
  return v <= max ? v : rng.int(min, max);
}

/**
 * A permutation of [0, n): row `i` of a 1:1 table takes parent row `permute(i, n)` — every parent at
 * most once, in a shuffled order. (An affine map with a step coprime to n.)
 */
export function permute(i: number, n: number, salt = 0): number {
  if (n <= 1) return 0;
  let step = (fmix32(salt ^ 0x9e3779b9) % n) | 1;
  while (gcd(step, n) !== 1) step += 2;
  const offset = fmix32(salt + 0x85ebca6b) % n;
  return Number((BigInt(i) * BigInt(step) + BigInt(offset)) % BigInt(n));
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * A UUID (version 4 layout) unique by construction: the row index fills the last 48 bits, the rest is
 * a hash of `salt` and the index (so ids of different tables differ and look random).
 */
export function uuidAt(i: number, salt: number): string {
  // Hex by table lookup and no closure per call: this runs once per key and per reference to it.
  const a = fmix32((salt ^ 0x27d4eb2d) + i * 0x9e3779b1) >>> 0;
  const b = fmix32((salt ^ Math.imul(2, 0x27d4eb2d)) + i * 0x9e3779b1) >>> 0;
  const c = fmix32((salt ^ Math.imul(3, 0x27d4eb2d)) + i * 0x9e3779b1) >>> 0;
  const hi = Math.floor(i / 0x100000000) & 0xffff;
  const lo = i >>> 0;
  return `${HEX2[a >>> 24]}${HEX2[(a >>> 16) & 255]}${HEX2[(a >>> 8) & 255]}${HEX2[a & 255]}-${HEX2[b >>> 24]}${HEX2[(b >>> 16) & 255]}-4${HEX[(b >>> 8) & 15]}${HEX2[b & 255]}-${HEX[((c >>> 28) & 0x3) | 0x8]}${HEX[(c >>> 24) & 15]}${HEX2[(c >>> 16) & 255]}-${HEX2[hi >>> 8]}${HEX2[hi & 255]}${HEX2[lo >>> 24]}${HEX2[(lo >>> 16) & 255]}${HEX2[(lo >>> 8) & 255]}${HEX2[lo & 255]}`;
}

const HEX = '0123456789abcdef';
const HEX2 = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));

/** A Postgres array literal (`{"a","b"}`) of the values (strings quoted, NULLs as NULL). */
export function pgArray(values: readonly unknown[]): string {
  return `{${values.map((v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : `"${String(v instanceof Date ? v.toISOString() : v).replace(/(["\\])/g, '\\$1')}"`)).join(',')}}`;
}

/** `n` values from `make`, for array columns. */
export function list<T>(c: GenContext, min: number, max: number, make: () => T): T[] {
  const n = c.rng.int(min, max);
  const out: T[] = [];
  for (let k = 0; k < n; k++) out.push(make());
  return out;
}

/** A time of day `HH:MM:SS`, in business hours by default. */
export function timeOfDay(rng: Rng, fromHour = 7, toHour = 19): string {
  const h = rng.int(fromHour, toHour - 1);
  const m = rng.int(0, 3) * 15;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
}

/** A Postgres interval literal such as `3 days 04:12:00` (up to `maxHours`). */
export function interval(rng: Rng, maxHours = 72): string {
  const total = Math.floor(rng.float() * maxHours * 3600);
  const d = Math.floor(total / 86400);
  const rest = total - d * 86400;
  const hh = String(Math.floor(rest / 3600)).padStart(2, '0');
  const mm = String(Math.floor((rest % 3600) / 60)).padStart(2, '0');
  const ss = String(rest % 60).padStart(2, '0');
  return `${d > 0 ? `${d} days ` : ''}${hh}:${mm}:${ss}`;
}

/** `bytes` random bytes as a bytea hex literal (`\x0a1b…`). */
export function bytea(rng: Rng, bytes = 16): string {
  let s = '\\x';
  for (let k = 0; k < bytes; k++) s += rng.int(0, 255).toString(16).padStart(2, '0');
  return s;
}

/** An IPv4 address; with `i`, unique (10.0.0.0/8 walked by the row index). */
export function ipv4(rng: Rng, i: number | null = null): string {
  if (i !== null) return `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
  return `${rng.int(11, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/** A MAC address. */
export function macaddr(rng: Rng): string {
  return Array.from({ length: 6 }, () => rng.int(0, 255).toString(16).padStart(2, '0')).join(':');
}

/** A point literal `(x,y)` (longitude, latitude by default). */
export function point(rng: Rng): string {
  return `(${rng.uniform(-180, 180).toFixed(6)},${rng.uniform(-90, 90).toFixed(6)})`;
}

/** A string of `n` bits. */
export function bits(rng: Rng, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += rng.chance(0.5) ? '1' : '0';
  return s;
}

/** A date `days` days before `d` at the earliest (for "before" orderings). */
export function before(rng: Rng, d: Date | number, maxMs: number, minMs = 0): Date {
  const t = typeof d === 'number' ? d : d.getTime();
  return new Date(t - minMs - Math.floor(rng.float() * Math.max(0, maxMs - minMs)));
}

/** `d` as a Date at UTC midnight (for `date` columns compared with other dates). */
export function day(d: Date | number): Date {
  const t = typeof d === 'number' ? d : d.getTime();
  return new Date(Math.floor(t / 86_400_000) * 86_400_000);
}

/** A value from `values` for row `i`, cycling (for unique columns over a small set). */
export function nth<T>(values: readonly T[], i: number): T {
  return values[i % values.length]!;
}

/** `d` after `from` by up to `maxMs` (at least `minMs`), with no cap at the reference date (expiry dates). */
export function plus(rng: Rng, from: Date | number, maxMs: number, minMs = 0): Date {
  const t = typeof from === 'number' ? from : from.getTime();
  return new Date(t + minMs + Math.floor(rng.float() * Math.max(0, maxMs - minMs)));
}

/** `d` moved inside [lo, hi] (either may be null), `stepMs` inside a strict bound. */
export function clampDate(d: Date, lo: Date | null, hi: Date | null, stepMs = 1000): Date {
  let t = d.getTime();
  if (lo && t <= lo.getTime()) t = lo.getTime() + stepMs;
  if (hi && t >= hi.getTime()) t = hi.getTime() - stepMs;
  return new Date(t);
}

/** `s` padded with `x` to at least `n` characters (for `char_length(x) >= n` checks). */
export function padTo(s: unknown, n: number): string {
  const v = String(s ?? '');
  return v.length >= n ? v : v.padEnd(n, 'x');
}

/**
 * An upper-case code such as `QZK-1042` within `max` characters (at least `min`). With `i` it is
 * unique: the part after the last `-` is the row number (in base 36 for columns under 12 characters,
 * where the code is that number alone, left-padded with zeros to `min`).
 */
export function code(rng: Rng, i: number | null, max = 16, min = 1): string {
  if (i === null) {
    const n = Math.max(min, Math.min(max, 8));
    const head = letters(rng, Math.min(3, n));
    let tail = '';
    for (let k = head.length; k < n; k++) tail += String(rng.int(0, 9));
    return head + tail;
  }
  if (max < 12) return (i + 1).toString(36).toUpperCase().padStart(Math.min(max, Math.max(1, min)), '0');
  const n = String(i + 1);
  const room = max - n.length - 1;
  return `${letters(rng, Math.min(3, Math.max(1, room)))}-${n}`;
}

function letters(rng: Rng, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += String.fromCharCode(65 + rng.int(0, 25));
  return s;
}

export { alt, avoid, fromRegex, hiOf, loOf, matching, numIn, pickCase, shift, spreadTime, timeIn } from './runtime-constraints.js';
export { defineTenancy, refNot, refWhere, Tenancy, type KeySpec, type TenantScope } from './runtime-refs.js';
