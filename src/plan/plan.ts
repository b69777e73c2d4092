/**
 * `plan` is a pure function of the dataset and the run's choices: tables in dependency order,
 * their row counts and the shard slice to produce, and the sink-facing `TableInfo` of each table.
 */
import type { ColumnInfo, ColumnType, ForeignKeySpec, TableInfo } from '../contracts.js';
import { usageError } from '../errors.js';
import type { DatasetDef, TableDef } from '../dataset/types.js';
import type { GroupCounts } from '../generate/group-index.js';
import { World } from '../generate/world.js';
import type { Resolved } from '../generate/world.js';
import { mermaid, planGraph, type Edge } from './graph.js';
import { resolveDataset, type ResolveOptions } from './resolve.js';

export interface Shard {
  index: number;
  count: number;
}

export interface PlanOptions extends ResolveOptions {
  shard?: Shard;
  /** Generate only these tables (their parents must already exist where the data goes). */
  only?: readonly string[];
}

export interface TablePlan {
  name: string;
  kind: 'rows' | 'per' | 'junction' | 'series';
  /** Rows the table has in the run's universe (existing rows in append mode, plus all shards' new rows). */
  total: number;
  /** First index this run produces before sharding (non-zero in append mode). */
  first: number;
  /** This run's slice [start, end). */
  start: number;
  end: number;
  info: TableInfo;
}

export interface Plan {
  resolved: Resolved;
  /** The World the plan counted rows with; reusing it keeps its prefix sums (no second pass). */
  world: World;
  shard: Shard | undefined;
  tables: TablePlan[];
  edges: Edge[];
  deferred: ReadonlySet<string>;
  mermaid: string;
  /** Database tables the dataset declares untouched (framework bookkeeping): never written, emptied or altered. */
  untouched: readonly { schema: string; table: string; reason: string }[];
}

export function parseShard(s: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index >= 0 && index < count)) throw usageError('SHARD_INVALID', `--shard ${s}: expected k/n with 0 ≤ k < n, e.g. 0/4`);
  return { index, count };
}

/** Slice k of n of [0, total): contiguous, balanced, and the slices concatenate to the whole. */
export function shardRange(total: number, shard: Shard | undefined): [number, number] {
  if (!shard) return [0, total];
  return [Math.floor((shard.index * total) / shard.count), Math.floor(((shard.index + 1) * total) / shard.count)];
}

/**
 * `counts` are group counts another plan of the same dataset and options built
 * (`plan.world.sharedCounts()`); a worker's plan takes them instead of counting again.
 */
export function makePlan(def: DatasetDef, opts: PlanOptions = {}, counts?: Readonly<Record<string, GroupCounts>>): Plan {
  const resolved = resolveDataset(def, opts);
  const graph = planGraph(def);
  const world = new World(resolved, counts);
  for (const t of opts.only ?? []) {
    if (!def.tables[t]) throw usageError('ONLY_UNKNOWN_TABLE', `--only ${t}: unknown table; tables: ${Object.keys(def.tables).join(', ')}`);
  }
  const firstOf = new Map<string, number>();
  const all = graph.order.map((name): TablePlan => {
    const rt = world.table(name);
    const total = rt.total();
    // New rows start after the existing ones: a `rows` table at its offset, a group table at the
    // first group of its parent's first new row.
    const first = rt.kind === 'rows' ? world.offset(name) : rt.groupStart(firstOf.get(rt.parentName!) ?? 0);
    firstOf.set(name, first);
    const [a, b] = shardRange(total - first, opts.shard);
    const start = first + a;
    const end = first + b;
    return { name, kind: rt.kind, total, first, start, end, info: tableInfo(def, name, def.tables[name]!, graph.deferred, end - start, start) };
  });
  const only = opts.only ? new Set(opts.only) : undefined;
  const tables = only ? all.filter((t) => only.has(t.name)) : all;
  return {
    resolved,
    world,
    shard: opts.shard,
    tables,
    edges: graph.edges,
    deferred: graph.deferred,
    mermaid: mermaid(graph.order, graph.edges, graph.deferred),
    untouched: (def.untouched ?? []).map((u) => ({ schema: u.schema ?? def.schema ?? 'public', table: u.table, reason: u.reason })),
  };
}

function columnType(t: TableDef['columns'][string]['type']): { type: ColumnType; enumValues?: readonly string[] } {
  return typeof t === 'object' ? { type: 'text', enumValues: t.enum } : { type: t };
}

export function primaryKeyOf(def: DatasetDef, table: string): readonly string[] {
  const t = def.tables[table]!;
  return t.primaryKey ?? (t.columns.id ? ['id'] : []);
}

function tableInfo(def: DatasetDef, name: string, t: TableDef, deferred: ReadonlySet<string>, rows: number, firstRow: number): TableInfo {
  const columns: ColumnInfo[] = Object.entries(t.columns).filter(([, c]) => !c.virtual).map(([cname, c]) => ({
    name: cname,
    ...columnType(c.type),
    nullable: c.nullable === true,
    exported: c.export !== false,
    deferred: deferred.has(`${name}.${cname}`),
    ...(c.sqlName !== undefined && c.sqlName !== cname ? { sqlName: c.sqlName } : {}),
    ...(c.sequence ? { sequence: c.sequence } : {}),
  }));
  const foreignKeys: ForeignKeySpec[] = [];
  for (const [cname, c] of Object.entries(t.columns)) {
    if (!c.references) continue;
    const ref = typeof c.references === 'string' ? { table: c.references } : c.references;
    const refColumns = ref.column ? [ref.column] : primaryKeyOf(def, ref.table);
    foreignKeys.push({ columns: [cname], table: ref.table, refColumns, nullable: c.nullable === true });
  }
  for (const fk of t.foreignKeys ?? []) {
    foreignKeys.push({ columns: fk.columns, table: fk.table, refColumns: fk.refColumns, nullable: fk.columns.every((c) => t.columns[c]?.nullable === true) });
  }
  const primaryKey = primaryKeyOf(def, name);
  const uniques = [...Object.entries(t.columns).filter(([, c]) => c.unique).map(([n]) => [n]), ...(t.uniques ?? [])];
  const indexes: string[][] = Object.entries(t.columns).filter(([, c]) => c.index).map(([n]) => [n]);
  for (const ix of t.indexes ?? []) indexes.push([...ix]);
  // Foreign key columns get an index unless a key or index already leads with them (joins and
  // cascading deletes in the application need them; they are re-created after the load).
  const leads = (cols: readonly string[]): boolean =>
    [primaryKey, ...uniques, ...indexes].some((k) => cols.every((c, j) => k[j] === c));
  for (const fk of foreignKeys) if (!leads(fk.columns)) indexes.push([...fk.columns]);
  const checks = [...Object.values(t.columns).flatMap((c) => (c.check ? [c.check] : [])), ...(t.checks ?? [])];
  const schema = t.schema ?? def.schema;
  return Object.freeze({
    name, columns, primaryKey, foreignKeys, uniques, indexes, checks, exported: t.export !== false, rows, firstRow,
    ...(schema !== undefined ? { schema } : {}),
    ...(t.sqlName !== undefined && t.sqlName !== name ? { sqlName: t.sqlName } : {}),
  });
}
