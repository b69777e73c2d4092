/**
 * One run at a time per dataset and schema of a database: the sink takes a session-level advisory
 * lock (`pg_try_advisory_lock`) keyed by dataset and schema right after connecting, and the lock goes
 * with the session (closed at commit and abort). A second run fails at once with `RUN_IN_PROGRESS`,
 * naming the holder: its `application_name` (which carries the holder's pid and host), client
 * address, backend pid and start.
 *
 * A sharded load takes the same lock: `prepare` and `finalize` exclusively (like a run), each shard
 * in shared mode (`pg_try_advisory_lock_shared`), so shards load side by side while a run, a prepare
 * or a finalize is refused until the last shard has ended — and a shard is refused while one of those
 * holds the lock.
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
  SELECT a.pid, a.application_name AS app, host(a.client_addr) AS addr, a.backend_start AS since, l.mode = 'ShareLock' AS shared
    FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
   WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND l.classid = ((${KEY} >> 32) & 4294967295)::oid AND l.objid = (${KEY} & 4294967295)::oid
   ORDER BY a.backend_start`;

export interface RunLockOptions {
  dataset: string;
  schema: string;
  location: string;
  /** Shared mode: a shard of a sharded load (shards do not exclude each other). Default exclusive. */
  shared?: boolean;
  /** What this process was about to do, when not a run: `prepare a sharded load`, `finalize …`, `load shard 2/4`. */
  action?: string;
}

/**
 * Takes the run lock of `dataset` and `schema` on `client`'s session, after adding `holderTag()` to
 * the session's `application_name`. Throws `RUN_IN_PROGRESS` when another session holds it (in a
 * mode that conflicts: shared holders only exclude an exclusive taker).
 */
export async function takeRunLock(client: SqlClient, opts: RunLockOptions): Promise<void> {
  const name = runLockName(opts.dataset, opts.schema);
  await client.query(`SELECT set_config('application_name', current_setting('application_name') || $1, false)`, [holderTag()]);
  const got = await client.query(`SELECT ${opts.shared ? 'pg_try_advisory_lock_shared' : 'pg_try_advisory_lock'}(${KEY}) AS ok`, [name]);
  if (got.rows[0]?.ok === true) return;
  const holders = ((await client.query(HOLDERS, [name])).rows as { pid: number; app: string | null; addr: string | null; since: Date | string | null; shared?: boolean }[])
    // A shared taker is refused only by an exclusive holder: name that one.
    .filter((x) => !opts.shared || x.shared !== true);
  const h = holders[0];
  const who = h
    ? `${h.app ? `"${h.app}"` : 'another session'} (backend pid ${h.pid}${h.addr ? `, client ${h.addr}` : ''}${h.since ? `, connected since ${new Date(h.since).toISOString()}` : ''})`
    : 'another session';
  const more = holders.length > 1 ? ` and ${holders.length - 1} more session(s)${h?.shared ? ' (shards of a sharded load)' : ''}` : '';
  const what = h?.shared ? 'the shards of a sharded load are loading' : 'another run is loading';
  const stop = h ? `, or end it in the database with SELECT pg_terminate_backend(${h.pid}) (its load rolls back)` : '';
  throw new SeedpipeError('RUN_IN_PROGRESS',
    `${opts.action ? `cannot ${opts.action}: ` : ''}${what} dataset ${opts.dataset} into schema ${opts.schema} of ${opts.location}: ${who}${more}. Nothing was changed. Wait for ${holders.length > 1 ? 'them' : 'it'} to finish and run again${stop}.`,
    { disposition: 'retriable', data: { dataset: opts.dataset, schema: opts.schema, holders: holders.length, ...(h ? { pid: h.pid, applicationName: h.app, clientAddr: h.addr } : {}) } });
}
