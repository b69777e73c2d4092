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
 */
import { from as copyFrom } from 'pg-copy-streams';
import { once } from 'node:events';
import type { RowBatch, RunInfo, Sink, SinkSummary, TableInfo, TableResult, TableWriter } from '../../../src/contracts.js';
import { formatterFor } from '../../../src/encode/csv.js';
import { SeedpipeError } from '../../../src/errors.js';
import { connectPg, databaseError, isConstraintViolation, dbFields, type CopyInStream, type PgClientLike } from './client.js';
import { qualified, quoteIdent, renderDdl } from './ddl.js';
import { assertLocalOrConfirmed, describeTarget } from './safety.js';

export const SHARD_DDL_TABLE = 'seedpipe_shard_ddl';

export interface ShardStepOptions {
  url: string;
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

async function withTransaction<T>(o: ShardStepOptions, step: string, body: (c: PgClientLike, q: (sql: string, v?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T> {
  assertLocalOrConfirmed(o.url, o.confirmProduction === true);
  const c = o.connect ? await o.connect(o.url) : ((await connectPg(o.url)) as unknown as PgClientLike);
  const q = async (sql: string, v?: unknown[]) => (await c.query(sql, v)).rows;
  try {
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
  return withTransaction(o, 'prepare', async (_c, q) => {
    const existing = new Set((await q(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r','p')`, [schema])).map((r) => String(r.relname)));
    if (existing.has(SHARD_DDL_TABLE) && (await q(`SELECT 1 FROM ${qualified(SHARD_DDL_TABLE, schema)} LIMIT 1`)).length) {
      throw new SeedpipeError('SHARDS_ALREADY_PREPARED', `a sharded load is already prepared in ${describeTarget(o.url)}: run "seedpipe finalize" first (or drop table ${SHARD_DDL_TABLE} to start over)`, { disposition: 'usage' });
    }
    const missing = o.tables.filter((t) => !existing.has(t.name));
    if (missing.length && !o.createTables) {
      throw new SeedpipeError('SCHEMA_MISMATCH', `tables missing in ${describeTarget(o.url)}: ${missing.map((t) => t.name).join(', ')}; pass --create-tables`, { disposition: 'usage' });
    }
    if (missing.length) await q(renderDdl(missing, { schema }));
    const nonEmpty: string[] = [];
    for (const n of names) if (existing.has(n) && (await q(`SELECT 1 FROM ${qualified(n, schema)} LIMIT 1`)).length) nonEmpty.push(n);
    if (nonEmpty.length && !o.yes && !(o.confirm && (await o.confirm(nonEmpty)))) {
      throw new SeedpipeError('TRUNCATE_NOT_CONFIRMED', `not emptying ${nonEmpty.join(', ')}: they hold rows; pass --yes. Nothing was changed.`, { disposition: 'usage', data: { tables: nonEmpty } });
    }
    const fks = await q(
      `SELECT con.conrelid::regclass::text AS rel, con.conname AS name, pg_get_constraintdef(con.oid) AS def
         FROM pg_constraint con
        WHERE con.contype = 'f' AND (con.conrelid = ANY($1::regclass[]) OR con.confrelid = ANY($1::regclass[]))`,
      [names.map((n) => qualified(n, schema))],
    );
    const ixs = await q(
      `SELECT i.indexrelid::regclass::text AS name, i.indrelid::regclass::text AS rel, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i
        WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
      [names.map((n) => qualified(n, schema))],
    );
    await q(`CREATE TABLE IF NOT EXISTS ${qualified(SHARD_DDL_TABLE, schema)} (seq serial PRIMARY KEY, kind text NOT NULL, rel text NOT NULL, name text NOT NULL, def text NOT NULL, tables text[] NOT NULL)`);
    for (const f of fks) {
      await q(`INSERT INTO ${qualified(SHARD_DDL_TABLE, schema)} (kind, rel, name, def, tables) VALUES ('fk', $1, $2, $3, $4)`, [f.rel, f.name, f.def, names]);
      await q(`ALTER TABLE ${String(f.rel)} DROP CONSTRAINT ${quoteIdent(String(f.name))}`);
    }
    for (const i of ixs) {
      await q(`INSERT INTO ${qualified(SHARD_DDL_TABLE, schema)} (kind, rel, name, def, tables) VALUES ('index', $1, $2, $3, $4)`, [i.rel, i.name, i.def, names]);
      await q(`DROP INDEX ${String(i.name)}`);
    }
    if (names.length) await q(`TRUNCATE ${names.map((n) => qualified(n, schema)).join(', ')}`);
    return { foreignKeys: fks.length, indexes: ixs.length, created: missing.map((t) => t.name) };
  });
}

/** Finalizes a sharded load: indexes, foreign keys (validated), sequences, ANALYZE. */
export async function finalizeShardedLoad(o: ShardStepOptions): Promise<{ foreignKeys: number; indexes: number }> {
  const schema = o.schema ?? 'public';
  return withTransaction(o, 'finalize', async (_c, q) => {
    const exists = (await q(`SELECT to_regclass($1) IS NOT NULL AS ok`, [qualified(SHARD_DDL_TABLE, schema)]))[0]!.ok;
    if (!exists) throw new SeedpipeError('SHARDS_NOT_PREPARED', `nothing to finalize in ${describeTarget(o.url)}: run "seedpipe prepare" and the shards first`, { disposition: 'usage' });
    const rows = await q(`SELECT kind, rel, name, def FROM ${qualified(SHARD_DDL_TABLE, schema)} ORDER BY (kind = 'fk'), seq`);
    await q(`SET LOCAL maintenance_work_mem = '256MB'`);
    for (const r of rows) {
      if (r.kind === 'index') await q(String(r.def));
      else await q(`ALTER TABLE ${String(r.rel)} ADD CONSTRAINT ${quoteIdent(String(r.name))} ${String(r.def)}`);
    }
    for (const t of o.tables) {
      const seqs = await q(`SELECT c AS col, pg_get_serial_sequence($1, c) AS seq FROM unnest($2::text[]) AS c`, [qualified(t.name, schema), t.columns.map((c) => c.name)]);
      for (const s of seqs) {
        if (s.seq) await q(`SELECT setval($1::regclass, m) FROM (SELECT max(${quoteIdent(String(s.col))}) AS m FROM ${qualified(t.name, schema)}) x WHERE m IS NOT NULL`, [s.seq]);
      }
      await q(`ANALYZE ${qualified(t.name, schema)}`);
    }
    await q(`DROP TABLE ${qualified(SHARD_DDL_TABLE, schema)}`);
    return { foreignKeys: rows.filter((r) => r.kind === 'fk').length, indexes: rows.filter((r) => r.kind === 'index').length };
  });
}

/**
 * One shard's load into a prepared schema: its own transaction, COPY of final values (foreign keys
 * were set aside by `prepare`, so cycle-breaking columns load directly).
 */
export class ShardLoadSink implements Sink {
  readonly name = 'postgres';
  private client: PgClientLike | undefined;
  private done = false;
  private readonly schema: string;

  constructor(private readonly opts: { url: string; schema?: string; confirmProduction?: boolean; connect?: (url: string) => Promise<PgClientLike> }) {
    this.schema = opts.schema ?? 'public';
  }

  needsRows(info: TableInfo): boolean {
    return info.columns.some((c) => c.deferred);
  }

  async open(_run: RunInfo): Promise<void> {
    assertLocalOrConfirmed(this.opts.url, this.opts.confirmProduction === true);
    this.client = this.opts.connect ? await this.opts.connect(this.opts.url) : ((await connectPg(this.opts.url)) as unknown as PgClientLike);
    const ok = (await this.client.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [qualified(SHARD_DDL_TABLE, this.schema)])).rows[0]!.ok;
    if (!ok) throw new SeedpipeError('SHARDS_NOT_PREPARED', `${describeTarget(this.opts.url)} is not prepared for a sharded load: run "seedpipe prepare <dataset>" once before the shards`, { disposition: 'usage' });
    await this.client.query('BEGIN');
  }

  async table(info: TableInfo): Promise<TableWriter> {
    const cols = info.columns.map((c) => quoteIdent(c.name)).join(', ');
    const stream = this.client!.query(copyFrom(`COPY ${qualified(info.name, this.schema)} (${cols}) FROM STDIN WITH (FORMAT csv)`) as CopyInStream);
    const failed = once(stream, 'error').then(([e]) => Promise.reject(e as Error));
    failed.catch(() => undefined);
    const fmts = this.needsRows(info) ? info.columns.map((c) => formatterFor(info.name, c)) : null;
    let rows = 0;
    let bytes = 0;
    return {
      write: async (b: RowBatch) => {
        let buf = b.dbCsv;
        if (fmts) buf = Buffer.from(b.rows.map((r, j) => r.map((v, x) => fmts[x]!(v, b.start + j)).join(',') + '\n').join(''));
        rows += b.count;
        bytes += buf.length;
        if (!stream.write(buf)) await Promise.race([once(stream, 'drain'), failed]);
      },
      close: async (): Promise<TableResult> => {
        stream.end();
        await Promise.race([once(stream, 'finish'), failed]);
        return { table: info.name, rows, bytes };
      },
    };
  }

  async commit(results: readonly TableResult[]): Promise<SinkSummary> {
    await this.client!.query('COMMIT');
    this.done = true;
    await this.client!.end();
    return { sink: 'postgres', location: describeTarget(this.opts.url), tables: results, extra: { mode: 'shard' } };
  }

  async abort(): Promise<void> {
    if (this.done || !this.client) return;
    this.done = true;
    await this.client.query('ROLLBACK').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}
