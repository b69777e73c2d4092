/**
 * A column's domain: what one alternative of the check solver allows a column's values to be —
 * the conjunction of the single-column atoms of a DNF term, folded and tested for emptiness.
 * Generators (heuristics/) read it: they stay inside ranges, pick from value lists, respect
 * lengths, and the constraint layer (constrain.ts) enforces the rest (regular expressions, case,
 * whitespace, excluded values).
 */
import type { Atom, Value } from './atoms.js';

export interface Domain {
  /** Must be NULL. */
  isNull?: true;
  /** Must not be NULL. */
  notNull?: true;
  /** Inclusive numeric bounds (strict ones tightened by the column's step). */
  min?: number;
  max?: number;
  /** Inclusive date bounds in ms; `now` bounds relative to the load (`now()` in the check). */
  after?: number;
  before?: number;
  afterNow?: true;
  beforeNow?: true;
  /** Allowed values (intersection of every list); numbers, strings or booleans. */
  values?: (string | number | boolean)[];
  notValues?: (string | number | boolean)[];
  minLength?: number;
  maxLength?: number;
  /** Array columns: element count bounds. */
  minItems?: number;
  maxItems?: number;
  /** Regular expressions the value (an array's text form) must / must not match. */
  regex?: { pattern: string; ci: boolean }[];
  notRegex?: { pattern: string; ci: boolean }[];
  lower?: true;
  upper?: true;
  trimmed?: true;
  json?: string[];
  notJson?: string[];
  /** Array columns: elements it must / must not contain. */
  has?: (string | number | boolean)[];
  notHas?: (string | number | boolean)[];
  /** Atoms nothing here can produce (reported). */
  unsupported?: string[];
}

/** Column facts the folding needs. */
export interface DomainColumn {
  /** Granularity of strict numeric bounds: 1 (integers), 10^-scale (numeric), 0 (floating point). */
  step: number;
  /** Date granularity in ms: a day for `date`, a second for timestamp(0), 1 otherwise. */
  dateStep: number;
  /** The column is a date/time. */
  temporal: boolean;
  notNull: boolean;
}

const r9 = (v: number): number => Math.round(v * 1e9) / 1e9;
const ceilTo = (v: number, s: number): number => (s > 0 ? r9(Math.ceil(r9(v / s)) * s) : v);
const floorTo = (v: number, s: number): number => (s > 0 ? r9(Math.floor(r9(v / s)) * s) : v);
const above = (v: number, s: number): number => {
  if (s <= 0) return v + Math.max(1e-9, Math.abs(v) * 1e-12);
  const c = ceilTo(v, s);
  return c > v ? c : r9(c + s);
};
const below = (v: number, s: number): number => {
  if (s <= 0) return v - Math.max(1e-9, Math.abs(v) * 1e-12);
  const f = floorTo(v, s);
  return f < v ? f : r9(f - s);
};

const raw = (v: Value): string | number | boolean | null => (v.t === 'now' ? null : v.v);

/** Folds `atoms` (all about one column) into a domain, or null when they contradict. */
export function foldDomain(atoms: readonly Atom[], col: DomainColumn): Domain | null {
  const d: Domain = {};
  if (col.notNull) d.notNull = true;
  for (const a of atoms) {
    switch (a.a) {
      case 'null':
        if (a.not) d.notNull = true;
        else d.isNull = true;
        break;
      case 'cmp': {
        d.notNull = true;
        const v = a.v;
        if (v.t === 'now') {
          if (a.op === '<' || a.op === '<=') d.beforeNow = true;
          else if (a.op === '>' || a.op === '>=') d.afterNow = true;
          else d.unsupported = [...(d.unsupported ?? []), `= now()`];
          break;
        }
        if (v.t === 'bool') {
          const want = a.op === '=' ? v.v : a.op === '<>' ? !v.v : null;
          if (want === null) d.unsupported = [...(d.unsupported ?? []), 'ordering of booleans'];
          else d.values = intersect(d.values, [want]);
          break;
        }
        if (a.op === '=') { d.values = intersect(d.values, [v.v]); break; }
        if (a.op === '<>') {
          if (v.v === '') d.minLength = Math.max(d.minLength ?? 0, 1);
          else d.notValues = [...(d.notValues ?? []), v.v];
          break;
        }
        if (v.t === 'str') {
          // Text ordering (`code > ''`): treated as "not that value" when it is the empty string.
          if (a.op === '>' && v.v === '') d.minLength = Math.max(d.minLength ?? 0, 1);
          else d.unsupported = [...(d.unsupported ?? []), `text ordering ${a.op} '${v.v}'`];
          break;
        }
        const isDate = v.t === 'date';
        const s = isDate ? col.dateStep : col.step;
        const x = v.v;
        const lo = a.op === '>' ? above(x, s) : a.op === '>=' ? (isDate ? x : ceilTo(x, s)) : undefined;
        const hi = a.op === '<' ? below(x, s) : a.op === '<=' ? (isDate ? x : floorTo(x, s)) : undefined;
        if (isDate) {
          if (lo !== undefined) d.after = Math.max(d.after ?? -Infinity, lo);
          if (hi !== undefined) d.before = Math.min(d.before ?? Infinity, hi);
        } else {
          if (lo !== undefined) d.min = Math.max(d.min ?? -Infinity, lo);
          if (hi !== undefined) d.max = Math.min(d.max ?? Infinity, hi);
        }
        break;
      }
      case 'in': {
        d.notNull = true;
        const vs = a.vs.map(raw).filter((x): x is string | number | boolean => x !== null);
        if (a.not) d.notValues = [...(d.notValues ?? []), ...vs];
        else d.values = intersect(d.values, vs);
        break;
      }
      case 'len': {
        d.notNull = true;
        const [minK, maxK] = a.fn === 'len' ? (['minLength', 'maxLength'] as const) : (['minItems', 'maxItems'] as const);
        const n = a.n;
        if (a.op === '<' || a.op === '<=' || a.op === '=') d[maxK] = Math.min(d[maxK] ?? Infinity, a.op === '<' ? Math.ceil(n) - 1 : Math.floor(n));
        if (a.op === '>' || a.op === '>=' || a.op === '=') d[minK] = Math.max(d[minK] ?? 0, a.op === '>' ? Math.floor(n) + 1 : Math.ceil(n));
        if (a.op === '<>') {
          if (n === 0) d[minK] = Math.max(d[minK] ?? 0, 1);
          else d.unsupported = [...(d.unsupported ?? []), `length <> ${n}`];
        }
        break;
      }
      case 're':
        d.notNull = true;
        (a.not ? (d.notRegex ??= []) : (d.regex ??= [])).push({ pattern: a.pattern, ci: a.ci });
        break;
      case 'shape':
        d.notNull = true;
        if (!a.not) d[a.shape] = true;
        else if (a.shape === 'lower') (d.regex ??= []).push({ pattern: '[A-Z]', ci: false });
        else if (a.shape === 'upper') (d.regex ??= []).push({ pattern: '[a-z]', ci: false });
        else (d.regex ??= []).push({ pattern: '^ | $', ci: false });
        break;
      case 'json':
        d.notNull = true;
        if (a.not) d.notJson = [...(d.notJson ?? []), ...a.kinds];
        else d.json = d.json ? d.json.filter((k) => a.kinds.includes(k)) : [...a.kinds];
        break;
      case 'has': {
        d.notNull = true;
        const v = raw(a.v);
        if (v !== null) (a.not ? (d.notHas ??= []) : (d.has ??= [])).push(v);
        break;
      }
      case 'opaque':
        d.unsupported = [...(d.unsupported ?? []), a.text];
        break;
      default:
        break;
    }
  }
  return feasible(d) ? d : null;
}

function intersect<T extends string | number | boolean>(a: T[] | undefined, b: readonly T[]): T[] {
  if (!a) return [...new Set(b)];
  const bs = new Set(b.map(String));
  return a.filter((x) => bs.has(String(x)));
}

/** Whether a domain can hold a value (or NULL, when it must be NULL). */
export function feasible(d: Domain): boolean {
  if (d.isNull) return !d.notNull;
  if (d.min !== undefined && d.max !== undefined && d.min > d.max) return false;
  if (d.after !== undefined && d.before !== undefined && d.after > d.before) return false;
  if (d.minLength !== undefined && d.maxLength !== undefined && d.minLength > d.maxLength) return false;
  if (d.minItems !== undefined && d.maxItems !== undefined && d.minItems > d.maxItems) return false;
  if (d.maxLength !== undefined && d.maxLength < 0) return false;
  if (d.json && d.json.length === 0) return false;
  if (d.json && d.notJson && d.json.every((k) => d.notJson!.includes(k))) return false;
  if (d.has && d.notHas && d.has.some((x) => d.notHas!.some((y) => String(x) === String(y)))) return false;
  if (d.values) {
    const ok = d.values.filter((v) => {
      if (d.notValues?.some((x) => String(x) === String(v))) return false;
      if (typeof v === 'number' && ((d.min !== undefined && v < d.min) || (d.max !== undefined && v > d.max))) return false;
      if (typeof v === 'string' && ((d.minLength !== undefined && v.length < d.minLength) || (d.maxLength !== undefined && v.length > d.maxLength))) return false;
      return true;
    });
    if (!ok.length) return false;
  }
  if (d.regex && d.notRegex && d.regex.some((r) => d.notRegex!.some((n) => n.pattern === r.pattern && n.ci === r.ci))) return false;
  return true;
}

/** Both domains at once (for a column constrained by a term and by its own checks), or null. */
export function meet(a: Domain, b: Domain): Domain | null {
  const d: Domain = { ...a };
  const merge = <K extends keyof Domain>(k: K, f: (x: NonNullable<Domain[K]>, y: NonNullable<Domain[K]>) => Domain[K]): void => {
    const x = a[k];
    const y = b[k];
    if (y === undefined) return;
    d[k] = x === undefined ? y : f(x as NonNullable<Domain[K]>, y as NonNullable<Domain[K]>);
  };
  merge('isNull', () => true);
  merge('notNull', () => true);
  merge('min', (x, y) => Math.max(x, y));
  merge('max', (x, y) => Math.min(x, y));
  merge('after', (x, y) => Math.max(x, y));
  merge('before', (x, y) => Math.min(x, y));
  merge('afterNow', () => true);
  merge('beforeNow', () => true);
  merge('values', (x, y) => intersect(x, y));
  merge('notValues', (x, y) => [...x, ...y]);
  merge('minLength', (x, y) => Math.max(x, y));
  merge('maxLength', (x, y) => Math.min(x, y));
  merge('minItems', (x, y) => Math.max(x, y));
  merge('maxItems', (x, y) => Math.min(x, y));
  merge('regex', (x, y) => [...x, ...y]);
  merge('notRegex', (x, y) => [...x, ...y]);
  merge('lower', () => true);
  merge('upper', () => true);
  merge('trimmed', () => true);
  merge('json', (x, y) => x.filter((k) => y.includes(k)));
  merge('notJson', (x, y) => [...x, ...y]);
  merge('has', (x, y) => [...x, ...y]);
  merge('notHas', (x, y) => [...x, ...y]);
  merge('unsupported', (x, y) => [...x, ...y]);
  return feasible(d) ? d : null;
}

/** The domain says nothing beyond NOT NULL (or less). */
export function isFree(d: Domain): boolean {
  return Object.keys(d).every((k) => k === 'notNull');
}
