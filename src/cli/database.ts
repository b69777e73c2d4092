/**
 * Which database a command talks to: `--db`, else `DATABASE_URL`, else the config file's `db.url`,
 * else the embedded default under `<project>/.seedpipe/postgres` (started on demand, left running
 * so users can connect). On the embedded server every dataset has its own database, named after
 * the dataset and created on first use, so datasets that share table names never collide.
 */
import { join } from 'node:path';
import { displayUrl, embeddedStatus, startEmbedded } from '../db/embedded.js';
import { assertDatabaseName, ensureDatabase, lastDatabase, listDatabases, rememberDatabase, withDatabase } from '../db/databases.js';
import { usageError } from '../errors.js';
import { canonicalDatabaseUrl, describeTarget } from '../../stages/sinks/postgres/index.js';
import type { Io } from './main.js';

export interface DbTarget {
  url: string;
  embedded: boolean;
  /** Redacted, for people. */
  display: string;
  /** The database on the embedded server (the dataset's name, or `--database`). */
  database?: string;
}

/** The project directory: where the config file is, else the working directory. */
export function projectDir(io: Io): string {
  return io.projectDir ?? io.cwd;
}

export function embeddedDir(io: Io): string {
  return join(projectDir(io), '.seedpipe', 'postgres');
}

export interface ResolveDbOptions {
  /** Start the embedded server (and create the database) when it is the target. */
  start: boolean;
  /**
   * The embedded database to use: the dataset's name or `--database`. Without it, the database of
   * the last run on the embedded server.
   */
  database?: string;
  /** No notice when a database is created (--quiet). */
  quiet?: boolean;
}

/**
 * The target database. A given URL is resolved once, here, with pg's rules and this process's `PG*`
 * variables (a URL without a host goes to `PGHOST`), into a URL that names every setting, which every
 * later step (guard, sinks, validate) uses: they all see the host pg connects to.
 */
export async function resolveDb(io: Io, flag: string | undefined, opts: ResolveDbOptions): Promise<DbTarget> {
  if (flag !== undefined && flag.trim() === '') throw usageError('DB_URL_EMPTY', '--db was given an empty value; pass a postgres:// URL, or leave --db out to use DATABASE_URL or the embedded database');
  if (flag === undefined && io.env.DATABASE_URL !== undefined && io.env.DATABASE_URL.trim() === '') {
    throw usageError('DB_URL_EMPTY', 'DATABASE_URL is set but empty; set it to a postgres:// URL, or unset it to use the embedded database');
  }
  const configured = io.config?.db?.url;
  const given = flag ?? io.env.DATABASE_URL ?? configured;
  if (given) {
    const source = flag !== undefined ? '--db' : io.env.DATABASE_URL !== undefined ? 'DATABASE_URL' : `db.url in ${io.configFile ?? 'the config file'}`;
    if (!/^postgres(ql)?:\/\//i.test(given.trim())) {
      throw usageError('DB_URL_INVALID', `${source} must be a URL that starts with postgres:// or postgresql:// (the value is not shown: it may contain a password)`);
    }
    const url = canonicalDatabaseUrl(given, io.env);
    return { url, embedded: false, display: displayUrl(url) };
  }
  const dir = embeddedDir(io);
  if (opts.database !== undefined) assertDatabaseName(opts.database, 'database');
  if (opts.start) {
    const s = await startEmbedded({ dir, notice: (l) => io.err(`seedpipe: ${l}\n`) });
    const name = opts.database ?? (await lastDatabase(dir)) ?? 'postgres';
    const db = name === 'postgres' ? { url: s.url, created: false } : await ensureDatabase(s.url, name);
    if (db.created && !opts.quiet) io.err(`seedpipe: created database ${name} on the embedded Postgres: ${displayUrl(db.url)}\n`);
    await rememberDatabase(dir, name);
    return { url: db.url, embedded: true, display: displayUrl(db.url), database: name };
  }
  const st = await embeddedStatus(dir);
  if (!st.running || !st.url) {
    throw usageError('DB_NOT_RUNNING', `no database given and the embedded database is not running; pass --db URL, set DATABASE_URL, or run "seedpipe db start"`);
  }
  const existing = await listDatabases(st.url);
  const name = opts.database ?? (await lastDatabase(dir));
  if (name === undefined || (name !== 'postgres' && !existing.includes(name))) {
    const has = existing.length ? `it has: ${existing.join(', ')}` : 'it has no dataset database yet';
    throw usageError('DB_NOT_FOUND', name === undefined
      ? `which database of the embedded Postgres? ${has}; pass --database NAME (or the dataset)`
      : `the embedded Postgres has no database ${name} (${has}); run "seedpipe run ${name}" first, or pass --database NAME`);
  }
  const url = withDatabase(st.url, name);
  return { url, embedded: true, display: displayUrl(url), database: name };
}

/** How to connect, for the summary (password shown only as the documented local default). */
export function connectHints(t: DbTarget): Record<string, string> {
  const hints: Record<string, string> = { database: t.display };
  if (t.embedded) {
    const db = t.database && t.database !== 'postgres' ? ` --database ${t.database}` : '';
    hints.psql = `npx seedpipe db psql${db}`;
    hints.url = `npx seedpipe db url${db}   (prints the full URL for your app)`;
  } else {
    hints.psql = `psql "${t.display}"`;
  }
  hints.host = describeTarget(t.url);
  return hints;
}
