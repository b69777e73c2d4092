/**
 * From the solver's cases to what each column's generator must respect in each case:
 * - orderings (`a <= b`, checks and name-inferred ones) closed transitively, then handed to the later
 *   column of each pair as a bound (so `min_lat <= max_lat` holds whichever is declared first, and
 *   a column between two others stays between them);
 * - equalities (`sort_name = name`: the later copies the earlier), inequalities (`entity0 <>
 *   entity1`), linear ones (`total = fees + taxes`: the last of them is computed; `a + b <= c`:
 *   a bound);
 * - the selector of a component (a virtual column drawing one case per row, among the cases whose
 *   guards hold for the row: `id <> 1`, partial-unique gates), and where rows have no open case.
 */
import type { Atom, CmpOp } from './checks/atoms.js';
import type { Component } from './checks/solver.js';
import type { BoundRef } from './heuristics/index.js';
import { gateCond } from './fk.js';

export interface Cross {
  lows: BoundRef[];
  highs: BoundRef[];
  /** An earlier column this one equals. */
  equals?: string;
  /** Earlier columns this one must differ from. */
  differs: string[];
  /** This column is computed: `expr` over earlier columns. */
  computed?: string;
  problems: string[];
}

const emptyCross = (): Cross => ({ lows: [], highs: [], differs: [], problems: [] });

/**
 * Cross constraints of every column for one case: `hard` are the case's atoms, `soft` the
 * name-inferred orderings (dropped where they contradict the hard ones). `order` is the
 * generation order; `nullable` whether a column may be NULL in this case.
 */
export function crossOf(hard: readonly Atom[], soft: readonly Atom[], order: readonly string[], nullable: (c: string) => boolean): Map<string, Cross> {
  const pos = new Map(order.map((c, i) => [c, i]));
  const out = new Map<string, Cross>();
  const get = (c: string): Cross => out.get(c) ?? out.set(c, emptyCross()).get(c)!;
  // Orderings: edge small → big (strict or not).
  const edges = new Map<string, Map<string, boolean>>();
  const addEdge = (small: string, big: string, strict: boolean): void => {
    const m = edges.get(small) ?? edges.set(small, new Map()).get(small)!;
    m.set(big, (m.get(big) ?? false) || strict);
  };
  const orderAtom = (a: Atom): [string, string, boolean] | null => {
    if (a.a !== 'colcmp' || a.op === '=' || a.op === '<>') return null;
    return a.op === '<' || a.op === '<=' ? [a.left, a.right, a.op === '<'] : [a.right, a.left, a.op === '>'];
  };
  for (const a of hard) {
    const o = orderAtom(a);
    if (o) addEdge(...o);
  }
  const reach = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length) {
      const x = stack.pop()!;
      if (x === to) return true;
      if (seen.has(x)) continue;
      seen.add(x);
      for (const y of edges.get(x)?.keys() ?? []) stack.push(y);
    }
    return false;
  };
  for (const a of soft) {
    const o = orderAtom(a);
    if (!o || !pos.has(o[0]) || !pos.has(o[1])) continue;
    // A soft ordering the hard ones contradict (or make equal) is dropped.
    if (reach(o[1], o[0]) || hard.some((h) => h.a === 'colcmp' && (h.op === '=' || h.op === '<>') && [h.left, h.right].includes(o[0]) && [h.left, h.right].includes(o[1]))) continue;
    addEdge(...o);
  }
  // Transitive closure, then each pair bounds its later column.
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])])].filter((c) => pos.has(c));
  for (const a of nodes) {
    for (const b of nodes) {
      if (a === b || !reach(a, b)) continue;
      if (reach(b, a)) {
        get(b).problems.push(`${a} and ${b} must each be below the other`);
        continue;
      }
      const strict = pathStrict(edges, a, b);
      if (pos.get(a)! < pos.get(b)!) get(b).lows.push({ column: a, strict, nullable: nullable(a) });
      else get(a).highs.push({ column: b, strict, nullable: nullable(b) });
    }
  }
  for (const h of hard) {
    if (h.a === 'colcmp' && (h.op === '=' || h.op === '<>')) {
      const [first, later] = pos.get(h.left)! < pos.get(h.right)! ? [h.left, h.right] : [h.right, h.left];
      if (h.op === '=') get(later).equals = first;
      else get(later).differs.push(first);
    }
    if (h.a === 'lin') linear(h, pos, get);
  }
  return out;
}

/** Whether some path a → b has a strict edge (then b > a strictly). */
function pathStrict(edges: Map<string, Map<string, boolean>>, a: string, b: string): boolean {
  const best = new Map<string, boolean>([[a, false]]);
  const queue = [a];
  while (queue.length) {
    const x = queue.shift()!;
    for (const [y, s] of edges.get(x) ?? []) {
      const v = best.get(x)! || s;
      if (!best.has(y) || (v && !best.get(y))) {
        best.set(y, v);
        queue.push(y);
      }
    }
  }
  return best.get(b) ?? false;
}

/** Σ coef·col + k op 0: the last column is computed (=) or bounded (<, <=, >, >=) by the others. */
function linear(h: Extract<Atom, { a: 'lin' }>, pos: Map<string, number>, get: (c: string) => Cross): void {
  const terms = [...h.terms].sort((x, y) => (pos.get(x.col) ?? 0) - (pos.get(y.col) ?? 0));
  const subject = terms[terms.length - 1]!;
  const others = terms.slice(0, -1);
  // subject = -(k + Σ others) / coef
  const sum = [String(-h.k / subject.coef), ...others.map((t) => `${num(-t.coef / subject.coef)} * ((c.row.${t.col} as number) ?? 0)`)].join(' + ');
  const expr = `(${sum})`;
  const label = others.map((t) => t.col).join(', ');
  if (h.op === '=') get(subject.col).computed = expr;
  else if (h.op === '<>') get(subject.col).problems.push(`must differ from an expression of ${label}`);
  else {
    const op: CmpOp = subject.coef > 0 ? h.op : ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const)[h.op];
    // subject·coef + rest op 0 → subject op' expr
    const bound: BoundRef = { column: label, expr, strict: op === '<' || op === '>', nullable: true };
    if (op === '>' || op === '>=') get(subject.col).lows.push(bound);
    else get(subject.col).highs.push(bound);
  }
}

const num = (v: number): string => String(Math.round(v * 1e9) / 1e9);

/** TS expression: the guard atom holds for the current row (row-determined columns and gates). */
export function guardCode(a: Atom, rowKey: (col: string) => string | null): string {
  if (a.a === 'gate') return a.not ? `!(${gateCond(a.below)})` : gateCond(a.below);
  const col = a.a === 'cmp' || a.a === 'in' || a.a === 'null' ? a.col : null;
  const v = col ? rowKey(col) : null;
  if (!v) return 'true';
  if (a.a === 'null') return a.not ? 'true' : 'false';
  if (a.a === 'cmp') {
    const x = a.v.t === 'num' ? String(a.v.v) : JSON.stringify(a.v.t === 'now' ? null : a.v.v);
    const op = a.op === '=' ? '===' : a.op === '<>' ? '!==' : a.op;
    return `${v} ${op} ${x}`;
  }
  if (a.a === 'in') return `${a.not ? '!' : ''}[${a.vs.map((x) => (x.t === 'num' ? String(x.v) : JSON.stringify(x.t === 'now' ? null : x.v))).join(', ')}].includes(${v})`;
  return 'true';
}

/** Evaluates a guard for row `i` (k: index in group; counts: expected rows per table), for coverage checks. */
export function guardHolds(a: Atom, i: number, k: number, counts: (table: string) => number): boolean {
  if (a.a === 'gate') {
    const m = /^c\.count\('(.*)'\)$/.exec(a.below);
    // A tenant-local gate opens for some rows of each tenant: counted closed here (the other cases must cover).
    const open = a.below === 'group' ? k === 0 : a.below.startsWith('cond:') ? false : i < (m ? counts(m[1]!) : Number(a.below));
    return a.not ? !open : open;
  }
  const v = i + 1;
  if (a.a === 'null') return a.not;
  if (a.a === 'cmp' && a.v.t === 'num') {
    const x = a.v.v;
    return a.op === '=' ? v === x : a.op === '<>' ? v !== x : a.op === '<' ? v < x : a.op === '<=' ? v <= x : a.op === '>' ? v > x : v >= x;
  }
  if (a.a === 'in') return a.vs.some((x) => x.t === 'num' && x.v === v) !== a.not;
  return true;
}

/** The first rows (of `rows`, at most 5,000 looked at) that no case of `comp` is open to. */
export function uncovered(comp: Component, rows: number, groupSize: number, counts: (table: string) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(rows, 5000) && out.length < 3; i++) {
    const k = groupSize > 0 ? i % groupSize : i;
    if (!comp.cases.some((c) => c.guards.every((g) => guardHolds(g, i, k, counts)))) out.push(i);
  }
  return out;
}
