/**
 * Postgres sink: the whole run is one transaction (BEGIN in `open`, COMMIT in `commit`, ROLLBACK in
 * `abort`), each table streamed with `COPY … FROM STDIN (FORMAT binary)` of the `copy-binary` encoding
 * where the table's column types allow it, else `(FORMAT csv)` of the `copy-csv` encoding
 * (every column, cycle-breaking ones NULL) through `pg-copy-streams`.
 *
 * Order of work, all inside the transaction:
 *   open    check the target is local (or confirmed), take the run lock of dataset and schema
 *           (run-lock.ts: a second run into them fails with RUN_IN_PROGRESS), the schema fits (or create it), empty the planned
 *           tables in `replace` mode (after confirmation), then set constraints aside (prepare.ts).
 *   table   one COPY per table (into a temp staging table in `missing` mode; with FREEZE into a table
 *           this transaction created or emptied); the values of cycle-breaking (deferred) columns go
 *           to a temp file, then into a temp table (deferred.ts).
 *   commit  set the deferred columns (one UPDATE … FROM per table), re-create keys, indexes and foreign
 *           keys (set-based validation), move sequences past the loaded keys, ANALYZE, COMMIT.
 *   abort   CopyFail the running COPY, ROLLBACK, close; nothing of the run remains (the kit's lifecycle).
 *
 * Memory: one batch plus the COPY stream's buffer (`highWaterMark`, 1 MiB by default) and the
 * socket's; `write` waits for 'drain'. Deferred values are staged on disk, never in memory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import {
  Phases, SeedpipeError, SinkLifecycle,
  type RunInfo, type RunObserver, type Sink, type SinkInput, type SinkSummary, type TableInfo, type TableResult, type TableStream, type TableWriter,
} from '../../../src/stage-kit.js';
import { connectPg, connectionLostError, isConnectionLost, loadError, Serial, type CopyInStream, type PgClientLike, type QueryResultLike } from './client.js';
import { moveSequences, restoreStatement } from './constraints.js';
import { EarlyFinish, plannedOids } from './early-finish.js';
import { CopyWriter, withTimeout } from './copy.js';
import { chooseCopyFormats, COPY_FORMATS, type CopyFormat } from './copy-format.js';
import { quoteIdent, quoteLiteral } from './ddl.js';
import { SqlNames } from './names.js';
import { DeferredStage } from './deferred.js';
import { deferredDirPrefix, reportDeferredLeftovers } from './leftovers.js';
import { cancelBackend, cancelWhile } from './cancel.js';
import { describeMissing, insertMissing, type MissingResult } from './missing.js';
import type { PostgresLoadMode, PostgresSinkOptions } from './options.js';
import { LOAD_MODES } from './options.js';
import { Preparation } from './prepare.js';
import { takeRunLock } from './run-lock.js';
import { assertLocalOrConfirmed, describeTarget } from './safety.js';
import { readCatalog } from './schema-check.js';

const DEFAULT_HWM = 1 << 20;

export class PostgresSink implements Sink {
  readonly name = 'postgres';
  readonly mode: PostgresLoadMode;
  private readonly schema: string;
  private names = new SqlNames([]);
  private client: PgClientLike | undefined;
  /** The connection's statement queue: COPYs and early keys and indexes are queued, not waited for. */
  private readonly serial = new Serial();
  private connectionError: unknown;
  private run: RunInfo | undefined;
  private prep: Preparation | undefined;
  private readonly deferred: DeferredStage[] = [];
  /** Keys, indexes, foreign keys and ANALYZE of each table, queued as soon as its rows are in (early-finish.ts). */
  private early: EarlyFinish | undefined;
  private activeCopy: CopyWriter | undefined;
  /** A COPY of deferred values into their temp table, while it runs. */
  private activeStageCopy: CopyInStream | undefined;
  private activeStage: DeferredStage | undefined;
  private tempDir: string | undefined;
  private stageSeq = 0;
  private readonly phases = new Phases('postgres');
  /** Set once COMMIT is sent: from then on an interrupt lets the commit finish. */
  private commitSent = false;
  private interrupted: unknown;
  private readonly copyFormat: CopyFormat;
  /** Tables loaded with binary COPY, known once `open` has read the catalog. */
  private binary = new Set<string>();
  private readonly life = new SinkLifecycle({
    sink: 'Postgres', stateCode: 'POSTGRES_NOT_OPEN', undo: (reason) => this.rollback(reason), interrupt: (reason) => this.interrupt(reason),
  });

  get undone(): string | undefined {
    return this.life.undone;
  }

  constructor(private readonly opts: PostgresSinkOptions) {
    this.mode = opts.mode ?? 'replace';
    if (!LOAD_MODES.includes(this.mode)) {
      throw new SeedpipeError('POSTGRES_MODE_INVALID', `unknown load mode "${String(opts.mode)}"; use one of ${LOAD_MODES.join(', ')}`, { disposition: 'usage' });
    }
    this.schema = opts.schema ?? 'public';
    this.copyFormat = opts.copyFormat ?? 'auto';
    if (!COPY_FORMATS.includes(this.copyFormat)) {
      throw new SeedpipeError('POSTGRES_COPY_FORMAT_INVALID', `unknown COPY format "${String(opts.copyFormat)}"; use one of ${COPY_FORMATS.join(', ')}`, { disposition: 'usage' });
    }
  }

  /** Where the data goes, for people: `postgres://host:port/db` (no user, no password). */
  get location(): string {
    return `postgres://${describeTarget(this.opts.url)}`;
  }

  /**
   * The `copy-binary` encoding of the tables `open` found binary COPY fits (copy-format.ts), `copy-csv`
   * of the others (and of every table before `open`); row values too when it has cycle-breaking columns.
   */
  input(info: TableInfo): SinkInput {
    const rows = info.columns.some((c) => c.deferred);
    if (!this.binary.has(info.name)) return { format: 'copy-csv', rows };
    // auto: a run without the copy-binary encoder (a library caller's list) loads as CSV.
    return this.copyFormat === 'auto' ? { format: 'copy-binary', orElse: 'copy-csv', rows } : { format: 'copy-binary', rows };
  }

  /** Opens a connection to the target (the run's, or a second one to cancel its statement). */
  private get connector(): (url: string) => Promise<PgClientLike> {
    return this.opts.connect ?? ((u: string) => connectPg(u, { applicationName: this.opts.applicationName }));
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  private q(text: string, values?: unknown[]): Promise<QueryResultLike> {
    const client = this.client!;
    return this.serial.run(() => client.query(text, values));
  }

  private t(name: string): string {
    return this.names.rel(name);
  }

  open(run: RunInfo, observer?: RunObserver): Promise<void> {
    this.phases.observe(observer);
    return this.life.open(async () => {
      this.run = run;
      this.names = new SqlNames(run.tables, this.schema);
      assertLocalOrConfirmed(this.opts.url, this.opts.confirmProduction === true);
      await reportDeferredLeftovers(this.opts.tempDir ?? tmpdir(), this.opts.notice);
      this.client = await this.phases.step('connecting', () => this.connector(this.opts.url));
      this.client.on('error', (e) => (this.connectionError ??= e));
      this.prep = new Preparation({
        client: this.client, url: this.opts.url, names: this.names, mode: this.mode, log: (l) => this.log(l), phases: this.phases,
        ...(this.opts.untouched ? { untouched: this.opts.untouched } : {}),
        ...(this.opts.createTables !== undefined ? { createTables: this.opts.createTables } : {}),
        ...(this.opts.dropConstraints !== undefined ? { dropConstraints: this.opts.dropConstraints } : {}),
        ...(this.opts.yes !== undefined ? { yes: this.opts.yes } : {}),
        ...(this.opts.confirm ? { confirm: this.opts.confirm } : {}),
      });
      try {
        await this.q('BEGIN');
        // Session-level: held until the connection closes at commit or abort, whatever the transaction does.
        await this.phases.step('run lock', () => takeRunLock(this.client!, { dataset: run.dataset, schema: this.schema, location: this.location }));
        const mwm = this.opts.maintenanceWorkMem === undefined ? '256MB' : this.opts.maintenanceWorkMem;
        if (mwm !== null) await this.q(`SET LOCAL maintenance_work_mem = ${quoteLiteral(mwm)}`);
        await this.prep.run(run.tables);
        if (this.copyFormat !== 'text') await this.chooseFormats(run.tables);
        this.early = await this.earlyFinish(run.tables);
      } catch (e) {
        throw this.error(e, `preparing ${this.location}`);
      }
    });
  }

  /** The finisher of each table as its rows are in: the planned tables' oids (as they are now, after any creation). */
  private async earlyFinish(tables: readonly TableInfo[]): Promise<EarlyFinish> {
    const oids = await plannedOids((sql, v) => this.q(sql, v), tables.map((t) => [t.name, this.t(t.name)] as const));
    const client = this.client!;
    return new EarlyFinish({
      // After a failure nothing more is sent: the transaction is aborted (or the server gone).
      q: (sql, v) => this.serial.run(() => (this.early?.failure !== undefined ? Promise.reject(new SeedpipeError('POSTGRES_NOT_SENT', 'not sent: an earlier statement of the run failed')) : client.query(sql, v))),
      items: this.prep!.setAside,
      oids,
      late: new Set(tables.filter((t) => t.columns.some((c) => c.deferred)).map((t) => t.name)),
      error: (e, context) => this.error(e, context),
      onFailure: (e) => this.activeCopy?.release(e),
    });
  }

  /** Binary COPY for the tables whose columns (as the catalog has them now) take its bytes. */
  private async chooseFormats(tables: readonly TableInfo[]): Promise<void> {
    const catalog = await readCatalog(this.client!, this.names, tables.map((t) => t.name));
    const choice = chooseCopyFormats(tables, catalog, this.copyFormat);
    this.binary = choice.binary;
    for (const [t, why] of choice.text) this.log(`${t}: loaded with text COPY (${why})`);
  }

  private error(e: unknown, context: string): SeedpipeError {
    return loadError(this.connectionError ?? e, this.opts.url, this.prep?.known ?? new Map(), context);
  }

  private assertUsable(context: string): void {
    this.life.assertOpen(context);
    if (this.connectionError !== undefined) throw connectionLostError(this.connectionError, this.opts.url, context);
  }

  async table(info: TableInfo, stream: TableStream): Promise<TableWriter> {
    const context = `loading table ${info.name} into ${this.location}`;
    this.assertUsable(context);
    this.early!.check();
    // A failed key or index of an earlier table aborted the transaction: its error is the one that counts.
    const fail = (e: unknown): unknown => this.early!.failure ?? this.error(e, context);
    const target = this.t(info.name);
    const cols = this.names.cols(info.name);
    const n = ++this.stageSeq;
    let into = target;
    if (this.mode === 'missing') {
      into = quoteIdent(`seedpipe_stage_${n}`);
      // Only the dataset's columns, with the target's types and no constraints or defaults: the
      // INSERT … ON CONFLICT below applies them once.
      await this.q(`CREATE TEMP TABLE ${into} ON COMMIT DROP AS SELECT ${cols} FROM ${target} WITH NO DATA`).catch((e) => { throw fail(e); });
    }
    let stage: DeferredStage | undefined;
    if (info.columns.some((c) => c.deferred)) {
      stage = await this.openDeferred(info, n).catch((e) => { throw fail(e); });
    }
    const freeze = this.mode !== 'missing' && this.prep!.fresh.has(info.name) ? ', FREEZE' : '';
    const format = stream.format === 'copy-binary' ? 'binary' : 'csv';
    const copy = new CopyWriter(this.client!, `COPY ${into} (${cols}) FROM STDIN WITH (FORMAT ${format}${freeze})`, stream, this.opts.highWaterMark ?? DEFAULT_HWM, this.serial);
    this.activeCopy = copy;
    return {
      write: async (b): Promise<void> => {
        if (this.connectionError !== undefined) throw fail(this.connectionError);
        this.early!.check();
        try {
          if (stage) await stage.write(b);
          await copy.write(b);
        } catch (e) {
          throw fail(e);
        }
      },
      close: async (): Promise<TableResult> => {
        if (this.mode !== 'missing' && !stage) return this.closeEarly(info, copy, target, fail);
        let copied: number;
        let loaded: number;
        let missing: MissingResult | undefined;
        try {
          copied = await copy.end();
          this.activeCopy = undefined;
          loaded = copied;
          if (this.mode === 'missing') {
            missing = await this.insertMissing(info, into, stage);
            loaded = missing.inserted;
          }
          if (stage) await this.loadDeferred(stage);
        } catch (e) {
          throw fail(e);
        }
        this.log(missing ? describeMissing(info.name, missing) : `${info.name}: ${loaded} row(s) copied`);
        this.early!.tableDone(info.name, target);
        return { table: info.name, rows: loaded, bytes: copy.bytes, details: { mode: this.mode, copied, generated: copy.rows, ...(missing ? { skipped: missing.skipped } : {}) } };
      },
    };
  }

  /** Ends the COPY without waiting for the server and queues the table's keys, indexes and ANALYZE behind it (early-finish.ts); a failure shows at the next call. */
  private async closeEarly(info: TableInfo, copy: CopyWriter, target: string, fail: (e: unknown) => unknown): Promise<TableResult> {
    try {
      await copy.endWriting();
    } catch (e) {
      throw fail(e);
    }
    const rows = copy.rows;
    this.early!.track(copy.finished.then(() => this.log(`${info.name}: ${copy.stream.rowCount} row(s) copied`)), `loading table ${info.name} into ${this.location}`, `copy ${info.name}`);
    if (this.activeCopy === copy) this.activeCopy = undefined;
    this.early!.tableDone(info.name, target);
    return { table: info.name, rows, bytes: copy.bytes, details: { mode: this.mode, copied: rows, generated: rows } };
  }

  /** `missing` mode: staged rows whose keys are not taken yet go into the table (missing.ts). */
  private async insertMissing(info: TableInfo, stageTable: string, deferred: DeferredStage | undefined): Promise<MissingResult> {
    return insertMissing((sql, v) => this.q(sql, v), this.names, info, stageTable, {
      overriding: this.prep!.identityAlways.has(info.name),
      ...(deferred?.keys ? { insertedKeys: deferred.keys } : {}),
    });
  }

  private async openDeferred(info: TableInfo, n: number): Promise<DeferredStage> {
    // The pid in the name tells a later load whether this one still runs (leftovers.ts).
    this.tempDir ??= await mkdtemp(deferredDirPrefix(this.opts.tempDir ?? tmpdir()));
    const stage = await DeferredStage.open((sql: string, v?: unknown[]) => this.q(sql, v), { info, names: this.names, n, dir: this.tempDir, missing: this.mode === 'missing' });
    this.deferred.push(stage);
    this.activeStage = stage;
    return stage;
  }

  private async loadDeferred(stage: DeferredStage): Promise<void> {
    await this.serial.run(() => stage.load(this.client!, (copy) => (this.activeStageCopy = copy)));
    this.activeStage = undefined;
  }

  async commit(results: readonly TableResult[]): Promise<SinkSummary> {
    const context = `committing the run into ${this.location}`;
    this.assertUsable(context);
    return this.life.commit(async () => {
      try {
        await this.finish();
      } catch (e) {
        throw this.error(e, context);
      }
      await this.client!.end().catch(() => undefined);
      await this.removeTempDir();
      const rowsInserted = results.reduce((s, r) => s + r.rows, 0);
      return { sink: this.name, location: this.location, tables: results, extra: { mode: this.mode, rowsInserted } };
    });
  }

  private async finish(): Promise<void> {
    const queued = this.early!.queued;
    // The last tables' COPY tails, keys, indexes and ANALYZE (queued as each table ended).
    const settled = queued ? this.phases.step('finishing loaded tables', (tick) => this.early!.settled(tick), queued) : this.early!.settled();
    await settled.catch((e: unknown) => {
      this.checkInterrupted();
      throw e;
    });
    const updates = this.deferred.filter((d) => d.updateStatement(this.names));
    if (updates.length) {
      await this.phases.step('cycle-breaking columns', async (tick) => {
        for (const [i, d] of updates.entries()) {
          tick(i, d.info.name);
          const r = await this.q(d.updateStatement(this.names)!);
          this.log(`${d.info.name}: ${r.rowCount ?? 0} deferred value(s) set`);
        }
        tick(updates.length);
      }, updates.length);
    }
    // Keys before indexes and foreign keys (which reference them); all after the deferred UPDATEs, so
    // those do not maintain indexes row by row.
    const order = this.early!.remaining;
    for (const [kind, phase] of [['key', 'primary and unique keys'], ['index', 'indexes'], ['fk', 'foreign keys']] as const) {
      const items = order.filter((s) => s.kind === kind);
      if (items.length === 0) continue;
      await this.phases.step(phase, async (tick) => {
        for (const [i, s] of items.entries()) {
          this.checkInterrupted();
          tick(i, s.name);
          try {
            await this.q(restoreStatement(s));
          } catch (e) {
            const what = s.kind === 'index' ? `index ${s.name} on ${s.table}` : `${s.kind === 'fk' ? 'foreign key ' : ''}${s.name} on ${s.table} (${s.definition})`;
            throw this.error(e, `re-creating ${what}`);
          }
        }
        tick(items.length);
      }, items.length);
    }
    this.checkInterrupted();
    const moved = await this.phases.step('sequences', () => moveSequences((sql, v) => this.q(sql, v), this.run!.tables, this.schema));
    this.log(`${moved} sequence(s) moved past the loaded keys`);
    const tables = this.run!.tables.filter((t) => !this.early!.analysed.has(t.name)).map((t) => this.t(t.name));
    if (tables.length) await this.phases.step('analyse', () => this.q(`ANALYZE ${tables.join(', ')}`));
    this.checkInterrupted();
    this.commitSent = true;
    await this.phases.step('commit', () => this.q('COMMIT'));
  }

  private checkInterrupted(): void {
    if (this.interrupted !== undefined) throw this.interrupted;
  }

  /** An abort during the commit: cancel the running statement unless COMMIT was already sent. */
  private interrupt(reason: unknown): void {
    if (this.commitSent || this.interrupted !== undefined) return;
    this.interrupted = reason ?? new SeedpipeError('POSTGRES_INTERRUPTED', 'the commit was interrupted');
    void this.cancelRunning();
  }

  private cancelRunning(): Promise<void> {
    return cancelBackend(this.connector, this.opts.url, this.client?.processID);
  }

  abort(reason?: unknown): Promise<void> {
    return this.life.abort(reason);
  }

  private async rollback(reason: unknown): Promise<string | void> {
    const client = this.client;
    if (client) {
      const dead = this.connectionError !== undefined || isConnectionLost(reason);
      const copy = this.activeCopy;
      this.activeCopy = undefined;
      // CopyFail: the server ends the COPY with an error and the connection is ready for ROLLBACK
      // (pg-copy-streams' documented abort path).
      if (!dead) await cancelWhile(() => this.early?.pending === true, () => this.cancelRunning());
      if (copy && !dead) await copy.abort();
      const stageCopy = this.activeStageCopy;
      this.activeStageCopy = undefined;
      if (stageCopy && !dead && !stageCopy.destroyed) stageCopy.destroy(new Error('seedpipe run aborted'));
      if (!dead) await withTimeout(this.serial.run(() => client.query('ROLLBACK')), 10_000).catch(() => undefined);
      // Closing the connection ends any transaction the ROLLBACK could not reach.
      await withTimeout(client.end(), 5_000).catch(() => undefined);
    }
    this.activeStage?.destroy();
    this.activeStage = undefined;
    await this.removeTempDir();
    return client ? `rolled back the transaction on ${this.location} (nothing of this run was committed)` : undefined;
  }

  private async removeTempDir(): Promise<void> {
    if (this.tempDir) await rm(this.tempDir, { recursive: true, force: true }).catch(() => undefined);
    this.tempDir = undefined;
  }
}
