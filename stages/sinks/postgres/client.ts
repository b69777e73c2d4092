/**
 * The Postgres client the sink needs, the one it builds by default, and how its errors become
 * `SeedpipeError`s.
 *
 * The sink depends on the structural `PgClientLike` (run a query, run a `pg-copy-streams` `from()`
 * stream, end, report connection errors), never on pg's own types: a real `pg.Client` fits, and
 * unit tests can pass a fake.
 */
import type { Writable } from 'node:stream';
import pg from 'pg';
import { SeedpipeError, canonicalDatabaseUrl, describeTarget, redactFor, type PgEnv } from '../../../src/stage-kit.js';

export { redactFor, secretsOf } from '../../../src/stage-kit.js';

export interface QueryResultLike {
  rows: Record<string, unknown>[];
  rowCount: number | null;
}

/** Runs SQL. */
export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<QueryResultLike>;
}

/** What `pg-copy-streams`' `from()` returns: a Writable that pg runs as a query ("submittable"). */
export interface CopyInStream extends Writable {
  /** Rows the server reported in `COPY n` (set before 'finish'). */
  rowCount: number;
  submit(connection: never): void;
}

/** The smallest client the sink needs; `pg.Client` fits. */
export interface PgClientLike extends SqlClient {
  query(text: string, values?: unknown[]): Promise<QueryResultLike>;
  /** Starts a COPY … FROM STDIN; pg returns the stream it was given. */
  query<T extends CopyInStream>(stream: T): T;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): unknown;
  /** The server process of the connection (pg's BackendKeyData): `pg_cancel_backend` stops its statement. */
  readonly processID?: number | null;
}

export interface ConnectOptions {
  /** `application_name` the server shows in pg_stat_activity. Default `seedpipe`. */
  applicationName?: string;
  /** Time allowed to connect, in milliseconds. Default 10,000. */
  connectTimeoutMs?: number;
  /** Time one query may take before the client gives up (a frozen server), in milliseconds. Default: none. */
  queryTimeoutMs?: number;
  /**
   * `PG*` variables for settings the URL leaves out (pg's fallbacks). Default none: a URL without a host
   * connects to localhost, exactly where the production guard (`assertLocalOrConfirmed`) said it would.
   */
  env?: PgEnv;
}

/**
 * Connects with pg. Connection failures become `DB_UNREACHABLE` (retriable) naming host, port and
 * database, never the password. An 'error' listener is installed so a connection dropped while idle
 * does not crash the process; the sink sees the failure on its next query.
 */
export async function connectPg(url: string, o: ConnectOptions = {}): Promise<pg.Client> {
  // Every setting explicit: pg must not fall back to PGHOST & co. behind the guard's back.
  const client = new pg.Client({ connectionString: canonicalDatabaseUrl(url, o.env ?? {}), application_name: o.applicationName ?? 'seedpipe', connectionTimeoutMillis: o.connectTimeoutMs ?? 10_000, ...(o.queryTimeoutMs ? { query_timeout: o.queryTimeoutMs } : {}) });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    // pg's own words for a server that accepts and never answers.
    const timedOut = /timeout expired/i.test((e as Error).message);
    throw new SeedpipeError('DB_UNREACHABLE',
      `Cannot connect to Postgres at ${describeTarget(url)}: ${timedOut ? `no answer within ${(o.connectTimeoutMs ?? 10_000) / 1000} s` : redactFor(url, (e as Error).message)}. ` +
      `Check that the server runs and that the URL (--db or DATABASE_URL) is right${timedOut ? ', or raise --db-connect-timeout' : ''}.`,
      { disposition: 'retriable', data: { target: describeTarget(url), code: (e as { code?: unknown }).code }, cause: e });
  }
  return client;
}

/** The fields pg's `DatabaseError` keeps from the server's ErrorResponse. */
export interface DbErrorFields {
  message: string;
  code?: string;
  severity?: string;
  detail?: string;
  hint?: string;
  table?: string;
  column?: string;
  constraint?: string;
  schema?: string;
  where?: string;
}

export function dbFields(e: unknown): DbErrorFields {
  const o = (e ?? {}) as Record<string, unknown>;
  const s = (k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  return {
    message: e instanceof Error ? e.message : String(e),
    code: s('code'), severity: s('severity'), detail: s('detail'), hint: s('hint'), table: s('table'),
    column: s('column'), constraint: s('constraint'), schema: s('schema'), where: s('where'),
  };
}

/** Whether the error means the connection is gone (terminated by an admin, server crash, network). */
export function isConnectionLost(e: unknown): boolean {
  const f = dbFields(e);
  if (f.code && /^57P0[1-3]$/.test(f.code)) return true;
  if (f.code && ['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT'].includes(f.code)) return true;
  return /Connection terminated|terminating connection|server closed the connection|Client has encountered a connection error|Connection is closed|not queryable/i.test(f.message);
}

/**
 * Whether a statement ran out of time: the server cancelled it at `statement_timeout` (57014 with
 * its own words; 57014 alone is also an interrupt's pg_cancel_backend), or the client stopped
 * waiting for a server that did not answer at all (pg's `query_timeout`, "Query read timeout").
 */
export function isStatementTimeout(e: unknown): boolean {
  const f = dbFields(e);
  return (f.code === '57014' && /statement timeout/i.test(f.message)) || /^Query read timeout$/.test(f.message);
}

/** `DB_STATEMENT_TIMEOUT`: what ran out of time, that nothing was committed, and what to do. */
export function statementTimeoutError(e: unknown, url: string, context: string): SeedpipeError {
  const f = dbFields(e);
  const server = f.code === '57014';
  const what = server
    ? 'a statement ran longer than the statement timeout and Postgres cancelled it'
    : `Postgres at ${describeTarget(url)} stopped answering a statement (the client waits a little longer than the statement timeout)`;
  const why = server
    ? 'Often another session holds a lock on one of the tables (see pg_locks and pg_stat_activity): end it, or raise --db-statement-timeout (0: no limit).'
    : 'Check that the server and its backend run (not stopped or overloaded), or raise --db-statement-timeout.';
  return new SeedpipeError('DB_STATEMENT_TIMEOUT',
    `${context}: ${what} (${redactFor(url, f.message)}). The transaction was rolled back: nothing it wrote was committed. ${why}`,
    { disposition: 'retriable', data: { target: describeTarget(url), sqlstate: f.code, by: server ? 'server' : 'client' }, cause: e });
}

/** SQLSTATE class 23: integrity constraint violations. */
export function isConstraintViolation(e: unknown): boolean {
  const c = dbFields(e).code;
  return c !== undefined && c.startsWith('23');
}

/** A constraint the sink knows by name (from the catalog or its own DDL), to name its columns. */
export interface KnownConstraint {
  table: string;
  columns: readonly string[];
  kind: string;
  definition: string;
}

const KIND: Record<string, string> = {
  '23505': 'unique', '23503': 'foreign key', '23514': 'check', '23502': 'not null', '23P01': 'exclusion',
};

/**
 * Turns a constraint violation into `CONSTRAINT_VIOLATION` naming table, column(s) and constraint.
 * Columns come from the server (`column` for NOT NULL, `Key (a, b)=…` in `detail`) or from the
 * constraint's definition the sink read before loading.
 */
export function constraintError(e: unknown, url: string, known: ReadonlyMap<string, KnownConstraint>, context: string): SeedpipeError {
  const f = dbFields(e);
  const k = f.constraint ? known.get(f.constraint) : undefined;
  const table = f.table ?? k?.table ?? '(unknown table)';
  const fromDetail = f.detail ? /^Key \((.+?)\)=/.exec(f.detail)?.[1] : undefined;
  const columns = f.column ? [f.column] : fromDetail ? fromDetail.split(/,\s*/) : k ? [...k.columns] : [];
  const kind = KIND[f.code ?? ''] ?? 'integrity';
  const line = f.where ? /line (\d+)/.exec(f.where)?.[1] : undefined;
  const sentence = (s: string): string => s.trim().replace(/\.+$/, '');
  const server = [f.message, f.detail].filter((s): s is string => !!s).map((s) => sentence(redactFor(url, s))).join('; ');
  const msg =
    `${context}: the data violates the ${kind} constraint ${f.constraint ?? '(unnamed)'} on table ${table}` +
    `${columns.length ? `, column${columns.length > 1 ? 's' : ''} ${columns.join(', ')}` : ''}` +
    `${k?.definition && !context.includes(k.definition) ? ` (${k.definition})` : ''}. ` +
    `Postgres says: ${server}${line ? ` (line ${line} of this table's COPY)` : ''}. ` +
    `The whole run was rolled back; fix the generator of ${table}${columns.length ? `.${columns[0]}` : ''} or the constraint.`;
  return new SeedpipeError('CONSTRAINT_VIOLATION', msg, {
    disposition: 'data-quality',
    data: { table, columns, constraint: f.constraint, kind, sqlstate: f.code, detail: f.detail },
    cause: e,
  });
}

/** `DB_CONNECTION_LOST`: the run's transaction is gone with its connection, so nothing was committed. */
export function connectionLostError(e: unknown, url: string, context: string): SeedpipeError {
  return new SeedpipeError('DB_CONNECTION_LOST',
    `${context}: the connection to Postgres at ${describeTarget(url)} was terminated (${redactFor(url, dbFields(e).message)}). ` +
    `Nothing of this run was committed; run it again when the server is available.`,
    { disposition: 'retriable', data: { target: describeTarget(url), sqlstate: dbFields(e).code }, cause: e });
}

/** Postgres' "Use DROP ... CASCADE" hint: never passed on, it would destroy the user's objects. */
const CASCADE = /\bCASCADE\b/i;

/** Any other database error, scrubbed of secrets, as `DB_ERROR` (with the server's hint, unless it suggests CASCADE). */
export function databaseError(e: unknown, url: string, context: string): SeedpipeError {
  if (e instanceof SeedpipeError) return e;
  if (isStatementTimeout(e)) return statementTimeoutError(e, url, context);
  const f = dbFields(e);
  return new SeedpipeError('DB_ERROR',
    `${context}: ${redactFor(url, f.message)}${f.detail ? ` (${redactFor(url, f.detail)})` : ''}${f.hint && !CASCADE.test(f.hint) ? ` Hint: ${f.hint}` : ''}`,
    { data: { target: describeTarget(url), sqlstate: f.code, table: f.table }, cause: e });
}

/** Classifies a failure of the load: constraint, lost connection, or other. */
export function loadError(e: unknown, url: string, known: ReadonlyMap<string, KnownConstraint>, context: string): SeedpipeError {
  if (e instanceof SeedpipeError) return e;
  if (isConstraintViolation(e)) return constraintError(e, url, known, context);
  if (isConnectionLost(e)) return connectionLostError(e, url, context);
  return databaseError(e, url, context);
}

/**
 * One connection's statements, one after another: each is sent once the one before it has settled
 * (failed or not), so work can be queued without waiting for it (pg itself no longer queues).
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(f: () => Promise<T>): Promise<T> {
    const p = this.tail.then(f, f);
    this.tail = p.catch(() => undefined);
    return p;
  }
}
