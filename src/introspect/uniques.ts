/**
 * How each unique set is kept: by the table's shape (junction partners, numbered group rows), by
 * one of its columns made unique on its own (a bijection of the row index), or — for a partial
 * unique index whose columns cannot all be unique (a foreign key, a boolean) — by a gate: only the
 * first K rows may meet the index predicate, and those rows get unique values (K is the number of
 * distinct values: the referenced table's rows, 2 for a boolean). The other rows are generated so
 * the predicate is false, which the check solver enforces like a check.
 */
import { and, atom, neg, notNull, or, type Formula } from './checks/atoms.js';
import { holdsOf, prepare } from './checks/logic.js';
import { allowedValues, kindOf } from './heuristics/index.js';
import { logicKind } from './analyse.js';
import { quote, type Finding, type Gate, type TableModel, type UniqueSet } from './model.js';

export interface UniquePlan {
  /** Columns made unique on their own, by construction. */
  single: Set<string>;
  /** Columns that must not be NULL (NULLS NOT DISTINCT sets). */
  notNull: Set<string>;
}

export function shapeCovers(m: TableModel, cols: readonly string[]): boolean {
  const s = m.shape;
  if (s.kind === 'junction') return [...s.parentUnit.fk.columns, ...s.targetUnit.fk.columns].every((c) => cols.includes(c));
  if (s.kind === 'per') {
    const keyCols = [...s.unit.fk.columns, ...(s.partner?.unit.fk.columns ?? [])];
    // Distinct partners per parent (or one row per parent): any superset of the key is unique.
    if ((s.partner || s.count === '1') && keyCols.every((c) => cols.includes(c))) return true;
    // The parent key with a column numbered in the group.
    return keyCols.every((c) => cols.includes(c)) && cols.some((c) => s.derived.includes(c)) && cols.every((c) => keyCols.includes(c) || s.derived.includes(c));
  }
  return false;
}

/** A column that can be made unique alone (not a key, not a small value set). */
function candidate(m: TableModel, col: string): boolean {
  const sql = m.sqlCol.get(col);
  const c = m.cat.columns.find((x) => x.name === sql);
  if (!c || c.generated !== null || m.fks.some((u) => u.fk.columns.includes(col))) return false;
  const k = kindOf(c.type.base, c.type.typtype, c.type.category);
  if (allowedValues({ ...(c.type.enumLabels ? { enumLabels: c.type.enumLabels } : {}), rule: {} })) return false;
  if (c.type.length !== undefined && c.type.length < 4) return false;
  return ['int', 'decimal', 'float', 'text', 'uuid', 'date', 'timestamp', 'json', 'bytea', 'inet'].includes(k);
}

export function planUniques(m: TableModel, find: (f: Finding) => void, models?: Map<string, TableModel>): UniquePlan {
  const single = new Set<string>();
  const notNull = new Set<string>();
  const pk = m.primaryKey;
  for (const set of m.uniqueSets) {
    if (set.source.nullsNotDistinct) for (const c of set.cols) notNull.add(c);
    if (set.cols.length === 1 && !set.predicate) {
      single.add(set.cols[0]!);
      continue;
    }
    if (shapeCovers(m, set.cols)) continue;
    if (set.cols.length === 1 && set.predicate) {
      if (candidate(m, set.cols[0]!)) {
        single.add(set.cols[0]!);
        find({ table: m.name, column: set.cols[0], severity: 'info', problem: `partial unique index ${set.source.name} (WHERE ${set.predicate})`, chosen: 'the column is unique in every row, which the index then holds whatever its predicate' });
      } else gate(m, set, find, models);
      continue;
    }
    const pick = set.cols.find((c) => single.has(c)) ?? set.cols.find((c) => candidate(m, c));
    if (pick) {
      single.add(pick);
      if (set.predicate) find({ table: m.name, column: set.cols.join(', '), severity: 'info', problem: `partial unique index ${set.source.name} (WHERE ${set.predicate})`, chosen: `${pick} is unique in every row, so the index holds whatever its predicate` });
    } else if (set.predicate) gate(m, set, find, models);
    else if (m.shape.kind === 'per' && set.cols.some((c) => (m.shape as { unit: { fk: { columns: readonly string[] } } }).unit.fk.columns.includes(c))) {
      find({ table: m.name, column: set.cols.join(', '), severity: 'error', problem: `unique (${set.cols.join(', ')}) cannot be made unique by construction together with the table's shape`, chosen: `generated independently, so duplicates are possible; write one of the columns in dataset.ts so it is unique: \`tables: { ${m.name}: { columns: { ${set.cols[set.cols.length - 1]}: { gen: (c) => c.i + 1 } } } }\`` });
    } else gate(m, set, find, models);
    if (!set.predicate && !(set.cols.length === pk.length && set.cols.every((c) => pk.includes(c))) && !m.compositeUniques.some((x) => x.length === set.cols.length && x.every((c) => set.cols.includes(c)))) m.compositeUniques.push(set.cols);
  }
  for (const set of m.uniqueSets) {
    if (set.cols.length > 1 && !set.predicate && !(set.cols.length === pk.length && set.cols.every((c) => pk.includes(c))) && !m.compositeUniques.some((x) => x.length === set.cols.length && x.every((c) => set.cols.includes(c)))) m.compositeUniques.push(set.cols);
  }
  return { single, notNull };
}

/**
 * Gate a unique set: rows below K get values unique among themselves; rows from K on must not meet
 * the predicate. The first foreign key of the set sets K (its table's rows, one each by a
 * permutation); without one, a boolean or value-list column does (its number of values).
 */
function gate(m: TableModel, set: UniqueSet, find: (f: Finding) => void, models?: Map<string, TableModel>): void {
  const id = `g${m.gates.length}`;
  const unique = new Map<string, string>();
  let below: string | null = null;
  const byName = new Map(m.cat.columns.map((c) => [c.name, c]));
  // A key the gate can make unique: not one the table's shape sets (the parent row, a partner), nor
  // a self-reference (earlier rows), nor the tenant column of a scoped row (the tenancy sets it).
  const s = m.shape;
  const shapeCols = s.kind === 'per' ? [...s.unit.fk.columns, ...(s.partner?.unit.fk.columns ?? [])] : s.kind === 'junction' ? [...s.parentUnit.fk.columns, ...s.targetUnit.fk.columns] : [];
  const isTenantCol = (col: string): boolean => !!m.scope && m.tenantColumn === col;
  const keys = m.fks.filter((u) => u.target && u.fk.columns.length === 1 && set.cols.includes(u.fk.columns[0]!));
  const fk = keys.find((u) => !u.self && !shapeCols.includes(u.fk.columns[0]!) && !isTenantCol(u.fk.columns[0]!));
  const tenantKey = keys.find((u) => isTenantCol(u.fk.columns[0]!));
  let who = '';
  let how = 'unique values';
  if (s.kind !== 'rows' && set.cols.some((c) => s.kind === 'per' ? s.unit.fk.columns.includes(c) : s.parentUnit.fk.columns.includes(c))) {
    // The parent key is in the set: one row per group may meet the predicate.
    below = '';
    who = 'one row per parent';
  } else if (fk && m.scope && models?.get(fk.target!)?.scope) {
    // In a tenant: the j-th row of the tenant takes the j-th of the tenant's partners.
    const T = quote(fk.target!);
    const rank = `tenancy.rank(c, ${quote(m.name)}, c.row._tenant as number)`;
    below = `cond:${rank} < tenancy.size(c, ${T}, c.row._tenant as number)`;
    unique.set(fk.fk.columns[0]!, `c.key(${T}, tenancy.distinct(c, ${T}, c.row._tenant as number, ${rank}, ${m.salt + m.gates.length}))`);
    who = `in each tenant, as many rows as it has ${fk.target} rows (one each)`;
  } else if (fk) {
    below = `c.count(${quote(fk.target!)})`;
    unique.set(fk.fk.columns[0]!, `c.key(${quote(fk.target!)}, permute(c.i, c.count(${quote(fk.target!)}), ${m.salt + m.gates.length}))`);
    who = `the first rows, as many as ${fk.target} has (one ${fk.target} row each),`;
  } else if (tenantKey) {
    // The tenant column decides the row's tenant: the first row of each tenant's range may meet the
    // predicate, so each tenant key is in the index at most once (the column stays the tenancy's).
    below = `cond:tenancy.rank(c, ${quote(m.name)}, c.row._tenant as number) === 0`;
    who = `in each tenant, only its first row`;
    how = `each ${tenantKey.fk.columns[0]} (the row's ${tenantKey.target} row, set by the tenancy) once`;
  } else {
    for (const col of set.cols) {
      const c = byName.get(m.sqlCol.get(col) ?? '');
      if (!c) continue;
      const k = kindOf(c.type.base, c.type.typtype, c.type.category);
      const values = allowedValues({ ...(c.type.enumLabels ? { enumLabels: c.type.enumLabels } : {}), rule: {} }) ?? (k === 'bool' ? [false, true] : undefined);
      if (values) {
        below = String(values.length);
        unique.set(col, `nth([${values.map((v) => (typeof v === 'string' ? quote(v) : String(v))).join(', ')}], c.i)`);
        who = `the first ${below} rows`;
        break;
      }
    }
    if (below === null && keys.length) {
      // Only keys the shape or earlier rows decide: the first row alone may meet the predicate.
      below = '1';
      who = 'only the first row';
    }
  }
  // A column an earlier gate already keeps unique: the same rows and values serve this index too.
  const earlier = m.gates.find((g) => [...unique.keys()].some((k) => g.unique.has(k)));
  if (earlier && below !== null) {
    below = earlier.below === 'group' ? '' : earlier.below;
    for (const k of unique.keys()) if (earlier.unique.has(k)) unique.set(k, earlier.unique.get(k)!);
  }
  if (below === null) {
    find({ table: m.name, column: set.cols.join(', '), severity: 'error', problem: `unique index ${set.source.name} on (${set.cols.join(', ')})${set.predicate ? ` WHERE ${set.predicate}` : ''}: no column of it can be made unique`, chosen: `generated independently, so duplicates are possible; write one of its columns in dataset.ts so it is unique: \`tables: { ${m.name}: { columns: { ${set.cols[0]}: { gen: (c) => … } } } }\`` });
    return;
  }
  const ctx = { kindOf: (c: string) => logicKind(byName.get(m.sqlCol.get(c) ?? c) ?? byName.get(c)) };
  const rename = (c: string): string => m.colKey.get(c) ?? c;
  // A row is in the index when the predicate holds and (unless NULLS NOT DISTINCT) no column is NULL.
  const present: Formula = set.source.nullsNotDistinct ? { f: 'true' } : and(...set.cols.map(notNull));
  let holds: Formula;
  try {
    holds = set.predicate ? and(renameAtoms(holdsOf(prepare(set.predicate, ctx), ctx), rename), present) : present;
  } catch (e) {
    find({ table: m.name, column: set.cols.join(', '), severity: 'error', problem: `partial unique index ${set.source.name}: its predicate ${set.predicate} cannot be read (${(e as Error).message})`, chosen: 'treated as holding every row' });
    holds = present;
  }
  const groupGate = below === '';
  const gateAtom = atom({ a: 'gate', id, below: groupGate ? 'group' : below, not: false });
  m.checks.push({ name: `${set.source.name} (unique${set.predicate ? ` WHERE ${set.predicate}` : ''})`, text: set.source.definition, formula: or(gateAtom, neg(holds)) });
  const g: Gate = { id, set, below: groupGate ? 'group' : below, unique };
  m.gates.push(g);
  find({ table: m.name, column: set.cols.join(', '), severity: 'info', problem: `unique index ${set.source.name} on (${set.cols.join(', ')})${set.predicate ? ` WHERE ${set.predicate}` : ''}`, chosen: `${who} may meet the predicate, with ${how}; the other rows are generated outside it` });
}

function renameAtoms(f: Formula, k: (c: string) => string): Formula {
  if (f.f === 'and' || f.f === 'or') return { f: f.f, args: f.args.map((a) => renameAtoms(a, k)) };
  if (f.f !== 'atom') return f;
  const a = f.atom;
  if (a.a === 'colcmp') return atom({ ...a, left: k(a.left), right: k(a.right) });
  if (a.a === 'lin') return atom({ ...a, terms: a.terms.map((t) => ({ ...t, col: k(t.col) })) });
  if (a.a === 'opaque') return atom({ ...a, cols: a.cols.map(k) });
  if (a.a === 'gate') return f;
  return atom({ ...a, col: k(a.col) });
}
