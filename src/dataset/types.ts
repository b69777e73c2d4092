/**
 * The dataset API: what a dataset module declares. `defineDataset` (define.ts) validates it with
 * zod when it is loaded and freezes it.
 */
import type { ColumnType, Transform } from '../contracts.js';
import type { GenContext, CountContext } from '../generate/context.js';

export type Params = Record<string, number | string | boolean>;

export interface ColumnDef {
  /** Postgres type, or `{ enum: [...] }` for an enum type. */
  type: ColumnType | { enum: readonly string[] };
  /**
   * The value of this column for one row. Omitted only for a single-column primary key, which is
   * then the row number (row index + 1). Columns are generated in declaration order, so `c.row`
   * holds the columns declared above.
   */
  gen?: (c: GenContext) => unknown;
  /**
   * The generator reads nothing of the context but `c.i` (no stream, parent, other column or lookup),
   * as `uuidAt(c.i, salt)` does. For a single-column primary key this lets a reference compute the key
   * from the row index alone, without locating or computing the row. Default false; a generator that
   * reads anything else must not set it (its references would not match the rows).
   */
  byIndex?: boolean;
  /** May be NULL. Default false. */
  nullable?: boolean;
  /** Single-column unique constraint. The generator must make values unique by construction. */
  unique?: boolean;
  /** Foreign key to another table's primary key (`'users'`) or a named column. */
  references?: string | { table: string; column?: string };
  /**
   * A helper value: generated and visible to later columns as `c.row.<name>`, but not a column of
   * the table (not loaded, not exported). E.g. a first name that both `email` and `name` use.
   */
  virtual?: boolean;
  /** Written to CSV/S3 exports. Default true; set false for password hashes and other secrets. */
  export?: boolean;
  /** Secondary index on this column. */
  index?: boolean;
  /** SQL check expression for this column, e.g. `char_length(bio) <= 200`. */
  check?: string;
  /**
   * The column's name in the database when it differs from its dataset key (which must be
   * lower_snake_case): `createdAt` for a Prisma column keyed `created_at`. Sinks that talk to the
   * database use this name (always quoted); file exports and generators use the key.
   */
  sqlName?: string;
  /**
   * The sequence the column's database default draws from (`DEFAULT nextval('…')`, or an identity
   * column's own sequence), whether or not the sequence is OWNED BY the column. After a load a
   * database sink moves it past the largest loaded value, so the application's next INSERT without
   * this column does not collide. Several columns may name the same sequence (the sink then moves
   * it past the largest of them).
   */
  sequence?: SequenceRef;
}

/** A Postgres sequence, by schema and name (unquoted, as in `pg_class.relname`). */
export interface SequenceRef {
  schema: string;
  name: string;
  /** OWNED BY this column (serial, identity). False for a shared or hand-made sequence. */
  owned: boolean;
}

/**
 * A database table the dataset knows about but must never write: migration bookkeeping of an
 * application framework (`schema_migrations`, `django_migrations`, …). Not generated; a database
 * sink must not TRUNCATE, DELETE from, load into, or drop keys of it, in any mode.
 */
export interface UntouchedTable {
  /** Postgres schema; default the dataset's `schema`. */
  schema?: string;
  /** SQL table name. */
  table: string;
  /** Why it is left alone, for plans and reports (e.g. "Rails migration bookkeeping"). */
  reason: string;
}

export interface PerShape {
  /** Parent table: every parent row gets `count` children, streamed right after each other. */
  parent: string;
  /** Children for one parent: a number or a function of the parent (e.g. by tier). */
  count: number | ((c: CountContext) => number);
}

export interface SeriesShape {
  /** Parent table (e.g. sensors). Each parent gets one row per time step from start to end. */
  parent: string;
  /** First timestamp for a parent. */
  start: (c: CountContext) => Date;
  /** End (exclusive) for a parent. */
  end: (c: CountContext) => Date;
  /** Step between rows in milliseconds. */
  everyMs: number;
}

export interface JunctionShape {
  /** One group of rows per parent row (e.g. channels). */
  parent: string;
  /** Table whose rows are picked as distinct partners (e.g. users). */
  target: string;
  /** Partners per parent (capped at the target's row count). */
  count: number | ((c: CountContext) => number);
  /** Target row indexes that come first (e.g. the channel owner), included in `count`. */
  first?: (c: CountContext) => readonly number[];
}

export interface EmbedDef {
  /** The text embedded for a row. */
  text: (row: Record<string, unknown>) => string;
  /** Metadata stored with the vector (Pinecone: ≤ 40 KB per vector). */
  metadata?: (row: Record<string, unknown>) => Record<string, unknown>;
  /** Vector namespace; default the table name. */
  namespace?: string;
}

/**
 * A transform a table declares (mask before export, derive a column, drop a helper): it sees only this
 * table, and applies before the sinks named in `sinks` (every sink when absent), so the database can
 * get the full row while the files get the masked one.
 */
export interface TableTransformDef {
  /** A transform stage, e.g. `maskTransform(…)` from `seedpipe/transforms/mask`. */
  use: Transform;
  /** Names of the sinks it applies before: `postgres`, `csv`, `s3`, `vectors`. Default: every sink. */
  sinks?: readonly string[];
}

export interface TableDef {
  /** Row count at scale 1 (profiles override it per table). Exactly one of rows/per/series/junction. */
  rows?: number;
  per?: PerShape;
  series?: SeriesShape;
  junction?: JunctionShape;
  /** Literal rows placed first (columns not given are generated). Only for `rows` tables. */
  fixed?: readonly Record<string, unknown>[];
  /**
   * The rows are a list the dataset defines (roles, units, ledger accounts): their count stays
   * `rows` whatever the profile or `--scale`, and `--set` cannot change it, so generators may index
   * the list by row and other tables may name its rows by key. Only for `rows` tables.
   */
  catalog?: boolean;
  /**
   * Generated keys start after this number: row i gets key `keyOffset + i + 1` (e.g. devices in
   * 10,001–40,000 with keyOffset 10,000). Default 0.
   */
  keyOffset?: number;
  /** Primary key columns. Default `['id']` when the table has an `id` column. */
  primaryKey?: readonly string[];
  /** Composite unique constraints. */
  uniques?: readonly (readonly string[])[];
  /** Composite secondary indexes. */
  indexes?: readonly (readonly string[])[];
  /** Table-level SQL check expressions. */
  checks?: readonly string[];
  /** Composite foreign keys (single-column ones are declared on the column with `references`). */
  foreignKeys?: readonly { columns: readonly string[]; table: string; refColumns: readonly string[] }[];
  columns: Record<string, ColumnDef>;
  /** Embedding text and metadata for the vector sinks. */
  embed?: EmbedDef;
  /** Transforms of this table's rows, per sink (applied in order, after generation). */
  transforms?: readonly TableTransformDef[];
  /** Human description (plan output, DDL comments). */
  description?: string;
  /**
   * Written to file exports (CSV, S3). Default true. Set false for internal tables (workflow
   * configuration, memberships) that belong in the database but not in an exported dataset.
   */
  export?: boolean;
  /** Postgres schema of this table; default the dataset's `schema` (itself default `public`). */
  schema?: string;
  /**
   * The table's name in the database when it differs from its dataset key: a name that is not
   * lower_snake_case (`TeamMember`), or one of two tables with the same name in different schemas
   * (keys `billing_invoices` and `invoices`, both SQL name `invoices`). Default: the key.
   */
  sqlName?: string;
}

export interface ProfileDef {
  /** Multiplies every `rows` count (default 1). */
  scale?: number;
  /** Per-table row counts (before `--scale`). */
  rows?: Record<string, number>;
  /** Parameter values for this profile. */
  params?: Params;
}

/** A dataset's own business rule: a SQL query that must return no rows. */
export interface CheckDef {
  name: string;
  sql: string;
  description?: string;
}

export interface DatasetDef {
  name: string;
  description?: string;
  /** Root seed; `--seed` overrides it. */
  seed: number;
  /** Fixed reference date ("now" of the data), ISO. Generators never read the clock. */
  refDate: string;
  /** Declared parameters with defaults; `--set name=value` overrides them. */
  params?: Params;
  profiles?: Record<string, ProfileDef>;
  /** Profile used when none is given. Default 'medium' when defined, else the first. */
  defaultProfile?: string;
  tables: Record<string, TableDef>;
  checks?: readonly CheckDef[];
  /**
   * Default Postgres schema of the tables (each table may name its own). Default `public`. Database
   * sinks qualify every identifier with it.
   */
  schema?: string;
  /** Tables in the database the dataset must leave exactly as they are (see `UntouchedTable`). */
  untouched?: readonly UntouchedTable[];
}
