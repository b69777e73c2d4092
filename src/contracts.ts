/**
 * The seams of the pipeline: a source yields row batches, sinks consume them.
 * One generation pass feeds every sink (tee); each sink settles only when its data is durable
 * and undoes itself on abort.
 *
 * Memory: a batch holds at most `batchRows` rows (default 4096) plus their CSV encoding. The
 * pipeline awaits every sink's `write` before producing the next batch, so the worst case per
 * table is (batch size × (1 + worker queue depth)) plus each sink's own documented buffer.
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

/** One batch of consecutive rows of one table. */
export interface RowBatch {
  table: string;
  /** Global row index of the batch's first row. */
  start: number;
  /** Number of rows in the batch. */
  count: number;
  /**
   * Values in `TableInfo.columns` order (all columns, exported or not). Present only when a sink
   * asked for them with `needsRows` (rows cross worker threads by copy); otherwise empty.
   */
  rows: unknown[][];
  /**
   * RFC 4180 CSV encoding of the exported columns of these rows (no header); NULL is an empty
   * unquoted field. Deferred columns hold their final values here.
   */
  csv: Buffer;
  /**
   * CSV of all columns in `TableInfo.columns` order with deferred columns NULL: what a database
   * COPYs (`FORMAT csv`). The same Buffer as `csv` when the two do not differ.
   */
  dbCsv: Buffer;
}

export interface TableResult {
  table: string;
  rows: number;
  bytes: number;
  /** Sink-specific facts for the summary/manifest (sha256, ETag, path, …). */
  details?: Record<string, unknown>;
}

/** Per-table writer: `write` resolves when the batch is accepted (this is the backpressure). */
export interface TableWriter {
  write(batch: RowBatch): Promise<void>;
  /** Resolves when the table's data is durable in this sink (or staged for the run's commit). */
  close(): Promise<TableResult>;
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
  tables: readonly TableInfo[];
}

export interface Sink {
  readonly name: string;
  /** Whether this sink needs `RowBatch.rows` for a table (default: no; CSV bytes only). */
  needsRows?(info: TableInfo): boolean;
  /** Prepare (connect, create folders, check access). Nothing visible to users yet. */
  open(run: RunInfo): Promise<void>;
  /** Called once per table, in plan order, before its batches. */
  table(info: TableInfo): Promise<TableWriter>;
  /** All tables written: make the run durable and visible (commit, rename, manifest). */
  commit(results: readonly TableResult[]): Promise<SinkSummary>;
  /**
   * Undo everything this run wrote. Must be safe to call at any point, and more than once; after a
   * successful `commit` it does nothing.
   */
  abort(reason: unknown): Promise<void>;
}

export interface SinkSummary {
  sink: string;
  /** Where the data went, for people (no secrets). */
  location: string;
  tables: readonly TableResult[];
  extra?: Record<string, unknown>;
}
