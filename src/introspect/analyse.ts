/**
 * First pass over one catalog table: dataset keys for its columns, its foreign keys resolved to
 * dataset tables, its unique sets (expression and partial indexes classified), and every
 * constraint a row must pass turned into solver formulas — table checks, domain checks, the
 * partition bounds (a row must fall into a partition), and checks of single partitions (binding
 * only the rows routed there).
 */
import type { CatalogColumn, CatalogFunction, CatalogTable } from './catalog-types.js';
import { atom, or, neg, type Atom, type Formula } from './checks/atoms.js';
import { holdsOf, passOf, prepare, type LogicContext } from './checks/logic.js';
import { checkBody, columnsOf, parseExpr } from './checks/parse.js';
import type { SolverCheck } from './checks/solver.js';
import { kindOf } from './heuristics/index.js';
import { saltOf, type Finding, type FkUnit, type TableModel, type UniqueSet } from './model.js';
import { uniqueKeys } from './names.js';

/** Columns' broad kinds, for the logic translation. */
export function logicKind(c: CatalogColumn | undefined): ReturnType<LogicContext['kindOf']> {
  if (!c) return undefined;
  if (c.type.arrayDims > 0) return 'array';
  const k = kindOf(c.type.base, c.type.typtype, c.type.category);
  if (k === 'bool') return 'bool';
  if (k === 'date' || k === 'timestamp') return 'date';
  if (k === 'int' || k === 'decimal' || k === 'float' || k === 'money') return 'number';
  if (k === 'json') return 'json';
  if (k === 'text' || k === 'enum') return 'text';
  return 'other';
}

/** Functions that keep distinct inputs distinct (so a unique column keeps the expression unique). */
const INJECTIVE = /^(lower|upper|btrim|trim|ltrim|rtrim|md5|coalesce|unaccent|musicbrainz_unaccent|immutable_unaccent|f_unaccent|citext|text)$/;
const BY_DAY = /^(date|date_trunc)$/;

export function analyse(key: string, t: CatalogTable, tableKey: (schema: string, name: string) => string | null, functions: readonly CatalogFunction[], find: (f: Finding) => void): TableModel {
  const cols = t.columns.filter((c) => c.generated === null);
  const colKey = uniqueKeys(t.columns.map((c) => c.name));
  const sqlCol = new Map([...colKey].map(([sql, k]) => [k, sql]));
  const byName = new Map(t.columns.map((c) => [c.name, c]));
  const k = (sql: string): string => colKey.get(sql) ?? sql;

  const fks: FkUnit[] = t.foreignKeys.map((fk0) => {
    const fk = { ...fk0, columns: fk0.columns.map(k) };
    const target = tableKey(fk0.refSchema, fk0.refTable);
    const notNull = fk0.columns.every((c) => byName.get(c)?.notNull === true);
    return { fk, target, self: target === key, notNull, declared: target !== null };
  });
  for (const u of fks) {
    if (u.target) continue;
    find({
      table: key, column: u.fk.columns.join(', '), severity: u.notNull ? 'error' : 'warning',
      problem: `foreign key ${u.fk.name} references ${u.fk.refSchema}.${u.fk.refTable}, which is not among the introspected tables`,
      chosen: u.notNull ? `no valid value can be generated: include schema ${u.fk.refSchema} with --schema, or in dataset.ts give the column keys that exist there: \`tables: { ${key}: { columns: { ${u.fk.columns[0]}: { gen: (c) => … } } } }\`` : 'left NULL',
    });
  }
  for (const x of t.exclusions) {
    find({ table: key, severity: 'error', problem: `exclusion constraint ${x.name} (${x.definition}) is not modelled: generated rows may conflict`, chosen: `write the columns it covers in dataset.ts so no two rows conflict (e.g. ranges from the row index), or leave the table out: \`tables: { ${key}: null }\`` });
  }
  if (t.insertTriggers.length) find({ table: key, severity: 'info', problem: `insert trigger(s) ${t.insertTriggers.join(', ')}`, chosen: 'they fire for every row a COPY loads (what they write is theirs)' });

  // Unique sets: primary key first; expression parts through the columns they mention.
  const uniqueSets: UniqueSet[] = [];
  for (const u of [...(t.primaryKey ? [t.primaryKey] : []), ...t.uniques]) {
    let set = u.columns.map(k);
    let byDay = false;
    if (u.expressions.length) {
      const mentioned = new Set<string>();
      let ok = true;
      for (const e of u.expressions) {
        let expr;
        try {
          expr = parseExpr(e);
        } catch {
          ok = false;
          continue;
        }
        const cs = [...columnsOf(expr)];
        for (const c of cs) mentioned.add(k(c));
        const fn = expr.k === 'call' ? expr.name.replace(/^.*\./, '') : expr.k === 'cast' ? (expr.type === 'date' ? 'date' : 'text') : expr.k === 'col' ? 'text' : '';
        if (BY_DAY.test(fn)) byDay = true;
        else if (!INJECTIVE.test(fn) || cs.length !== 1) ok = false;
      }
      set = [...new Set([...set, ...mentioned])];
      if (!ok || set.length === 0) {
        find({ table: key, column: set.join(', ') || undefined, severity: 'error', problem: `unique index ${u.name} on ${u.expressions.join(', ')}: the expression is not one the generator can keep unique`, chosen: `generated as if the columns were unique, which may still collide; write the columns in dataset.ts so the expression is unique, or leave the table out` });
      } else find({ table: key, column: set.join(', '), severity: 'info', problem: `expression unique index ${u.name} (${u.expressions.join(', ')})`, chosen: byDay ? 'one row per day: the dates are spread one day apart' : `the column${set.length > 1 ? 's are' : ' is'} unique by construction, which keeps the expression unique` });
    }
    if (!set.length) continue;
    if (uniqueSets.some((s) => sameSet(s.cols, set) && s.predicate === u.predicate)) continue;
    uniqueSets.push({ cols: set, source: u, predicate: u.predicate, ...(byDay ? { byDay } : {}) });
  }

  // Constraint formulas, in dataset keys.
  const ctx: LogicContext = { kindOf: (c) => logicKind(byName.get(c) ?? byName.get(sqlCol.get(c) ?? '')), functions };
  const checks: SolverCheck[] = [];
  const add = (name: string, text: string, build: () => Formula, mentions: readonly string[]): void => {
    let formula: Formula;
    try {
      formula = rename(build(), k);
    } catch (e) {
      const columns = mentions.map(k);
      formula = atom({ a: 'opaque', text: `${text} (cannot parse: ${(e as Error).message})`, cols: columns, not: false, side: 'T', strict: false });
    }
    checks.push({ name, text, formula });
  };
  for (const ch of t.checks) {
    const body = checkBody(ch.definition);
    if (ch.partition) {
      const bound = ch.partition.bound;
      add(`${ch.name} (partition ${ch.partition.name})`, `${ch.definition} on partition ${ch.partition.name}`, () => or(neg(holdsOf(prepare(bound, ctx), ctx)), passOf(prepare(body, ctx), ctx)), ch.columns);
    } else add(ch.name, ch.definition, () => passOf(prepare(body, ctx), ctx), ch.columns);
  }
  for (const c of cols) {
    for (const d of c.type.domains) {
      for (const ch of d.checks) add(`${ch.name} (domain ${d.name})`, `domain ${d.name} ${ch.definition}`, () => passOf(prepare(checkBody(ch.definition), ctx, c.name), ctx), [c.name]);
    }
  }
  if (t.partitioning?.routable) {
    const r = t.partitioning.routable;
    add(`partitions of ${t.name}`, `a partition of ${t.partitioning.key} (${t.partitioning.leaves.length} leaves)`, () => holdsOf(prepare(r, ctx), ctx), []);
  }
  return {
    cat: t, name: key, colKey, sqlCol, fks, uniqueSets, checks, gates: [], softOrders: [], sums: [],
    shape: { kind: 'rows', rows: 0 }, columns: [], primaryKey: (t.primaryKey?.columns ?? []).map(k), compositeUniques: [], notes: [], lookup: false, salt: saltOf(key),
  };
}

export const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/** The formula with column names mapped (SQL names → dataset keys). */
function rename(f: Formula, k: (c: string) => string): Formula {
  if (f.f === 'and' || f.f === 'or') return { f: f.f, args: f.args.map((a) => rename(a, k)) };
  if (f.f !== 'atom') return f;
  const a = f.atom;
  const r: Atom =
    a.a === 'colcmp' ? { ...a, left: k(a.left), right: k(a.right) }
    : a.a === 'lin' ? { ...a, terms: a.terms.map((x) => ({ ...x, col: k(x.col) })) }
    : a.a === 'opaque' ? { ...a, cols: a.cols.map(k) }
    : a.a === 'gate' ? a
    : { ...a, col: k(a.col) };
  return { f: 'atom', atom: r };
}
