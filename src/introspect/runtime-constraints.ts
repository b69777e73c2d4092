/**
 * Helpers the generated dataset calls to keep values inside what the schema's constraints allow:
 * between bounds (literal ones from checks and partitions, and earlier columns of the row), picks
 * among the solver's alternatives and cases, and the shape a check demands of a string (a regular
 * expression, lower case, no padding, excluded values). Pure functions of their arguments.
 */
import type { Rng } from '../random/rng.js';
import { generate, parseRegex, simpleClass, toJsRegExp, type Regex } from './regex.js';

type Stamp = Date | number | null | undefined;
const ms = (d: Stamp): number | null => (d === null || d === undefined ? null : typeof d === 'number' ? d : d.getTime());

/** The largest of the bounds given (NULLs ignored), or null. Dates become ms. */
export function loOf(...xs: Stamp[]): number | null {
  let out: number | null = null;
  for (const x of xs) {
    const v = ms(x);
    if (v !== null && (out === null || v > out)) out = v;
  }
  return out;
}

/** The smallest of the bounds given (NULLs ignored), or null. */
export function hiOf(...xs: Stamp[]): number | null {
  let out: number | null = null;
  for (const x of xs) {
    const v = ms(x);
    if (v !== null && (out === null || v < out)) out = v;
  }
  return out;
}

/** `x + by` (a strict bound one step past an earlier column), NULL stays NULL. */
export function shift(x: Stamp, by: number): number | null {
  const v = ms(x);
  return v === null ? null : v + by;
}

/**
 * A time in [lo, hi] (either may be null), snapped to `stepMs` (a day for `date` columns, a second
 * for timestamp(0)). `natural` is kept when it fits; otherwise a value is drawn inside: uniformly
 * between both bounds, or within `spanMs` after `lo` (not past the reference date when `lo` is
 * before it) or before `hi`. So a partition window or a check gets values spread over it.
 */
export function timeIn(rng: Rng, natural: Stamp, lo: number | null, hi: number | null, spanMs: number, stepMs: number, refDate: Date, follow: -1 | 0 | 1 = 0): Date {
  let t = ms(natural) ?? ms(refDate)!;
  if (lo !== null && hi !== null && hi < lo) hi = lo;
  const outside = (lo !== null && t < lo) || (hi !== null && t > hi);
  const ref = refDate.getTime();
  if (follow === 1 && lo !== null) {
    // Shortly after the earlier column (updated after created, due after issued), not past "now".
    let top = lo < ref ? Math.min(lo + spanMs, ref) : lo + spanMs;
    if (hi !== null) top = Math.min(top, hi);
    t = lo + Math.floor(rng.float() * Math.max(1, top - lo + 1));
  } else if (follow === -1 && hi !== null) {
    const bottom = lo !== null ? Math.max(lo, hi - spanMs) : hi - spanMs;
    t = hi - Math.floor(rng.float() * Math.max(1, hi - bottom + 1));
  } else if (outside) {
    if (lo !== null && hi !== null) t = lo + Math.floor(rng.float() * (hi - lo + 1));
    else if (lo !== null) {
      const top = lo < ref ? Math.min(lo + spanMs, ref) : lo + spanMs;
      t = lo + Math.floor(rng.float() * Math.max(1, top - lo + 1));
    } else t = hi! - Math.floor(rng.float() * Math.max(1, spanMs));
  }
  if (stepMs > 1) {
    const base = lo ?? 0;
    t = base + Math.ceil((t - base) / stepMs) * stepMs;
    if (hi !== null && t > hi) t -= stepMs;
    if (lo !== null && t < lo) t = lo;
  }
  return new Date(t);
}

/**
 * A number in [lo, hi] (either may be null) with `scale` decimals (-1: floating point): `natural`
 * when it fits, else a value drawn inside (near the bound when only one is given).
 */
export function numIn(rng: Rng, natural: number, lo: number | null, hi: number | null, scale: number): number {
  let v = natural;
  if (lo !== null && hi !== null && hi < lo) hi = lo;
  if ((lo !== null && v < lo) || (hi !== null && v > hi)) {
    if (lo !== null && hi !== null) v = lo + rng.float() * (hi - lo);
    else if (lo !== null) v = lo + rng.float() * Math.max(1, Math.abs(lo) * 0.5);
    else v = hi! - rng.float() * Math.max(1, Math.abs(hi!) * 0.5);
  }
  if (scale >= 0) {
    const f = Math.pow(10, scale);
    v = Math.round(v * f) / f;
    if (lo !== null && v < lo) v = Math.ceil(lo * f) / f;
    if (hi !== null && v > hi) v = Math.floor(hi * f) / f;
  }
  return v;
}

/**
 * Unique timestamps spread evenly over [lo, hi]: row i of n takes slot i (a slot is at least one
 * step; when the window is too small for the rows it is extended backwards from hi).
 */
export function spreadTime(i: number, n: number, lo: number, hi: number, stepMs: number): Date {
  const slots = Math.max(1, Math.floor((hi - lo) / stepMs) + 1);
  const from = slots >= n ? lo : hi - (n - 1) * stepMs;
  const width = slots >= n ? (hi - lo) / n : stepMs;
  const t = from + Math.floor(i * width / stepMs) * stepMs;
  return new Date(Math.min(t, hi));
}

/** An index drawn with the given weights (alternatives of a column, cases of the solver). */
export function alt(rng: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = rng.float() * total;
  for (let k = 0; k < weights.length; k++) {
    x -= weights[k]!;
    if (x < 0) return k;
  }
  return weights.length - 1;
}

/**
 * A solver case for this row: drawn with `weights` among the cases whose guards hold (guards are
 * conditions on the row number, e.g. `id <> 1`, or partial-unique gates). -1 when none does.
 */
export function pickCase(rng: Rng, weights: readonly number[], open: readonly boolean[]): number {
  let total = 0;
  for (let k = 0; k < weights.length; k++) if (open[k]) total += weights[k]!;
  if (total <= 0) return open.indexOf(true);
  let x = rng.float() * total;
  for (let k = 0; k < weights.length; k++) {
    if (!open[k]) continue;
    x -= weights[k]!;
    if (x < 0) return k;
  }
  return open.lastIndexOf(true);
}

const compiled = new Map<string, Regex>();
const jsCompiled = new Map<string, RegExp | null>();

function regexOf(source: string): Regex {
  let r = compiled.get(source);
  if (!r) compiled.set(source, (r = parseRegex(source)));
  return r;
}

function jsRegexOf(source: string, ci: boolean): RegExp | null {
  const key = `${ci ? 'i' : ''}:${source}`;
  if (!jsCompiled.has(key)) jsCompiled.set(key, toJsRegExp(source, ci));
  return jsCompiled.get(key)!;
}

/** A string matching the (Postgres) regular expression; with `index`, unique per index. */
export function fromRegex(rng: Rng, source: string, index: number | null = null, maxLen = Infinity, minLen = 0): string {
  return generate(regexOf(source), rng, index, maxLen, minLen);
}

/**
 * `value` when it already matches `source`, else one bent into a single-class pattern
 * (`^[a-z0-9_]{1,100}$`: lower-cased, other characters replaced by a separator of the class,
 * clipped or padded), else a fresh match (unique by `index` when given).
 */
export function matching(rng: Rng, value: unknown, source: string, ci = false, index: number | null = null, maxLen = Infinity, minLen = 0): string {
  const s = String(value ?? '');
  const js = jsRegexOf(source, ci);
  if (js && js.test(s) && s.length <= maxLen && s.length >= minLen) return s;
  const simple = simpleClass(regexOf(source));
  if (simple) {
    const bent = bend(s, simple.chars, Math.max(simple.min, minLen), Math.min(simple.max, maxLen));
    if (bent !== null && (!js || js.test(bent))) return bent;
  }
  return fromRegex(rng, source, index, maxLen, minLen);
}

/** `s` rewritten into the character class (keeping its digits, so a unique suffix stays unique), or null. */
function bend(s: string, chars: string, min: number, max: number): string | null {
  const set = new Set(chars);
  const hasLower = /[a-z]/.test(chars);
  const hasUpper = /[A-Z]/.test(chars);
  const sep = ['_', '-', '.', ' '].find((c) => set.has(c)) ?? null;
  if (!/[0-9]/.test(chars) || !sep) return null;
  let out = '';
  for (let ch of s) {
    if (!set.has(ch)) {
      if (hasLower && !hasUpper) ch = ch.toLowerCase();
      else if (hasUpper && !hasLower) ch = ch.toUpperCase();
    }
    out += set.has(ch) ? ch : sep;
  }
  out = out.replace(new RegExp(`${sep.replace(/[.\\-]/g, '\\$&')}{2,}`, 'g'), sep);
  if (out.length > max) {
    // Keep the tail (the unique suffix) when clipping.
    const tail = /[0-9]+$/.exec(out)?.[0] ?? '';
    const head = out.slice(0, out.length - tail.length).replace(new RegExp(`${sep.replace(/[.\\-]/g, '\\$&')}+$`), '');
    out = tail.length + 1 >= max ? tail.slice(-max) : `${head.slice(0, max - tail.length - 1)}${sep}${tail}`;
  }
  while (out.length < min) out += chars.includes('0') ? '0' : chars[0]!;
  return out;
}

/** `value` unless it matches a forbidden pattern or equals a forbidden value; then `fallback`. */
export function avoid(value: unknown, patterns: readonly RegExp[], values: readonly unknown[], fallback: unknown): unknown {
  if (value === null || value === undefined) return value;
  const s = String(value);
  if (values.some((v) => String(v) === s)) return fallback;
  if (patterns.some((p) => p.test(s))) return fallback;
  return value;
}
