/**
 * A small, safe expression language for row conditions given as text (the CLI's `--filter`):
 * parsed into a tree and compiled to closures — never `eval` or `new Function`.
 *
 *   expr := or;  or := and ('or' and)*;  and := not ('and' not)*;  not := 'not' not | test
 *   test := operand ( cmp operand | 'is' ['not'] 'null' | ['not'] 'in' '(' literal, … ')' | ['not'] 'like' 'pattern' )?
 *   cmp  := = == != <> < <= > >=      operand := number | 'string' | true | false | null | column | '(' expr ')'
 *
 * Columns are bare identifiers or "quoted". Comparisons follow SQL: anything compared with NULL is
 * not true (the row is dropped). A Date compared with a string reads the string as a date; numbers
 * and decimal strings compare as numbers. `like` takes `%` and `_`.
 */
import { usageError, type Values } from '../../../src/stage-kit.js';

type Token = { kind: 'num' | 'str' | 'id' | 'op' | 'word'; text: string; value?: unknown };
export type Compiled = (row: Values) => unknown;

const WORDS = new Set(['and', 'or', 'not', 'is', 'null', 'in', 'like', 'true', 'false']);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const rest = src.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^(<=|>=|<>|!=|==|=|<|>|\(|\)|,)/.exec(rest))) { out.push({ kind: 'op', text: m[1]! }); i += m[1]!.length; continue; }
    if ((m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(rest))) { out.push({ kind: 'num', text: m[0], value: Number(m[0]) }); i += m[0].length; continue; }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= src.length) throw bad(src, `unclosed ${c}`);
        if (src[j] === c) {
          if (src[j + 1] === c) { s += c; j += 2; continue; }
          break;
        }
        s += src[j++];
      }
      out.push(c === "'" ? { kind: 'str', text: s, value: s } : { kind: 'id', text: s });
      i = j + 1;
      continue;
    }
    if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) {
      const w = m[0].toLowerCase();
      out.push(WORDS.has(w) ? { kind: 'word', text: w } : { kind: 'id', text: m[0] });
      i += m[0].length;
      continue;
    }
    throw bad(src, `unexpected ${JSON.stringify(c)}`);
  }
  return out;
}

function bad(src: string, why: string): Error {
  return usageError('FILTER_EXPRESSION_INVALID', `the row condition ${JSON.stringify(src)} cannot be read: ${why}. Write e.g. created_at >= '2025-01-01' and not is_dm`, { expression: src });
}

/** Compares two values the way the language does; `undefined` when either is NULL. */
function compare(a: unknown, b: unknown): number | undefined {
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  if (a instanceof Date || b instanceof Date) {
    const x = a instanceof Date ? a.getTime() : Date.parse(String(a));
    const y = b instanceof Date ? b.getTime() : Date.parse(String(b));
    return Number.isNaN(x) || Number.isNaN(y) ? undefined : Math.sign(x - y);
  }
  const numeric = (v: unknown): boolean => typeof v === 'number' || typeof v === 'bigint' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v));
  if (numeric(a) && numeric(b) && (typeof a !== 'string' || typeof b !== 'string')) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const truthy = (v: unknown): boolean => v === true;

/** Compiles `src` against a table's column names; unknown columns are usage errors naming the known ones. */
export function compileExpression(src: string, columns: readonly string[]): Compiled {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Token | undefined => toks[p];
  const isWord = (w: string): boolean => peek()?.kind === 'word' && peek()!.text === w;
  const isOp = (o: string): boolean => peek()?.kind === 'op' && peek()!.text === o;
  const expect = (o: string): void => {
    if (!isOp(o)) throw bad(src, `expected ${o}${peek() ? ` before ${peek()!.text}` : ' at the end'}`);
    p++;
  };
  const literal = (): unknown => {
    const t = toks[p++];
    if (!t) throw bad(src, 'a value is missing at the end');
    if (t.kind === 'num' || t.kind === 'str') return t.value;
    if (t.kind === 'word' && (t.text === 'true' || t.text === 'false')) return t.text === 'true';
    if (t.kind === 'word' && t.text === 'null') return null;
    throw bad(src, `expected a value, found ${t.text}`);
  };
  const operand = (): Compiled => {
    const t = peek();
    if (!t) throw bad(src, 'an operand is missing at the end');
    if (isOp('(')) {
      p++;
      const e = or();
      expect(')');
      return e;
    }
    if (t.kind === 'id') {
      p++;
      const j = columns.indexOf(t.text);
      if (j < 0) throw usageError('FILTER_COLUMN_UNKNOWN', `the row condition ${JSON.stringify(src)} names column ${t.text}, which the table does not have; its columns: ${columns.join(', ')}`, { column: t.text });
      return (row) => row[j];
    }
    const v = literal();
    return () => v;
  };
  const test = (): Compiled => {
    const left = operand();
    const t = peek();
    if (t?.kind === 'op' && ['=', '==', '!=', '<>', '<', '<=', '>', '>='].includes(t.text)) {
      p++;
      const right = operand();
      const ok: (c: number) => boolean = { '=': (c: number) => c === 0, '==': (c: number) => c === 0, '!=': (c: number) => c !== 0, '<>': (c: number) => c !== 0, '<': (c: number) => c < 0, '<=': (c: number) => c <= 0, '>': (c: number) => c > 0, '>=': (c: number) => c >= 0 }[t.text]!;
      return (row) => {
        const c = compare(left(row), right(row));
        return c === undefined ? null : ok(c);
      };
    }
    if (isWord('is')) {
      p++;
      const neg = isWord('not') ? (p++, true) : false;
      if (!isWord('null')) throw bad(src, 'expected NULL after IS');
      p++;
      return (row) => {
        const v = left(row);
        return (v === null || v === undefined) !== neg;
      };
    }
    const neg = isWord('not') && (toks[p + 1]?.text === 'in' || toks[p + 1]?.text === 'like') ? (p++, true) : false;
    if (isWord('in')) {
      p++;
      expect('(');
      const values: unknown[] = [literal()];
      while (isOp(',')) { p++; values.push(literal()); }
      expect(')');
      return (row) => {
        const v = left(row);
        if (v === null || v === undefined) return null;
        return values.some((x) => compare(v, x) === 0) !== neg;
      };
    }
    if (isWord('like')) {
      p++;
      const pat = literal();
      if (typeof pat !== 'string') throw bad(src, 'LIKE takes a quoted pattern');
      const re = new RegExp(`^${pat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '[\\s\\S]*').replace(/_/g, '[\\s\\S]')}$`);
      return (row) => {
        const v = left(row);
        return v === null || v === undefined ? null : re.test(String(v)) !== neg;
      };
    }
    if (neg) throw bad(src, 'expected IN or LIKE after NOT');
    return left;
  };
  const not = (): Compiled => {
    if (isWord('not')) {
      p++;
      const e = not();
      return (row) => {
        const v = e(row);
        return v === null || v === undefined ? null : !truthy(v);
      };
    }
    return test();
  };
  const and = (): Compiled => {
    let e = not();
    while (isWord('and')) {
      p++;
      const l = e;
      const r = not();
      e = (row) => truthy(l(row)) && truthy(r(row));
    }
    return e;
  };
  const or = (): Compiled => {
    let e = and();
    while (isWord('or')) {
      p++;
      const l = e;
      const r = and();
      e = (row) => truthy(l(row)) || truthy(r(row));
    }
    return e;
  };
  const e = or();
  if (p < toks.length) throw bad(src, `unexpected ${toks[p]!.text}`);
  return e;
}
