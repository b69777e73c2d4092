/**
 * The check solver: from a table's constraint formulas (CHECKs, domain checks, partition bounds,
 * partial-unique gates) to what each column may hold, so generated rows pass every one of them by
 * construction.
 *
 * - A formula about one column becomes that column's alternatives (e.g. NULL, or a value in
 *   [0, 100]; or one of seven monthly partition ranges), each a Domain with a weight.
 * - Formulas that tie columns together (`num_nonnulls(a, b) = 1`, `(status = 'paid') = (paid_at IS
 *   NOT NULL)`, `ends_at >= starts_at`) are grouped into components of connected columns; each
 *   component's conjunction is put in DNF and its feasible terms become cases: a row picks one
 *   case (a virtual column), then every column of the component generates inside that case's
 *   domain, and cross-column atoms (orderings, equalities, sums) bind the later column to the
 *   earlier ones.
 * - Atoms on a row-determined column (a generated integer key: the row number) become guards of a
 *   case (`id <> 1 OR …` → row 0 takes the other case).
 * - Whatever no case can satisfy — an opaque sub-expression, a contradiction, too many terms — is
 *   returned as unsolved, with the check, so the report can name it and the override to write.
 */
import { atomColumns, dnf, TooManyTerms, type Atom, type Formula } from './atoms.js';
import { feasible, foldDomain, meet, type Domain, type DomainColumn } from './domain.js';

export interface SolverColumn {
  name: string;
  domain: DomainColumn;
  /** The value is a function of the row index (generated integer key): atoms on it are guards. */
  rowKey?: boolean;
  nullable: boolean;
  /** NULL share of a nullable column without constraints (e.g. 0.1; 0.9 for deleted_at). */
  nullShare: number;
  /** What the type alone allows (an enum's labels, a boolean's two values). */
  base?: Domain;
}

export interface SolverCheck {
  name: string;
  /** The definition as the catalog prints it (for reports). */
  text: string;
  formula: Formula;
}

export interface Alternative {
  domain: Domain;
  weight: number;
}

export interface Case {
  weight: number;
  /** Atoms on row-determined columns and gates: the case is open to a row only when they hold. */
  guards: Atom[];
  /** Atoms tying columns of the case together (orderings, equalities, sums). */
  cross: Atom[];
  /** Per column of the component: the alternatives it may take in this case. */
  columns: Map<string, Alternative[]>;
}

export interface Component {
  id: number;
  columns: string[];
  cases: Case[];
  checks: string[];
}

export interface Unsolved {
  check: SolverCheck;
  reason: string;
  columns: string[];
}

export interface Solution {
  /** Alternatives of every column (for columns in a component: before the component's cases). */
  singles: Map<string, Alternative[]>;
  components: Component[];
  unsolved: Unsolved[];
}

const TERM_LIMIT = 512;

export function solve(columns: readonly SolverColumn[], checks: readonly SolverCheck[]): Solution {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const unsolved: Unsolved[] = [];
  const singles = new Map<string, Alternative[]>();
  for (const c of columns) singles.set(c.name, implicit(c));

  // 1. Formulas about one column: that column's alternatives.
  const multi: { check: SolverCheck; cols: string[] }[] = [];
  for (const check of checks) {
    if (check.formula.f === 'true') continue;
    const cols = formulaColumns(check.formula).filter((c) => !byName.get(c)?.rowKey);
    const unknown = cols.filter((c) => !byName.has(c));
    if (unknown.length) {
      unsolved.push({ check, reason: `it names ${unknown.join(', ')}, which ${unknown.length > 1 ? 'are not columns' : 'is not a column'} of the table`, columns: cols.filter((c) => byName.has(c)) });
      continue;
    }
    if (check.formula.f === 'false') {
      unsolved.push({ check, reason: 'no row can pass it', columns: cols });
      continue;
    }
    if (cols.length === 1 && !hasGuards(check.formula, byName)) {
      const col = byName.get(cols[0]!)!;
      let terms: Atom[][];
      try {
        terms = dnf(check.formula, TERM_LIMIT);
      } catch (e) {
        if (!(e instanceof TooManyTerms)) throw e;
        unsolved.push({ check, reason: `more than ${TERM_LIMIT} alternatives`, columns: cols });
        continue;
      }
      const alts: Domain[] = [];
      const reasons: string[] = [];
      for (const t of terms) {
        const d = foldDomain(t, col.domain);
        if (!d) continue;
        if (d.unsupported?.length) reasons.push(...d.unsupported);
        else alts.push(d);
      }
      const next = product(singles.get(col.name)!, alts, col);
      if (!next.length) {
        unsolved.push({ check, reason: reasons.length ? `not understood: ${[...new Set(reasons)].join('; ')}` : 'no value of the column passes it together with its type and other checks', columns: cols });
        continue;
      }
      singles.set(col.name, next);
      continue;
    }
    multi.push({ check, cols });
  }

  // 2. Components of columns tied by formulas.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const union = (a: string, b: string): void => void parent.set(find(a), find(b));
  for (const m of multi) {
    for (const c of m.cols) if (!parent.has(c)) parent.set(c, c);
    for (let i = 1; i < m.cols.length; i++) union(m.cols[0]!, m.cols[i]!);
  }
  const groups = new Map<string, { check: SolverCheck; cols: string[] }[]>();
  for (const m of multi) {
    const key = m.cols.length ? find(m.cols[0]!) : `#guard:${m.check.name}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(m);
  }
  const components: Component[] = [];
  for (const group of groups.values()) {
    const cols = [...new Set(group.flatMap((g) => g.cols))];
    const formula: Formula = { f: 'and', args: group.map((g) => g.check.formula) };
    let terms: Atom[][];
    try {
      terms = dnf(formula, TERM_LIMIT);
    } catch (e) {
      if (!(e instanceof TooManyTerms)) throw e;
      for (const g of group) unsolved.push({ check: g.check, reason: `together with ${group.length - 1} other check(s) on the same columns it has more than ${TERM_LIMIT} cases`, columns: g.cols });
      continue;
    }
    const cases: Case[] = [];
    const reasons = new Set<string>();
    for (const t of terms) {
      const c = caseOf(t, cols, byName, singles, reasons);
      if (c) cases.push(c);
    }
    if (!cases.length) {
      const why = reasons.size ? `not understood: ${[...reasons].join('; ')}` : 'no combination of values passes them all';
      for (const g of group) unsolved.push({ check: g.check, reason: why, columns: g.cols });
      continue;
    }
    components.push({ id: components.length, columns: cols, cases, checks: group.map((g) => g.check.name) });
  }
  return { singles, components, unsolved };
}

/** A nullable column is NULL in `nullShare` of rows unless a check says otherwise. */
function implicit(c: SolverColumn): Alternative[] {
  if (!c.nullable) return [{ domain: { ...c.base, notNull: true }, weight: 1 }];
  return [
    { domain: { isNull: true }, weight: c.nullShare },
    { domain: { ...c.base }, weight: 1 - c.nullShare },
  ];
}

/** Every pair of alternatives that can hold at once (NULL keeps its share, values split the rest). */
function product(current: readonly Alternative[], next: readonly Domain[], col: SolverColumn): Alternative[] {
  const out: Domain[] = [];
  for (const a of current) for (const b of next) {
    const m = meet(a.domain, b);
    if (m && !out.some((x) => sameDomain(x, m))) out.push(m);
    if (out.length > 64) break;
  }
  const nulls = out.filter((d) => d.isNull);
  const values = out.filter((d) => !d.isNull);
  const nullWeight = values.length === 0 ? 1 : nulls.length ? (col.nullable ? col.nullShare : 0) : 0;
  return [
    ...nulls.slice(0, 1).map((domain) => ({ domain, weight: nullWeight })),
    ...values.map((domain) => ({ domain, weight: (1 - nullWeight) / values.length })),
  ];
}

const sameDomain = (a: Domain, b: Domain): boolean => JSON.stringify(a) === JSON.stringify(b);

function caseOf(term: readonly Atom[], cols: readonly string[], byName: Map<string, SolverColumn>, singles: Map<string, Alternative[]>, reasons: Set<string>): Case | null {
  const guards: Atom[] = [];
  const cross: Atom[] = [];
  const perCol = new Map<string, Atom[]>();
  for (const a of term) {
    if (a.a === 'gate') { guards.push(a); continue; }
    if (a.a === 'opaque') { reasons.add(a.text); return null; }
    const ac = atomColumns(a);
    if (ac.length && ac.every((c) => byName.get(c)?.rowKey)) {
      // A generated key is never NULL.
      if (a.a === 'null' && !a.not) return null;
      if (a.a === 'null') continue;
      guards.push(a);
      continue;
    }
    if (a.a === 'colcmp' || a.a === 'lin') { cross.push(a); continue; }
    for (const c of ac) (perCol.get(c) ?? perCol.set(c, []).get(c)!).push(a);
  }
  const columns = new Map<string, Alternative[]>();
  let forcedNulls = 0;
  for (const c of cols) {
    const col = byName.get(c)!;
    const d = foldDomain(perCol.get(c) ?? [], col.domain);
    if (!d) return null;
    if (d.unsupported?.length) {
      for (const r of d.unsupported) reasons.add(r);
      return null;
    }
    // Cross atoms need their columns present.
    if (cross.some((x) => atomColumns(x).includes(c))) d.notNull = true;
    const alts = (singles.get(c) ?? []).map((a) => ({ ...a, domain: meet(a.domain, d) })).filter((a): a is Alternative => a.domain !== null && feasible(a.domain));
    if (!alts.length) return null;
    const total = alts.reduce((s, a) => s + a.weight, 0) || 1;
    columns.set(c, alts.map((a) => ({ ...a, weight: a.weight / total })));
    if (d.isNull && col.nullable && col.nullShare < 0.5) forcedNulls++;
  }
  return { weight: Math.pow(0.5, forcedNulls), guards, cross, columns };
}

function hasGuards(f: Formula, byName: Map<string, SolverColumn>): boolean {
  if (f.f === 'atom') return f.atom.a === 'gate' || atomColumns(f.atom).some((c) => byName.get(c)?.rowKey);
  if (f.f === 'and' || f.f === 'or') return f.args.some((a) => hasGuards(a, byName));
  return false;
}

export function formulaColumns(f: Formula, out = new Set<string>()): string[] {
  if (f.f === 'atom') for (const c of atomColumns(f.atom)) out.add(c);
  else if (f.f === 'and' || f.f === 'or') for (const a of f.args) formulaColumns(a, out);
  return [...out];
}
