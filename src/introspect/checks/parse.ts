/**
 * A recursive-descent parser for the SQL expressions Postgres prints for constraints, index
 * predicates, partition bounds and SQL function bodies (`pg_get_constraintdef`, `pg_get_expr`,
 * `pg_get_partition_constraintdef`, `prosrc`) on PostgreSQL 12–18: fully parenthesised, `BETWEEN`
 * expanded, `IN (…)` printed as `= ANY (ARRAY[…])`, `NOT IN` as `<> ALL (…)`, literals with casts
 * (`(0)::numeric`, `'-90'::integer`, `'2022-01-01 00:00:00+00'::timestamp with time zone`).
 * Function bodies may also use `IN`, `BETWEEN`, `LIKE`, `E'…'` strings and `$1` parameters.
 */
import { tokenize, type Tok } from './tokens.js';

export type Expr =
  | { k: 'col'; name: string }
  | { k: 'param'; n: number }
  | { k: 'lit'; value: string | number | null | boolean; type?: string }
  | { k: 'now' }
  | { k: 'and' | 'or'; args: Expr[] }
  | { k: 'not'; arg: Expr }
  | { k: 'cmp'; op: string; left: Expr; right: Expr }
  | { k: 'any'; op: string; left: Expr; values: Expr[]; all: boolean; array?: Expr }
  | { k: 'isnull'; arg: Expr; not: boolean }
  | { k: 'istruth'; arg: Expr; value: boolean | null; not: boolean }
  | { k: 'distinct'; left: Expr; right: Expr; not: boolean }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'array'; items: Expr[] }
  | { k: 'arith'; op: string; left: Expr; right: Expr }
  | { k: 'neg'; arg: Expr }
  | { k: 'cast'; arg: Expr; type: string }
  | { k: 'case'; subject: Expr | null; whens: { when: Expr; then: Expr }[]; otherwise: Expr | null };

const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'any', 'all', 'some', 'array', 'true', 'false', 'in', 'between', 'like', 'ilike', 'similar', 'case', 'when', 'then', 'else', 'end', 'distinct', 'from', 'unknown']);
export const NOW_WORDS = new Set(['current_date', 'current_timestamp', 'localtimestamp', 'localtime', 'current_time', 'now', 'statement_timestamp', 'transaction_timestamp', 'clock_timestamp']);
const CMP_OPS = ['=', '<>', '!=', '<', '<=', '>', '>=', '~', '~*', '!~', '!~*', '~~', '!~~', '~~*', '!~~*'];

/** Type names after `::`, possibly multi-word (`character varying`, `timestamp with time zone`) and arrays. */
function parseTypeName(toks: Tok[], pos: { i: number }): string {
  const words: string[] = [];
  while (toks[pos.i]?.t === 'id') {
    const tk = toks[pos.i] as { v: string };
    const w = tk.v.toLowerCase();
    if (words.length > 0 && KEYWORDS.has(w)) break;
    words.push(w);
    pos.i++;
    // `public.mpaa_rating`: a schema-qualified type (the dot is not a token: `public` then `.`?)
    if (toks[pos.i]?.t === 'p' && (toks[pos.i] as { v: string }).v === '(') {
      let depth = 0;
      do {
        const t = toks[pos.i]!;
        if (t.t === 'p' && t.v === '(') depth++;
        if (t.t === 'p' && t.v === ')') depth--;
        pos.i++;
      } while (depth > 0 && pos.i < toks.length);
    }
    const next = toks[pos.i];
    if (!(next?.t === 'id' && /^(varying|precision|with|without|time|zone)$/i.test(next.v))) break;
  }
  while (toks[pos.i]?.t === 'p' && (toks[pos.i] as { v: string }).v === '[' && toks[pos.i + 1]?.t === 'p' && (toks[pos.i + 1] as { v: string }).v === ']') {
    words.push('[]');
    pos.i += 2;
  }
  return words.join(' ').replace(/ \[\]/g, '[]').replace(/^.*\.(?=[^.]+$)/, '');
}

export function parseExpr(text: string): Expr {
  // Qualified names (`musicbrainz.f(x)`, `public.mpaa_rating`) arrive as `a` `.` `b`: join them first.
  const toks = joinQualified(tokenize(text));
  const pos = { i: 0 };
  const peek = (o = 0): Tok | undefined => toks[pos.i + o];
  const isWord = (w: string, o = 0): boolean => {
    const tk = peek(o);
    return tk?.t === 'id' && !tk.quoted && tk.v.toLowerCase() === w;
  };
  const isP = (v: string): boolean => {
    const tk = peek();
    return tk?.t === 'p' && tk.v === v;
  };
  const expectP = (v: string): void => {
    if (!isP(v)) throw new Error(`expected "${v}"`);
    pos.i++;
  };
  const expectWord = (w: string): void => {
    if (!isWord(w)) throw new Error(`expected ${w.toUpperCase()}`);
    pos.i++;
  };
  const list = (): Expr[] => {
    const items: Expr[] = [];
    if (!isP(')')) {
      items.push(orExpr());
      while (isP(',')) { pos.i++; items.push(orExpr()); }
    }
    return items;
  };

  const orExpr = (): Expr => {
    const args = [andExpr()];
    while (isWord('or')) { pos.i++; args.push(andExpr()); }
    return args.length === 1 ? args[0]! : { k: 'or', args };
  };
  const andExpr = (): Expr => {
    const args = [notExpr()];
    while (isWord('and')) { pos.i++; args.push(notExpr()); }
    return args.length === 1 ? args[0]! : { k: 'and', args };
  };
  const notExpr = (): Expr => {
    if (isWord('not')) { pos.i++; return { k: 'not', arg: notExpr() }; }
    return isExpr();
  };
  const isExpr = (): Expr => {
    let left = cmpExpr();
    while (isWord('is')) {
      pos.i++;
      let not = false;
      if (isWord('not')) { not = true; pos.i++; }
      if (isWord('null')) { pos.i++; left = { k: 'isnull', arg: left, not }; continue; }
      if (isWord('true') || isWord('false') || isWord('unknown')) {
        const w = (peek() as { v: string }).v.toLowerCase();
        pos.i++;
        left = { k: 'istruth', arg: left, value: w === 'true' ? true : w === 'false' ? false : null, not };
        continue;
      }
      if (isWord('distinct')) {
        pos.i++;
        expectWord('from');
        left = { k: 'distinct', left, right: cmpExpr(), not };
        continue;
      }
      throw new Error('unsupported IS form');
    }
    return left;
  };
  const cmpExpr = (): Expr => {
    const left = addExpr();
    // Function-body forms: x [NOT] IN (…), x [NOT] BETWEEN a AND b, x [NOT] LIKE p.
    const negated = isWord('not') && (isWord('in', 1) || isWord('between', 1) || isWord('like', 1) || isWord('ilike', 1));
    if (negated) pos.i++;
    if (isWord('in')) {
      pos.i++;
      expectP('(');
      const values = list();
      expectP(')');
      return { k: 'any', op: negated ? '<>' : '=', left, values, all: negated };
    }
    if (isWord('between')) {
      pos.i++;
      const lo = addExpr();
      expectWord('and');
      const hi = addExpr();
      const e: Expr = { k: 'and', args: [{ k: 'cmp', op: '>=', left, right: lo }, { k: 'cmp', op: '<=', left, right: hi }] };
      return negated ? { k: 'not', arg: e } : e;
    }
    if (isWord('like') || isWord('ilike')) {
      const ci = isWord('ilike');
      pos.i++;
      const op = `${negated ? '!' : ''}~~${ci ? '*' : ''}`;
      return { k: 'cmp', op, left, right: addExpr() };
    }
    const tk = peek();
    if (tk?.t === 'op' && CMP_OPS.includes(tk.v)) {
      pos.i++;
      const op = tk.v === '!=' ? '<>' : tk.v;
      if (isWord('any') || isWord('all') || isWord('some')) {
        const all = isWord('all');
        pos.i++;
        expectP('(');
        const arr = orExpr();
        expectP(')');
        const inner = arr.k === 'cast' ? arr.arg : arr;
        const values = inner.k === 'array' ? inner.items : inner.k === 'lit' && typeof inner.value === 'string' && (inner.type?.endsWith('[]') || (arr.k === 'cast' && arr.type.endsWith('[]'))) ? parseArrayLiteral(inner.value) : null;
        return values ? { k: 'any', op, left, values, all } : { k: 'any', op, left, values: [], all, array: arr };
      }
      return { k: 'cmp', op, left, right: addExpr() };
    }
    return left;
  };
  const addExpr = (): Expr => {
    let left = mulExpr();
    for (let tk = peek(); tk?.t === 'op' && ['+', '-', '||'].includes(tk.v); tk = peek()) {
      pos.i++;
      left = { k: 'arith', op: tk.v, left, right: mulExpr() };
    }
    return left;
  };
  const mulExpr = (): Expr => {
    let left = unary();
    for (let tk = peek(); tk?.t === 'op' && ['*', '/', '%', '^'].includes(tk.v); tk = peek()) {
      pos.i++;
      left = { k: 'arith', op: tk.v, left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    const tk = peek();
    if (tk?.t === 'op' && (tk.v === '-' || tk.v === '+')) {
      pos.i++;
      const arg = unary();
      if (tk.v === '+') return arg;
      if (arg.k === 'lit' && typeof arg.value === 'number') return { ...arg, value: -arg.value };
      return { k: 'neg', arg };
    }
    return postfix();
  };
  const postfix = (): Expr => {
    let e = primary();
    for (;;) {
      if (peek()?.t === 'cast') {
        pos.i++;
        e = castOf(e, parseTypeName(toks, pos));
        continue;
      }
      // Array subscripts `x[1]` (rare in checks): keep the base, the value is opaque.
      if (isP('[')) {
        pos.i++;
        const idx = orExpr();
        expectP(']');
        e = { k: 'call', name: '[]', args: [e, idx] };
        continue;
      }
      return e;
    }
  };
  const primary = (): Expr => {
    const tk = peek();
    if (!tk) throw new Error('unexpected end of expression');
    if (tk.t === 'num') { pos.i++; return { k: 'lit', value: tk.v }; }
    if (tk.t === 'str') { pos.i++; return { k: 'lit', value: tk.v }; }
    if (tk.t === 'param') { pos.i++; return { k: 'param', n: tk.n }; }
    if (tk.t === 'p' && tk.v === '(') {
      pos.i++;
      const e = orExpr();
      expectP(')');
      return e;
    }
    if (tk.t === 'id') {
      const w = tk.v.toLowerCase();
      pos.i++;
      if (!tk.quoted) {
        if (w === 'null') return { k: 'lit', value: null };
        if (w === 'true' || w === 'false') return { k: 'lit', value: w === 'true' };
        if (w === 'array') {
          expectP('[');
          const items: Expr[] = [];
          if (!isP(']')) {
            items.push(orExpr());
            while (isP(',')) { pos.i++; items.push(orExpr()); }
          }
          expectP(']');
          return { k: 'array', items };
        }
        if (w === 'case') return caseExpr();
        if (NOW_WORDS.has(w) && !isP('(')) return { k: 'now' };
        // Domain checks print the placeholder as VALUE; a column named value prints in lower case.
        if (tk.v === 'VALUE' && !isP('(')) return { k: 'col', name: 'VALUE' };
      }
      if (isP('(')) {
        pos.i++;
        const args = list();
        expectP(')');
        const bare = w.replace(/^.*\./, '');
        if (!tk.quoted && NOW_WORDS.has(bare) && args.length === 0) return { k: 'now' };
        return { k: 'call', name: tk.quoted ? tk.v : w, args };
      }
      if (!tk.quoted && KEYWORDS.has(w)) throw new Error(`unsupported keyword ${tk.v.toUpperCase()}`);
      return { k: 'col', name: tk.v };
    }
    throw new Error(`unexpected token ${tk.t === 'op' ? tk.v : tk.t}`);
  };
  const caseExpr = (): Expr => {
    const subject = isWord('when') ? null : orExpr();
    const whens: { when: Expr; then: Expr }[] = [];
    while (isWord('when')) {
      pos.i++;
      const when = orExpr();
      expectWord('then');
      whens.push({ when, then: orExpr() });
    }
    let otherwise: Expr | null = null;
    if (isWord('else')) { pos.i++; otherwise = orExpr(); }
    expectWord('end');
    return { k: 'case', subject, whens, otherwise };
  };

  const e = orExpr();
  if (pos.i !== toks.length) throw new Error('unexpected text after the expression');
  return e;
}

/** `a` `.` `b` → one identifier `a.b` (schema-qualified functions and types). */
function joinQualified(toks: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const dot = toks[i + 1];
    const next = toks[i + 2];
    if (t.t === 'id' && dot?.t === 'op' && dot.v === '.' && next?.t === 'id') {
      out.push({ t: 'id', v: `${t.v}.${next.v}`, quoted: t.quoted || next.quoted });
      i += 2;
      continue;
    }
    out.push(t);
  }
  return out;
}

/** Folds `'-90'::integer`, `(0)::numeric`, `'2020-01-01'::date` into typed literals; keeps other casts. */
function castOf(e: Expr, type: string): Expr {
  if (e.k === 'lit') {
    if (typeof e.value === 'string' && /^(integer|int|int2|int4|int8|smallint|bigint|numeric|decimal|real|double precision|float4|float8)$/.test(type.replace(/\(.*\)/, ''))) {
      const n = Number(e.value);
      return Number.isFinite(n) && e.value.trim() !== '' ? { k: 'lit', value: n, type } : { ...e, type };
    }
    if (typeof e.value === 'string' && type === 'boolean') return { k: 'lit', value: /^(t|true|y|yes|on|1)$/i.test(e.value), type };
    return { ...e, type };
  }
  if (e.k === 'array') return e.items.every((x) => x.k === 'lit') ? { k: 'array', items: e.items.map((x) => castOf(x, type.replace(/\[\]$/, ''))) } : e;
  return { k: 'cast', arg: e, type };
}

/** `{a,b,"c d"}` → literals. */
export function parseArrayLiteral(s: string): Expr[] | null {
  const m = /^\{(.*)\}$/s.exec(s.trim());
  if (!m) return null;
  if (m[1]!.trim() === '') return [];
  const out: Expr[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*))\s*(?:,|$)/gy;
  let mm: RegExpExecArray | null;
  while (re.lastIndex < m[1]!.length && (mm = re.exec(m[1]!))) {
    const v = mm[1] !== undefined ? mm[1].replace(/\\(.)/g, '$1') : mm[2]!.trim();
    out.push({ k: 'lit', value: mm[1] === undefined && /^NULL$/i.test(v) ? null : v });
    if (mm[0] === '') break;
  }
  return out;
}

/** Columns an expression mentions. */
export function columnsOf(e: Expr, out = new Set<string>()): Set<string> {
  switch (e.k) {
    case 'col': out.add(e.name); break;
    case 'and': case 'or': for (const a of e.args) columnsOf(a, out); break;
    case 'not': case 'neg': columnsOf(e.arg, out); break;
    case 'cast': columnsOf(e.arg, out); break;
    case 'cmp': case 'arith': case 'distinct': columnsOf(e.left, out); columnsOf(e.right, out); break;
    case 'any': columnsOf(e.left, out); for (const v of e.values) columnsOf(v, out); if (e.array) columnsOf(e.array, out); break;
    case 'isnull': case 'istruth': columnsOf(e.arg, out); break;
    case 'call': for (const a of e.args) columnsOf(a, out); break;
    case 'array': for (const a of e.items) columnsOf(a, out); break;
    case 'case':
      if (e.subject) columnsOf(e.subject, out);
      for (const w of e.whens) { columnsOf(w.when, out); columnsOf(w.then, out); }
      if (e.otherwise) columnsOf(e.otherwise, out);
      break;
    default: break;
  }
  return out;
}

/** `e` with every node rewritten by `f` (bottom-up). */
export function mapExpr(e: Expr, f: (x: Expr) => Expr): Expr {
  const r = (x: Expr): Expr => mapExpr(x, f);
  let out: Expr;
  switch (e.k) {
    case 'and': case 'or': out = { k: e.k, args: e.args.map(r) }; break;
    case 'not': out = { k: 'not', arg: r(e.arg) }; break;
    case 'neg': out = { k: 'neg', arg: r(e.arg) }; break;
    case 'cast': out = { k: 'cast', arg: r(e.arg), type: e.type }; break;
    case 'cmp': out = { k: 'cmp', op: e.op, left: r(e.left), right: r(e.right) }; break;
    case 'arith': out = { k: 'arith', op: e.op, left: r(e.left), right: r(e.right) }; break;
    case 'distinct': out = { k: 'distinct', left: r(e.left), right: r(e.right), not: e.not }; break;
    case 'any': out = { ...e, left: r(e.left), values: e.values.map(r), ...(e.array ? { array: r(e.array) } : {}) }; break;
    case 'isnull': out = { k: 'isnull', arg: r(e.arg), not: e.not }; break;
    case 'istruth': out = { ...e, arg: r(e.arg) }; break;
    case 'call': out = { k: 'call', name: e.name, args: e.args.map(r) }; break;
    case 'array': out = { k: 'array', items: e.items.map(r) }; break;
    case 'case': out = { k: 'case', subject: e.subject ? r(e.subject) : null, whens: e.whens.map((w) => ({ when: r(w.when), then: r(w.then) })), otherwise: e.otherwise ? r(e.otherwise) : null }; break;
    default: out = e;
  }
  return f(out);
}

/** The expression inside `CHECK (…)`, without `NOT VALID` / `NO INHERIT`. */
export function checkBody(definition: string): string {
  let s = definition.trim().replace(/\s+NOT VALID$/i, '').replace(/\s+NO INHERIT$/i, '');
  const m = /^CHECK\s*\((.*)\)$/is.exec(s);
  if (m) s = m[1]!;
  return s.trim();
}
