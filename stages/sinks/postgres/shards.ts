/**
 * Sharded loads: `prepare` once → N shard processes in parallel → `finalize` once.
 *
 *   prepare   one transaction: create missing tables (DDL), empty the planned tables (confirmed),
 *             record the definitions of their foreign keys and non-unique indexes in
 *             `seedpipe_shard_ddl`, drop them. Nothing else changes.
 *   shard     `ShardLoadSink`: one transaction per shard; COPYs its slice of every table with final
 *             values (foreign keys are absent, so cycle-breaking columns need no second pass).
 *             Atomic per shard: a failed shard leaves nothing and can simply be run again.
 *   finalize  one transaction: re-create the recorded indexes, then the foreign keys (one
 *             set-based validation each: an orphan from a missing shard fails here, naming the
 *             constraint), move sequences past the loaded keys, ANALYZE, forget the records.
 *
 * The whole load is therefore atomic per step, not end to end: between prepare and finalize the
 * tables hold the committed shards without their foreign keys.
 *
 * Each step holds the run lock of the dataset and schema (run-lock.ts) for as long as its session
 * lives: prepare and finalize exclusively, as a run does (a prepare during a run, or two finalizes,
 * fail at once with RUN_IN_PROGRESS naming the holder), shards in shared mode (they load in parallel).
 */
import { SeedpipeError, type TableInfo } from '../../../src/stage-kit.js';
import { connectPg, databaseError, isConstraintViolation, dbFields, type PgClientLike } from './client.js';
import { dropStatements, moveSequences, readSetAside, restoreOrder, restoreStatement, type SetAsideKind } from './constraints.js';
import { qualified, renderDdl } from './ddl.js';
import { takeRunLock } from './run-lock.js';
import { SqlNames } from './names.js';
import { assertLocalOrConfirmed, describeTarget } from './safety.js';

export const SHARD_DDL_TABLE = 'seedpipe_shard_ddl';

export interface ShardStepOptions {
  url: string;
  /** The dataset's name: with the schema, the key of the run lock this step holds. */
  dataset: string;
  tables: readonly TableInfo[];
  /** Schema of the tables. Default `public`. */
  schema?: string;
  confirmProduction?: boolean;
  connect?: (url: string) => Promise<PgClientLike>;
}

export interface PrepareOptions extends ShardStepOptions {
  /** Create tables that do not exist from the dataset's DDL. Default false (they must exist). */
  createTables?: boolean;
  /** Empty tables holding rows without asking. */
  yes?: boolean;
  confirm?: (tables: string[]) => Promise<boolean>;
}

async function withTransaction<T>(o: ShardStepOptions, step: 'prepare' | 'finalize', body: (c: PgClientLike, q: (sql: string, v?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T> {
  assertLocalOrConfirmed(o.url, o.confirmProduction === true);
  const c = o.connect ? await o.connect(o.url) : ((await connectPg(o.url)) as unknown as PgClientLike);
  const q = async (sql: string, v?: unknown[]) => (await c.query(sql, v)).rows;
  try {
    // Session-level, before the transaction: released when the connection closes (finally below).
    await takeRunLock(c, { dataset: o.dataset, schema: o.schema ?? 'public', location: `postgres://${describeTarget(o.url)}`, action: `${step} a sharded load` });
    await q('BEGIN');
    const out = await body(c, q);
    await q('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    if (e instanceof SeedpipeError) throw e;
    if (isConstraintViolation(e)) {
      const f = dbFields(e);
      throw new SeedpipeError('CONSTRAINT_VIOLATION', `${step}: table ${f.table ?? '?'} violates ${f.constraint ?? 'a constraint'}${f.detail ? ` (${f.detail})` : ''}. Nothing was changed; check that every shard ran (seedpipe run --shard k/n) before finalizing.`, { data: { ...f } });
    }
    throw databaseError(e, o.url, step);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Prepares the schema for shards. Returns the number of foreign keys and indexes set aside. */
export async function prepareShardedLoad(o: PrepareOptions): Promise<{ foreignKeys: number; indexes: number; created: string[] }> {
  const schema = o.schema ?? 'public';
  const names = o.tables.map((t) => t.name);
  return withTransaction(o, 'prepare', async (c, q) => {
    const existing = new Set((await q(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r','p')`, [schema])).map((r) => String(r.relname)));
    if (existing.has(SHARD_DDL_TABLE) && (await q(`SELECT 1 FROM ${qualified(SHARD_DDL_TABLE, schema)} LIMIT 1`)).length) {
      throw new SeedpipeError('SHARDS_ALREADY_PREPARED', `a sharded load is already prepared in ${describeTarget(o.url)}: run "seedpipe finalize" first (or drop table ${SHARD_DDL_TABLE} to start over)`, { disposition: 'usage' });
    }
    const sql = new SqlNames(o.tables, schema);
    const present = new Set((await q(`SELECT w.label FROM unnest($1::text[], $2::text[], $3::text[]) AS w(label, nsp, rel) WHERE to_regclass(format('%I.%I', w.nsp, w.rel)) IS NOT NULL`, [names, ...sql.pairs(names)])).map((r) => String(r.label)));
    const missing = o.tables.filter((t) => !present.has(t.name));
    if (missing.length && !o.createTables) {
      throw new SeedpipeError('SCHEMA_MISMATCH', `tables missing in ${describeTarget(o.url)}: ${missing.map((t) => t.name).join(', ')}; pass --create-tables`, { disposition: 'usage' });
    }
    if (missing.length) await q(renderDdl(missing, { schema }));
    const nonEmpty: string[] = [];
    for (const n of names) if (present.has(n) && (await q(`SELECT 1 FROM ${sql.rel(n)} LIMIT 1`)).length) nonEmpty.push(n);
    if (nonEmpty.length && !o.yes && !(o.confirm && (await o.confirm(nonEmpty)))) {
      throw new SeedpipeError('TRUNCATE_NOT_CONFIRMED', `not emptying ${nonEmpty.join(', ')}: they hold rows; pass --yes. Nothing was changed.`, { disposition: 'usage', data: { tables: nonEmpty } });
    }
    // The same set-aside as the sink's fast path (partition-aware), keys kept: shards load in parallel.
    const { items: set } = await readSetAside((text, v) => c.query(text, v), sql.pairs(names), { keys: false });
    await q(`CREATE TABLE IF NOT EXISTS ${qualified(SHARD_DDL_TABLE, schema)} (seq serial PRIMARY KEY, kind text NOT NULL, rel text NOT NULL, name text NOT NULL, def text NOT NULL, tables text[] NOT NULL)`);
    for (const s of set) await q(`INSERT INTO ${qualified(SHARD_DDL_TABLE, schema)} (kind, rel, name, def, tables) VALUES ($1, $2, $3, $4, $5)`, [s.kind, s.table, s.name, s.definition, names]);
    for (const statement of dropStatements(set)) await q(statement);
    if (names.length) await q(`TRUNCATE ${names.map((n) => sql.rel(n)).join(', ')}`);
    return { foreignKeys: set.filter((x) => x.kind === 'fk').length, indexes: set.filter((x) => x.kind === 'index').length, created: missing.map((t) => t.name) };
  });
}

/** Finalizes a sharded load: indexes, foreign keys (validated), sequences, ANALYZE. */
export async function finalizeShardedLoad(o: ShardStepOptions): Promise<{ foreignKeys: number; indexes: number }> {
  const schema = o.schema ?? 'public';
  return withTransaction(o, 'finalize', async (c, q) => {
    const exists = (await q(`SELECT to_regclass($1) IS NOT NULL AS ok`, [qualified(SHARD_DDL_TABLE, schema)]))[0]!.ok;
    if (!exists) throw new SeedpipeError('SHARDS_NOT_PREPARED', `nothing to finalize in ${describeTarget(o.url)}: run "seedpipe prepare" and the shards first`, { disposition: 'usage' });
    const recorded = await q(`SELECT kind, rel, name, def FROM ${qualified(SHARD_DDL_TABLE, schema)} ORDER BY seq`);
    const set = restoreOrder(recorded.map((r) => ({ kind: String(r.kind) as SetAsideKind, table: String(r.rel), name: String(r.name), definition: String(r.def) })));
    await q(`SET LOCAL maintenance_work_mem = '256MB'`);
    for (const s of set) await q(restoreStatement(s));
    await moveSequences((sql, v) => c.query(sql, v), o.tables, schema);
    const sql = new SqlNames(o.tables, schema);
    for (const t of o.tables) await q(`ANALYZE ${sql.rel(t.name)}`);
    await q(`DROP TABLE ${qualified(SHARD_DDL_TABLE, schema)}`);
    return { foreignKeys: set.filter((r) => r.kind === 'fk').length, indexes: set.filter((r) => r.kind === 'index').length };
  });
}

