/**
 * Compares a dataset's tables with an existing database schema before anything is written. Columns
 * are matched by name (COPY names the dataset's columns, so the database's column order does not
 * matter and extra nullable or defaulted columns are fine). Every problem is collected, so the user
 * fixes them all in one go: `SCHEMA_MISMATCH` lists them.
 *
 * `diffSchema` is pure (unit-tested with fake catalog rows); `readCatalog` reads the rows.
 */
import type { ColumnInfo, ColumnType, TableInfo } from '../../../src/stage-kit.js';
import { SeedpipeError } from '../../../src/stage-kit.js';
import type { SqlClient } from './client.js';
import { labelled, type SqlNames } from './names.js';

/** One column of an existing table, as the catalog describes it. */
export interface CatalogColumn {
  table: string;
  column: string;
  /** `format_type` of the column's type (of the base type for a domain), e.g. `character varying(200)`. */
  type: string;
  /** `pg_type.typtype` of that type: 'b' base, 'e' enum, … */
  typtype: string;
  /** Labels when the type is an enum. */
  enumLabels?: readonly string[] | null;
  notNull: boolean;
  hasDefault: boolean;
  /** `attidentity`: '' none, 'a' GENERATED ALWAYS, 'd' BY DEFAULT. */
  identity: string;
  /** `attgenerated`: '' none, 's' stored generated column (cannot be written). */
  generated: string;
}

export interface CatalogSnapshot {
  /** Existing tables among the ones asked for (dataset names). */
  tables: ReadonlySet<string>;
  /** The schema each table was looked for in (dataset name → schema); default `public`. */
  schemas?: ReadonlyMap<string, string>;
  /** Other schemas holding a table of the same name, for each missing table. */
  elsewhere?: ReadonlyMap<string, readonly string[]>;
  /** Those of them that are partitioned (COPY FREEZE does not apply to them). */
  partitioned?: ReadonlySet<string>;
  columns: readonly CatalogColumn[];
}

/** Value families: a dataset type loads into a database type of a compatible family. */
type Family = 'integer' | 'decimal' | 'text' | 'boolean' | 'date' | 'timestamp' | 'uuid' | 'json' | 'enum' | 'other';

export function familyOfDatabaseType(type: string, typtype = 'b'): Family {
  if (typtype === 'e') return 'enum';
  const t = type.toLowerCase().replace(/\(.*\)/, '').trim();
  if (t.endsWith('[]')) return 'other';
  if (['smallint', 'integer', 'bigint', 'int', 'int2', 'int4', 'int8'].includes(t)) return 'integer';
  if (['numeric', 'decimal', 'double precision', 'real', 'float4', 'float8', 'money'].includes(t)) return 'decimal';
  if (['text', 'character varying', 'varchar', 'character', 'char', 'bpchar', 'citext', 'name'].includes(t)) return 'text';
  if (t === 'boolean' || t === 'bool') return 'boolean';
  if (t === 'date') return 'date';
  if (t.startsWith('timestamp')) return 'timestamp';
  if (t === 'uuid') return 'uuid';
  if (t === 'json' || t === 'jsonb') return 'json';
  return 'other';
}

function familyOfColumnType(c: ColumnInfo): Family {
  if (c.enumValues) return 'enum';
  const t: ColumnType = c.type;
  if (t === 'bigint' || t === 'int' || t === 'smallint') return 'integer';
  if (t === 'double precision' || t.startsWith('numeric(')) return 'decimal';
  if (t === 'text' || t.startsWith('varchar(')) return 'text';
  if (t === 'boolean') return 'boolean';
  if (t === 'date') return 'date';
  if (t === 'timestamptz') return 'timestamp';
  if (t === 'uuid') return 'uuid';
  if (t === 'jsonb') return 'json';
  return 'other';
}

/** Which database families accept the text COPY sends for each dataset family. */
const ACCEPTS: Record<Family, readonly Family[]> = {
  integer: ['integer', 'decimal', 'text'],
  decimal: ['decimal', 'text'],
  text: ['text', 'other'],   // arrays, bytea, inet, time, …: COPY parses their text form (a bad value fails inside the transaction)
  enum: ['enum', 'text'],
  boolean: ['boolean', 'text'],
  date: ['date', 'timestamp', 'text'],
  timestamp: ['timestamp', 'text'],
  uuid: ['uuid', 'text'],
  json: ['json', 'text'],
  other: [],
};

function describe(c: ColumnInfo): string {
  return c.enumValues ? `enum (${c.enumValues.join(', ')})` : c.type;
}

/** Every difference that would make the load fail or lose data; empty when the schema fits. */
export function diffSchema(tables: readonly TableInfo[], catalog: CatalogSnapshot): string[] {
  const problems: string[] = [];
  const byTable = new Map<string, Map<string, CatalogColumn>>();
  for (const c of catalog.columns) {
    let m = byTable.get(c.table);
    if (!m) byTable.set(c.table, (m = new Map()));
    m.set(c.column, c);
  }
  for (const t of tables) {
    if (!catalog.tables.has(t.name)) {
      const schema = catalog.schemas?.get(t.name) ?? 'public';
      const other = catalog.elsewhere?.get(t.name) ?? [];
      problems.push(other.length
        ? `table ${t.name}: missing in schema ${schema}, but schema ${other.join(', ')} has it (run with --schema ${other[0]})`
        : `table ${t.name}: missing in schema ${schema} (create it there, or run with --create-tables to create it in ${schema})`);
      continue;
    }
    const dbCols = byTable.get(t.name) ?? new Map<string, CatalogColumn>();
    const ours = new Set(t.columns.map((c) => c.sqlName ?? c.name));
    for (const c of t.columns) {
      const db = dbCols.get(c.sqlName ?? c.name);
      const where = `table ${t.name}, column ${c.name}`;
      if (!db) {
        problems.push(`${where}: missing in the database (the dataset generates it as ${describe(c)})`);
        continue;
      }
      if (db.generated) {
        problems.push(`${where}: is a generated column in the database and cannot be written; remove it from the dataset or make it a plain column`);
        continue;
      }
      const want = familyOfColumnType(c);
      const have = familyOfDatabaseType(db.type, db.typtype);
      if (!ACCEPTS[want].includes(have)) {
        problems.push(`${where}: type ${db.type} in the database is incompatible with the dataset's ${describe(c)}`);
      } else if (want === 'enum' && have === 'enum' && db.enumLabels) {
        const missing = (c.enumValues ?? []).filter((v) => !db.enumLabels!.includes(v));
        if (missing.length) problems.push(`${where}: enum type ${db.type} lacks the value(s) ${missing.join(', ')} that the dataset generates`);
      } else if (want === 'text' && c.type.startsWith('varchar(')) {
        const ours = Number(/\((\d+)\)/.exec(c.type)![1]);
        const m = /^(?:character varying|varchar|character|char)\((\d+)\)$/.exec(db.type);
        if (m && Number(m[1]) < ours) problems.push(`${where}: ${db.type} in the database is shorter than the dataset's ${c.type}`);
      } else if (want === 'integer' && have === 'integer') {
        const rank = (s: string): number => (/^(smallint|int2)$/.test(s) ? 1 : /^(integer|int|int4)$/.test(s) ? 2 : 3);
        const ourRank = c.type === 'smallint' ? 1 : c.type === 'int' ? 2 : 3;
        if (rank(db.type) < ourRank) problems.push(`${where}: ${db.type} in the database is narrower than the dataset's ${c.type}`);
      }
      if (db.notNull && (c.nullable || c.deferred)) {
        problems.push(`${where}: NOT NULL in the database, but the dataset ${c.deferred ? 'loads it as NULL first (it breaks a foreign key cycle)' : 'may leave it NULL'}`);
      }
    }
    for (const db of dbCols.values()) {
      if (ours.has(db.column)) continue;
      if (db.notNull && !db.hasDefault && !db.identity && !db.generated) {
        problems.push(`table ${t.name}, column ${db.column}: NOT NULL without a default in the database, and the dataset does not fill it (add the column to the dataset or give it a default)`);
      }
    }
  }
  return problems;
}

/**
 * Reads the catalog rows `diffSchema` needs for `tables` (dataset names, each looked for in its own
 * schema under its database name); rows name the dataset's tables. For a missing table, the other
 * schemas holding a table of that name (so the error can point at `--schema`).
 */
export async function readCatalog(client: SqlClient, names: SqlNames, tables: readonly string[]): Promise<CatalogSnapshot> {
  const want = `unnest($1::text[], $2::text[], $3::text[]) AS w(label, nsp, rel) JOIN pg_namespace n ON n.nspname = w.nsp JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.rel`;
  const params = labelled(names, tables);
  const rel = await client.query(`SELECT w.label AS name, c.relkind::text AS kind FROM ${want} WHERE c.relkind IN ('r', 'p')`, params);
  const cols = await client.query(
    `SELECT w.label AS "table", a.attname AS "column",
            format_type(coalesce(nullif(t.typbasetype, 0), a.atttypid), CASE WHEN t.typbasetype <> 0 THEN t.typtypmod ELSE a.atttypmod END) AS "type",
            coalesce(bt.typtype, t.typtype) AS typtype,
            (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = coalesce(nullif(t.typbasetype, 0), a.atttypid)) AS "enumLabels",
            (a.attnotnull OR coalesce(t.typnotnull, false)) AS "notNull",
            (a.atthasdef OR t.typdefault IS NOT NULL) AS "hasDefault",
            a.attidentity::text AS identity, a.attgenerated::text AS generated
       FROM ${want}
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type bt ON bt.oid = nullif(t.typbasetype, 0)
      WHERE c.relkind IN ('r', 'p')
      ORDER BY w.label, a.attnum`,
    params,
  );
  const found = new Set((rel.rows as { name: string }[]).map((r) => r.name));
  const missing = tables.filter((t) => !found.has(t));
  const elsewhere = new Map<string, string[]>();
  if (missing.length) {
    const [labels, schemas, rels] = labelled(names, missing);
    const other = await client.query(
      `SELECT w.label AS name, array_agg(n.nspname::text ORDER BY n.nspname) AS schemas
         FROM unnest($1::text[], $2::text[], $3::text[]) AS w(label, nsp, rel)
         JOIN pg_class c ON c.relname = w.rel AND c.relkind IN ('r', 'p') JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname <> w.nsp
        GROUP BY w.label`,
      [labels, schemas, rels],
    );
    for (const r of other.rows) elsewhere.set(String(r.name), r.schemas as string[]);
  }
  return {
    tables: found,
    schemas: new Map(tables.map((t) => [t, names.schema(t)])),
    elsewhere,
    partitioned: new Set((rel.rows as { name: string; kind: string }[]).filter((r) => r.kind === 'p').map((r) => r.name)),
    columns: cols.rows as unknown as CatalogColumn[],
  };
}

/** Throws one `SCHEMA_MISMATCH` listing every problem, or returns quietly. */
export function assertSchemaFits(tables: readonly TableInfo[], catalog: CatalogSnapshot, where: string): void {
  const problems = diffSchema(tables, catalog);
  if (problems.length === 0) return;
  throw new SeedpipeError('SCHEMA_MISMATCH',
    `The database schema at ${where} does not fit the dataset (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was written:\n` +
    problems.map((p) => `  - ${p}`).join('\n') +
    (catalog.elsewhere?.size
      ? `\nThe tables live in another schema: point the run at it with --schema NAME (nothing is created in ${[...new Set(catalog.schemas?.values() ?? [])].join(', ') || 'public'}).`
      : `\nChange the database or the dataset, or load into an empty database with --create-tables.`),
    { disposition: 'usage', data: { problems } });
}

/** An existing column as an introspector sees it: the part `canLoadColumn` reads. */
export interface ExistingColumn {
  name: string;
  type: { declared: string; declaredBase: string; typtype: string; enumLabels?: readonly string[] | null };
}

/**
 * Whether this sink loads a dataset column of `type` (a dataset column type, or `enum`) into an
 * existing database column: `null` when it does, else why not. The introspector asks this, so the
 * datasets it writes follow the sink's own schema check as it learns more types.
 */
export function canLoadColumn(table: { name: string }, column: ExistingColumn, type: string): string | null {
  const enumValues = column.type.enumLabels ?? undefined;
  const col: ColumnInfo = {
    name: column.name,
    type: (type === 'enum' ? 'text' : type) as ColumnType,
    ...(type === 'enum' && enumValues ? { enumValues } : {}),
    nullable: true,
    exported: true,
    deferred: false,
  };
  const info: TableInfo = { name: table.name, columns: [col], primaryKey: [], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 0, firstRow: 0 };
  const problems = diffSchema([info], {
    tables: new Set([table.name]),
    columns: [{
      table: table.name, column: column.name, type: column.type.declaredBase, typtype: column.type.typtype,
      enumLabels: enumValues ?? null, notNull: false, hasDefault: true, identity: '', generated: '',
    }],
  });
  return problems.length ? `the Postgres sink does not load ${column.type.declared} columns (${problems[0]!.replace(/^table [^,]+, column [^:]+: /, '')})` : null;
}
