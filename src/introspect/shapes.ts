/**
 * Table shapes and row counts. Keys and uniques made of foreign keys decide the shape, so they
 * hold by construction:
 * - two NOT NULL foreign keys forming a unique set → `junction` (distinct partners per parent); an
 *   ordering check between them (`tag1 < tag2`, `entity0 <> entity1` on the same table) → `per`
 *   with partners taken after / other than the parent;
 * - one NOT NULL foreign key plus other columns → `per` parent, the others numbered in the group;
 *   when the key's columns are unique on their own (1:1) the group has exactly one row;
 * - otherwise `rows`.
 * Then row counts (entities, lookups, children), NOT NULL cycles broken by leaving one key
 * undeclared, and tables whose unique columns cannot hold the planned rows capped.
 */
import { SeedpipeError } from '../errors.js';
import type { DatasetDef, TableDef } from '../dataset/types.js';
import { planGraph } from '../plan/graph.js';
import { atomColumns, type Formula } from './checks/atoms.js';
import { PERSON_TABLE } from './heuristics/index.js';
import { DEFAULT_REF_DATE, type Finding, type FkUnit, type TableModel } from './model.js';
import { sameSet } from './analyse.js';

export const LOOKUP_NAME = /(^|_)(types?|kinds?|statuses|status|categor(y|ies)|genres?|tags?|labels?|roles?|levels?|tiers?|currenc(y|ies)|countr(y|ies)|languages?|locales?|units?|priorit(y|ies)|media_types?|methods?|queues?|reasons?|sources?|channels?|regions?|states?|plans?|flags?|features?|permissions?|scopes?|settings?|options?|formats?|scripts?|genders?)$/;

/** Foreign keys (in the set, NOT NULL, not self) whose columns all lie in `cols`. */
function unitsIn(m: TableModel, cols: readonly string[]): FkUnit[] {
  return m.fks.filter((u) => u.target && !u.self && u.notNull && u.fk.columns.every((c) => cols.includes(c)));
}

/** The unit's columns are unique on their own (a full unique set): at most one child per parent. */
export function uniqueAlone(m: TableModel, cols: readonly string[]): boolean {
  return m.uniqueSets.some((s) => s.predicate === null && sameSet(s.cols, cols));
}

/** An ordering between two columns a check states (`tag1 < tag2`): '<', '>', '<>' or null. */
function orderBetween(m: TableModel, a: string, b: string): '<' | '>' | '<>' | null {
  const visit = (f: Formula): '<' | '>' | '<>' | null => {
    if (f.f === 'atom' && f.atom.a === 'colcmp') {
      const { left, op } = f.atom;
      const cols = atomColumns(f.atom);
      if (!(cols.includes(a) && cols.includes(b))) return null;
      const o = left === a ? op : op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
      return o === '<' || o === '<=' ? '<' : o === '>' || o === '>=' ? '>' : o === '<>' ? '<>' : null;
    }
    if (f.f === 'and' || f.f === 'or') for (const x of f.args) { const r = visit(x); if (r) return r; }
    return null;
  };
  for (const c of m.checks) { const r = visit(c.formula); if (r) return r; }
  return null;
}

export function chooseShape(m: TableModel, models: Map<string, TableModel>): void {
  const full = m.uniqueSets.filter((s) => s.predicate === null);
  for (const set of full) {
    const units = unitsIn(m, set.cols);
    const covered = new Set<string>();
    const disjoint = units.filter((u) => {
      if (u.fk.columns.some((c) => covered.has(c))) return false;
      for (const c of u.fk.columns) covered.add(c);
      return true;
    });
    if (disjoint.length < 2) continue;
    disjoint.sort((a, b) => set.cols.indexOf(a.fk.columns[0]!) - set.cols.indexOf(b.fk.columns[0]!));
    const [p, q] = [disjoint[0]!, disjoint[1]!];
    if (p.target === m.name || q.target === m.name) continue;
    if (uniqueAlone(m, q.fk.columns)) {
      // Each partner at most once overall: one row per partner row, the other key an ordinary reference.
      m.shape = { kind: 'per', parent: q.target!, unit: q, count: '1', avg: 1, derived: [] };
      m.notes.push(`one row per ${q.target} row: ${q.fk.columns.join(', ')} is unique`);
      return;
    }
    const order = p.target === q.target && p.fk.columns.length === 1 && q.fk.columns.length === 1 ? orderBetween(m, p.fk.columns[0]!, q.fk.columns[0]!) : null;
    const smallTarget = LOOKUP_NAME.test(q.target!);
    const max = smallTarget ? 4 : 8;
    if (order) {
      const mode = order === '<' ? 'after' : order === '>' ? 'after' : 'other';
      // `a > b` is `b < a`: take the first key of the ordered pair as the parent.
      const [pp, qq] = order === '>' ? [q, p] : [p, q];
      m.shape = { kind: 'per', parent: pp.target!, unit: pp, count: `(c) => c.rng.int(1, ${max})`, avg: (1 + max) / 2, derived: [], partner: { unit: qq, target: qq.target!, mode } };
      m.notes.push(`pairs of ${pp.target}: ${qq.fk.columns[0]} ${mode === 'after' ? `after ${pp.fk.columns[0]}` : `other than ${pp.fk.columns[0]}`} (a check), distinct per parent`);
      return;
    }
    m.shape = { kind: 'junction', parent: p.target!, target: q.target!, parentUnit: p, targetUnit: q, count: `(c) => c.rng.int(1, ${max})`, avg: (1 + max) / 2 };
    m.notes.push(`junction: ${set.cols.join(', ')} unique by construction (distinct ${q.target} per ${p.target})`);
    return;
  }
  for (const set of full) {
    const units = unitsIn(m, set.cols);
    if (units.length !== 1) continue;
    const u = units[0]!;
    if (u.target === m.name) continue;
    const derived = set.cols.filter((c) => !u.fk.columns.includes(c));
    if (derived.some((c) => m.fks.some((f) => f.fk.columns.includes(c)))) continue;
    if (derived.length === 0 || uniqueAlone(m, u.fk.columns)) {
      m.shape = { kind: 'per', parent: u.target!, unit: u, count: '1', avg: 1, derived };
      m.notes.push(`one row per ${u.target} row: ${u.fk.columns.join(', ')} is unique`);
    } else {
      m.shape = { kind: 'per', parent: u.target!, unit: u, count: '(c) => c.rng.int(1, 5)', avg: 3, derived };
      m.notes.push(`grouped under ${u.target}: (${set.cols.join(', ')}) unique by construction (${derived.join(', ')} numbered within each ${u.target} row)`);
    }
    return;
  }
  void models;
}

/** Classifies lookups (referenced, few columns, no NOT NULL parents). */
export function markLookups(models: Map<string, TableModel>): void {
  const fanIn = new Map<string, number>();
  for (const m of models.values()) for (const u of m.fks) if (u.target && !u.self) fanIn.set(u.target, (fanIn.get(u.target) ?? 0) + 1);
  for (const m of models.values()) {
    const nonKey = m.cat.columns.filter((c) => !c.generated && !(m.cat.primaryKey?.columns ?? []).includes(c.name)).length;
    const outgoing = m.fks.some((u) => !u.self && u.notNull && u.target);
    m.lookup = (fanIn.get(m.name) ?? 0) > 0 && !outgoing && !PERSON_TABLE.test(m.name) && (nonKey <= 3 || (LOOKUP_NAME.test(m.name) && nonKey <= 6));
  }
}

/** Expected rows per table at scale 1, and `rows` of `rows` tables. */
export function computeRows(models: Map<string, TableModel>, base: number, tenant: string | null): Map<string, number> {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const tenantRows = Math.max(5, Math.round(base / 10));
  const rowsOf = (name: string): number => {
    if (memo.has(name)) return memo.get(name)!;
    const m = models.get(name)!;
    if (visiting.has(name)) return base;
    visiting.add(name);
    let n: number;
    const s = m.shape;
    if (s.kind === 'per') n = rowsOf(s.parent) * s.avg;
    else if (s.kind === 'junction') n = rowsOf(s.parent) * Math.min(s.avg, rowsOf(s.target));
    else if (name === tenant) {
      n = tenantRows;
      s.rows = n;
    } else {
      // Lookups: a tenth of an entity; children (a NOT NULL key to an entity): twice their largest
      // parent, at most 5× an entity; tables of a tenant at least two rows per tenant.
      const parents = m.fks.filter((u) => u.target && !u.self && u.notNull && !models.get(u.target)!.lookup && !visiting.has(u.target)).map((u) => rowsOf(u.target!));
      n = m.lookup ? Math.max(5, Math.round(base / 10)) : parents.length ? Math.min(5 * base, Math.max(base, 2 * Math.max(...parents))) : base;
      if (m.scope && tenant) n = Math.max(n, 2 * tenantRows);
      s.rows = Math.round(n);
    }
    visiting.delete(name);
    memo.set(name, n);
    return n;
  };
  for (const name of models.keys()) rowsOf(name);
  return memo;
}

export function isShapeUnit(m: TableModel, u: FkUnit): boolean {
  const s = m.shape;
  return (s.kind === 'per' && (s.unit === u || s.partner?.unit === u)) || (s.kind === 'junction' && (s.parentUnit === u || s.targetUnit === u));
}

/**
 * Runs the engine's own cycle breaking on a skeleton of the dataset; while it finds a cycle with no
 * nullable key, one NOT NULL key of that cycle is left undeclared (its values stay valid keys: the
 * database checks the foreign key after the load).
 */
export function breakHardCycles(models: Map<string, TableModel>, find: (f: Finding) => void): void {
  for (let guard = 0; guard < 100; guard++) {
    const skeleton: DatasetDef = { name: 'x', seed: 1, refDate: DEFAULT_REF_DATE, tables: {} };
    for (const m of models.values()) {
      const columns: TableDef['columns'] = {};
      for (const [key, sql] of m.sqlCol) {
        const c = m.cat.columns.find((x) => x.name === sql)!;
        const single = m.fks.find((u) => u.target && u.declared && !u.self && u.fk.columns.length === 1 && u.fk.columns[0] === key);
        columns[key] = { type: 'text', nullable: !c.notNull, gen: () => null, ...(single ? { references: single.target! } : {}) };
      }
      const t: { -readonly [K in keyof TableDef]: TableDef[K] } = { columns };
      const s = m.shape;
      if (s.kind === 'per') t.per = { parent: s.parent, count: 1 };
      else if (s.kind === 'junction') t.junction = { parent: s.parent, target: s.target, count: 1 };
      else t.rows = 1;
      const fks = m.fks.filter((u) => u.target && u.declared && !u.self && u.fk.columns.length > 1);
      t.foreignKeys = fks.map((u) => ({ columns: u.fk.columns, table: u.target!, refColumns: u.fk.refColumns.map((r) => models.get(u.target!)!.colKey.get(r) ?? r) }));
      (skeleton.tables as Record<string, TableDef>)[m.name] = t;
    }
    try {
      const { deferred } = planGraph(skeleton);
      for (const d of deferred) {
        const [table, column] = d.split('.') as [string, string];
        const m = models.get(table)!;
        if (m.primaryKey.length === 0) {
          find({ table, column, severity: 'error', problem: 'this nullable foreign key breaks a cycle: it is loaded NULL and set after the load, by primary key, and the table has none', chosen: `the Postgres sink refuses the load (POSTGRES_DEFERRED_NEEDS_KEY); add a primary key, or leave the column NULL in dataset.ts: \`tables: { ${table}: { columns: { ${column}: { gen: () => null } } } }\`` });
        } else find({ table, column, severity: 'info', problem: 'nullable foreign key in a cycle', chosen: 'loaded NULL, then set in the same transaction' });
      }
      return;
    } catch (e) {
      if (!(e instanceof SeedpipeError) || e.code !== 'CYCLE_NOT_BREAKABLE') throw e;
      const cycle = (e.data as { cycle?: string[] }).cycle ?? [];
      let done = false;
      for (let k = 0; k + 1 < cycle.length && !done; k++) {
        const m = models.get(cycle[k]!)!;
        const u = m.fks.find((x) => x.declared && x.target === cycle[k + 1] && !isShapeUnit(m, x));
        if (!u) continue;
        u.declared = false;
        done = true;
        find({
          table: m.name, column: u.fk.columns.join(', '), severity: 'warning',
          problem: `tables ${cycle.join(' → ')} form a cycle of NOT NULL foreign keys, which no load order satisfies row by row`,
          chosen: `${u.fk.name} is not declared in the dataset (its values are still keys of ${u.target}); the database checks it once after the load, so a sink must set foreign keys aside during the load (the Postgres sink's default)`,
        });
      }
      if (!done) {
        find({ table: cycle[0] ?? '?', severity: 'error', problem: `tables ${cycle.join(' → ')} form a cycle made only of parent/child shapes`, chosen: `the dataset will not plan; give one of them a rows shape in dataset.ts: \`tables: { ${cycle[0]}: { rows: 100 } }\`` });
        return;
      }
    }
  }
}

/** Tables whose unique columns cannot hold the planned rows get fewer rows (a catalog that never scales). */
export function applyCapacity(models: Map<string, TableModel>, expected: Map<string, number>, find: (f: Finding) => void): void {
  for (const m of models.values()) {
    if (m.shape.kind !== 'rows') continue;
    const caps = m.columns.filter((c) => c.capacity !== undefined).map((c) => [c.name, c.capacity!] as const);
    if (!caps.length) continue;
    const [col, cap] = caps.reduce((a, b) => (b[1] < a[1] ? b : a));
    if (cap >= m.shape.rows) continue;
    find({ table: m.name, column: col, severity: 'info', problem: `unique ${col} has only ${cap} possible value${cap === 1 ? '' : 's'}`, chosen: `${cap} rows instead of ${m.shape.rows}, as fixed rows so --scale does not multiply them` });
    m.shape = { kind: 'rows', rows: cap, fixed: cap };
    expected.set(m.name, cap);
  }
}
