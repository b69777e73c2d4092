/**
 * The client the Postgres source needs: run a query, run a `pg-copy-streams` `to()` stream, end,
 * report connection errors. `pg.Client` fits; tests can pass a fake.
 *
 * The URL is read exactly as the Postgres sink reads it (the kit's `canonicalDatabaseUrl`: every
 * setting explicit, no `PG*` fallback behind the caller's back) and every message names it with
 * `describeTarget` and passes through `redactFor`: the password never reaches output or errors.
 */
import type { Readable } from 'node:stream';
import pg from 'pg';
import { SeedpipeError, canonicalDatabaseUrl, describeTarget, redactFor, type PgCatalogClient } from '../../../src/stage-kit.js';

/** What `pg-copy-streams`' `to()` returns: a Readable that pg runs as a query. */
export interface CopyOutStream extends Readable {
  submit(connection: never): void;
}

export interface PgReadClient extends PgCatalogClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  query<T extends CopyOutStream>(stream: T): T;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** `host:port/database` of a URL, for messages (never user or password): the sink's `describeTarget`. */
export function describeSource(url: string): string {
  try {
    return describeTarget(url);
  } catch {
    return '(the given database)';
  }
}

/** The message of an error, scrubbed of the URL's password (however it was encoded). */
export function sourceMessage(url: string, e: unknown): string {
  return redactFor(url, e instanceof Error ? e.message : String(e));
}

/** A plain `pg.Client` on the canonical URL; failures to connect are `DB_UNREACHABLE` without the password. */
export async function connectReader(url: string): Promise<PgReadClient> {
  const client = new pg.Client({ connectionString: canonicalDatabaseUrl(url), application_name: 'seedpipe source', connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw new SeedpipeError('DB_UNREACHABLE', `Cannot connect to Postgres at ${describeSource(url)}: ${sourceMessage(url, e)}. Check that the server runs and that the URL is right.`, { disposition: 'retriable', data: { target: describeSource(url) }, cause: e });
  }
  return client as unknown as PgReadClient;
}
