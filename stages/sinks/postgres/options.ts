/**
 * Options of the Postgres sink. Resolved once by the caller (CLI/config) and passed in; the sink
 * never reads `process.env`.
 */
import type { PgClientLike } from './client.js';

/**
 * How a run's rows meet the rows already in the tables.
 * - `replace`: empty the planned tables (TRUNCATE, after confirmation when they hold rows), then load.
 * - `append`: keep existing rows; new keys continue after the current maximum (plan with
 *   `appendOffsets`' result as `PlanOptions.offsets`).
 * - `missing`: insert only rows whose keys are not there yet (`ON CONFLICT DO NOTHING`); re-running the
 *   same seed adds nothing.
 */
export type PostgresLoadMode = 'replace' | 'append' | 'missing';

export const LOAD_MODES: readonly PostgresLoadMode[] = ['replace', 'append', 'missing'];

export interface PostgresSinkOptions {
  /**
   * Connection URL (`postgres://user:password@host:port/db`, `?host=/socket/dir`, or a libpq key=value
   * string). The password is never printed: messages name host, port and database only.
   */
  url: string;
  /** Load mode. Default `replace`. */
  mode?: PostgresLoadMode;
  /**
   * Create the dataset's tables (enum types, tables, keys, checks, foreign keys, indexes) inside the
   * run's transaction. Tables that do not exist are created in every mode. In `replace` mode, planned
   * tables that already exist are dropped and created again (after the same confirmation as TRUNCATE
   * when they hold rows); in `append` and `missing` modes existing tables are kept and checked.
   * Default false: load into the existing schema, which is checked first.
   */
  createTables?: boolean;
  /**
   * Schema of the tables that do not name their own (`TableInfo.schema`, from the dataset's or the
   * table's `schema`). Default `public`. Every table and type is qualified with its schema.
   */
  schema?: string;
  /**
   * Tables never written, emptied or altered (framework bookkeeping such as `schema_migrations`;
   * `Plan.untouched`): a run that plans one of them stops before changing anything, and a TRUNCATE
   * that would cascade into one is refused.
   */
  untouched?: readonly { schema: string; table: string; reason?: string }[];
  /** Skip the confirmation before emptying tables that hold rows (`--yes`). Default false. */
  yes?: boolean;
  /**
   * Asked before emptying tables that hold rows (`replace` mode), with their names (planned tables,
   * plus tables outside the plan that reference them and would be emptied by TRUNCATE … CASCADE).
   * Resolve true to go on. Without it (and without `yes`), such a run stops with
   * `TRUNCATE_NOT_CONFIRMED` before changing anything.
   */
  confirm?: (tables: string[]) => Promise<boolean>;
  /** Allow a database that is not on this machine (`--confirm-production`). Default false. */
  confirmProduction?: boolean;
  /**
   * Fast path: inside the run's transaction, drop the foreign keys to and from the planned tables and
   * their non-unique secondary indexes, COPY, then re-create them at commit (one set-based check per
   * key instead of a trigger call per row). Primary keys, unique constraints and checks stay.
   * Default true. Turn it off to append a few rows to very large tables, where re-checking whole
   * tables costs more than per-row checks (only the foreign keys of tables outside the run are then
   * set aside, so emptying needs no CASCADE).
   * A key or index that a view, materialized view, rule or other object outside the load depends on is
   * never dropped: it stays and is loaded into. When the server's lock table cannot hold every lock of
   * the fast path in one transaction, fewer constraints are set aside (see locks.ts).
   */
  dropConstraints?: boolean;
  /**
   * `maintenance_work_mem` for the run's transaction (`SET LOCAL`): memory for re-creating indexes and
   * checking foreign keys. Default `256MB`; `null` keeps the server's setting.
   */
  maintenanceWorkMem?: string | null;
  /**
   * COPY format (copy-format.ts): `auto` (default) loads each table whose database columns have exactly
   * the dataset's types, and for which binary is estimated cheaper (copy-cost.ts), with binary COPY
   * (`copy-binary`) and the others as CSV (`copy-csv`); `text`
   * loads every table as CSV; `binary` stops before any row when some table cannot be loaded in binary.
   */
  copyFormat?: 'auto' | 'text' | 'binary';
  /**
   * Bytes the COPY stream buffers before `write` waits for the socket to drain. Default 1 MiB. Memory of
   * the sink per table is about this plus one batch (and the socket's own buffer).
   */
  highWaterMark?: number;
  /** `application_name` shown in `pg_stat_activity`. Default `seedpipe`. */
  applicationName?: string;
  /** Builds the client (tests, pools, TLS settings). Default: `pg.Client` from `url`. */
  connect?: (url: string) => Promise<PgClientLike>;
  /**
   * Directory for the staged values of cycle-breaking columns (one temp directory per load,
   * `seedpipe-deferred-<pid>-…`, one file per table). Default the OS temp dir. Open removes the ones
   * a killed load left there (their process no longer runs) and reports each through `notice`.
   */
  tempDir?: string;
  /** Receives what the user should see even when quiet: each leftover of a killed load removed. */
  notice?: (line: string) => void;
  /** Receives one human-readable line per step (no secrets). */
  log?: (line: string) => void;
}
