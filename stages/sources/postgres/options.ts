/** Options of the Postgres source. Resolved once by the caller and passed in; the source never reads `process.env`. */
import type { PgReadClient } from './client.js';

export interface PostgresSourceOptions {
  /** Connection URL of the database to read. Only read: the source runs in a READ ONLY transaction. Never printed with its password. */
  url: string;
  /** Schema whose tables are read. Default `public`. */
  schema?: string;
  /** Tables to read (names in `schema`). Default: every table of the schema. Unknown names are `SOURCE_TABLE_UNKNOWN`. */
  tables?: readonly string[];
  /** Tables to leave out. Default none. */
  exclude?: readonly string[];
  /**
   * Rows to keep, per table: an SQL condition on the table's columns, pushed into the COPY's `WHERE`
   * (e.g. `{ messages: "created_at >= '2025-01-01'" }`). It runs inside the read-only transaction.
   */
  where?: Readonly<Record<string, string>>;
  /**
   * Slice k of n of every table (`--shard k/n`): disjoint ranges of the primary key (composite and uuid
   * keys too, compared as row values), balanced by row count; a table without a primary key is split by
   * physical block ranges. n slices together are every row exactly once (of an unchanged database).
   */
  shard?: { index: number; count: number };
  /**
   * Row counts for progress and `TableInfo.rows`: `exact` runs `count(*)` per table (a scan) in the
   * source's snapshot; `estimate` reads the planner's `reltuples`. Default `exact`.
   */
  counts?: 'exact' | 'estimate';
  /**
   * Generated columns (`GENERATED ALWAYS AS … STORED`): `include` reads them like any column (an
   * export), `exclude` leaves them out (a copy: the target computes them and refuses writes). Default `include`.
   */
  generated?: 'include' | 'exclude';
  /** Builds the client (tests, TLS settings, the CLI's connect with its error messages). Default: `pg.Client` from `url`. */
  connect?: (url: string) => Promise<PgReadClient>;
  /**
   * Bytes the COPY stream reads ahead before the source stops reading (backpressure reaches the server
   * through the socket). Default 1 MiB.
   */
  highWaterMark?: number;
}
