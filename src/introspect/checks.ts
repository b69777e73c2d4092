/**
 * Understands the CHECK constraints a generator can satisfy by construction, from the text
 * `pg_get_constraintdef` prints (so the input is Postgres' own normalised form: fully
 * parenthesised, `BETWEEN` expanded to `>= AND <=`, `IN (…)` printed as `= ANY (ARRAY[…])`, literals
 * with casts such as `(0)::numeric` or `'-90'::integer`).
 *
 * A check is a conjunction of facts about columns; what it recognises:
 * - ranges:      `x >= 1`, `x < 100`, `x > (0)::numeric`, `d > '1900-01-01'::date`, `x = 5`
 * - value lists: `x = ANY (ARRAY['a'::text, …])`, `(x)::text = ANY ((ARRAY[…])::text[])`, `(x = 'a') OR (x = 'b')`
 * - lengths:     `char_length(x) <= 200`, `length((x)::text) >= 2`, `octet_length(x) < 64`
 * - orderings:   `updated_at >= created_at`, `ends_on > starts_on`
 * - presence:    `x IS NOT NULL`, `x <> ''::text`, `(a IS NOT NULL) OR (b IS NOT NULL)`
 * - "optional":  `(x IS NULL) OR (<any of the above about x>)` — a NULL passes, a value must obey
 * - "now":       `x <= now()` / `CURRENT_DATE` / `CURRENT_TIMESTAMP` as an upper bound at the reference date
 * Anything else (regular expressions, arithmetic, function calls) is reported as not understood;
 * the caller picks a safe value for the columns and lists the check in the report.
 */

/** A literal bound: a number, or an ISO date/timestamp string, or the reference date ("now"). */
export type Bound = { kind: 'number'; value: number } | { kind: 'date'; value: string } | { kind: 'now' };

export type CheckFact =
  | { kind: 'compare'; column: string; op: '>' | '>=' | '<' | '<=' | '='; bound: Bound }
  | { kind: 'in'; column: string; values: readonly (string | number)[] }
  | { kind: 'length'; column: string; op: '>' | '>=' | '<' | '<=' | '='; value: number }
  | { kind: 'order'; left: string; op: '>' | '>=' | '<' | '<='; right: string }
  | { kind: 'notNull'; column: string }
  | { kind: 'notEmpty'; column: string }
  /** At least one of these columns is not NULL. */
  | { kind: 'anyNotNull'; columns: readonly string[] };

export type ParsedCheck =
  | { ok: true; facts: readonly CheckFact[]; columns: readonly string[] }
  | { ok: false; reason: string; columns: readonly string[] };

// ---- tokens ----------------------------------------------------------------------------------

type Tok =
  | { t: 'num'; v: number; raw: string }
  | { t: 'str'; v: string }
  | { t: 'id'; v: string; quoted: boolean }
  | { t: 'op'; v: string }
  | { t: 'p'; v: '(' | ')' | '[' | ']' | ',' }
  | { t: 'cast' };

export function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw new Error('unterminated string literal');
        if (s[i] === "'") {
          if (s[i + 1] === "'") { v += "'"; i += 2; continue; }
          i++;
          break;
        }
        v += s[i++];
      }
      out.push({ t: 'str', v });
      continue;
    }
    if (ch === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw new Error('unterminated quoted identifier');
        if (s[i] === '"') {
          if (s[i + 1] === '"') { v += '"'; i += 2; continue; }
          i++;
          break;
        }
        v += s[i++];
      }
      out.push({ t: 'id', v, quoted: true });
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(s[i + 1] ?? ''))) {
      const m = /^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?/i.exec(s.slice(i))!;
      out.push({ t: 'num', v: Number(m[0]), raw: m[0] });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(s.slice(i))!;
      out.push({ t: 'id', v: m[0], quoted: false });
      i += m[0].length;
      continue;
    }
    if (s.startsWith('::', i)) { out.push({ t: 'cast' }); i += 2; continue; }
    if ('()[],'.includes(ch)) { out.push({ t: 'p', v: ch as '(' }); i++; continue; }
    const op = /^(<=|>=|<>|!=|~~\*|!~~\*|~~|!~~|!~\*|~\*|!~|\|\||[<>=~+\-*/%^])/.exec(s.slice(i));
    if (op) { out.push({ t: 'op', v: op[0] }); i += op[0].length; continue; }
    throw new Error(`unexpected character ${JSON.stringify(ch)}`);
  }
  return out;
}

// ---- expressions -----------------------------------------------------------------------------

export type Expr =
  | { k: 'col'; name: string }
  | { k: 'lit'; value: string | number | null | boolean; type?: string }
  | { k: 'now' }
  | { k: 'and' | 'or'; args: Expr[] }
  | { k: 'not'; arg: Expr }
  | { k: 'cmp'; op: string; left: Expr; right: Expr }
  | { k: 'any'; op: string; left: Expr; values: Expr[] }
  | { k: 'isnull'; arg: Expr; not: boolean }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'array'; items: Expr[] }
  | { k: 'arith'; op: string; left: Expr; right: Expr }
  | { k: 'neg'; arg: Expr };

const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'any', 'array', 'true', 'false', 'in', 'between', 'like', 'ilike', 'similar']);
const NOW_WORDS = new Set(['current_date', 'current_timestamp', 'localtimestamp', 'now', 'statement_timestamp', 'transaction_timestamp', 'clock_timestamp']);

/** Type names after `::`, possibly multi-word (`character varying`, `timestamp with time zone`) and arrays. */
function parseTypeName(toks: Tok[], pos: { i: number }): string {
  const words: string[] = [];
  while (toks[pos.i]?.t === 'id') {
    const w = (toks[pos.i] as { v: string }).v.toLowerCase();
    if (words.length > 0 && KEYWORDS.has(w)) break;
    words.push(w);
    pos.i++;
    // `character varying(20)`, `numeric(10,2)`
    if (toks[pos.i]?.t === 'p' && (toks[pos.i] as { v: string }).v === '(') {
      let depth = 0;
      do {
        const tk = toks[pos.i]!;
        if (tk.t === 'p' && tk.v === '(') depth++;
        if (tk.t === 'p' && tk.v === ')') depth--;
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
  return words.join(' ').replace(' []', '[]');
}

/** A recursive-descent parser for the expression subset `pg_get_constraintdef` prints. */
export function parseExpr(text: string): Expr {
  const toks = tokenize(text);
  const pos = { i: 0 };
  const peek = (): Tok | undefined => toks[pos.i];
  const isWord = (w: string): boolean => {
    const tk = peek();
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
    return cmpExpr();
  };
  const cmpExpr = (): Expr => {
    const left = addExpr();
    if (isWord('is')) {
      pos.i++;
      let not = false;
      if (isWord('not')) { not = true; pos.i++; }
      if (!isWord('null')) throw new Error('only IS [NOT] NULL is supported');
      pos.i++;
      return { k: 'isnull', arg: left, not };
    }
    const tk = peek();
    if (tk?.t === 'op' && ['=', '<>', '!=', '<', '<=', '>', '>=', '~', '~*', '!~', '!~*', '~~', '!~~', '~~*', '!~~*'].includes(tk.v)) {
      pos.i++;
      const op = tk.v === '!=' ? '<>' : tk.v;
      if (isWord('any') || isWord('all') || isWord('some')) {
        const quant = (peek() as { v: string }).v.toLowerCase();
        pos.i++;
        expectP('(');
        const arr = orExpr();
        expectP(')');
        if (quant === 'all') throw new Error('ALL (…) is not supported');
        const values = arr.k === 'array' ? arr.items : arr.k === 'lit' && typeof arr.value === 'string' && arr.type?.endsWith('[]') ? parseArrayLiteral(arr.value) : null;
        if (!values) throw new Error('ANY over something other than an array');
        return { k: 'any', op, left, values };
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
    while (peek()?.t === 'cast') {
      pos.i++;
      const type = parseTypeName(toks, pos);
      e = castLiteral(e, type);
    }
    return e;
  };
  const primary = (): Expr => {
    const tk = peek();
    if (!tk) throw new Error('unexpected end of expression');
    if (tk.t === 'num') { pos.i++; return { k: 'lit', value: tk.v }; }
    if (tk.t === 'str') { pos.i++; return { k: 'lit', value: tk.v }; }
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
        if (NOW_WORDS.has(w) && !isP('(')) return { k: 'now' };
        if (w === 'value' && !isP('(')) return { k: 'col', name: 'VALUE' };
      }
      if (isP('(')) {
        pos.i++;
        const args: Expr[] = [];
        if (!isP(')')) {
          args.push(orExpr());
          while (isP(',')) { pos.i++; args.push(orExpr()); }
        }
        expectP(')');
        if (!tk.quoted && NOW_WORDS.has(w) && args.length === 0) return { k: 'now' };
        return { k: 'call', name: w, args };
      }
      if (!tk.quoted && KEYWORDS.has(w)) throw new Error(`unsupported keyword ${tk.v.toUpperCase()}`);
      return { k: 'col', name: tk.v };
    }
    throw new Error(`unexpected token ${tk.t === 'op' ? tk.v : tk.t}`);
  };

  const e = orExpr();
  if (pos.i !== toks.length) throw new Error('unexpected text after the expression');
  return e;
}

/** Folds `'-90'::integer`, `(0)::numeric`, `'2020-01-01'::date` into typed literals; other casts are transparent. */
function castLiteral(e: Expr, type: string): Expr {
  if (e.k === 'lit') {
    if (typeof e.value === 'string' && /^(integer|int|int2|int4|int8|smallint|bigint|numeric|decimal|real|double precision|float4|float8)$/.test(type.replace(/\(.*\)/, ''))) {
      const n = Number(e.value);
      return Number.isFinite(n) && e.value.trim() !== '' ? { k: 'lit', value: n, type } : { ...e, type };
    }
    return { ...e, type };
  }
  if (e.k === 'array') return e;
  return e;
}

/** `{a,b,"c d"}` → literals. */
function parseArrayLiteral(s: string): Expr[] | null {
  const m = /^\{(.*)\}$/s.exec(s.trim());
  if (!m) return null;
  if (m[1]!.trim() === '') return [];
  const out: Expr[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*))\s*(?:,|$)/gy;
  let mm: RegExpExecArray | null;
  while (re.lastIndex < m[1]!.length && (mm = re.exec(m[1]!))) {
    const v = mm[1] !== undefined ? mm[1].replace(/\\(.)/g, '$1') : mm[2]!.trim();
    out.push({ k: 'lit', value: v });
    if (mm[0] === '') break;
  }
  return out;
}

// ---- facts -----------------------------------------------------------------------------------

const FLIP: Record<string, '>' | '>=' | '<' | '<=' | '='> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=', '=': '=' };

class NotUnderstood extends Error {}

function columnOf(e: Expr): string | null {
  return e.k === 'col' ? e.name : null;
}

function boundOf(e: Expr): Bound | null {
  if (e.k === 'now') return { kind: 'now' };
  if (e.k !== 'lit') return null;
  if (typeof e.value === 'number') return { kind: 'number', value: e.value };
  if (typeof e.value === 'string') {
    if (e.type && /^(date|timestamp|timestamptz|timestamp with(out)? time zone)$/.test(e.type) && !Number.isNaN(Date.parse(e.value))) return { kind: 'date', value: e.value };
    if (/^(integer|numeric|smallint|bigint)$/.test(e.type ?? '') && Number.isFinite(Number(e.value))) return { kind: 'number', value: Number(e.value) };
  }
  return null;
}

const LENGTH_FUNCTIONS = new Set(['char_length', 'character_length', 'length', 'octet_length']);

function factsOf(e: Expr, out: CheckFact[]): void {
  if (e.k === 'and') {
    for (const a of e.args) factsOf(a, out);
    return;
  }
  if (e.k === 'isnull' && e.not) {
    const c = columnOf(e.arg);
    if (!c) throw new NotUnderstood('IS NOT NULL of an expression');
    out.push({ kind: 'notNull', column: c });
    return;
  }
  if (e.k === 'cmp') {
    const op = e.op;
    if (!['=', '<', '<=', '>', '>=', '<>'].includes(op)) throw new NotUnderstood(`operator ${op}`);
    const lc = columnOf(e.left);
    const rc = columnOf(e.right);
    if (op === '<>') {
      const col = lc ?? rc;
      const lit = lc ? e.right : e.left;
      if (col && lit.k === 'lit' && lit.value === '') {
        out.push({ kind: 'notEmpty', column: col });
        return;
      }
      throw new NotUnderstood('<> other than "not empty"');
    }
    const o = op as '>' | '>=' | '<' | '<=' | '=';
    if (lc && rc) {
      if (o === '=') throw new NotUnderstood('equality between two columns');
      out.push({ kind: 'order', left: lc, op: o, right: rc });
      return;
    }
    if (lc || rc) {
      const col = (lc ?? rc)!;
      const other = lc ? e.right : e.left;
      const oo = lc ? o : FLIP[o]!;
      if (o === '=' && other.k === 'lit' && (typeof other.value === 'string' || typeof other.value === 'number') && boundOf(other)?.kind !== 'date') {
        out.push({ kind: 'in', column: col, values: [other.value] });
        return;
      }
      const b = boundOf(other);
      if (!b) throw new NotUnderstood('comparison with something other than a constant');
      out.push({ kind: 'compare', column: col, op: oo, bound: b });
      return;
    }
    // length(x) op n
    const fn = e.left.k === 'call' ? e.left : e.right.k === 'call' ? e.right : null;
    if (fn && LENGTH_FUNCTIONS.has(fn.name) && fn.args.length === 1) {
      const col = columnOf(fn.args[0]!);
      const other = fn === e.left ? e.right : e.left;
      const b = boundOf(other);
      if (col && b?.kind === 'number') {
        out.push({ kind: 'length', column: col, op: fn === e.left ? o : FLIP[o]!, value: b.value });
        return;
      }
    }
    throw new NotUnderstood('comparison of expressions');
  }
  if (e.k === 'any') {
    const col = columnOf(e.left);
    if (!col || e.op !== '=') throw new NotUnderstood('ANY other than "column = ANY (ARRAY[…])"');
    const values: (string | number)[] = [];
    for (const v of e.values) {
      if (v.k !== 'lit' || (typeof v.value !== 'string' && typeof v.value !== 'number')) throw new NotUnderstood('non-constant in a value list');
      values.push(v.value);
    }
    out.push({ kind: 'in', column: col, values });
    return;
  }
  if (e.k === 'or') {
    // (x IS NULL) OR (facts about x …): a NULL passes, a value must obey the rest.
    const nullOf = e.args.filter((a) => a.k === 'isnull' && !a.not).map((a) => columnOf((a as { arg: Expr }).arg));
    const rest = e.args.filter((a) => !(a.k === 'isnull' && !a.not));
    if (nullOf.length > 0 && nullOf.every((c) => c) && rest.length === 1) {
      const inner: CheckFact[] = [];
      factsOf(rest[0]!, inner);
      const mentioned = new Set(inner.flatMap(factColumns));
      if (nullOf.every((c) => mentioned.has(c!))) {
        out.push(...inner);
        return;
      }
    }
    // (a IS NOT NULL) OR (b IS NOT NULL)
    if (e.args.every((a) => a.k === 'isnull' && a.not && columnOf(a.arg))) {
      out.push({ kind: 'anyNotNull', columns: e.args.map((a) => columnOf((a as { arg: Expr }).arg)!) });
      return;
    }
    // (x = 'a') OR (x = 'b') OR x = ANY(…)
    const lists: CheckFact[] = [];
    try {
      for (const a of e.args) factsOf(a, lists);
    } catch {
      throw new NotUnderstood('OR of conditions');
    }
    if (lists.length > 0 && lists.every((f) => f.kind === 'in') && new Set(lists.map((f) => (f as { column: string }).column)).size === 1) {
      out.push({ kind: 'in', column: (lists[0] as { column: string }).column, values: lists.flatMap((f) => (f.kind === 'in' ? f.values : [])) });
      return;
    }
    throw new NotUnderstood('OR of conditions');
  }
  if (e.k === 'col') {
    // A boolean column used as a condition (`CHECK (active)`): it must be true.
    out.push({ kind: 'in', column: e.name, values: ['true'] });
    return;
  }
  throw new NotUnderstood(e.k === 'call' ? `function ${e.name}()` : e.k === 'not' ? 'NOT' : `${e.k} expression`);
}

export function factColumns(f: CheckFact): string[] {
  if (f.kind === 'order') return [f.left, f.right];
  if (f.kind === 'anyNotNull') return [...f.columns];
  return [f.column];
}

function columnsIn(e: Expr, out: Set<string>): void {
  switch (e.k) {
    case 'col': out.add(e.name); break;
    case 'and': case 'or': for (const a of e.args) columnsIn(a, out); break;
    case 'not': case 'neg': columnsIn(e.arg, out); break;
    case 'cmp': case 'arith': columnsIn(e.left, out); columnsIn(e.right, out); break;
    case 'any': columnsIn(e.left, out); for (const v of e.values) columnsIn(v, out); break;
    case 'isnull': columnsIn(e.arg, out); break;
    case 'call': for (const a of e.args) columnsIn(a, out); break;
    case 'array': for (const a of e.items) columnsIn(a, out); break;
    default: break;
  }
}

/** The expression inside `CHECK (…)`, without `NOT VALID` / `NO INHERIT`. */
export function checkBody(definition: string): string {
  let s = definition.trim().replace(/\s+NOT VALID$/i, '').replace(/\s+NO INHERIT$/i, '');
  const m = /^CHECK\s*\((.*)\)$/is.exec(s);
  if (m) s = m[1]!;
  return s.trim();
}

/**
 * Parses one check (`CHECK ((rating >= 1) AND (rating <= 5))` or the bare expression). For a domain
 * check pass `valueColumn`: `VALUE` then stands for that column.
 */
export function parseCheck(definition: string, valueColumn?: string): ParsedCheck {
  const body = checkBody(definition);
  let expr: Expr;
  try {
    expr = parseExpr(body);
  } catch (e) {
    return { ok: false, reason: `cannot parse: ${(e as Error).message}`, columns: [] };
  }
  if (valueColumn) expr = renameValue(expr, valueColumn);
  const cols = new Set<string>();
  columnsIn(expr, cols);
  const columns = [...cols];
  const facts: CheckFact[] = [];
  try {
    factsOf(expr, facts);
  } catch (e) {
    if (e instanceof NotUnderstood) return { ok: false, reason: `not understood: ${e.message}`, columns };
    throw e;
  }
  return { ok: true, facts, columns };
}

function renameValue(e: Expr, to: string): Expr {
  const r = (x: Expr): Expr => renameValue(x, to);
  switch (e.k) {
    case 'col': return e.name === 'VALUE' ? { k: 'col', name: to } : e;
    case 'and': case 'or': return { k: e.k, args: e.args.map(r) };
    case 'not': return { k: 'not', arg: r(e.arg) };
    case 'neg': return { k: 'neg', arg: r(e.arg) };
    case 'cmp': return { k: 'cmp', op: e.op, left: r(e.left), right: r(e.right) };
    case 'arith': return { k: 'arith', op: e.op, left: r(e.left), right: r(e.right) };
    case 'any': return { k: 'any', op: e.op, left: r(e.left), values: e.values.map(r) };
    case 'isnull': return { k: 'isnull', arg: r(e.arg), not: e.not };
    case 'call': return { k: 'call', name: e.name, args: e.args.map(r) };
    case 'array': return { k: 'array', items: e.items.map(r) };
    default: return e;
  }
}

// ---- per-column constraints ------------------------------------------------------------------

/** What the checks require of one column's values, merged from every fact about it. */
export interface ColumnRule {
  /** Inclusive numeric bounds (after tightening `>`/`<` to the column's granularity). */
  min?: number;
  max?: number;
  /** Exclusive-ness is folded in by `step`: `> 0` on an integer is `min 1`, on numeric(10,2) `min 0.01`. */
  /** Date/time bounds (ISO), inclusive after tightening by one unit; 'now' = the reference date. */
  after?: string | 'now';
  before?: string | 'now';
  /** Allowed values (intersection of every list). */
  values?: readonly (string | number)[];
  minLength?: number;
  maxLength?: number;
  notNull?: boolean;
  notEmpty?: boolean;
  /** Columns this one must be greater (or equal) than / less than: generated after/before them. */
  greaterThan?: { column: string; strict: boolean }[];
  lessThan?: { column: string; strict: boolean }[];
}

/**
 * Folds facts into per-column rules. `step` gives the column's granularity for strict bounds
 * (1 for integers, 10^-scale for numeric, 0 for floating point: a tiny epsilon is used).
 */
export function rulesOf(facts: readonly CheckFact[], step: (column: string) => number): Map<string, ColumnRule> {
  const rules = new Map<string, ColumnRule>();
  const get = (c: string): ColumnRule => rules.get(c) ?? rules.set(c, {}).get(c)!;
  for (const f of facts) {
    switch (f.kind) {
      case 'compare': {
        const r = get(f.column);
        if (f.bound.kind === 'number') {
          const s = step(f.column) || 1e-9;
          const v = f.bound.value;
          if (f.op === '>' || f.op === '>=') r.min = Math.max(r.min ?? -Infinity, f.op === '>' ? nextAbove(v, s) : ceilTo(v, s));
          if (f.op === '<' || f.op === '<=') r.max = Math.min(r.max ?? Infinity, f.op === '<' ? nextBelow(v, s) : floorTo(v, s));
          if (f.op === '=') r.values = intersect(r.values, [v]);
        } else {
          const v = f.bound.kind === 'now' ? 'now' : f.bound.value;
          if (f.op === '>' || f.op === '>=') r.after = later(r.after, v);
          if (f.op === '<' || f.op === '<=') r.before = earlier(r.before, v);
          if (f.op === '=') {
            r.after = later(r.after, v);
            r.before = earlier(r.before, v);
          }
        }
        break;
      }
      case 'in':
        get(f.column).values = intersect(get(f.column).values, f.values);
        break;
      case 'length': {
        const r = get(f.column);
        if (f.op === '<' || f.op === '<=' || f.op === '=') r.maxLength = Math.min(r.maxLength ?? Infinity, f.op === '<' ? f.value - 1 : f.value);
        if (f.op === '>' || f.op === '>=' || f.op === '=') r.minLength = Math.max(r.minLength ?? 0, f.op === '>' ? f.value + 1 : f.value);
        break;
      }
      case 'order': {
        // left op right: normalise to "big > small".
        const [big, small] = f.op === '>' || f.op === '>=' ? [f.left, f.right] : [f.right, f.left];
        const strict = f.op === '>' || f.op === '<';
        (get(big).greaterThan ??= []).push({ column: small, strict });
        (get(small).lessThan ??= []).push({ column: big, strict });
        break;
      }
      case 'notNull':
        get(f.column).notNull = true;
        break;
      case 'notEmpty':
        get(f.column).notEmpty = true;
        break;
      case 'anyNotNull':
        // Satisfied by making the first column present.
        get(f.columns[0]!).notNull = true;
        break;
    }
  }
  return rules;
}

function intersect(a: readonly (string | number)[] | undefined, b: readonly (string | number)[]): (string | number)[] {
  if (!a) return [...b];
  const bs = new Set(b.map(String));
  return a.filter((x) => bs.has(String(x)));
}

const later = (a: string | undefined, b: string): string => (a === undefined ? b : a === 'now' || b === 'now' ? (a === 'now' ? b : a) : a > b ? a : b);
const earlier = (a: string | undefined, b: string): string => (a === undefined ? b : a === 'now' || b === 'now' ? (a === 'now' ? a : b) : a < b ? a : b);

function round(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}
function ceilTo(v: number, s: number): number {
  return round(Math.ceil(round(v / s)) * s);
}
function floorTo(v: number, s: number): number {
  return round(Math.floor(round(v / s)) * s);
}
function nextAbove(v: number, s: number): number {
  const c = ceilTo(v, s);
  return c > v ? c : round(c + s);
}
function nextBelow(v: number, s: number): number {
  const f = floorTo(v, s);
  return f < v ? f : round(f - s);
}
