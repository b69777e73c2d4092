/**
 * The atoms the check solver reasons with, and formulas over them. An atom is a two-valued
 * statement about one row, NULLs included: `null(c)` is "c IS NULL"; every value atom (`c > 5`,
 * `c ~ '^[a-z]+$'`, `a <= b`) also says its columns are NOT NULL. That makes negation exact —
 * ¬(c > 5) is `c IS NULL OR c <= 5` — so a check's SQL three-valued meaning ("passes unless FALSE")
 * becomes an ordinary formula (logic.ts), in negation normal form, whose DNF terms are the ways a
 * row can pass.
 */

export type CmpOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Value =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'bool'; v: boolean }
  /** A date or timestamp, in ms since the epoch. */
  | { t: 'date'; v: number }
  /** now(), CURRENT_DATE, …: the moment of the INSERT. */
  | { t: 'now' };

export type Atom =
  | { a: 'null'; col: string; not: boolean }
  | { a: 'cmp'; col: string; op: CmpOp; v: Value }
  | { a: 'in'; col: string; vs: readonly Value[]; not: boolean }
  /** `char_length(c) op n` (fn len) or `cardinality(c) op n` (fn card, arrays). */
  | { a: 'len'; col: string; fn: 'len' | 'card'; op: CmpOp; n: number }
  /** `c ~ pattern` (POSIX regular expression as Postgres reads it); `ci`: `~*`. On arrays: their text form. */
  | { a: 're'; col: string; pattern: string; ci: boolean; not: boolean }
  /** `lower(c) = c`, `upper(c) = c`, `btrim(c) = c`. */
  | { a: 'shape'; col: string; shape: 'lower' | 'upper' | 'trimmed'; not: boolean }
  /** `jsonb_typeof(c) IN kinds`. */
  | { a: 'json'; col: string; kinds: readonly string[]; not: boolean }
  /** Array column `c` contains `v` (`v = ANY (c)`). */
  | { a: 'has'; col: string; v: Value; not: boolean }
  | { a: 'colcmp'; left: string; op: CmpOp; right: string }
  /** Σ coef·col + k op 0 (at least two columns). */
  | { a: 'lin'; terms: readonly { col: string; coef: number }[]; k: number; op: CmpOp }
  /**
   * Not understood: the solver fails on a term that needs it (`text` is what to report). `side`: the
   * atom says the expression is TRUE (T) or FALSE (F); `not` negates that. `strict`: NULL in any
   * column makes the expression NULL (no CASE, COALESCE, IS NULL, AND/OR inside).
   */
  | { a: 'opaque'; text: string; cols: readonly string[]; not: boolean; side: 'T' | 'F'; strict: boolean }
  /**
   * The row's index is below `below` (an expression over `c`, or `group`: the first row of its
   * group) — partial uniques: only those rows may meet the predicate.
   */
  | { a: 'gate'; id: string; below: string; not: boolean };

export type Formula = { f: 'atom'; atom: Atom } | { f: 'and' | 'or'; args: readonly Formula[] } | { f: 'true' } | { f: 'false' };

export const TRUE: Formula = { f: 'true' };
export const FALSE: Formula = { f: 'false' };
export const atom = (a: Atom): Formula => ({ f: 'atom', atom: a });
export const isNull = (col: string): Formula => atom({ a: 'null', col, not: false });
export const notNull = (col: string): Formula => atom({ a: 'null', col, not: true });

export function and(...args: Formula[]): Formula {
  const out: Formula[] = [];
  for (const a of args) {
    if (a.f === 'false') return FALSE;
    if (a.f === 'true') continue;
    if (a.f === 'and') out.push(...a.args);
    else out.push(a);
  }
  return out.length === 0 ? TRUE : out.length === 1 ? out[0]! : { f: 'and', args: out };
}

export function or(...args: Formula[]): Formula {
  const out: Formula[] = [];
  for (const a of args) {
    if (a.f === 'true') return TRUE;
    if (a.f === 'false') continue;
    if (a.f === 'or') out.push(...a.args);
    else out.push(a);
  }
  return out.length === 0 ? FALSE : out.length === 1 ? out[0]! : { f: 'or', args: out };
}

export const NEG_OP: Record<CmpOp, CmpOp> = { '=': '<>', '<>': '=', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };
export const FLIP_OP: Record<CmpOp, CmpOp> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Columns an atom is about. */
export function atomColumns(a: Atom): string[] {
  switch (a.a) {
    case 'colcmp': return [a.left, a.right];
    case 'lin': return a.terms.map((t) => t.col);
    case 'opaque': return [...a.cols];
    case 'gate': return [];
    default: return [a.col];
  }
}

/** ¬a, exact under "value atoms imply NOT NULL". */
export function negAtom(a: Atom): Formula {
  const nulls = (cols: readonly string[]): Formula[] => [...new Set(cols)].map(isNull);
  switch (a.a) {
    case 'null': return atom({ ...a, not: !a.not });
    case 'cmp': return or(isNull(a.col), atom({ ...a, op: NEG_OP[a.op] }));
    case 'len': return or(isNull(a.col), atom({ ...a, op: NEG_OP[a.op] }));
    case 'in': case 're': case 'shape': case 'json': case 'has': return or(isNull(a.col), atom({ ...a, not: !a.not }));
    case 'colcmp': return or(...nulls([a.left, a.right]), atom({ ...a, op: NEG_OP[a.op] }));
    case 'lin': return or(...nulls(a.terms.map((t) => t.col)), atom({ ...a, op: NEG_OP[a.op] }));
    case 'opaque': return atom({ ...a, not: !a.not });
    case 'gate': return atom({ ...a, not: !a.not });
  }
}

export function neg(f: Formula): Formula {
  switch (f.f) {
    case 'true': return FALSE;
    case 'false': return TRUE;
    case 'atom': return negAtom(f.atom);
    case 'and': return or(...f.args.map(neg));
    case 'or': return and(...f.args.map(neg));
  }
}

export class TooManyTerms extends Error {}

/** Disjunctive normal form: each term a conjunction of atoms. Throws TooManyTerms past `limit`. */
export function dnf(f: Formula, limit = 512): Atom[][] {
  switch (f.f) {
    case 'true': return [[]];
    case 'false': return [];
    case 'atom': return [[f.atom]];
    case 'or': {
      const out: Atom[][] = [];
      for (const a of f.args) {
        out.push(...dnf(a, limit));
        if (out.length > limit) throw new TooManyTerms();
      }
      return dedupeTerms(out);
    }
    case 'and': {
      let acc: Atom[][] = [[]];
      for (const a of f.args) {
        const d = dnf(a, limit);
        const next: Atom[][] = [];
        for (const x of acc) {
          for (const y of d) {
            const t = [...x, ...y];
            if (!contradicts(t)) next.push(t);
            if (next.length > limit) throw new TooManyTerms();
          }
        }
        acc = dedupeTerms(next);
        if (!acc.length) return [];
      }
      return acc;
    }
  }
}

export const atomKey = (a: Atom): string => JSON.stringify(a);

/** Distinct terms, without those another term subsumes (A ∨ (A ∧ X) is A). */
function dedupeTerms(terms: Atom[][]): Atom[][] {
  const seen = new Set<string>();
  const uniq: { atoms: Atom[]; keys: Set<string> }[] = [];
  for (const t of terms) {
    const m = new Map(t.map((a) => [atomKey(a), a]));
    const k = [...m.keys()].sort().join('&');
    if (seen.has(k)) continue;
    seen.add(k);
    uniq.push({ atoms: [...m.values()], keys: new Set(m.keys()) });
  }
  uniq.sort((a, b) => a.keys.size - b.keys.size);
  const out: { atoms: Atom[]; keys: Set<string> }[] = [];
  for (const t of uniq) {
    if (out.some((o) => o.keys.size < t.keys.size && [...o.keys].every((k) => t.keys.has(k)))) continue;
    out.push(t);
  }
  return out.map((t) => t.atoms);
}

/** Cheap contradiction test (NULL against NOT NULL or a value atom, a gate and its negation). */
export function contradicts(term: readonly Atom[]): boolean {
  const isNullCol = new Set<string>();
  const valued = new Set<string>();
  const gates = new Map<string, boolean>();
  for (const a of term) {
    if (a.a === 'null') (a.not ? valued : isNullCol).add(a.col);
    else if (a.a === 'gate') {
      if (gates.has(a.id) && gates.get(a.id) !== a.not) return true;
      gates.set(a.id, a.not);
    } else if (a.a !== 'opaque') for (const c of atomColumns(a)) valued.add(c);
  }
  for (const c of isNullCol) if (valued.has(c)) return true;
  return false;
}

/** SQL-ish text of an atom, for reports. */
export function atomText(a: Atom): string {
  const v = (x: Value): string => (x.t === 'str' ? `'${x.v}'` : x.t === 'date' ? `'${new Date(x.v).toISOString()}'` : x.t === 'now' ? 'now()' : String(x.v));
  switch (a.a) {
    case 'null': return `${a.col} IS ${a.not ? 'NOT ' : ''}NULL`;
    case 'cmp': return `${a.col} ${a.op} ${v(a.v)}`;
    case 'in': return `${a.col} ${a.not ? 'NOT ' : ''}IN (${a.vs.map(v).join(', ')})`;
    case 'len': return `${a.fn === 'len' ? 'char_length' : 'cardinality'}(${a.col}) ${a.op} ${a.n}`;
    case 're': return `${a.col} ${a.not ? '!' : ''}~${a.ci ? '*' : ''} '${a.pattern}'`;
    case 'shape': return `${a.shape === 'trimmed' ? 'btrim' : a.shape}(${a.col}) ${a.not ? '<>' : '='} ${a.col}`;
    case 'json': return `jsonb_typeof(${a.col}) ${a.not ? 'NOT ' : ''}IN (${a.kinds.join(', ')})`;
    case 'has': return `${a.not ? 'NOT ' : ''}${v(a.v)} = ANY (${a.col})`;
    case 'colcmp': return `${a.left} ${a.op} ${a.right}`;
    case 'lin': return `${a.terms.map((t) => `${t.coef === 1 ? '' : `${t.coef}*`}${t.col}`).join(' + ')}${a.k ? ` + ${a.k}` : ''} ${a.op} 0`;
    case 'opaque': return `${a.not ? 'NOT ' : ''}${a.text}`;
    case 'gate': return `row ${a.not ? '>=' : '<'} ${a.below}`;
  }
}
