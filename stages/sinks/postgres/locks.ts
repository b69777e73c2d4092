/**
 * Locks a load holds until its one transaction ends, against the server's shared lock table.
 *
 * Postgres keeps every lock of a transaction until COMMIT, in one table shared by all sessions, of
 * about max_locks_per_transaction × (max_connections + autovacuum_max_workers + max_worker_processes
 * + max_wal_senders + 1 + max_prepared_transactions) entries (a little more fits in spare shared
 * memory). Emptying a table locks it, its indexes and its TOAST table; dropping a foreign key locks
 * the constraint and its four triggers; dropping a key locks the constraint and its index; re-creating
 * an index locks the new one. On a default server (64 × 122 = 7,808 entries), a 1,000-table schema with
 * 3,000 foreign keys needs about 9,000 locks to be emptied and about 20,000 more to set its foreign keys
 * aside — "out of shared memory".
 *
 * So the sink estimates, before it changes anything, what each way of loading needs and takes the
 * fastest that fits: every constraint set aside (`full`), keys kept (`indexes`), or only the foreign
 * keys of tables outside the run set aside (`outside`: every row checked as it arrives). When even
 * that does not fit, it says which setting to raise, to what.
 */
import { SeedpipeError } from '../../../src/stage-kit.js';
import { oidsOf } from './names.js';

/** What is set aside for the load: everything, everything but keys, or only outside foreign keys. */
export type SetAsideLevel = 'full' | 'indexes' | 'outside';

export const LEVELS: readonly SetAsideLevel[] = ['full', 'indexes', 'outside'];

type Query = (sql: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** Catalog counts of the planned tables (partitions included). */
export interface LockObjects {
  /** Tables, partitions, their indexes, TOAST tables and TOAST indexes. */
  relations: number;
  /** Foreign keys to or from them (partition clones included). */
  foreignKeys: number;
  /** Foreign keys from tables outside the run. */
  outsideForeignKeys: number;
  /** Primary and unique keys. */
  keys: number;
  /** Other indexes. */
  indexes: number;
  /** Sequences of their columns. */
  sequences: number;
}

export interface LockCapacity {
  perTransaction: number;
  /** Backend slots the lock table is sized for. */
  slots: number;
  /** Locks other sessions hold now. */
  inUse: number;
}

export async function countLockObjects(q: Query, planned: readonly [readonly string[], readonly string[]]): Promise<LockObjects> {
  const r = await q(
    `WITH RECURSIVE t(oid) AS (
       ${oidsOf('$1', '$2')}
       UNION SELECT i.inhrelid FROM pg_inherits i JOIN t ON i.inhparent = t.oid
     ), rels AS (
       SELECT oid FROM t
       UNION SELECT i.indexrelid FROM pg_index i JOIN t ON i.indrelid = t.oid
       UNION SELECT c.reltoastrelid FROM pg_class c JOIN t ON c.oid = t.oid WHERE c.reltoastrelid <> 0
       UNION SELECT i.indexrelid FROM pg_class c JOIN t ON c.oid = t.oid JOIN pg_index i ON i.indrelid = c.reltoastrelid WHERE c.reltoastrelid <> 0
     )
     SELECT (SELECT count(*) FROM rels)::int AS relations,
            (SELECT count(*) FROM pg_constraint con WHERE con.contype = 'f' AND (con.conrelid IN (SELECT oid FROM t) OR con.confrelid IN (SELECT oid FROM t)))::int AS "foreignKeys",
            (SELECT count(*) FROM pg_constraint con WHERE con.contype = 'f' AND con.conrelid NOT IN (SELECT oid FROM t) AND con.confrelid IN (SELECT oid FROM t))::int AS "outsideForeignKeys",
            (SELECT count(*) FROM pg_constraint con WHERE con.contype IN ('p', 'u') AND con.conrelid IN (SELECT oid FROM t))::int AS keys,
            (SELECT count(*) FROM pg_index i WHERE i.indrelid IN (SELECT oid FROM t) AND NOT i.indisprimary AND NOT i.indisunique)::int AS indexes,
            (SELECT count(DISTINCT d.objid) FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' WHERE d.refobjid IN (SELECT oid FROM t))::int AS sequences`,
    [planned[0], planned[1]],
  );
  const row = r.rows[0] ?? {};
  const n = (k: string): number => Number(row[k] ?? 0);
  return { relations: n('relations'), foreignKeys: n('foreignKeys'), outsideForeignKeys: n('outsideForeignKeys'), keys: n('keys'), indexes: n('indexes'), sequences: n('sequences') };
}

export async function lockCapacity(q: Query): Promise<LockCapacity> {
  const r = await q(
    `SELECT current_setting('max_locks_per_transaction')::int AS per,
            current_setting('max_connections')::int + current_setting('autovacuum_max_workers')::int + current_setting('max_worker_processes')::int
              + current_setting('max_wal_senders')::int + 1 + current_setting('max_prepared_transactions')::int AS slots,
            (SELECT count(*) FROM pg_locks WHERE pid IS DISTINCT FROM pg_backend_pid() AND NOT fastpath)::int AS "inUse"`,
  );
  const row = r.rows[0] ?? {};
  return { perTransaction: Number(row.per ?? 64), slots: Number(row.slots ?? 122), inUse: Number(row.inUse ?? 0) };
}

/**
 * Locks a load of these objects holds at its peak (at commit, when everything set aside is back),
 * with `created` new tables and, in `replace` mode, the tables emptied (which locks them again under
 * new storage).
 */
export function locksFor(o: LockObjects, level: SetAsideLevel, opts: { replace: boolean; created: number; tables: number; missing?: boolean }): number {
  const fks = level === 'outside' ? o.outsideForeignKeys : o.foreignKeys;
  const keys = level === 'full' && opts.replace ? o.keys : 0;
  const indexes = level === 'outside' ? 0 : o.indexes;
  // Measured on PostgreSQL 15 (pg_locks of the loading session): emptying locks every relation and
  // about 0.3 more each; a foreign key set aside and re-created about 6.5 (the constraint, its
  // triggers, then new ones); a key 3 (constraint, index, new index); an index 3.4; a sequence 1.
  // The MusicBrainz schema (1,763 relations, 770 foreign keys, 369 keys, 315 indexes) peaks at 9,228
  // before its 236 sequences; this gives 9,761.
  return Math.ceil(o.relations * (opts.replace ? 1.3 : 1) + opts.created * 6 + fks * 6.5 + keys * 3 + indexes * 3.4 + o.sequences + (opts.missing ? opts.tables * 2 : 0) + 50);
}

/**
 * The fastest level at or below `wanted` whose locks fit, or — when none does — the lowest level with
 * `fits: false` and the max_locks_per_transaction it needs.
 */
export function chooseLevel(o: LockObjects, cap: LockCapacity, wanted: SetAsideLevel, opts: { replace: boolean; created: number; tables: number; missing?: boolean }): { level: SetAsideLevel; needed: number; capacity: number; fits: boolean; raiseTo: number } {
  const capacity = Math.floor(cap.perTransaction * cap.slots * SPARE) - cap.inUse;
  const from = LEVELS.indexOf(wanted);
  for (const level of LEVELS.slice(from)) {
    const needed = locksFor(o, level, opts);
    if (needed <= capacity) return { level, needed, capacity, fits: true, raiseTo: cap.perTransaction };
  }
  const level = LEVELS[LEVELS.length - 1]!;
  const needed = locksFor(o, level, opts);
  return { level, needed, capacity, fits: false, raiseTo: raiseFor(needed + cap.inUse, cap.slots) };
}

/**
 * The lock table holds more than its nominal size: its hash grows into spare shared memory (a
 * default PostgreSQL 15, nominally 7,808 entries, held 12,283 before "out of shared memory"). The
 * estimate may use a third more; a fuller table still fails safely (inside a savepoint while
 * constraints are set aside, then the next level is tried).
 */
const SPARE = 1.35;

/** max_locks_per_transaction that holds `needed` locks (at its nominal size), rounded up to a multiple of 64. */
export function raiseFor(needed: number, slots: number): number {
  return Math.ceil(needed / slots / 64) * 64;
}

export const OUT_OF_LOCKS = '53200';

/** The error when a load cannot hold its locks: which setting to raise, to what, and how. */
export function locksError(target: string, needed: number, cap: LockCapacity, raiseTo: number, tables: number): SeedpipeError {
  return new SeedpipeError('POSTGRES_TOO_FEW_LOCKS',
    `Loading ${tables} table(s) into ${target} in one transaction holds about ${needed.toLocaleString('en-US')} locks, but the server's lock table has room for about ` +
    `${(cap.perTransaction * cap.slots).toLocaleString('en-US')} (max_locks_per_transaction ${cap.perTransaction} × ${cap.slots} backend slots${cap.inUse ? `, ${cap.inUse} in use by other sessions` : ''}). ` +
    `Nothing was changed. Raise max_locks_per_transaction to at least ${raiseTo} (ALTER SYSTEM SET max_locks_per_transaction = ${raiseTo}; then restart the server), ` +
    `or load fewer tables per run with --only.`,
    { disposition: 'usage', data: { needed, perTransaction: cap.perTransaction, slots: cap.slots, raiseTo } });
}
