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
  /** Existing tables among the ones asked for. */
  tables: ReadonlySet<string>;
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
      problems.push(`table ${t.name}: missing in the database (create it, or run with --create-tables)`);
      continue;
    }
    const dbCols = byTable.get(t.name) ?? new Map<string, CatalogColumn>();
    const ours = new Set(t.columns.map((c) => c.name));
    for (const c of t.columns) {
      const db = dbCols.get(c.name);
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

/** Reads the catalog rows `diffSchema` needs for `tables` in `schema`. */
export async function readCatalog(client: SqlClient, schema: string, tables: readonly string[]): Promise<CatalogSnapshot> {
  const rel = await client.query(
    `SELECT c.relname AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname = ANY($2::text[])`,
    [schema, tables],
  );
  const cols = await client.query(
    `SELECT c.relname AS "table", a.attname AS "column",
            format_type(coalesce(nullif(t.typbasetype, 0), a.atttypid), CASE WHEN t.typbasetype <> 0 THEN t.typtypmod ELSE a.atttypmod END) AS "type",
            coalesce(bt.typtype, t.typtype) AS typtype,
            (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = coalesce(nullif(t.typbasetype, 0), a.atttypid)) AS "enumLabels",
            (a.attnotnull OR coalesce(t.typnotnull, false)) AS "notNull",
            (a.atthasdef OR t.typdefault IS NOT NULL) AS "hasDefault",
            a.attidentity::text AS identity, a.attgenerated::text AS generated
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type bt ON bt.oid = nullif(t.typbasetype, 0)
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname = ANY($2::text[])
      ORDER BY c.relname, a.attnum`,
    [schema, tables],
  );
  return {
    tables: new Set((rel.rows as { name: string }[]).map((r) => r.name)),
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
    `\nChange the database or the dataset, or load into an empty database with --create-tables.`,
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
