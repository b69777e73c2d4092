/**
 * What every stage knows about the data: column types, tables (`TableInfo`) and the run (`RunInfo`).
 * Derived from the dataset (or, for other sources, from their schema) once, frozen, passed explicitly.
 */

/** Postgres-flavoured column types; every sink maps them (DDL, CSV formatting, embeddings). */
export type ColumnType =
  | 'bigint' | 'int' | 'smallint' | 'text' | 'boolean' | 'date' | 'timestamptz' | 'uuid' | 'jsonb'
  | 'double precision' | `numeric(${number},${number})` | `varchar(${number})`;

export interface ForeignKeySpec {
  /** Local column(s). */
  columns: readonly string[];
  /** Referenced table. */
  table: string;
  /** Referenced column(s); defaults to the referenced table's primary key. */
  refColumns: readonly string[];
  /** True when every local column is nullable: such a key can break a cycle. */
  nullable: boolean;
}

export interface ColumnInfo {
  name: string;
  type: ColumnType;
  /** Enum values when the column is an enum (DDL creates a Postgres enum type `<table>_<column>`). */
  enumValues?: readonly string[];
  nullable: boolean;
  /** Left out of CSV/S3 exports (e.g. password hashes). Still loaded into databases. */
  exported: boolean;
  /**
   * Filled after the main load (cycle breaking): the first pass writes NULL, a later UPDATE sets it.
   * Sinks that cannot update (CSV, S3) receive the final value in the main pass instead.
   */
  deferred: boolean;
  /** Database column name when it differs from `name` (quote it). */
  sqlName?: string;
  /** The sequence its database default draws from (serial, identity or shared): move it after a load. */
  sequence?: { schema: string; name: string; owned: boolean };
}

/** Everything a sink needs to know about one table, derived from the dataset. Frozen. */
export interface TableInfo {
  name: string;
  columns: readonly ColumnInfo[];
  primaryKey: readonly string[];
  foreignKeys: readonly ForeignKeySpec[];
  uniques: readonly (readonly string[])[];
  /** Secondary (non-unique) indexes, each a list of columns. */
  indexes: readonly (readonly string[])[];
  /** SQL check expressions, e.g. `created_at <= updated_at`. */
  checks: readonly string[];
  /** Whether file exports (CSV, S3) include this table. Databases and vector indexes always do. */
  exported: boolean;
  /** Planned row count for this run (after profile, scale and shard). */
  rows: number;
  /** Global index of this run's first row (non-zero for shards). */
  firstRow: number;
  /** Postgres schema of the table (the dataset's or the table's `schema`); absent means `public`. */
  schema?: string;
  /** Database table name when it differs from `name` (quote it). */
  sqlName?: string;
}

export interface RunInfo {
  dataset: string;
  seed: number;
  profile: string;
  scale: number;
  /** Fixed reference date of the dataset (ISO). */
  refDate: string;
  /** ISO time the run started (for manifests and generation folder names; never used by generators). */
  startedAt: string;
  versions: { seedpipe: string; faker: string; node: string };
  shard?: { index: number; count: number };
  /** Where the rows came from when they were read, not generated: `postgres://host:port/db` (never credentials). */
  source?: string;
  tables: readonly TableInfo[];
}
