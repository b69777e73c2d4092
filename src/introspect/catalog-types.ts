/**
 * What `seedpipe introspect` reads from a Postgres catalog (see catalog.ts for how): tables, columns,
 * resolved types, keys, foreign keys, uniques, checks, partitions, sequences, and the SQL functions
 * checks call.
 */
/** The smallest client the reader needs; `pg.Client` and `pg.Pool` fit. */
export interface CatalogClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** A column's type, resolved through domains and arrays. */
export interface ColumnTypeInfo {
  /** The type as declared (`format_type`), e.g. `character varying(60)`, `email_address`, `text[]`. */
  declared: string;
  /** `format_type` of a domain's base type (one level), else `declared`; e.g. `citext` for `email_address`. */
  declaredBase: string;
  /**
   * `pg_type.typname` of the resolved scalar type: domains resolve to their base type, arrays to
   * their element type. E.g. `int4`, `varchar`, `numeric`, `timestamptz`, `citext`, or an enum's name.
   */
  base: string;
  /** Schema of the resolved scalar type (`pg_catalog` for built-ins). */
  baseSchema: string;
  /** `pg_type.typtype` of the resolved scalar type: b base, e enum, c composite, r range, m multirange, p pseudo. */
  typtype: string;
  /** `pg_type.typcategory` of the resolved scalar type (N numeric, S string, D date/time, B boolean, U user, …). */
  category: string;
  /** Array dimensions (0 for a scalar). */
  arrayDims: number;
  /** varchar(n) / char(n) / bit(n) length. */
  length?: number;
  /** numeric(p,s) precision and scale (absent for an unconstrained numeric). */
  precision?: number;
  scale?: number;
  /** Labels of an enum, in sort order. */
  enumLabels?: readonly string[];
  /** The domain(s) the column's type goes through, outermost first, with their own constraints. */
  domains: readonly DomainInfo[];
}

export interface DomainInfo {
  schema: string;
  name: string;
  notNull: boolean;
  default: string | null;
  /** `pg_get_constraintdef` of each CHECK, with `VALUE` standing for the column. */
  checks: readonly { name: string; definition: string }[];
}

export interface CatalogColumn {
  name: string;
  /** `attnum`: position in the table (1-based, gaps where columns were dropped). */
  position: number;
  type: ColumnTypeInfo;
  /** NOT NULL on the column or on one of its domains. */
  notNull: boolean;
  /** Default expression (`pg_get_expr`), or the domain's default; null when none. */
  default: string | null;
  /** Identity column: `always` (GENERATED ALWAYS) or `by default`. */
  identity: 'always' | 'by default' | null;
  /** Expression of a GENERATED ALWAYS AS (…) STORED/VIRTUAL column; such columns cannot be written. */
  generated: string | null;
  comment: string | null;
  /**
   * The sequence the default draws from: `nextval('…')` in the default (owned by the column or
   * not, in any schema), or an identity column's own sequence.
   */
  sequence: { schema: string; name: string; owned: boolean } | null;
}

export interface CatalogForeignKey {
  name: string;
  columns: readonly string[];
  refSchema: string;
  refTable: string;
  refColumns: readonly string[];
  deferrable: boolean;
  /** False for a key added NOT VALID (existing rows were not checked). */
  validated: boolean;
  /** Declared on leaf partitions only (named after the first): honoured for every row of the table. */
  fromPartitions?: readonly string[];
}

export interface CatalogUnique {
  /** Constraint name, or the index name for a unique index without a constraint. */
  name: string;
  kind: 'primary key' | 'unique constraint' | 'unique index';
  /** Key columns; empty positions of expression indexes are left out (see `expressions`). */
  columns: readonly string[];
  /** Expressions of an expression index (`lower(email)`), empty otherwise. */
  expressions: readonly string[];
  /** Predicate of a partial unique index (`deleted_at IS NULL`), null otherwise. */
  predicate: string | null;
  /** NULLS NOT DISTINCT (Postgres 15+): NULLs collide like values. */
  nullsNotDistinct: boolean;
  /** `pg_get_indexdef`, for reports. */
  definition: string;
  /** Declared on leaf partitions only: honoured across the whole table (which is stronger). */
  fromPartitions?: readonly string[];
}

export interface CatalogCheck {
  name: string;
  /** `pg_get_constraintdef`, e.g. `CHECK ((rating >= 1) AND (rating <= 5))`. */
  definition: string;
  /** Columns the check mentions. */
  columns: readonly string[];
  /** A check of one leaf partition: it binds only the rows that partition holds (`partitionBound`). */
  partition?: { name: string; bound: string };
}

/** How a partitioned table routes rows: a row must fall into one of its leaf partitions. */
export interface CatalogPartitioning {
  /** `pg_get_partkeydef`, e.g. `RANGE (payment_date)`. */
  key: string;
  /** Leaf partitions (qualified names). */
  leaves: readonly string[];
  /**
   * The condition a row must meet to have a partition: the OR of the leaves' partition constraints
   * (`pg_get_partition_constraintdef`). Null when every row has one (a DEFAULT partition at the top,
   * or hash partitioning).
   */
  routable: string | null;
}

/** A SQL-language function a check may call, inlined by the check solver. */
export interface CatalogFunction {
  schema: string;
  name: string;
  /** Number of arguments; the body refers to them as `$1`, `$2`, … */
  args: number;
  /** The returned expression (`btrim($1) <> $1`) of a `SELECT expr` or `RETURN expr` body. */
  body: string;
}

export interface CatalogTable {
  schema: string;
  name: string;
  /** `r` table, `p` partitioned table (partitions themselves are not listed). */
  kind: 'r' | 'p';
  comment: string | null;
  columns: readonly CatalogColumn[];
  primaryKey: CatalogUnique | null;
  /** Unique constraints and unique indexes other than the primary key. */
  uniques: readonly CatalogUnique[];
  foreignKeys: readonly CatalogForeignKey[];
  checks: readonly CatalogCheck[];
  /** Exclusion constraints (`EXCLUDE USING gist …`), by definition. */
  exclusions: readonly { name: string; definition: string }[];
  /** Names of user triggers that fire on INSERT (COPY fires them too). */
  insertTriggers: readonly string[];
  /** Set for a partitioned table. */
  partitioning?: CatalogPartitioning;
}

export interface Catalog {
  /** Schemas read, in the order asked. */
  schemas: readonly string[];
  /** `server_version_num`, e.g. 180004. */
  serverVersion: number;
  /** Database name (`current_database()`). */
  database: string;
  /** Extensions installed in the database (name → version). */
  extensions: Readonly<Record<string, string>>;
  /** Tables of the schemas, ordered by schema (as asked) then name. */
  tables: readonly CatalogTable[];
  /** SQL-language functions with a single-expression body (any schema), by `schema.name` and unqualified name. */
  functions: readonly CatalogFunction[];
}

export interface ReadCatalogOptions {
  /** Schemas to read. Default `['public']`. */
  schemas?: readonly string[];
}
