/**
 * The client the Postgres source needs: run a query, run a `pg-copy-streams` `to()` stream, end,
 * report connection errors. `pg.Client` fits; tests can pass a fake.
 */
import type { Readable } from 'node:stream';
import pg from 'pg';
import { SeedpipeError, redact, type PgCatalogClient } from '../../../src/stage-kit.js';

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

/** `host:port/database` of a URL, for messages (never user or password). */
export function describeSource(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return '(the given database)';
  }
}

/** A plain `pg.Client`; failures to connect are `DB_UNREACHABLE` without the password. */
export async function connectReader(url: string): Promise<PgReadClient> {
  const client = new pg.Client({ connectionString: url, application_name: 'seedpipe source', connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw new SeedpipeError('DB_UNREACHABLE', `Cannot connect to Postgres at ${describeSource(url)}: ${redact((e as Error).message)}. Check that the server runs and that the URL is right.`, { disposition: 'retriable', cause: e });
  }
  return client as unknown as PgReadClient;
}
