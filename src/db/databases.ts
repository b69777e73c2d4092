/**
 * One database per dataset on the embedded server: `seedpipe run chat` loads into database `chat`,
 * `run erp` into `erp`, so datasets that share table names (`users`, `batches`) never meet. A
 * database is created on first use; the server's own `postgres` database stays empty.
 *
 * The name of the last database a run used is kept in `<dir>/last-database`, so `seedpipe db url`
 * and `db psql` right after a run open what it loaded without naming it again.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { SeedpipeError, usageError } from '../errors.js';

/** The server's maintenance database: never a dataset's. */
export const MAINTENANCE_DATABASE = 'postgres';

/** Postgres identifiers are at most 63 bytes; dataset names are lower_snake_case already. */
const DATABASE_NAME = /^[a-z_][a-z0-9_-]{0,62}$/;

export function assertDatabaseName(name: string, what: string): void {
  if (!DATABASE_NAME.test(name)) {
    throw usageError('DATABASE_NAME_INVALID', `${what} "${name}" cannot name a database: use lower-case letters, digits, _ or - (at most 63, starting with a letter or _)`);
  }
}

/** `url` with its database replaced by `name`. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** Creates database `name` on the server of `url` (a connection to its maintenance database) unless it exists. */
export async function ensureDatabase(url: string, name: string): Promise<{ url: string; created: boolean }> {
  assertDatabaseName(name, 'database');
  const client = new pg.Client({ connectionString: withDatabase(url, MAINTENANCE_DATABASE), application_name: 'seedpipe' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    let created = false;
    if (found.rowCount === 0) {
      try {
        // The builtin C.UTF-8 locale of the cluster (see embedded.ts) comes with template1.
        await client.query(`CREATE DATABASE "${name}"`);
        created = true;
      } catch (e) {
        // Another run created it at the same moment: that is what was wanted.
        if ((e as { code?: string }).code !== '42P04') throw e;
      }
    }
    return { url: withDatabase(url, name), created };
  } catch (e) {
    throw new SeedpipeError('EMBEDDED_DATABASE_FAILED', `could not create database ${name} on the embedded Postgres: ${(e as Error).message}`, { cause: e });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The databases of the server of `url`, without templates and the maintenance database. */
export async function listDatabases(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: withDatabase(url, MAINTENANCE_DATABASE), application_name: 'seedpipe' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const r = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> $1 ORDER BY datname', [MAINTENANCE_DATABASE]);
    return r.rows.map((x) => x.datname);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function rememberDatabase(dir: string, name: string): Promise<void> {
  await writeFile(path.join(dir, 'last-database'), name + '\n').catch(() => undefined);
}

export async function lastDatabase(dir: string): Promise<string | undefined> {
  try {
    const name = (await readFile(path.join(dir, 'last-database'), 'utf8')).trim();
    return DATABASE_NAME.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}
