/**
 * The last layer of a column's generator: what the heuristics do not produce by construction but a
 * check demands — a regular expression (bend the value into it, or generate a match, unique by the
 * row index when the column is), lower/upper case, no surrounding whitespace, excluded values and
 * forbidden patterns (replaced by a fallback found here, at introspection time, that passes every
 * condition of the domain). When no fallback exists the domain is reported as unsupported.
 */
import { Rng } from '../random/rng.js';
import type { Domain } from './checks/domain.js';
import { lit, type ScalarKind } from './heuristics/index.js';
import { capacity, generate, lengthRange, parseRegex, toJsRegExp } from './regex.js';
import { quote } from './model.js';

export interface Enforced {
  code: string;
  /** Distinct values the column can carry when unique (a regex bounds it). */
  capacity?: number;
  /** Conditions nothing here can meet (reported as unsolved). */
  problems: string[];
  note?: string;
}

const TEXTY: readonly ScalarKind[] = ['text', 'enum'];

/** Whether `v` passes every condition of `d` that can be evaluated here (strings and numbers). */
export function accepts(d: Domain, v: unknown): boolean {
  if (v === null || v === undefined) return !d.notNull;
  if (d.isNull) return false;
  const s = String(v);
  if (d.values && !d.values.some((x) => String(x) === s)) return false;
  if (d.notValues?.some((x) => String(x) === s)) return false;
  if (typeof v === 'number') {
    if (d.min !== undefined && v < d.min) return false;
    if (d.max !== undefined && v > d.max) return false;
  }
  if (typeof v === 'string') {
    if (d.minLength !== undefined && s.length < d.minLength) return false;
    if (d.maxLength !== undefined && s.length > d.maxLength) return false;
    if (d.lower && s !== s.toLowerCase()) return false;
    if (d.upper && s !== s.toUpperCase()) return false;
    if (d.trimmed && s !== s.trim()) return false;
  }
  for (const r of d.regex ?? []) {
    const js = toJsRegExp(r.pattern, r.ci);
    if (!js || !js.test(s)) return false;
  }
  for (const r of d.notRegex ?? []) {
    const js = toJsRegExp(r.pattern, r.ci);
    if (!js || js.test(s)) return false;
  }
  return true;
}

/** A value passing `d`, for replacing an excluded one, or undefined when none is found. */
function fallbackFor(d: Domain, kind: ScalarKind, arrays: boolean): string | number | undefined {
  const candidates: (string | number)[] = [];
  if (arrays) candidates.push('{}', '{x}', '{a,b}', '{1}');
  else if (kind === 'int' || kind === 'decimal' || kind === 'float' || kind === 'money') {
    const lo = d.min ?? 0;
    for (let k = 0; k < 50; k++) candidates.push(Math.max(lo, 0) + k, lo + k);
  } else {
    const rng = new Rng();
    rng.reset(new Uint32Array([7, 11, 13, 17]), 0, 0);
    for (const r of d.regex ?? []) {
      try {
        const re = parseRegex(r.pattern);
        for (let k = 0; k < 20; k++) candidates.push(generate(re, rng, null, d.maxLength ?? Infinity, d.minLength ?? 0));
      } catch { /* reported by the caller */ }
    }
    candidates.push('x', 'value', 'a1', 'n/a', 'x1', 'item', 'X', 'abc', 'none');
  }
  return candidates.find((c) => accepts(d, c));
}

/**
 * Wraps `code` (the heuristic value, never NULL) so it also meets the conditions of `d` it does not
 * meet by construction. `unique` asks for values unique by the row index `c.i`.
 */
export function enforce(code: string, d: Domain, kind: ScalarKind, arrays: boolean, unique: boolean): Enforced {
  const problems: string[] = [];
  let out = code;
  let cap: number | undefined;
  const notes: string[] = [];
  const texty = TEXTY.includes(kind) || arrays;
  if (texty && !arrays) {
    if (d.lower) out = `String(${out}).toLowerCase()`;
    if (d.upper) out = `String(${out}).toUpperCase()`;
    if (d.trimmed) out = `String(${out}).trim()`;
  }
  const regexes = d.regex ?? [];
  if (regexes.length) {
    const first = regexes[0]!;
    try {
      const re = parseRegex(first.pattern);
      const [minLen] = lengthRange(re.root);
      const max = d.maxLength ?? Infinity;
      if (Number.isFinite(max) && minLen > max) problems.push(`no string of at most ${max} characters matches '${first.pattern}'`);
      if (unique) {
        cap = capacity(re, max);
        if (cap === 0) problems.push(`'${first.pattern}' has no repeat to make values unique`);
      }
      const args = [`c.rng`, out, quote(first.pattern), String(first.ci), unique ? 'c.i' : 'null', Number.isFinite(max) ? String(max) : 'Infinity', String(d.minLength ?? 0)];
      out = `matching(${args.join(', ')})`;
      notes.push(`matches '${first.pattern}'`);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  const extraRegex = regexes.slice(1);
  const forbidden = d.notRegex ?? [];
  // Value lists and enums already leave excluded values out (heuristics pick from what is allowed).
  const notValues = kind === 'enum' || d.values || kind === 'bool' ? [] : d.notValues ?? [];
  if (extraRegex.length || forbidden.length || notValues.length) {
    const fb = fallbackFor(d, kind, arrays);
    if (fb === undefined) problems.push(`no value passes all of: ${[...regexes.map((r) => `~ '${r.pattern}'`), ...forbidden.map((r) => `!~ '${r.pattern}'`), ...notValues.map((v) => `<> ${lit(v)}`)].join(', ')}`);
    else {
      const pats: string[] = [];
      for (const r of forbidden) {
        const js = toJsRegExp(r.pattern, r.ci);
        if (!js) problems.push(`'${r.pattern}' cannot be checked here`);
        else pats.push(String(js));
      }
      // A value that misses an extra required pattern is replaced too: its negation is "does not match".
      const extra = extraRegex.map((r) => toJsRegExp(r.pattern, r.ci));
      if (extra.some((x) => !x)) problems.push('a regular expression cannot be checked here');
      const must = extra.filter((x): x is RegExp => !!x).map((x) => `!${String(x)}.test(String(v))`);
      const values = notValues.map((v) => lit(v));
      const guard = must.length ? `((v) => (${must.join(' || ')}) ? ${lit(fb)} : v)(${out})` : out;
      out = `avoid(${guard}, [${pats.join(', ')}], [${values.join(', ')}], ${lit(fb)})`;
      notes.push(`never ${[...forbidden.map((r) => `~ '${r.pattern}'`), ...values.map((v) => `= ${v}`)].join(', ')}`);
    }
  }
  if (d.json?.length && !d.json.includes('object')) {
    const k = d.json[0]!;
    out = k === 'array' ? '[]' : k === 'string' ? `'x'` : k === 'number' ? '0' : k === 'boolean' ? 'true' : 'null';
    if (k === 'null') problems.push('jsonb_typeof null');
  }
  if (d.unsupported?.length) problems.push(...d.unsupported);
  return { code: out, ...(cap !== undefined ? { capacity: cap } : {}), problems, ...(notes.length ? { note: notes.join('; ') } : {}) };
}
