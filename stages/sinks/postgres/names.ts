/**
 * How the Postgres stage names a dataset's tables and columns in SQL: every table by its schema and
 * database name (`"musicbrainz"."artist"`, `"public"."Team"`), every column by its database name
 * (`"userId"` for the dataset's `user_id`). A dataset table without a schema of its own lives in the
 * run's default schema (the dataset's `schema`, `--schema`, else `public`).
 *
 * Keys, foreign keys and indexes in `TableInfo` name dataset columns and tables; `SqlNames` maps them.
 */
import { qualified, quoteIdent, type TableInfo } from '../../../src/stage-kit.js';

/** What naming needs of a table. */
export type NamedTable = Pick<TableInfo, 'name' | 'schema' | 'sqlName'> & { readonly columns: readonly { name: string; sqlName?: string }[] };

/** The schema of `t`, else `fallback`. */
export function schemaOf(t: Pick<TableInfo, 'schema'>, fallback = 'public'): string {
  return t.schema ?? fallback;
}

/** The table's name in the database (unquoted). */
export function tableNameOf(t: Pick<TableInfo, 'name' | 'sqlName'>): string {
  return t.sqlName ?? t.name;
}

/** `"schema"."table"` of `t`. */
export function relOf(t: Pick<TableInfo, 'name' | 'schema' | 'sqlName'>, fallback = 'public'): string {
  return qualified(tableNameOf(t), schemaOf(t, fallback));
}

/** The database name (unquoted) of the dataset column `name` of `t`. */
export function columnNameOf(t: NamedTable, name: string): string {
  return t.columns.find((c) => c.name === name)?.sqlName ?? name;
}

/** The quoted database name of the dataset column `name` of `t`. */
export function colOf(t: NamedTable, name: string): string {
  return quoteIdent(columnNameOf(t, name));
}

/** Quoted database names of `names` (default every column of `t`), comma-separated. */
export function colsOf(t: NamedTable, names?: readonly string[]): string {
  return (names ?? t.columns.map((c) => c.name)).map((n) => colOf(t, n)).join(', ');
}

/** The names of one run's tables: by dataset name, with a default schema for tables without one. */
export class SqlNames {
  private readonly byName = new Map<string, NamedTable>();

  constructor(tables: readonly NamedTable[], readonly defaultSchema = 'public') {
    for (const t of tables) this.byName.set(t.name, t);
  }

  /** The table of a dataset name (a table outside the run is named as itself in the default schema). */
  table(name: string): NamedTable {
    return this.byName.get(name) ?? { name, columns: [] };
  }

  rel(name: string): string {
    return relOf(this.table(name), this.defaultSchema);
  }

  schema(name: string): string {
    return schemaOf(this.table(name), this.defaultSchema);
  }

  sqlName(name: string): string {
    return tableNameOf(this.table(name));
  }

  col(table: string, column: string): string {
    return colOf(this.table(table), column);
  }

  cols(table: string, columns?: readonly string[]): string {
    return colsOf(this.table(table), columns);
  }

  /** Every schema the run's tables live in. */
  schemas(): string[] {
    return [...new Set([...this.byName.values()].map((t) => schemaOf(t, this.defaultSchema)))];
  }

  /** `[schema, database name]` of each of `names`, for catalog queries (`unnest($1, $2)`). */
  pairs(names: readonly string[]): [string[], string[]] {
    return [names.map((n) => this.schema(n)), names.map((n) => this.sqlName(n))];
  }
}

/**
 * A subquery of the oids of `names` (as `$schemas`, `$tables` parameter positions of `pairs`):
 * `c.oid IN (${oidsOf('$1', '$2')})`.
 */
export function oidsOf(schemas: string, tables: string): string {
  return `SELECT c.oid FROM unnest(${schemas}::text[], ${tables}::text[]) AS w(nsp, rel) JOIN pg_namespace n ON n.nspname = w.nsp JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.rel`;
}

/** `unnest` rows (label, schema, database name) of `names`, for catalog queries that map back to dataset names. */
export function labelled(names: SqlNames, tables: readonly string[]): [string[], string[], string[]] {
  const [s, t] = names.pairs(tables);
  return [[...tables], s, t];
}
