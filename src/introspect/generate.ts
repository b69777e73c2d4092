/**
 * Turns a catalog into a dataset module (TypeScript source) plus findings: one table entry per
 * table, columns in table order, a generator per column, shapes chosen so keys and uniques hold by
 * construction:
 *
 * - a primary key or unique set made of two foreign keys → `junction` (distinct partners per parent);
 * - one made of one NOT NULL foreign key and other columns → `per` parent, the other columns derived
 *   from the position in the group (`line_no = c.k + 1`); a unique foreign key alone → one child per
 *   parent (`per`, count 1);
 * - otherwise `rows`, with single unique columns made unique from the row index.
 *
 * Foreign keys use `c.ref`; composite ones pick one parent row index (a virtual column) and copy its
 * key columns with `c.lookup`; self-references point at earlier rows. A cycle through a nullable key
 * is left to the engine (loaded NULL, set after); a cycle with no nullable key is broken by leaving
 * one key undeclared in the dataset (its values are still valid keys) and reported.
 *
 * Nothing is skipped silently: every column or constraint it cannot honour becomes a `Finding`
 * (table, column, the problem, what was chosen instead).
 */
import { SeedpipeError } from '../errors.js';
import type { DatasetDef, TableDef } from '../dataset/types.js';
import { planGraph } from '../plan/graph.js';
import { hashString128 } from '../random/hash.js';
import type { Catalog, CatalogColumn, CatalogForeignKey, CatalogTable, CatalogUnique } from './catalog.js';
import { parseCheck, rulesOf, type CheckFact, type ColumnRule } from './checks.js';
import {
  allowedValues, capacityOf, chooseGenerator, CREATED_LIKE, kindOf, maxLength, numericBounds, PERSON_TABLE,
  type Choice, type EarlierColumn, type ScalarKind,
} from './heuristics.js';

export interface GenerateOptions {
  /** Rows of an ordinary entity table; lookups get a tenth, child tables more. Default 1,000. */
  rows?: number;
  /** Dataset name (lower_snake_case). Default: the database name. */
  name?: string;
  /** Root seed written into the dataset. Default 1. */
  seed?: number;
  /** Reference date ("now" of the data) written into the dataset. Default 2025-01-01T00:00:00Z. */
  refDate?: string;
  /**
   * Module specifier of seedpipe's `src/` folder as seen from the generated file, without a trailing
   * slash, e.g. `../../src` or `seedpipe/src`. The generated file imports `<it>/index.js`,
   * `<it>/introspect/runtime.js` and `<it>/introspect/overrides.js`.
   */
  seedpipeImport: string;
  /** Where the schema came from, for the header comment (never with a password). */
  source?: string;
  /**
   * Whether the sink can load a column generated with `type` (a dataset column type) into this
   * database column; returns the reason when it cannot. Such columns are left to the database
   * (NULL or their default) when they may be, and reported. Default: every column loads.
   */
  canLoad?: (table: CatalogTable, column: CatalogColumn, type: string) => string | null;
}

export interface Finding {
  table: string;
  column?: string;
  /** error: the load will fail as generated; warning: a constraint is not guaranteed or data was left out; info: a choice worth knowing. */
  severity: 'error' | 'warning' | 'info';
  problem: string;
  /** What the generated dataset does instead. */
  chosen: string;
}

export interface TableSummary {
  table: string;
  schema: string;
  shape: 'rows' | 'per' | 'junction';
  /** `rows` tables: the row count; group tables: the parent and the count expression. */
  rows?: number;
  parent?: string;
  target?: string;
  count?: string;
  /** Expected rows at scale 1 (group tables: parents × average count). */
  expectedRows: number;
  columns: number;
}

export interface GeneratedDataset {
  /** The `schema.generated.ts` module text. */
  source: string;
  findings: Finding[];
  tables: TableSummary[];
  name: string;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
const DEFAULT_REF_DATE = '2025-01-01T00:00:00Z';
const LOOKUP_NAME = /(^|_)(types?|kinds?|statuses|status|categor(y|ies)|genres?|tags?|labels?|roles?|levels?|tiers?|currenc(y|ies)|countr(y|ies)|languages?|locales?|units?|priorit(y|ies)|media_types?|methods?|queues?|reasons?|sources?|channels?|regions?|states?|plans?|flags?|features?|permissions?|scopes?|settings?|options?)$/;

interface ColModel {
  name: string;
  col: CatalogColumn | null;
  kind: ScalarKind;
  /** Rendered dataset type (TS source). */
  type: string;
  nullable: boolean;
  unique: boolean;
  references?: string;
  virtual?: boolean;
  secret?: boolean;
  /** Expression; undefined = generated key (row number). */
  gen?: string;
  nullShare: number;
  notes: string[];
  /** Left to the database: rendered as a comment. */
  omitted?: string;
  /** Never NULL even if the column is nullable (checks, NULLS NOT DISTINCT uniques, shape keys). */
  forceValue?: boolean;
}

interface FkUnit {
  fk: CatalogForeignKey;
  /** Target table name in the dataset, or null when outside the introspected schemas. */
  target: string | null;
  self: boolean;
  notNull: boolean;
  /** Dataset-side: declared with references/foreignKeys (false when undeclared to break a NOT NULL cycle). */
  declared: boolean;
}

type Shape =
  | { kind: 'rows'; rows: number; fixed?: number }
  | { kind: 'per'; parent: string; unit: FkUnit; count: string; avg: number; derived: string[] }
  | { kind: 'junction'; parent: string; target: string; parentUnit: FkUnit; targetUnit: FkUnit; count: string; avg: number };

interface TableModel {
  cat: CatalogTable;
  name: string;
  fks: FkUnit[];
  /** Unique sets (PK first) in column names, after dropping expression parts. */
  uniqueSets: { cols: string[]; source: CatalogUnique }[];
  rules: Map<string, ColumnRule>;
  unparsed: { name: string; definition: string; columns: string[]; reason: string; domain?: string }[];
  shape: Shape;
  columns: ColModel[];
  primaryKey: string[];
  compositeUniques: string[][];
  notes: string[];
  lookup: boolean;
  salt: number;
}

/** Dataset column type for a catalog column (`'int'`, `{ enum: [...] }`, …) as TS source, and whether the dataset can say it exactly. */
export function datasetType(col: CatalogColumn): { type: string; plain: string; exact: boolean } {
  const t = col.type;
  if (t.arrayDims > 0) return { type: `'text'`, plain: 'text', exact: false };
  if (t.typtype === 'e') return { type: `{ enum: [${(t.enumLabels ?? []).map((l) => quote(l)).join(', ')}] }`, plain: 'enum', exact: true };
  const s = (x: string, exact = true): { type: string; plain: string; exact: boolean } => ({ type: quote(x), plain: x, exact });
  switch (t.base) {
    case 'int2': return s('smallint');
    case 'int4': return s('int');
    case 'int8': return s('bigint');
    case 'numeric':
      if (t.precision !== undefined && t.scale !== undefined && t.scale >= 0) return s(`numeric(${t.precision},${t.scale})`);
      return s('numeric(20,2)', t.precision === undefined);
    case 'money': return s('numeric(15,2)', false);
    case 'float4': case 'float8': return s('double precision');
    case 'varchar': return t.length !== undefined ? s(`varchar(${t.length})`) : s('text');
    case 'bpchar': return s(`varchar(${t.length ?? 1})`, false);
    case 'text': case 'citext': case 'name': return s('text', t.base === 'text');
    case 'bool': return s('boolean');
    case 'date': return s('date');
    case 'timestamptz': return s('timestamptz');
    case 'timestamp': return s('timestamptz', false);
    case 'uuid': return s('uuid');
    case 'json': case 'jsonb': return s('jsonb', t.base === 'jsonb');
    default: return s('text', false);
  }
}

export function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

const prop = (name: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name));

function saltOf(name: string): number {
  return hashString128(name)[0]! % 100_000;
}

/** Builds the dataset module for `catalog`. */
export function generateDataset(catalog: Catalog, opts: GenerateOptions): GeneratedDataset {
  const findings: Finding[] = [];
  const find = (f: Finding): void => void findings.push(f);
  const base = opts.rows ?? 1000;
  if (!(Number.isInteger(base) && base >= 1)) throw new SeedpipeError('INTROSPECT_ROWS_INVALID', `rows must be a positive integer (got ${opts.rows})`, { disposition: 'usage' });

  // 1. Tables the dataset can name.
  const byName = new Map<string, CatalogTable>();
  for (const t of catalog.tables) {
    if (!IDENT.test(t.name)) {
      find({ table: `${t.schema}.${t.name}`, severity: 'error', problem: `table name "${t.name}" is not lower_snake_case, which dataset table names must be`, chosen: 'table left out of the dataset (rename the table, or write its entry by hand)' });
      continue;
    }
    if (byName.has(t.name)) {
      find({ table: `${t.schema}.${t.name}`, severity: 'error', problem: `a table named ${t.name} already exists in schema ${byName.get(t.name)!.schema}; dataset table names are not schema-qualified`, chosen: `table left out; introspect schema ${t.schema} on its own to seed it` });
      continue;
    }
    byName.set(t.name, t);
  }

  // 2. Per-table analysis: foreign keys, unique sets, checks.
  const models = new Map<string, TableModel>();
  for (const [name, t] of byName) models.set(name, analyse(name, t, byName, find));

  // 3. Shapes and row counts.
  for (const m of models.values()) chooseShape(m, models, find);
  const fanIn = new Map<string, number>();
  for (const m of models.values()) for (const u of m.fks) if (u.target && !u.self) fanIn.set(u.target, (fanIn.get(u.target) ?? 0) + 1);
  for (const m of models.values()) {
    const nonKey = m.cat.columns.filter((c) => !c.generated && !(m.cat.primaryKey?.columns ?? []).includes(c.name)).length;
    const outgoing = m.fks.some((u) => !u.self && u.notNull && u.target);
    m.lookup = (fanIn.get(m.name) ?? 0) > 0 && !outgoing && !PERSON_TABLE.test(m.name) && (nonKey <= 3 || (LOOKUP_NAME.test(m.name) && nonKey <= 6));
  }
  const expected = computeRows(models, base);

  // 4. Cycles with no nullable key: leave one key undeclared (engine semantics, via its own graph).
  breakHardCycles(models, find);

  // 5. Columns.
  for (const m of models.values()) buildColumns(m, models, opts, find);
  applyCapacity(models, expected, find);

  const name = opts.name ?? (catalog.database.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^([^a-z_])/, '_$1') || 'introspected');
  if (!IDENT.test(name)) throw new SeedpipeError('INTROSPECT_NAME_INVALID', `dataset name "${name}" must be lower_snake_case; pass --name`, { disposition: 'usage' });
  const source = render(catalog, [...models.values()], opts, name, findings);
  const tables: TableSummary[] = [...models.values()].map((m) => summary(m, expected));
  // Findings: tables in catalog order, errors first within a table.
  const order = new Map(catalog.tables.map((t, i) => [t.name, i]));
  const sev = { error: 0, warning: 1, info: 2 };
  findings.sort((a, b) => (order.get(a.table) ?? -1) - (order.get(b.table) ?? -1) || sev[a.severity] - sev[b.severity]);
  return { source, findings, tables, name };
}

function summary(m: TableModel, expected: Map<string, number>): TableSummary {
  const s = m.shape;
  const common = { table: m.name, schema: m.cat.schema, expectedRows: Math.round(expected.get(m.name) ?? 0), columns: m.columns.filter((c) => !c.virtual && !c.omitted).length };
  if (s.kind === 'rows') return { ...common, shape: 'rows', rows: s.fixed ?? s.rows };
  if (s.kind === 'per') return { ...common, shape: 'per', parent: s.parent, count: s.count };
  return { ...common, shape: 'junction', parent: s.parent, target: s.target, count: s.count };
}

// ---- analysis --------------------------------------------------------------------------------

function analyse(name: string, t: CatalogTable, byName: Map<string, CatalogTable>, find: (f: Finding) => void): TableModel {
  const colByName = new Map(t.columns.map((c) => [c.name, c]));
  const fks: FkUnit[] = t.foreignKeys.map((fk) => {
    const target = byName.get(fk.refTable);
    const inSet = target && target.schema === fk.refSchema;
    const notNull = fk.columns.every((c) => colByName.get(c)?.notNull === true);
    return { fk, target: inSet ? fk.refTable : null, self: inSet === true && fk.refTable === name && fk.refSchema === t.schema, notNull, declared: inSet === true };
  });
  for (const u of fks) {
    if (u.target) continue;
    find({
      table: name,
      column: u.fk.columns.join(', '),
      severity: u.notNull ? 'error' : 'warning',
      problem: `foreign key ${u.fk.name} references ${u.fk.refSchema}.${u.fk.refTable}, which is not among the introspected tables`,
      chosen: u.notNull ? 'no valid value can be generated: include that schema with --schema, or override the column in dataset.ts with keys that exist there' : 'left NULL',
    });
  }
  for (const x of t.exclusions) find({ table: name, severity: 'warning', problem: `exclusion constraint ${x.name} (${x.definition})`, chosen: 'not modelled: rows may conflict; override the columns it covers in dataset.ts if the load fails on it' });
  if (t.insertTriggers.length) find({ table: name, severity: 'info', problem: `insert trigger(s) ${t.insertTriggers.join(', ')}`, chosen: 'they fire for every row the Postgres sink COPYs' });
  const uniqueSets: TableModel['uniqueSets'] = [];
  const all = [...(t.primaryKey ? [t.primaryKey] : []), ...t.uniques];
  for (const u of all) {
    let cols = [...u.columns];
    if (u.expressions.length) {
      // `lower(email)`: unique when the column itself is unique by construction (its suffix differs in any case).
      const mentioned = t.columns.map((c) => c.name).filter((c) => u.expressions.some((e) => new RegExp(`(^|[^A-Za-z0-9_"])"?${c}"?([^A-Za-z0-9_"]|$)`).test(e)));
      cols = [...new Set([...cols, ...mentioned])];
      find({ table: name, column: cols.join(', '), severity: 'info', problem: `expression unique index ${u.name} (${u.expressions.join(', ')})`, chosen: `the column${cols.length > 1 ? 's are' : ' is'} made unique by construction, which keeps the expression unique` });
      if (cols.length === 0) {
        find({ table: name, severity: 'warning', problem: `unique index ${u.name} on ${u.expressions.join(', ')} mentions no column`, chosen: 'not guaranteed' });
        continue;
      }
    }
    if (u.predicate) find({ table: name, column: cols.join(', '), severity: 'info', problem: `partial unique index ${u.name} (WHERE ${u.predicate})`, chosen: 'values are unique across all rows, whatever the predicate' });
    if (!uniqueSets.some((s) => sameSet(s.cols, cols))) uniqueSets.push({ cols, source: u });
  }
  // Checks: table checks and domain checks (VALUE → the column).
  const facts: CheckFact[] = [];
  const unparsed: TableModel['unparsed'] = [];
  for (const ch of t.checks) {
    const p = parseCheck(ch.definition);
    if (p.ok) facts.push(...p.facts);
    else unparsed.push({ name: ch.name, definition: ch.definition, columns: ch.columns.length ? [...ch.columns] : [...p.columns], reason: p.reason });
  }
  for (const c of t.columns) {
    for (const d of c.type.domains) {
      for (const ch of d.checks) {
        const p = parseCheck(ch.definition, c.name);
        if (p.ok) facts.push(...p.facts);
        else unparsed.push({ name: ch.name, definition: ch.definition, columns: [c.name], reason: p.reason, domain: d.name });
      }
    }
  }
  const step = (col: string): number => {
    const c = colByName.get(col);
    if (!c) return 1;
    const k = kindOf(c.type.base, c.type.typtype, c.type.category);
    if (k === 'int') return 1;
    if (k === 'decimal') return Math.pow(10, -Math.max(0, c.type.scale ?? 2));
    if (k === 'money') return 0.01;
    return 0;
  };
  return {
    cat: t, name, fks, uniqueSets, rules: rulesOf(facts, step), unparsed,
    shape: { kind: 'rows', rows: 0 }, columns: [], primaryKey: t.primaryKey ? [...t.primaryKey.columns] : [], compositeUniques: [], notes: [], lookup: false, salt: saltOf(name),
  };
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/** Foreign keys (declared, in the set, NOT NULL, not self) whose columns all lie in `cols`. */
function unitsIn(m: TableModel, cols: readonly string[]): FkUnit[] {
  return m.fks.filter((u) => u.target && !u.self && u.notNull && u.fk.columns.every((c) => cols.includes(c)));
}

function chooseShape(m: TableModel, models: Map<string, TableModel>, find: (f: Finding) => void): void {
  for (const set of m.uniqueSets) {
    const units = unitsIn(m, set.cols);
    // Units must not overlap each other.
    const covered = new Set<string>();
    const disjoint = units.filter((u) => {
      if (u.fk.columns.some((c) => covered.has(c))) return false;
      for (const c of u.fk.columns) covered.add(c);
      return true;
    });
    if (disjoint.length >= 2) {
      // Order by the first column's position in the unique set (PK (a, b): parent a, partner b).
      disjoint.sort((a, b) => set.cols.indexOf(a.fk.columns[0]!) - set.cols.indexOf(b.fk.columns[0]!));
      const [p, q] = [disjoint[0]!, disjoint[1]!];
      if (p.target === m.name || q.target === m.name) continue;
      const smallTarget = models.get(q.target!)?.cat.columns.length !== undefined && LOOKUP_NAME.test(q.target!);
      const max = smallTarget ? 4 : 8;
      m.shape = { kind: 'junction', parent: p.target!, target: q.target!, parentUnit: p, targetUnit: q, count: `(c) => c.rng.int(1, ${max})`, avg: (1 + max) / 2 };
      m.notes.push(`junction: ${set.cols.join(', ')} unique by construction (distinct ${q.target} per ${p.target})`);
      return;
    }
  }
  for (const set of m.uniqueSets) {
    const units = unitsIn(m, set.cols);
    if (units.length !== 1) continue;
    const u = units[0]!;
    if (u.target === m.name) continue;
    const derived = set.cols.filter((c) => !u.fk.columns.includes(c));
    if (derived.some((c) => m.fks.some((f) => f.fk.columns.includes(c)))) continue;
    if (derived.length === 0) {
      m.shape = { kind: 'per', parent: u.target!, unit: u, count: '1', avg: 1, derived: [] };
      m.notes.push(`one row per ${u.target} row: ${set.cols.join(', ')} is unique`);
    } else {
      m.shape = { kind: 'per', parent: u.target!, unit: u, count: '(c) => c.rng.int(1, 5)', avg: 3, derived };
      m.notes.push(`grouped under ${u.target}: (${set.cols.join(', ')}) unique by construction (${derived.join(', ')} numbered within each ${u.target} row)`);
    }
    return;
  }
  void find;
}

/** Expected rows per table at scale 1, and `rows` of `rows` tables. */
function computeRows(models: Map<string, TableModel>, base: number): Map<string, number> {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const rowsOf = (name: string): number => {
    if (memo.has(name)) return memo.get(name)!;
    const m = models.get(name)!;
    if (visiting.has(name)) return base;
    visiting.add(name);
    let n: number;
    const s = m.shape;
    if (s.kind === 'per') n = rowsOf(s.parent) * s.avg;
    else if (s.kind === 'junction') n = rowsOf(s.parent) * Math.min(s.avg, rowsOf(s.target));
    else {
      // Lookups: a tenth of an entity; children (a NOT NULL key to an entity): twice their largest
      // parent, at most 5× an entity. A parent on the current path (a cycle) does not count.
      const parents = m.fks.filter((u) => u.target && !u.self && u.notNull && !models.get(u.target)!.lookup && !visiting.has(u.target)).map((u) => rowsOf(u.target!));
      n = m.lookup ? Math.max(5, Math.round(base / 10)) : parents.length ? Math.min(5 * base, Math.max(base, 2 * Math.max(...parents))) : base;
      s.rows = Math.round(n);
    }
    visiting.delete(name);
    memo.set(name, n);
    return n;
  };
  for (const name of models.keys()) rowsOf(name);
  return memo;
}

/**
 * Runs the engine's own cycle breaking on a skeleton of the dataset; while it finds a cycle with no
 * nullable key, one NOT NULL key of that cycle is left undeclared (its values stay valid keys: the
 * Postgres sink checks foreign keys after the load).
 */
function breakHardCycles(models: Map<string, TableModel>, find: (f: Finding) => void): void {
  for (let guard = 0; guard < 100; guard++) {
    const skeleton: DatasetDef = { name: 'x', seed: 1, refDate: DEFAULT_REF_DATE, tables: {} };
    for (const m of models.values()) {
      // Same declarations as the rendered dataset: single keys on their column, composite ones on the table.
      const columns: TableDef['columns'] = {};
      for (const c of m.cat.columns) {
        const single = m.fks.find((u) => u.target && u.declared && !u.self && u.fk.columns.length === 1 && u.fk.columns[0] === c.name);
        columns[c.name] = { type: 'text', nullable: !c.notNull, gen: () => null, ...(single ? { references: single.target! } : {}) };
      }
      const t: { -readonly [K in keyof TableDef]: TableDef[K] } = { columns };
      const s = m.shape;
      if (s.kind === 'per') t.per = { parent: s.parent, count: 1 };
      else if (s.kind === 'junction') t.junction = { parent: s.parent, target: s.target, count: 1 };
      else t.rows = 1;
      const fks = m.fks.filter((u) => u.target && u.declared && !u.self && u.fk.columns.length > 1);
      t.foreignKeys = fks.map((u) => ({ columns: u.fk.columns, table: u.target!, refColumns: u.fk.refColumns }));
      (skeleton.tables as Record<string, TableDef>)[m.name] = t;
    }
    try {
      const { deferred } = planGraph(skeleton);
      for (const d of deferred) {
        const [table, column] = d.split('.') as [string, string];
        const m = models.get(table)!;
        if (m.primaryKey.length === 0) {
          find({ table, column, severity: 'error', problem: 'this nullable foreign key breaks a cycle: it is loaded NULL and set after the load, by primary key, and the table has none', chosen: 'the Postgres sink refuses the load (POSTGRES_DEFERRED_NEEDS_KEY); add a primary key, or leave the column NULL in dataset.ts ({ gen: () => null })' });
        } else {
          find({ table, column, severity: 'info', problem: 'nullable foreign key in a cycle', chosen: 'loaded NULL, then set in the same transaction' });
        }
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
          table: m.name,
          column: u.fk.columns.join(', '),
          severity: 'warning',
          problem: `tables ${cycle.join(' → ')} form a cycle of NOT NULL foreign keys, which no load order satisfies row by row`,
          chosen: `${u.fk.name} is not declared in the dataset (its values are still keys of ${u.target}, picked with c.ref); the Postgres sink drops and re-creates foreign keys around the load, so the database checks it once at commit. With dropConstraints: false the load fails.`,
        });
      }
      if (!done) {
        find({ table: cycle[0] ?? '?', severity: 'error', problem: `tables ${cycle.join(' → ')} form a cycle made only of parent/child shapes`, chosen: 'the dataset will not plan; change one table to a rows shape in dataset.ts' });
        return;
      }
    }
  }
}

function isShapeUnit(m: TableModel, u: FkUnit): boolean {
  const s = m.shape;
  return (s.kind === 'per' && s.unit === u) || (s.kind === 'junction' && (s.parentUnit === u || s.targetUnit === u));
}

// ---- columns ---------------------------------------------------------------------------------

function buildColumns(m: TableModel, models: Map<string, TableModel>, opts: GenerateOptions, find: (f: Finding) => void): void {
  const t = m.cat;
  const s = m.shape;
  const pk = m.primaryKey;
  const out: ColModel[] = [];
  const earlier = new Map<string, EarlierColumn>();
  const singleUnique = new Set(m.uniqueSets.filter((u) => u.cols.length === 1).map((u) => u.cols[0]!));
  const nnd = new Set(m.uniqueSets.filter((u) => u.source.nullsNotDistinct).flatMap((u) => u.cols));
  // Composite unique sets not handled by the shape: make one of their columns unique on its own.
  for (const set of m.uniqueSets) {
    if (set.cols.length < 2) continue;
    if (shapeCovers(m, set.cols)) continue;
    const candidate = set.cols.find((c) => {
      const col = t.columns.find((x) => x.name === c);
      if (!col || m.fks.some((u) => u.fk.columns.includes(c))) return false;
      const k = kindOf(col.type.base, col.type.typtype, col.type.category);
      const values = allowedValues({ enumLabels: col.type.enumLabels, rule: m.rules.get(c) ?? {} });
      return !values && ['int', 'decimal', 'float', 'text', 'uuid', 'date', 'timestamp', 'json', 'bytea', 'inet'].includes(k);
    });
    if (candidate) singleUnique.add(candidate);
    else find({ table: m.name, column: set.cols.join(', '), severity: 'warning', problem: `unique (${set.cols.join(', ')}) cannot be made unique by construction together with the table's shape`, chosen: 'generated independently; duplicates are possible — override the columns or the shape in dataset.ts' });
    if (set.cols.length > 1 && !m.compositeUniques.some((x) => sameSet(x, set.cols))) m.compositeUniques.push(set.cols);
  }
  for (const set of m.uniqueSets) if (set.cols.length > 1 && !sameSet(set.cols, pk) && !m.compositeUniques.some((x) => sameSet(x, set.cols))) m.compositeUniques.push(set.cols);

  // Unparsed checks: nullable columns → NULL, defaulted → left to the database, otherwise keep and report.
  const forcedNull = new Map<string, string>();
  const leaveToDb = new Map<string, string>();
  for (const u of m.unparsed) {
    const cols = u.columns.map((c) => t.columns.find((x) => x.name === c)).filter((c): c is CatalogColumn => !!c && !c.generated);
    const what = `${u.domain ? `domain ${u.domain} check` : `check ${u.name}`} ${u.definition} (${u.reason})`;
    const nullable = cols.filter((c) => !c.notNull && !m.rules.get(c.name)?.notNull);
    if (nullable.length) {
      for (const c of nullable) forcedNull.set(c.name, what);
      find({ table: m.name, column: nullable.map((c) => c.name).join(', '), severity: 'warning', problem: `cannot generate values for ${what}`, chosen: 'always NULL (a NULL passes a CHECK); write a generator in dataset.ts to fill it' });
      continue;
    }
    const defaulted = cols.filter((c) => c.default !== null || c.identity);
    if (defaulted.length === cols.length && cols.length > 0) {
      for (const c of defaulted) leaveToDb.set(c.name, what);
      find({ table: m.name, column: defaulted.map((c) => c.name).join(', '), severity: 'warning', problem: `cannot generate values for ${what}`, chosen: `left to the database default (${defaulted.map((c) => c.default).join(', ')})` });
      continue;
    }
    find({ table: m.name, column: cols.map((c) => c.name).join(', ') || undefined, severity: 'warning', problem: `cannot generate values for ${what}`, chosen: 'the column keeps its name/type-based generator, which may or may not pass the check; if the load fails on it, override the generator in dataset.ts' });
  }

  const fkOf = (col: string): FkUnit | undefined => m.fks.find((u) => u.fk.columns.includes(col));
  const parentName = s.kind === 'rows' ? undefined : s.parent;
  const parentCol = parentName
    ? models.get(parentName)!.cat.columns.find((c) => !c.generated && c.type.arrayDims === 0 && ['timestamp', 'date'].includes(kindOf(c.type.base, c.type.typtype, c.type.category)) && CREATED_LIKE.test(c.name))
    : undefined;
  const parentTime = parentName && parentCol ? { table: parentName, column: parentCol.name } : undefined;
  const virtuals = new Map<FkUnit, string>();
  const taken = new Set(t.columns.map((c) => c.name));

  for (const col of t.columns) {
    const where = { table: m.name, column: col.name };
    if (col.generated !== null) {
      m.notes.push(`${col.name}: generated by the database (${col.generated})`);
      find({ ...where, severity: 'info', problem: `generated column (${col.generated})`, chosen: 'not in the dataset: the database computes it' });
      continue;
    }
    const k = kindOf(col.type.base, col.type.typtype, col.type.category);
    const dt = datasetType(col);
    const model: ColModel = { name: col.name, col, kind: k, type: dt.type, nullable: !col.notNull, unique: singleUnique.has(col.name), nullShare: 0.1, notes: [] };
    if (!IDENT.test(col.name)) {
      const ok = !col.notNull || col.default !== null || col.identity;
      find({ ...where, severity: ok ? 'warning' : 'error', problem: `column name "${col.name}" is not lower_snake_case, which dataset column names must be`, chosen: ok ? 'left to the database (NULL or its default)' : 'left out; the load fails on its NOT NULL — rename the column' });
      continue;
    }
    if (col.identity) model.notes.push(`identity (${col.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'})`);
    else if (col.default && /^nextval\(/.test(col.default)) model.notes.push('serial');
    if (col.type.domains.length) model.notes.push(`domain ${col.type.domains.map((d) => d.name).join(' → ')}`);
    if (nnd.has(col.name)) model.forceValue = true;
    const rule = m.rules.get(col.name) ?? {};
    if (rule.notNull) model.forceValue = true;

    // Columns the database must fill itself.
    if (leaveToDb.has(col.name)) {
      model.omitted = `unparsed ${leaveToDb.get(col.name)}: the database default ${col.default ?? '(identity)'} applies`;
      out.push(model);
      continue;
    }
    const loadProblem = opts.canLoad?.(t, col, dt.plain) ?? null;
    const optional = !col.notNull || col.default !== null || col.identity !== null;
    if (k === 'unknown' || loadProblem) {
      const why = k === 'unknown' ? `type ${col.type.declared} has no generator` : loadProblem!;
      if (optional) {
        model.omitted = `${why}: left to the database (${col.notNull || col.default !== null ? `default ${col.default ?? '(identity)'}` : 'NULL'})`;
        find({ ...where, severity: 'warning', problem: why, chosen: `left to the database: ${col.default !== null ? `its default ${col.default}` : 'NULL'}` });
        out.push(model);
        continue;
      }
      find({ ...where, severity: 'error', problem: `${why}, and the column is NOT NULL without a default`, chosen: k === 'unknown' ? 'left out: the load fails on its NOT NULL; write a generator in dataset.ts returning a text literal of the type' : `generated as ${dt.plain} anyway (the load fails until the sink accepts it)` });
      if (k === 'unknown') {
        model.omitted = `${why}; NOT NULL without a default: the load fails until a generator is written in dataset.ts`;
        out.push(model);
        continue;
      }
    }
    if (!dt.exact && col.type.arrayDims === 0 && !['time', 'interval', 'bytea', 'inet', 'cidr', 'macaddr', 'bit', 'xml', 'tsvector', 'point', 'range'].includes(k)) {
      model.notes.push(`${col.type.declared} as ${dt.plain}`);
    } else if (!dt.exact) {
      model.notes.push(`${col.type.declared}: ${col.type.arrayDims ? 'array literal' : 'text literal'}`);
    }

    // Keys and shape columns.
    const unit = fkOf(col.name);
    const isAutoKey = pk.length === 1 && pk[0] === col.name && k === 'int' && !unit && rule.min === undefined && rule.max === undefined && !rule.values;
    if (isAutoKey) {
      model.notes.unshift('primary key: the row number');
      (model as ColModel & { capacity?: number }).capacity = col.type.base === 'int2' ? 32767 : col.type.base === 'int4' ? 2147483647 : Number.MAX_SAFE_INTEGER;
      model.nullable = false;
      out.push(model);
      earlier.set(col.name, { kind: k, notNull: true, arrayDims: 0 });
      continue;
    }
    if (pk.includes(col.name)) model.forceValue = true;
    if (unit) {
      const code = fkCode(m, models, unit, col.name, virtuals, taken, out, find);
      model.gen = code.gen;
      if (unit.target && unit.declared && unit.fk.columns.length === 1) {
        const target = models.get(unit.target)!;
        const refCol = unit.fk.refColumns[0]!;
        model.references = target.primaryKey.length === 1 && target.primaryKey[0] === refCol ? quote(unit.target) : `{ table: ${quote(unit.target)}, column: ${quote(refCol)} }`;
      }
      if (code.note) model.notes.push(code.note);
      if (code.forceValue) model.forceValue = true;
      if (!unit.target) {
        model.gen = 'null';
        model.forceValue = false;
      }
      out.push(model);
      earlier.set(col.name, { kind: k, notNull: !model.nullable || model.forceValue === true, arrayDims: col.type.arrayDims });
      continue;
    }
    if (forcedNull.has(col.name)) {
      model.gen = 'null';
      model.notes.push('always NULL: its check is not understood (see the report)');
      out.push(model);
      continue;
    }
    // Shape-derived columns (numbered within the group).
    if (s.kind === 'per' && s.derived.includes(col.name)) {
      const d = derivedCode(m, col, k, rule);
      model.gen = d.code;
      model.forceValue = true;
      if (d.capacity !== undefined && d.capacity < 5) s.count = `(c) => c.rng.int(1, ${d.capacity})`;
      model.notes.push('numbered within the group (unique with the parent key)');
      out.push(model);
      earlier.set(col.name, { kind: k, notNull: true, arrayDims: col.type.arrayDims });
      continue;
    }
    const choice: Choice = chooseGenerator({
      table: m.name, name: col.name, kind: k, typname: col.type.base, arrayDims: col.type.arrayDims,
      ...(col.type.length !== undefined ? { length: col.type.length } : {}),
      ...(col.type.precision !== undefined ? { precision: col.type.precision } : {}),
      ...(col.type.scale !== undefined ? { scale: col.type.scale } : {}),
      ...(col.type.enumLabels ? { enumLabels: col.type.enumLabels } : {}),
      notNull: col.notNull, unique: model.unique, rule, earlier, tableColumns: t.columns.map((c) => c.name), salt: m.salt,
      ...(parentTime ? { parentTime } : {}),
    });
    model.gen = choice.code;
    if (choice.nullShare !== undefined) model.nullShare = choice.nullShare;
    if (choice.secret) model.secret = true;
    if (choice.note) model.notes.push(choice.note);
    if (model.unique && choice.capacity !== undefined) (model as ColModel & { capacity?: number }).capacity = choice.capacity;
    out.push(model);
    earlier.set(col.name, { kind: k, notNull: !model.nullable || model.forceValue === true, arrayDims: col.type.arrayDims });
  }
  m.columns = out;
}

function shapeCovers(m: TableModel, cols: readonly string[]): boolean {
  const s = m.shape;
  if (s.kind === 'junction') return [...s.parentUnit.fk.columns, ...s.targetUnit.fk.columns].every((c) => cols.includes(c));
  if (s.kind === 'per') return s.unit.fk.columns.every((c) => cols.includes(c)) && cols.every((c) => s.unit.fk.columns.includes(c) || s.derived.includes(c));
  return false;
}

/** A column numbered within its parent group: unique together with the parent key. */
function derivedCode(m: TableModel, col: CatalogColumn, k: ScalarKind, rule: ColumnRule): { code: string; capacity?: number } {
  const values = allowedValues({ enumLabels: col.type.enumLabels, rule });
  if (values && values.length) return { code: `nth([${values.map((v) => (typeof v === 'number' ? String(v) : quote(v))).join(', ')}], c.k)`, capacity: values.length };
  if (k === 'int' || k === 'decimal' || k === 'float' || k === 'money') {
    const { lo, hi } = numericBounds({ kind: k, typname: col.type.base, ...(col.type.precision !== undefined ? { precision: col.type.precision } : {}), ...(col.type.scale !== undefined ? { scale: col.type.scale } : {}), rule });
    const start = lo > 1 ? Math.ceil(lo) : lo <= 1 && hi >= 1 ? 1 : Math.ceil(lo);
    return { code: start === 0 ? 'c.k' : `c.k + ${start}`, capacity: Math.floor(hi - start) + 1 };
  }
  if (k === 'date' || k === 'timestamp') return { code: `new Date(c.refDate.getTime() - (c.n - c.k) * 30 * DAY)` };
  if (k === 'bool') return { code: 'c.k === 0', capacity: 2 };
  if (k === 'uuid') return { code: `uuidAt(c.i, ${m.salt})` };
  const max = maxLength({ ...(col.type.length !== undefined ? { length: col.type.length } : {}), rule });
  const maxArg = Number.isFinite(max) ? max : 1_000_000;
  const base = /code|key|ref|number|no$/.test(col.name) ? 'c.faker.string.alpha({ length: 2, casing: \'upper\' })' : 'c.text.word()';
  return { code: `uniq(${base}, c.k, ${maxArg}, '-')`, capacity: capacityOf(max) };
}

interface FkCode {
  gen: string;
  note?: string;
  forceValue?: boolean;
}

/** Generator of one column of a foreign key. */
function fkCode(m: TableModel, models: Map<string, TableModel>, u: FkUnit, column: string, virtuals: Map<FkUnit, string>, taken: Set<string>, out: ColModel[], find: (f: Finding) => void): FkCode {
  const s = m.shape;
  const idx = u.fk.columns.indexOf(column);
  const refCol = u.fk.refColumns[idx]!;
  if (!u.target) return { gen: 'null' };
  const target = models.get(u.target)!;
  const single = u.fk.columns.length === 1;
  const refIsPk = target.primaryKey.length === 1 && target.primaryKey[0] === refCol;
  const T = quote(u.target);
  // Shape keys.
  if ((s.kind === 'per' && s.unit === u) || (s.kind === 'junction' && s.parentUnit === u)) return { gen: `c.parent.${refCol}`, forceValue: true, note: `the parent ${u.target} row` };
  if (s.kind === 'junction' && s.targetUnit === u) return { gen: single && refIsPk ? `c.key(${T}, c.partner)` : `c.lookup(${T}, c.partner).${refCol}`, forceValue: true, note: `a distinct ${u.target} row per parent` };

  const nullable = !u.notNull;
  const uniqueAlone = single && m.uniqueSets.some((x) => x.cols.length === 1 && x.cols[0] === column);
  if (u.self) {
    const self = quote(m.name);
    const keyAt = (i: string): string => (single && refIsPk ? `c.key(${self}, ${i})` : `c.lookup(${self}, ${i}).${refCol}`);
    // Row 0 of a NOT NULL self-reference points at itself: its own key column, when already generated.
    const first = nullable ? 'null' : selfFirst(m, refCol, column);
    if (first === null) {
      find({ table: m.name, column, severity: 'error', problem: 'NOT NULL self-reference whose first row cannot point at itself (the referenced key column comes after it and is not the row number)', chosen: 'row 0 gets NULL; the load fails on it — override the column in dataset.ts' });
    }
    if (!nullable) m.notes.push(`${column}: row 0 references itself (NOT NULL self-reference); later rows reference earlier ones`);
    if (!single) {
      const v = virtualFor(m, u, virtuals, taken, out, `c.i > 0${nullable ? ' && c.rng.chance(0.7)' : ''} ? c.rng.int(0, c.i - 1) : ${nullable ? 'null' : '-1'}`);
      return { gen: `c.row.${v} === null ? null : c.row.${v} === -1 ? ${first ?? 'null'} : c.lookup(${self}, c.row.${v} as number).${refCol}`, note: 'an earlier row of this table', forceValue: true };
    }
    if (uniqueAlone) return { gen: `c.i > 0 ? ${keyAt('c.i - 1')} : ${first ?? 'null'}`, note: 'the previous row (unique)', forceValue: true };
    if (nullable) return { gen: `c.i > 0 && c.rng.chance(0.7) ? ${keyAt('c.rng.int(0, c.i - 1)')} : null`, note: 'an earlier row of this table (30% roots)', forceValue: true };
    return { gen: `c.i > 0 ? ${keyAt('c.rng.int(0, c.i - 1)')} : ${first ?? 'null'}`, note: 'an earlier row; row 0 itself', forceValue: true };
  }
  if (!single) {
    const v = virtualFor(m, u, virtuals, taken, out, nullable ? `c.rng.chance(0.9) ? c.refIndex(${T}) : null` : `c.refIndex(${T})`);
    return { gen: nullable ? `c.row.${v} === null ? null : c.lookup(${T}, c.row.${v} as number).${refCol}` : `c.lookup(${T}, c.row.${v} as number).${refCol}`, forceValue: true, note: `composite key of one ${u.target} row` };
  }
  if (uniqueAlone) {
    // 1:1 without a NOT NULL key (otherwise the table would be grouped under the parent): a permutation of parents.
    return { gen: `c.i < c.count(${T}) ? ${refIsPk ? `c.key(${T}, permute(c.i, c.count(${T}), ${m.salt}))` : `c.lookup(${T}, permute(c.i, c.count(${T}), ${m.salt})).${refCol}`} : null`, note: `each ${u.target} row at most once (unique)`, forceValue: true };
  }
  return { gen: refIsPk ? `c.ref(${T})` : `c.lookup(${T}, c.refIndex(${T})).${refCol}` };
}

/**
 * The value of the table's own key column `refCol` in the current row (row 0 of a NOT NULL
 * self-reference), or null when it is not known yet.
 */
function selfFirst(m: TableModel, refCol: string, column: string): string | null {
  const cols = m.cat.columns.map((c) => c.name);
  if (cols.indexOf(refCol) >= 0 && cols.indexOf(refCol) < cols.indexOf(column)) return `c.row.${refCol}`;
  // A generated key (single-column integer primary key) is the row number.
  const key = m.cat.columns.find((c) => c.name === refCol);
  if (m.primaryKey.length === 1 && m.primaryKey[0] === refCol && key && ['int2', 'int4', 'int8'].includes(key.type.base)) return 'c.i + 1';
  return null;
}

function virtualFor(m: TableModel, u: FkUnit, virtuals: Map<FkUnit, string>, taken: Set<string>, out: ColModel[], gen: string): string {
  const existing = virtuals.get(u);
  if (existing) return existing;
  let name = `_${u.target}_row`;
  for (let k = 2; taken.has(name); k++) name = `_${u.target}_row${k}`;
  taken.add(name);
  virtuals.set(u, name);
  out.push({ name, col: null, kind: 'int', type: `'int'`, nullable: true, unique: false, virtual: true, gen, nullShare: 0, notes: [`row of ${u.target} for (${u.fk.columns.join(', ')})`], forceValue: true });
  void m;
  return name;
}

/** Tables whose unique columns cannot hold the planned rows get fewer rows (a catalog that never scales). */
function applyCapacity(models: Map<string, TableModel>, expected: Map<string, number>, find: (f: Finding) => void): void {
  for (const m of models.values()) {
    if (m.shape.kind !== 'rows') continue;
    const caps = m.columns.filter((c) => (c as ColModel & { capacity?: number }).capacity !== undefined).map((c) => [c.name, (c as ColModel & { capacity?: number }).capacity!] as const);
    if (!caps.length) continue;
    const [col, cap] = caps.reduce((a, b) => (b[1] < a[1] ? b : a));
    if (cap >= m.shape.rows) continue;
    find({ table: m.name, column: col, severity: 'info', problem: `unique ${col} has only ${cap} possible value${cap === 1 ? '' : 's'}`, chosen: `${cap} rows instead of ${m.shape.rows}, as fixed rows so --scale does not multiply them` });
    m.shape = { kind: 'rows', rows: cap, fixed: cap };
    expected.set(m.name, cap);
  }
}

// ---- rendering -------------------------------------------------------------------------------

const HELPERS = ['amount', 'before', 'bits', 'bytea', 'clamp', 'clampDate', 'code', 'day', 'email', 'fit', 'interval', 'ipv4', 'list', 'macaddr', 'nth', 'padTo', 'permute', 'pgArray', 'plus', 'point', 'slug', 'small', 'timeOfDay', 'title', 'uniq', 'username', 'uuidAt'];

function render(catalog: Catalog, models: TableModel[], opts: GenerateOptions, name: string, findings: readonly Finding[]): string {
  const imp = opts.seedpipeImport.replace(/\/$/, '');
  const body: string[] = [];
  const refDate = opts.refDate ?? DEFAULT_REF_DATE;
  body.push(`const generated: DatasetDef = {`);
  body.push(`  name: ${quote(name)},`);
  body.push(`  description: ${quote(`Introspected from ${opts.source ?? catalog.database} (schema${catalog.schemas.length > 1 ? 's' : ''} ${catalog.schemas.join(', ')}): ${models.length} tables.`)},`);
  body.push(`  seed: ${opts.seed ?? 1},`);
  body.push(`  refDate: ${quote(refDate)},`);
  body.push(`  tables: {`);
  models.forEach((m, i) => body.push(...renderTable(m, findings, i === 0)));
  body.push(`  },`);
  body.push(`};`);
  body.push('');
  body.push('export default generated;');
  const text = body.join('\n');
  const used = HELPERS.filter((h) => new RegExp(`(^|[^.\\w])${h}\\(`).test(text));
  const usesDay = /\bDAY\b/.test(text);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const head = [
    '/**',
    ` * ${name}: generated by \`seedpipe introspect\` from ${opts.source ?? catalog.database} (schema${catalog.schemas.length > 1 ? 's' : ''} ${catalog.schemas.join(', ')}).`,
    ' *',
    ' * This file is rewritten by every `seedpipe introspect`: do not edit it. Put row counts and',
    ' * generators in dataset.ts (`withOverrides`), which is never overwritten.',
    ` * ${models.length} tables; ${errors} error(s) and ${warnings} warning(s) in introspect-report.md.`,
    ' */',
    usesDay ? `import { DAY, type DatasetDef } from ${quote(`${imp}/index.js`)};` : `import type { DatasetDef } from ${quote(`${imp}/index.js`)};`,
    ...(used.length ? [`import { ${used.join(', ')} } from ${quote(`${imp}/introspect/runtime.js`)};`] : []),
    '',
    `export { defineDataset } from ${quote(`${imp}/index.js`)};`,
    `export { withOverrides } from ${quote(`${imp}/introspect/overrides.js`)};`,
    '',
    '',
  ];
  return head.join('\n') + text + '\n';
}

function renderTable(m: TableModel, findings: readonly Finding[], first: boolean): string[] {
  const L: string[] = [];
  const s = m.shape;
  const refs = m.fks.filter((u) => u.target && !u.self).map((u) => u.target!);
  const kind = s.kind === 'junction' ? 'junction' : s.kind === 'per' ? 'child' : m.lookup ? 'lookup' : refs.length ? 'entity with parents' : 'entity';
  const problems = findings.filter((f) => f.table === m.name && f.severity !== 'info').length;
  if (!first) L.push('');
  L.push(`    // ${m.cat.schema}.${m.name} — ${kind}${refs.length ? ` (→ ${[...new Set(refs)].join(', ')})` : ''}${problems ? ` — ${problems} item(s) in the report` : ''}`);
  for (const n of m.notes) L.push(`    // ${n}`);
  L.push(`    ${prop(m.name)}: {`);
  if (s.kind === 'rows') {
    if (s.fixed !== undefined) {
      L.push(`      rows: ${s.fixed},`);
      L.push(`      fixed: Array.from({ length: ${s.fixed} }, () => ({})), // bounded by a unique column: a catalog that never scales`);
    } else L.push(`      rows: ${s.rows},`);
  } else if (s.kind === 'per') {
    L.push(`      per: { parent: ${quote(s.parent)}, count: ${s.count} },`);
  } else {
    L.push(`      junction: { parent: ${quote(s.parent)}, target: ${quote(s.target)}, count: ${s.count} },`);
  }
  const cols = m.columns;
  const pk = m.primaryKey;
  const hasId = cols.some((c) => c.name === 'id' && !c.omitted);
  if (pk.length && !(pk.length === 1 && pk[0] === 'id' && hasId)) L.push(`      primaryKey: [${pk.map(quote).join(', ')}],`);
  if (!pk.length && hasId) L.push(`      // no primary key in the database; \`id\` is an ordinary column here`);
  if (m.compositeUniques.length) L.push(`      uniques: [${m.compositeUniques.map((u) => `[${u.map(quote).join(', ')}]`).join(', ')}],`);
  const composite = m.fks.filter((u) => u.target && u.declared && u.fk.columns.length > 1);
  if (composite.length) L.push(`      foreignKeys: [${composite.map((u) => `{ columns: [${u.fk.columns.map(quote).join(', ')}], table: ${quote(u.target!)}, refColumns: [${u.fk.refColumns.map(quote).join(', ')}] }`).join(', ')}],`);
  const undeclared = m.fks.filter((u) => u.target && !u.declared);
  for (const u of undeclared) L.push(`      // ${u.fk.name} (${u.fk.columns.join(', ')} → ${u.target}) is not declared here: it closes a cycle of NOT NULL keys (see the report)`);
  L.push(`      columns: {`);
  for (const c of cols) {
    if (c.omitted) {
      L.push(`        // ${c.name}: ${c.omitted}`);
      continue;
    }
    const parts = [`type: ${c.type}`];
    const nullable = c.nullable;
    if (nullable) parts.push('nullable: true');
    if (c.unique && !(pk.length === 1 && pk[0] === c.name)) parts.push('unique: true');
    if (c.references) parts.push(`references: ${c.references}`);
    if (c.virtual) parts.push('virtual: true');
    if (c.secret) parts.push('export: false');
    if (c.gen !== undefined) {
      let g = c.gen;
      if (nullable && !c.forceValue && !c.virtual && g !== 'null') g = `c.rng.chance(${round2(1 - c.nullShare)}) ? ${g} : null`;
      parts.push(`gen: ${/\bc\b/.test(g) ? '(c)' : '()'} => ${g.startsWith('{') ? `(${g})` : g}`);
    }
    const note = c.notes.length ? ` // ${c.notes.join('; ')}` : '';
    L.push(`        ${prop(c.name)}: { ${parts.join(', ')} },${note}`);
  }
  L.push(`      },`);
  L.push(`    },`);
  return L;
}

const round2 = (x: number): string => String(Math.round(x * 100) / 100);

/** For tests and reports: which heuristics applied to a name (person-like table). */
export function isPersonTable(name: string): boolean {
  return PERSON_TABLE.test(name);
}

