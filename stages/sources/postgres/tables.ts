/**
 * From the catalog of an existing database (the engine's catalog reader, the one `introspect` uses)
 * to the tables a run reads: each table's `TableInfo` (types mapped to the engine's column types,
 * keys, uniques, checks, foreign keys within the run), parents first, and per column the SQL that
 * selects its canonical text (what the `csv` encoder would write for the parsed value).
 */
import { SeedpipeError, quoteIdent, type ColumnInfo, type ColumnType, type ForeignKeySpec, type PgCatalog, type PgCatalogColumn, type PgCatalogTable, type TableInfo } from '../../../src/stage-kit.js';

export interface ReadColumn {
  info: ColumnInfo;
  /** The column's text as the `csv` encoder writes the parsed value. */
  canonical: string;
  /** The column as Postgres prints it (lossless: microseconds, float digits, any type): for a copy. */
  raw: string;
  /** Whether Postgres's text of the canonical select is byte for byte what the `csv` encoder writes. */
  sameAsCsv: boolean;
}

export interface ReadTable {
  info: TableInfo;
  columns: ReadColumn[];
  /** Primary key columns (quoted), for ORDER BY and key ranges; empty without one. */
  key: string[];
  partitioned: boolean;
}

const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** The engine's type for a catalog column, and how to select its canonical text. */
function typeOf(c: PgCatalogColumn): { type: ColumnType; enumValues?: readonly string[]; canonical?: (q: string) => string; sameAsCsv?: boolean } {
  const t = c.type;
  if (t.arrayDims > 0) return { type: 'text' };
  if (t.typtype === 'e') return { type: 'text', enumValues: t.enumLabels ?? [] };
  switch (t.base) {
    case 'int2': return { type: 'smallint' };
    case 'int4': return { type: 'int' };
    case 'int8': return { type: 'bigint' };
    // Values stay decimal strings (exact); an unconstrained numeric keeps whatever scale each value has.
    case 'numeric': return { type: t.precision !== undefined && t.scale !== undefined && t.scale >= 0 ? `numeric(${t.precision},${t.scale})` : 'numeric(1000,0)' };
    case 'float4': case 'float8': return { type: 'double precision', sameAsCsv: false };
    case 'varchar': return { type: t.length !== undefined ? `varchar(${t.length})` : 'text' };
    case 'bpchar': return { type: `varchar(${t.length ?? 1})` };
    case 'bool': return { type: 'boolean', canonical: (q) => `${q}::text` };
    case 'date': return { type: 'date' };
    case 'timestamptz': return { type: 'timestamptz', canonical: (q) => `to_char(${q} AT TIME ZONE 'UTC', ${ISO_MS})` };
    case 'timestamp': return { type: 'timestamptz', canonical: (q) => `to_char(${q}, ${ISO_MS})` };
    case 'uuid': return { type: 'uuid' };
    case 'json': case 'jsonb': return { type: 'jsonb', sameAsCsv: false };
    // Everything else (text, citext, inet, interval, time, bytea, ranges, …) travels as its text form.
    default: return { type: 'text' };
  }
}

function readColumn(c: PgCatalogColumn): ReadColumn {
  const m = typeOf(c);
  const q = quoteIdent(c.name);
  return {
    info: { name: c.name, type: m.type, ...(m.enumValues ? { enumValues: m.enumValues } : {}), nullable: !c.notNull, exported: true, deferred: false },
    canonical: m.canonical ? `${m.canonical(q)} AS ${q}` : q,
    raw: q,
    sameAsCsv: m.sameAsCsv !== false,
  };
}

/** `CHECK ((a > 0))` → `(a > 0)`; NOT VALID checks bind no existing row and are left out. */
function checkExpression(def: string): string | undefined {
  if (/\bNOT VALID\s*$/i.test(def)) return undefined;
  const m = /^CHECK\s+(.*)$/is.exec(def.trim());
  return m ? m[1]!.replace(/\s+NO INHERIT\s*$/i, '') : undefined;
}

export interface SelectTables {
  schema: string;
  tables?: readonly string[];
  exclude?: readonly string[];
  generated: 'include' | 'exclude';
}

/** The run's tables from the catalog, parents first (foreign keys within the run; cycles in name order). */
export function readTables(catalog: PgCatalog, o: SelectTables): ReadTable[] {
  const byName = new Map(catalog.tables.map((t) => [t.name, t]));
  if (o.tables?.length) {
    const unknown = o.tables.filter((n) => !byName.has(n));
    if (unknown.length) {
      throw new SeedpipeError('SOURCE_TABLE_UNKNOWN', `table${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} not found in schema ${o.schema}; tables there: ${[...byName.keys()].join(', ') || '(none)'}`, { disposition: 'usage', data: { unknown } });
    }
  }
  const skip = new Set(o.exclude ?? []);
  const chosen = (o.tables?.length ? o.tables.map((n) => byName.get(n)!) : catalog.tables).filter((t) => !skip.has(t.name));
  if (chosen.length === 0) throw new SeedpipeError('SOURCE_NO_TABLES', `schema ${o.schema} has no tables to read${skip.size ? ' (all excluded)' : ''}`, { disposition: 'usage' });
  const names = new Set(chosen.map((t) => t.name));
  return order(chosen, names).map((t) => toReadTable(t, names, o));
}

function toReadTable(t: PgCatalogTable, names: ReadonlySet<string>, o: SelectTables): ReadTable {
  const columns = t.columns.filter((c) => o.generated === 'include' || c.generated === null).map(readColumn);
  const nullable = new Map(columns.map((c) => [c.info.name, c.info.nullable]));
  const has = (cols: readonly string[]): boolean => cols.every((c) => nullable.has(c));
  const foreignKeys: ForeignKeySpec[] = t.foreignKeys
    .filter((f) => f.refSchema === o.schema && names.has(f.refTable) && has(f.columns))
    .map((f) => ({ columns: f.columns, table: f.refTable, refColumns: f.refColumns, nullable: f.columns.every((c) => nullable.get(c) === true) }));
  const primaryKey = t.primaryKey && has(t.primaryKey.columns) && t.primaryKey.expressions.length === 0 ? t.primaryKey.columns : [];
  const info: TableInfo = Object.freeze({
    name: t.name,
    schema: o.schema,
    columns: columns.map((c) => c.info),
    primaryKey,
    foreignKeys,
    uniques: t.uniques.filter((u) => u.expressions.length === 0 && u.predicate === null && has(u.columns)).map((u) => u.columns),
    indexes: [],
    checks: t.checks.filter((c) => !c.partition && has(c.columns)).map((c) => checkExpression(c.definition)).filter((c): c is string => c !== undefined),
    exported: true,
    rows: 0,
    firstRow: 0,
  });
  return { info, columns, key: primaryKey.map(quoteIdent), partitioned: t.kind === 'p' };
}

/** Parents before children (Kahn's algorithm); self-references ignored; what is left of a cycle in name order. */
function order(tables: readonly PgCatalogTable[], names: ReadonlySet<string>): PgCatalogTable[] {
  const parents = new Map(tables.map((t) => [t.name, new Set(t.foreignKeys.map((f) => f.refTable).filter((p) => p !== t.name && names.has(p)))]));
  const out: PgCatalogTable[] = [];
  const done = new Set<string>();
  let left = [...tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  while (left.length) {
    const ready = left.filter((t) => [...parents.get(t.name)!].every((p) => done.has(p)));
    const take = ready.length ? ready : [left[0]!];
    for (const t of take) {
      out.push(t);
      done.add(t.name);
    }
    left = left.filter((t) => !done.has(t.name));
  }
  return out;
}
