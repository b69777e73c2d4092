/**
 * The operands of comparisons in checks: a column, a constant, a function of one column Postgres
 * checks often use (lengths, cardinality, lower/upper/btrim, jsonb_typeof, num_nonnulls,
 * coalesce), or a linear combination of columns. Casts are looked through.
 */
import type { Value } from './atoms.js';
import type { LogicContext } from './logic.js';
import type { Expr } from './parse.js';

export type Operand =
  | { o: 'col'; col: string }
  | { o: 'val'; v: Value | null }
  | { o: 'len'; col: string; fn: 'len' | 'card' | 'alen' | 'trimlen' }
  | { o: 'shape'; col: string; shape: 'lower' | 'upper' | 'trimmed' }
  | { o: 'jsontype'; col: string }
  | { o: 'count'; cols: string[]; nulls: boolean }
  | { o: 'coalesce'; col: string; fallback: Value }
  | { o: 'lin'; terms: Map<string, number>; k: number }
  | { o: 'other'; e: Expr };

const DATE_TYPES = /^(date|timestamp|timestamptz|timestamp with(out)? time zone)$/;

/** Milliseconds of a SQL date/timestamp literal (`'2022-01-01 00:00:00+00'`), or null. */
export function parseSqlDate(s: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(s.trim());
  if (!m) return null;
  let tz = m[3] ?? 'Z';
  if (/^[+-]\d{2}$/.test(tz)) tz += ':00';
  else if (/^[+-]\d{4}$/.test(tz)) tz = `${tz.slice(0, 3)}:${tz.slice(3)}`;
  const t = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${tz}`);
  return Number.isNaN(t) ? null : t;
}

export function strip(e: Expr): Expr {
  return e.k === 'cast' ? strip(e.arg) : e;
}

export function operand(e0: Expr, ctx: LogicContext): Operand {
  const e = strip(e0);
  if (e.k === 'col') return { o: 'col', col: e.name };
  if (e.k === 'now') return { o: 'val', v: { t: 'now' } };
  if (e.k === 'lit') {
    if (e.value === null) return { o: 'val', v: null };
    if (typeof e.value === 'number') return { o: 'val', v: { t: 'num', v: e.value } };
    if (typeof e.value === 'boolean') return { o: 'val', v: { t: 'bool', v: e.value } };
    const castType = e0.k === 'cast' ? e0.type : e.type;
    if (castType && DATE_TYPES.test(castType)) {
      const d = parseSqlDate(e.value);
      if (d !== null) return { o: 'val', v: { t: 'date', v: d } };
    }
    if (castType === 'boolean') return { o: 'val', v: { t: 'bool', v: /^(t|true|y|yes|on|1)$/i.test(e.value) } };
    return { o: 'val', v: { t: 'str', v: e.value } };
  }
  if (e.k === 'call') {
    const name = e.name.replace(/^.*\./, '');
    const a0 = e.args[0] ? strip(e.args[0]) : undefined;
    const col = a0?.k === 'col' ? a0.name : undefined;
    if (['char_length', 'character_length', 'length', 'octet_length'].includes(name) && e.args.length === 1) {
      if (col) return { o: 'len', col, fn: 'len' };
      if (a0?.k === 'call' && ['btrim', 'trim'].includes(a0.name.replace(/^.*\./, '')) && a0.args.length === 1) {
        const inner = strip(a0.args[0]!);
        if (inner.k === 'col') return { o: 'len', col: inner.name, fn: 'trimlen' };
      }
    }
    if (name === 'cardinality' && e.args.length === 1 && col) return { o: 'len', col, fn: 'card' };
    if (name === 'array_length' && e.args.length === 2 && col && strip(e.args[1]!).k === 'lit' && (strip(e.args[1]!) as { value: unknown }).value === 1) return { o: 'len', col, fn: 'alen' };
    if (['lower', 'upper', 'btrim', 'trim'].includes(name) && e.args.length === 1 && col) return { o: 'shape', col, shape: name === 'lower' ? 'lower' : name === 'upper' ? 'upper' : 'trimmed' };
    if (['jsonb_typeof', 'json_typeof'].includes(name) && col) return { o: 'jsontype', col };
    if (['num_nonnulls', 'num_nulls'].includes(name) && e.args.length > 0 && e.args.length <= 8) {
      const cols = e.args.map(strip);
      if (cols.every((c) => c.k === 'col')) return { o: 'count', cols: cols.map((c) => (c as { name: string }).name), nulls: name === 'num_nulls' };
    }
    if (name === 'coalesce' && e.args.length === 2 && col) {
      const fb = operand(e.args[1]!, ctx);
      if (fb.o === 'val' && fb.v) return { o: 'coalesce', col, fallback: fb.v };
    }
  }
  const lin = linear(e);
  if (lin) {
    if (lin.terms.size === 0) return { o: 'val', v: { t: 'num', v: lin.k } };
    if (lin.terms.size === 1 && lin.k === 0 && [...lin.terms.values()][0] === 1) return { o: 'col', col: [...lin.terms.keys()][0]! };
    return { o: 'lin', ...lin };
  }
  return { o: 'other', e };
}

/** Σ coef·col + k, for +, -, unary minus and multiplication/division by constants. */
function linear(e0: Expr): { terms: Map<string, number>; k: number } | null {
  const e = strip(e0);
  if (e.k === 'col') return { terms: new Map([[e.name, 1]]), k: 0 };
  if (e.k === 'lit' && typeof e.value === 'number') return { terms: new Map(), k: e.value };
  if (e.k === 'neg') {
    const a = linear(e.arg);
    return a && scale(a, -1);
  }
  if (e.k === 'arith') {
    const a = linear(e.left);
    const b = linear(e.right);
    if (!a || !b) return null;
    if (e.op === '+' || e.op === '-') {
      const terms = new Map(a.terms);
      for (const [c, v] of b.terms) terms.set(c, (terms.get(c) ?? 0) + (e.op === '+' ? v : -v));
      for (const [c, v] of terms) if (v === 0) terms.delete(c);
      return { terms, k: a.k + (e.op === '+' ? b.k : -b.k) };
    }
    if (e.op === '*' && a.terms.size === 0) return scale(b, a.k);
    if (e.op === '*' && b.terms.size === 0) return scale(a, b.k);
    if (e.op === '/' && b.terms.size === 0 && b.k !== 0) return scale(a, 1 / b.k);
  }
  return null;
}

function scale(x: { terms: Map<string, number>; k: number }, f: number): { terms: Map<string, number>; k: number } {
  return { terms: new Map([...x.terms].map(([c, v]) => [c, v * f])), k: x.k * f };
}

