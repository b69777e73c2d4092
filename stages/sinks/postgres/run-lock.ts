/**
 * One run at a time per dataset and schema of a database: the sink takes a session-level advisory
 * lock (`pg_try_advisory_lock`) keyed by dataset and schema right after connecting, and the lock goes
 * with the session (closed at commit and abort). A second run fails at once with `RUN_IN_PROGRESS`,
 * naming the holder: its `application_name` (which carries the holder's pid and host), client
 * address, backend pid and start.
 */
import { hostname } from 'node:os';
import { SeedpipeError } from '../../../src/stage-kit.js';
import type { SqlClient } from './client.js';

/** The text hashed into the lock key (`hashtextextended`, 64 bits). */
export function runLockName(dataset: string, schema: string): string {
  return `seedpipe run ${dataset} ${schema}`;
}

/** What the session's `application_name` gets appended: who runs the load (Postgres keeps its first 63 bytes). */
export function holderTag(pid = process.pid, host = hostname()): string {
  return ` pid=${pid}@${host}`;
}

const KEY = `hashtextextended($1, 0)`;

/** The sessions holding the lock of `name` in this database. */
const HOLDERS = `
  SELECT a.pid, a.application_name AS app, host(a.client_addr) AS addr, a.backend_start AS since
    FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
   WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND l.classid = ((${KEY} >> 32) & 4294967295)::oid AND l.objid = (${KEY} & 4294967295)::oid`;

/**
 * Takes the run lock of `dataset` and `schema` on `client`'s session, after adding `holderTag()` to
 * the session's `application_name`. Throws `RUN_IN_PROGRESS` when another session holds it.
 */
export async function takeRunLock(client: SqlClient, opts: { dataset: string; schema: string; location: string }): Promise<void> {
  const name = runLockName(opts.dataset, opts.schema);
  await client.query(`SELECT set_config('application_name', current_setting('application_name') || $1, false)`, [holderTag()]);
  const got = await client.query(`SELECT pg_try_advisory_lock(${KEY}) AS ok`, [name]);
  if (got.rows[0]?.ok === true) return;
  const holders = (await client.query(HOLDERS, [name])).rows as { pid: number; app: string | null; addr: string | null; since: Date | string | null }[];
  const h = holders[0];
  const who = h
    ? `${h.app ? `"${h.app}"` : 'another session'} (backend pid ${h.pid}${h.addr ? `, client ${h.addr}` : ''}${h.since ? `, connected since ${new Date(h.since).toISOString()}` : ''})`
    : 'another session';
  const stop = h ? `, or end it in the database with SELECT pg_terminate_backend(${h.pid}) (its load rolls back)` : '';
  throw new SeedpipeError('RUN_IN_PROGRESS',
    `another run is loading dataset ${opts.dataset} into schema ${opts.schema} of ${opts.location}: ${who}. Nothing was changed. Wait for it to finish and run again${stop}.`,
    { disposition: 'retriable', data: { dataset: opts.dataset, schema: opts.schema, ...(h ? { pid: h.pid, applicationName: h.app, clientAddr: h.addr } : {}) } });
}
