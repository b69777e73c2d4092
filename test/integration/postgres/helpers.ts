/** Shared helpers of the Postgres sink's integration tests: fresh databases, run info, counts. */
import pg from 'pg';
import { connectPg, type PgClientLike } from '../../../stages/sinks/postgres/client.js';
import type { RunInfo } from '../../../src/contracts.js';
import type { Plan } from '../../../src/index.js';
import { startTestEmbedded, startTestPg15, type TestPostgres } from '../../support/postgres.js';

/** Both servers the sink must work with: the embedded default (PG18) and the system PG15. */
export const SERVERS: readonly { name: string; start: () => Promise<TestPostgres> }[] = [
  { name: 'embedded PostgreSQL 18', start: startTestEmbedded },
  { name: 'system PostgreSQL 15', start: startTestPg15 },
];

export function runInfo(plan: Plan): RunInfo {
  const r = plan.resolved;
  return {
    dataset: r.def.name,
    seed: r.seed,
    profile: r.profile,
    scale: r.scale,
    refDate: r.def.refDate,
    startedAt: new Date().toISOString(),
    versions: { seedpipe: '0.0.0-test', faker: 'test', node: process.version },
    tables: plan.tables.map((t) => t.info),
  };
}

export function dbUrl(serverUrl: string, db: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Creates an empty database and returns its URL. */
export async function freshDatabase(serverUrl: string, db: string): Promise<string> {
  await withClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${db}"`);
  });
  return dbUrl(serverUrl, db);
}

export async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** count(*) of each table (-1 when the table does not exist). */
export async function counts(url: string, tables: readonly string[]): Promise<Record<string, number>> {
  return withClient(url, async (c) => {
    const out: Record<string, number> = {};
    for (const t of tables) {
      const exists = await c.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [`"${t}"`]);
      out[t] = exists.rows[0]!.ok ? Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM "${t}"`)).rows[0]!.n) : -1;
    }
    return out;
  });
}

export function planned(plan: Plan): Record<string, number> {
  return Object.fromEntries(plan.tables.map((t) => [t.name, t.total]));
}

/** A sink connection that records the text of every statement it sends (that `keep` accepts), in the order pg sends them. */
export function recordingConnect(sent: string[], keep: (text: string) => boolean = () => true): (url: string) => Promise<PgClientLike> {
  return async (url) => {
    const c = (await connectPg(url)) as unknown as PgClientLike & { query: (q: unknown, v?: unknown[]) => unknown };
    const query = c.query.bind(c) as (q: unknown, v?: unknown[]) => unknown;
    c.query = ((q: unknown, v?: unknown[]) => {
      const text = typeof q === 'string' ? q : String((q as { text?: string }).text ?? '');
      if (keep(text)) sent.push(text);
      return query(q, v);
    }) as typeof c.query;
    return c;
  };
}
