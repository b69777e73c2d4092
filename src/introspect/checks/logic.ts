/**
 * From a parsed SQL expression to formulas over atoms (atoms.ts), with SQL's three-valued logic
 * made explicit. For every boolean expression e the translation gives two formulas: T(e) "e is
 * TRUE" and F(e) "e is FALSE" (NULL is neither). Then:
 *
 * - a CHECK passes unless FALSE:               pass(e)  = ¬F(e)
 * - a partial index holds a row when TRUE:      holds(e) = T(e)
 * - a partition takes a row when TRUE:          T(bound)
 *
 * So `CHECK (rating BETWEEN 0 AND 100)` lets a NULL rating through, and
 * `CHECK ((a IS NOT NULL) <> (b IS NOT NULL))` becomes "exactly one of a, b". SQL-language
 * functions the catalog knows (`controlled_for_whitespace(name)`) are inlined first. Whatever is
 * not understood becomes an opaque atom naming the sub-expression, never a guess.
 */
import type { CatalogFunction } from '../catalog-types.js';
import { FALSE, FLIP_OP, NEG_OP, TRUE, and, atom, isNull, neg, notNull, or, type CmpOp, type Formula, type Value } from './atoms.js';
import { columnsOf, mapExpr, parseExpr, type Expr } from './parse.js';
import { exprText } from './print.js';
import { operand, parseSqlDate, strip } from './operands.js';

export { parseSqlDate } from './operands.js';

/** What the translation needs to know about columns. */
export interface LogicContext {
  /** Broad kind of a column (for `CHECK (active)`, dates, arrays); undefined when not a column. */
  kindOf(col: string): 'bool' | 'array' | 'date' | 'number' | 'text' | 'json' | 'other' | undefined;
  functions?: readonly CatalogFunction[];
}

export interface TF {
  T: Formula;
  F: Formula;
}

/** Parses and inlines `text` (`VALUE` renamed to `valueColumn` for domain checks). */
export function prepare(text: string, ctx: LogicContext, valueColumn?: string): Expr {
  let e = parseExpr(text);
  if (valueColumn) e = mapExpr(e, (x) => (x.k === 'col' && x.name === 'VALUE' ? { k: 'col', name: valueColumn } : x));
  return inline(e, ctx.functions ?? [], 0);
}

/** Replaces calls of known SQL functions by their bodies, arguments substituted. */
function inline(e: Expr, functions: readonly CatalogFunction[], depth: number): Expr {
  if (depth > 8 || !functions.length) return e;
  let changed = false;
  const out = mapExpr(e, (x) => {
    if (x.k !== 'call') return x;
    const bare = x.name.replace(/^.*\./, '');
    const schema = x.name.includes('.') ? x.name.replace(/\.[^.]*$/, '') : null;
    const fn = functions.find((f) => f.name === bare && f.args === x.args.length && (schema === null || f.schema === schema));
    if (!fn) return x;
    let body: Expr;
    try {
      body = parseExpr(fn.body);
    } catch {
      return x;
    }
    changed = true;
    return mapExpr(body, (y) => (y.k === 'param' ? x.args[y.n - 1] ?? y : y));
  });
  return changed ? inline(out, functions, depth + 1) : out;
}

// ---- translation -----------------------------------------------------------------------------

const opaque = (e: Expr): TF => {
  const text = exprText(e);
  const cols = [...columnsOf(e)];
  const strict = isStrict(e);
  return { T: atom({ a: 'opaque', text, cols, not: false, side: 'T', strict }), F: atom({ a: 'opaque', text, cols, not: false, side: 'F', strict }) };
};

/** NULL in any column makes `e` NULL: no construct that turns NULL into a value. */
function isStrict(e: Expr): boolean {
  switch (e.k) {
    case 'case': case 'isnull': case 'istruth': case 'distinct': case 'and': case 'or': return false;
    case 'call': return !/^(coalesce|nullif|greatest|least|concat|concat_ws|num_nulls|num_nonnulls|array_remove|format)$/.test(e.name.replace(/^.*\./, '')) && e.args.every(isStrict);
    case 'not': case 'neg': case 'cast': return isStrict(e.arg);
    case 'cmp': case 'arith': return isStrict(e.left) && isStrict(e.right);
    case 'any': return isStrict(e.left) && e.values.every(isStrict) && (!e.array || isStrict(e.array));
    case 'array': return e.items.every(isStrict);
    default: return true;
  }
}

const isBoolExpr = (e: Expr, ctx: LogicContext): boolean => {
  const s = strip(e);
  if (s.k === 'cmp' || s.k === 'isnull' || s.k === 'istruth' || s.k === 'and' || s.k === 'or' || s.k === 'not' || s.k === 'any' || s.k === 'distinct') return true;
  if (s.k === 'lit' && typeof s.value === 'boolean') return true;
  return s.k === 'col' && ctx.kindOf(s.name) === 'bool';
};

const cmpConst = (a: number | string | boolean, op: CmpOp, b: number | string | boolean): boolean =>
  op === '=' ? a === b : op === '<>' ? a !== b : op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;

/** T and F of a boolean expression. */
export function truth(e: Expr, ctx: LogicContext): TF {
  switch (e.k) {
    case 'and': {
      const parts = e.args.map((a) => truth(a, ctx));
      return { T: and(...parts.map((p) => p.T)), F: or(...parts.map((p) => p.F)) };
    }
    case 'or': {
      const parts = e.args.map((a) => truth(a, ctx));
      return { T: or(...parts.map((p) => p.T)), F: and(...parts.map((p) => p.F)) };
    }
    case 'not': {
      const x = truth(e.arg, ctx);
      return { T: x.F, F: x.T };
    }
    case 'cast': return truth(e.arg, ctx);
    case 'lit':
      if (e.value === null) return { T: FALSE, F: FALSE };
      if (typeof e.value === 'boolean') return e.value ? { T: TRUE, F: FALSE } : { T: FALSE, F: TRUE };
      return opaque(e);
    case 'col':
      if (ctx.kindOf(e.name) === 'bool' || ctx.kindOf(e.name) === undefined) {
        return { T: atom({ a: 'cmp', col: e.name, op: '=', v: { t: 'bool', v: true } }), F: atom({ a: 'cmp', col: e.name, op: '=', v: { t: 'bool', v: false } }) };
      }
      return opaque(e);
    case 'isnull': {
      const o = operand(e.arg, ctx);
      const col = o.o === 'col' || o.o === 'len' || o.o === 'shape' || o.o === 'jsontype' ? o.col : null;
      if (col === null) {
        if (o.o === 'val') return (o.v === null) !== e.not ? { T: TRUE, F: FALSE } : { T: FALSE, F: TRUE };
        return opaque(e);
      }
      const n = o.o === 'len' && o.fn === 'alen' ? or(isNull(col), atom({ a: 'len', col, fn: 'card', op: '=', n: 0 })) : isNull(col);
      return e.not ? { T: neg(n), F: n } : { T: n, F: neg(n) };
    }
    case 'istruth': {
      const x = truth(e.arg, ctx);
      const U = and(neg(x.T), neg(x.F));
      const is = e.value === true ? x.T : e.value === false ? x.F : U;
      return e.not ? { T: neg(is), F: is } : { T: is, F: neg(is) };
    }
    case 'distinct': {
      const eq = equality(e.left, e.right, ctx);
      if (!eq) return opaque(e);
      // IS DISTINCT FROM is never NULL: TRUE exactly when "=" is not TRUE under NULL-equals-NULL.
      return e.not ? { T: eq, F: neg(eq) } : { T: neg(eq), F: eq };
    }
    case 'cmp': return comparison(e, ctx);
    case 'any': return anyOf(e, ctx);
    default: return opaque(e);
  }
}

/** "left IS NOT DISTINCT FROM right" for columns and constants, or null. */
function equality(l: Expr, r: Expr, ctx: LogicContext): Formula | null {
  const a = operand(l, ctx);
  const b = operand(r, ctx);
  if (a.o === 'val' && b.o === 'col') return equality(r, l, ctx);
  if (a.o === 'col' && b.o === 'val') return b.v === null ? isNull(a.col) : atom({ a: 'cmp', col: a.col, op: '=', v: b.v });
  if (a.o === 'col' && b.o === 'col') return or(and(isNull(a.col), isNull(b.col)), atom({ a: 'colcmp', left: a.col, op: '=', right: b.col }));
  return null;
}

function comparison(e: Extract<Expr, { k: 'cmp' }>, ctx: LogicContext): TF {
  const op = e.op;
  if (['~', '~*', '!~', '!~*', '~~', '~~*', '!~~', '!~~*'].includes(op)) return regexMatch(e, ctx);
  const cop = op as CmpOp;
  // Booleans compared: (a IS NULL) = (b IS NULL), (status = 'x') = (x_at IS NOT NULL), flag = true.
  if ((cop === '=' || cop === '<>') && isBoolExpr(e.left, ctx) && isBoolExpr(e.right, ctx)) {
    const x = truth(e.left, ctx);
    const y = truth(e.right, ctx);
    const same = or(and(x.T, y.T), and(x.F, y.F));
    const diff = or(and(x.T, y.F), and(x.F, y.T));
    return cop === '=' ? { T: same, F: diff } : { T: diff, F: same };
  }
  let a = operand(e.left, ctx);
  let b = operand(e.right, ctx);
  let o = cop;
  if (a.o === 'val' && b.o !== 'val') {
    [a, b] = [b, a];
    o = FLIP_OP[o];
  }
  const v = b.o === 'val' ? b.v : undefined;
  if (v === null) return { T: FALSE, F: FALSE }; // anything compared with NULL is NULL
  if (a.o === 'val' && v !== undefined) {
    const x = a.v;
    if (x === null) return { T: FALSE, F: FALSE };
    if (x.t === 'now' || v.t === 'now' || x.t !== v.t) return opaque(e);
    const r = cmpConst(x.v, o, v.v);
    return r ? { T: TRUE, F: FALSE } : { T: FALSE, F: TRUE };
  }
  if (a.o === 'col' && v !== undefined) {
    const val = coerceValue(v, ctx.kindOf(a.col));
    return { T: atom({ a: 'cmp', col: a.col, op: o, v: val }), F: atom({ a: 'cmp', col: a.col, op: NEG_OP[o], v: val }) };
  }
  if (a.o === 'col' && b.o === 'col') {
    return { T: atom({ a: 'colcmp', left: a.col, op: o, right: b.col }), F: atom({ a: 'colcmp', left: a.col, op: NEG_OP[o], right: b.col }) };
  }
  if (a.o === 'len' && v?.t === 'num') {
    const col = a.col;
    if (a.fn === 'trimlen') {
      // length(btrim(x)) > 0: not blank.
      const blank = (o === '>' && v.v === 0) || (o === '>=' && v.v === 1) || (o === '<>' && v.v === 0);
      if (!blank) return opaque(e);
      return { T: atom({ a: 're', col, pattern: '[^ ]', ci: false, not: false }), F: atom({ a: 're', col, pattern: '[^ ]', ci: false, not: true }) };
    }
    if (a.fn === 'alen') {
      // array_length(x, 1) is NULL for an empty array.
      const nonEmpty = atom({ a: 'len', col, fn: 'card', op: '>=', n: 1 });
      return { T: and(nonEmpty, atom({ a: 'len', col, fn: 'card', op: o, n: v.v })), F: and(nonEmpty, atom({ a: 'len', col, fn: 'card', op: NEG_OP[o], n: v.v })) };
    }
    return { T: atom({ a: 'len', col, fn: a.fn, op: o, n: v.v }), F: atom({ a: 'len', col, fn: a.fn, op: NEG_OP[o], n: v.v }) };
  }
  if (a.o === 'shape' && b.o === 'col' && a.col === b.col && (o === '=' || o === '<>')) {
    const t = atom({ a: 'shape', col: a.col, shape: a.shape, not: false });
    const f = atom({ a: 'shape', col: a.col, shape: a.shape, not: true });
    return o === '=' ? { T: t, F: f } : { T: f, F: t };
  }
  if (b.o === 'shape' && a.o === 'col') return comparison({ k: 'cmp', op: FLIP_OP[o], left: e.right, right: e.left }, ctx);
  if (a.o === 'shape' && a.shape === 'trimmed' && v?.t === 'str' && v.v === '' && (o === '=' || o === '<>')) {
    const blank = atom({ a: 're', col: a.col, pattern: '[^ ]', ci: false, not: true });
    const filled = atom({ a: 're', col: a.col, pattern: '[^ ]', ci: false, not: false });
    return o === '=' ? { T: blank, F: filled } : { T: filled, F: blank };
  }
  if (a.o === 'jsontype' && v?.t === 'str' && (o === '=' || o === '<>')) {
    const t = atom({ a: 'json', col: a.col, kinds: [v.v], not: false });
    const f = atom({ a: 'json', col: a.col, kinds: [v.v], not: true });
    return o === '=' ? { T: t, F: f } : { T: f, F: t };
  }
  if (a.o === 'count' && v?.t === 'num') {
    // num_nonnulls(a, b, c) = 1: every assignment of NULL / NOT NULL with the right count.
    const n = a.cols.length;
    const pass: Formula[] = [];
    const fail: Formula[] = [];
    for (let mask = 0; mask < 1 << n; mask++) {
      let filled = 0;
      const parts: Formula[] = [];
      a.cols.forEach((c, i) => {
        const set = (mask >> i) & 1;
        filled += set;
        parts.push(set ? notNull(c) : isNull(c));
      });
      const count = a.nulls ? n - filled : filled;
      (cmpConst(count, o, v.v) ? pass : fail).push(and(...parts));
    }
    return { T: or(...pass), F: or(...fail) };
  }
  if (a.o === 'coalesce' && v !== undefined) {
    const val = coerceValue(v, ctx.kindOf(a.col));
    const fb = coerceValue(a.fallback, ctx.kindOf(a.col));
    const fbHolds = fb.t !== 'now' && val.t !== 'now' && fb.t === val.t ? cmpConst(fb.v, o, val.v) : null;
    if (fbHolds === null) return opaque(e);
    const present = (op: CmpOp): Formula => atom({ a: 'cmp', col: a.col, op, v: val });
    return { T: or(present(o), fbHolds ? isNull(a.col) : FALSE), F: or(present(NEG_OP[o]), fbHolds ? FALSE : isNull(a.col)) };
  }
  // Linear: a + b = total, attempt <= max_attempts + 1.
  const la = a.o === 'lin' ? a : a.o === 'col' ? { terms: new Map([[a.col, 1]]), k: 0 } : a.o === 'val' && a.v?.t === 'num' ? { terms: new Map<string, number>(), k: a.v.v } : null;
  const lb = b.o === 'lin' ? b : b.o === 'col' ? { terms: new Map([[b.col, 1]]), k: 0 } : b.o === 'val' && b.v?.t === 'num' ? { terms: new Map<string, number>(), k: b.v.v } : null;
  if (la && lb && (a.o === 'lin' || b.o === 'lin')) {
    const terms = new Map(la.terms);
    for (const [c, x] of lb.terms) terms.set(c, (terms.get(c) ?? 0) - x);
    for (const [c, x] of terms) if (x === 0) terms.delete(c);
    const k = la.k - lb.k;
    if (terms.size === 0) return cmpConst(k, o, 0) ? { T: TRUE, F: FALSE } : { T: FALSE, F: TRUE };
    if (terms.size === 1) {
      // c·x + k op 0  →  x op' -k/c
      const [[col, coef]] = [...terms] as [[string, number]];
      const bound = -k / coef;
      const op2 = coef > 0 ? o : FLIP_OP[o];
      const val: Value = { t: 'num', v: bound };
      return { T: atom({ a: 'cmp', col, op: op2, v: val }), F: atom({ a: 'cmp', col, op: NEG_OP[op2], v: val }) };
    }
    const list = [...terms].map(([col, coef]) => ({ col, coef }));
    return { T: atom({ a: 'lin', terms: list, k, op: o }), F: atom({ a: 'lin', terms: list, k, op: NEG_OP[o] }) };
  }
  return opaque(e);
}

/** A string literal compared with a date/number column means its value. */
function coerceValue(v: Value, kind: ReturnType<LogicContext['kindOf']>): Value {
  if (v.t === 'str' && kind === 'date') {
    const d = parseSqlDate(v.v);
    if (d !== null) return { t: 'date', v: d };
  }
  if (v.t === 'str' && kind === 'number' && v.v.trim() !== '' && Number.isFinite(Number(v.v))) return { t: 'num', v: Number(v.v) };
  if (v.t === 'str' && kind === 'bool') return { t: 'bool', v: /^(t|true|y|yes|on|1)$/i.test(v.v) };
  return v;
}

/** `x ~ 'pattern'`, `x ~~ 'like%'` (and their negations / case-insensitive forms). */
function regexMatch(e: Extract<Expr, { k: 'cmp' }>, ctx: LogicContext): TF {
  const a = operand(e.left, ctx);
  const b = operand(e.right, ctx);
  if (a.o !== 'col' || b.o !== 'val' || b.v?.t !== 'str') return b.o === 'val' && b.v === null ? { T: FALSE, F: FALSE } : opaque(e);
  const like = e.op.includes('~~');
  const ci = e.op.endsWith('*');
  const negated = e.op.startsWith('!');
  const pattern = like ? likeToRegex(b.v.v) : b.v.v;
  const t = atom({ a: 're', col: a.col, pattern, ci, not: false });
  const f = atom({ a: 're', col: a.col, pattern, ci, not: true });
  return negated ? { T: f, F: t } : { T: t, F: f };
}

/** A LIKE pattern as an anchored regular expression (`%` any run, `_` one character, `\` escapes). */
export function likeToRegex(p: string): string {
  let out = '^';
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (ch === '\\' && i + 1 < p.length) out += escapeRe(p[++i]!);
    else if (ch === '%') out += '.*';
    else if (ch === '_') out += '.';
    else out += escapeRe(ch);
  }
  return `${out}$`;
}

const escapeRe = (c: string): string => (/[\\^$.|?*+()[\]{}]/.test(c) ? `\\${c}` : c);

function anyOf(e: Extract<Expr, { k: 'any' }>, ctx: LogicContext): TF {
  const a = operand(e.left, ctx);
  if (e.array) {
    // 'x' = ANY (tags): the array column contains a value.
    const arr = operand(e.array, ctx);
    if (a.o === 'val' && a.v && arr.o === 'col' && ((e.op === '=' && !e.all) || (e.op === '<>' && e.all))) {
      const has = atom({ a: 'has', col: arr.col, v: a.v, not: false });
      const hasNot = atom({ a: 'has', col: arr.col, v: a.v, not: true });
      return e.op === '=' ? { T: has, F: hasNot } : { T: hasNot, F: has };
    }
    return opaque(e);
  }
  const vals: Value[] = [];
  for (const x of e.values) {
    const o = operand(x, ctx);
    if (o.o !== 'val' || o.v === null) return opaque(e);
    vals.push(o.v);
  }
  if (a.o !== 'col') return opaque(e);
  const col = a.col;
  const vs = vals.map((v) => coerceValue(v, ctx.kindOf(col)));
  if (!vs.length) return e.all ? { T: notNull(col), F: FALSE } : { T: FALSE, F: notNull(col) };
  if (e.op === '=' && !e.all) return { T: atom({ a: 'in', col, vs, not: false }), F: atom({ a: 'in', col, vs, not: true }) };
  if (e.op === '<>' && e.all) return { T: atom({ a: 'in', col, vs, not: true }), F: atom({ a: 'in', col, vs, not: false }) };
  // x > ALL (…), x <= ANY (…): a bound by the largest / smallest value.
  if (['<', '<=', '>', '>='].includes(e.op) && vs.every((v) => v.t === 'num')) {
    const nums = vs.map((v) => (v as { v: number }).v);
    const upper = e.op.startsWith('<');
    const bound = (upper ? e.all : !e.all) ? Math.min(...nums) : Math.max(...nums);
    const op = e.op as CmpOp;
    const v: Value = { t: 'num', v: bound };
    return { T: atom({ a: 'cmp', col, op, v }), F: atom({ a: 'cmp', col, op: NEG_OP[op], v }) };
  }
  return opaque(e);
}

/** What a row must satisfy for the CHECK to pass (not FALSE). */
export function passOf(e: Expr, ctx: LogicContext): Formula {
  return neg(truth(e, ctx).F);
}

/** What a row must satisfy for the expression to be TRUE (partial index predicates, partition bounds). */
export function holdsOf(e: Expr, ctx: LogicContext): Formula {
  return truth(e, ctx).T;
}
