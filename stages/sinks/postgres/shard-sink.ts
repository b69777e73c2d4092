/**
 * One shard's load into a schema made by `prepareShardedLoad`: its own transaction, COPY of the
 * `copy-csv-final` encoding (foreign keys were set aside by prepare, so cycle-breaking columns load
 * their final values directly and no row values are needed). Atomic per shard: abort rolls back.
 * Memory: per table, the COPY stream's buffer (1 MiB) plus one batch.
 * Holds the dataset's run lock in shared mode while it loads (run-lock.ts): other shards go on.
 */
import { SeedpipeError, SinkLifecycle, type RunInfo, type Sink, type SinkInput, type SinkSummary, type TableInfo, type TableResult, type TableStream, type TableWriter } from '../../../src/stage-kit.js';
import { connectPg, connectionLostError, databaseError, isConnectionLost, type PgClientLike } from './client.js';
import { CopyWriter, withTimeout } from './copy.js';
import { qualified } from './ddl.js';
import { SqlNames } from './names.js';
import { assertLocalOrConfirmed, describeTarget } from './safety.js';
import { SHARD_DDL_TABLE } from './shards.js';
import { takeRunLock } from './run-lock.js';

export interface ShardLoadOptions {
  url: string;
  /** Schema of the tables. Default `public`. */
  schema?: string;
  confirmProduction?: boolean;
  connect?: (url: string) => Promise<PgClientLike>;
}

export class ShardLoadSink implements Sink {
  readonly name = 'postgres';
  private client: PgClientLike | undefined;
  private copy: CopyWriter | undefined;
  private connectionError: unknown;
  private readonly schema: string;
  private readonly life = new SinkLifecycle({ sink: 'postgres', stateCode: 'POSTGRES_NOT_OPEN', undo: (reason) => this.rollback(reason) });

  constructor(private readonly opts: ShardLoadOptions) {
    this.schema = opts.schema ?? 'public';
  }

  input(_info: TableInfo): SinkInput {
    return { format: 'copy-csv-final' };
  }

  private names = new SqlNames([]);

  open(run: RunInfo): Promise<void> {
    return this.life.open(async () => {
      this.names = new SqlNames(run.tables, this.schema);
      assertLocalOrConfirmed(this.opts.url, this.opts.confirmProduction === true);
      this.client = this.opts.connect ? await this.opts.connect(this.opts.url) : ((await connectPg(this.opts.url)) as unknown as PgClientLike);
      this.client.on('error', (e) => (this.connectionError ??= e));
      // Shared: shards load side by side; a run, prepare or finalize of the dataset holds it exclusively.
      const shard = run.shard ? `load shard ${run.shard.index}/${run.shard.count}` : 'load a shard';
      await takeRunLock(this.client, { dataset: run.dataset, schema: this.schema, location: `postgres://${describeTarget(this.opts.url)}`, shared: true, action: shard });
      const ok = (await this.q(`SELECT to_regclass($1) IS NOT NULL AS ok`, [qualified(SHARD_DDL_TABLE, this.schema)])).rows[0]!.ok;
      if (!ok) throw new SeedpipeError('SHARDS_NOT_PREPARED', `${describeTarget(this.opts.url)} is not prepared for a sharded load: run "seedpipe prepare <dataset>" once before the shards`, { disposition: 'usage' });
      await this.q('BEGIN');
    });
  }

  async table(info: TableInfo, stream: TableStream): Promise<TableWriter> {
    this.life.assertOpen(`loading table ${info.name}`);
    const context = `loading table ${info.name} (shard) into postgres://${describeTarget(this.opts.url)}`;
    const copy = new CopyWriter(this.client!, `COPY ${this.names.rel(info.name)} (${this.names.cols(info.name)}) FROM STDIN WITH (FORMAT csv)`, stream);
    this.copy = copy;
    const fail = (e: unknown): SeedpipeError => this.error(e, context);
    return {
      write: (b) => copy.write(b).catch((e) => { throw fail(e); }),
      close: async (): Promise<TableResult> => {
        await copy.end().catch((e) => { throw fail(e); });
        this.copy = undefined;
        return { table: info.name, rows: copy.rows, bytes: copy.bytes };
      },
    };
  }

  commit(results: readonly TableResult[]): Promise<SinkSummary> {
    return this.life.commit(async () => {
      await this.q('COMMIT').catch((e) => { throw this.error(e, 'committing the shard'); });
      await this.client!.end().catch(() => undefined);
      return { sink: 'postgres', location: describeTarget(this.opts.url), tables: results, extra: { mode: 'shard' } };
    });
  }

  abort(reason: unknown): Promise<void> {
    return this.life.abort(reason);
  }

  private q(sql: string, values?: unknown[]) {
    return this.client!.query(sql, values);
  }

  private error(e: unknown, context: string): SeedpipeError {
    const cause = this.connectionError ?? e;
    return isConnectionLost(cause) ? connectionLostError(cause, this.opts.url, context) : databaseError(cause, this.opts.url, context);
  }

  private async rollback(reason: unknown): Promise<void> {
    const client = this.client;
    if (!client) return;
    const dead = this.connectionError !== undefined || isConnectionLost(reason);
    if (this.copy && !dead) await this.copy.abort();
    this.copy = undefined;
    if (!dead) await withTimeout(client.query('ROLLBACK'), 10_000).catch(() => undefined);
    await withTimeout(client.end(), 5_000).catch(() => undefined);
  }
}
