/**
 * Postgres sink: the whole run is one transaction (BEGIN in `open`, COMMIT in `commit`, ROLLBACK in
 * `abort`), each table streamed with `COPY … FROM STDIN (FORMAT csv)` through `pg-copy-streams`.
 *
 * Order of work, all inside the transaction:
 *   open    check the target is local (or confirmed), the schema fits (or create it), empty the planned
 *           tables in `replace` mode (after confirmation), then the fast path: remember and drop the
 *           foreign keys to/from the planned tables and their non-unique secondary indexes.
 *   table   one COPY per table (into a temp staging table in `missing` mode; with FREEZE into a table
 *           this transaction created or emptied); the values of cycle-breaking (deferred) columns go
 *           to a temp file, then into a temp table.
 *   commit  set the deferred columns (one UPDATE … FROM per table), re-create indexes and foreign keys
 *           (set-based validation), move sequences past the loaded keys, ANALYZE, COMMIT.
 *   abort   CopyFail the running COPY, ROLLBACK, close; nothing of the run remains.
 *
 * Memory: one batch plus the COPY stream's buffer (`highWaterMark`, 1 MiB by default) and the
 * socket's; `write` waits for 'drain'. Deferred values are staged on disk, never in memory.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { RowBatch, RunInfo, Sink, SinkSummary, TableInfo, TableResult, TableWriter } from '../../../src/contracts.js';
import type { Plan } from '../../../src/plan/plan.js';
import { createEncoder } from '../../../src/encode/csv.js';
import { SeedpipeError } from '../../../src/errors.js';
import {
  connectPg, connectionLostError, databaseError, isConnectionLost, loadError,
  type CopyInStream, type KnownConstraint, type PgClientLike, type QueryResultLike,
} from './client.js';
import { enumTypeName, qualified, quoteIdent, quoteLiteral, renderDdl } from './ddl.js';
import type { PostgresLoadMode, PostgresSinkOptions } from './options.js';
import { LOAD_MODES } from './options.js';
import { assertLocalOrConfirmed, describeTarget } from './safety.js';
import { assertSchemaFits, readCatalog, type CatalogSnapshot } from './schema-check.js';

interface Remembered {
  /** `regclass` text of the table the object belongs to (schema-qualified when needed). */
  table: string;
  name: string;
  definition: string;
}

interface DeferredStage {
  info: TableInfo;
  /** Temp table with the key and deferred columns. */
  temp: string;
  /** Temp table of keys inserted by this run (`missing` mode). */
  keys?: string;
  file: string;
  rows: number;
}

type State = 'new' | 'open' | 'committed' | 'aborted';

const DEFAULT_HWM = 1 << 20;

export class PostgresSink implements Sink {
  readonly name = 'postgres';
  readonly mode: PostgresLoadMode;
  private readonly schema: string;
  private client: PgClientLike | undefined;
  private state: State = 'new';
  private aborting: Promise<void> | undefined;
  private connectionError: unknown;
  private run: RunInfo | undefined;
  private readonly known = new Map<string, KnownConstraint>();
  private droppedForeignKeys: Remembered[] = [];
  private droppedKeys: Remembered[] = [];
  private droppedIndexes: Remembered[] = [];
  private readonly deferred: DeferredStage[] = [];
  private activeCopy: CopyInStream | undefined;
  private activeCopyFailed = false;
  private activeFile: WriteStream | undefined;
  private tempDir: string | undefined;
  /** Tables with an identity GENERATED ALWAYS column among the dataset's columns. */
  private readonly identityAlways = new Set<string>();
  /**
   * Tables created or emptied by this transaction: their COPY runs with FREEZE (rows written frozen
   * and all-visible, so the first reads and vacuums after the run do not rewrite every page).
   */
  private readonly fresh = new Set<string>();
  private stageSeq = 0;

  constructor(private readonly opts: PostgresSinkOptions) {
    this.mode = opts.mode ?? 'replace';
    if (!LOAD_MODES.includes(this.mode)) {
      throw new SeedpipeError('POSTGRES_MODE_INVALID', `unknown load mode "${String(opts.mode)}"; use one of ${LOAD_MODES.join(', ')}`, { disposition: 'usage' });
    }
    this.schema = opts.schema ?? 'public';
  }

  /** Where the data goes, for people: `postgres://host:port/db` (no user, no password). */
  get location(): string {
    return `postgres://${describeTarget(this.opts.url)}`;
  }

  needsRows(info: TableInfo): boolean {
    return info.columns.some((c) => c.deferred);
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  private q(text: string, values?: unknown[]): Promise<QueryResultLike> {
    if (!this.client) throw new SeedpipeError('POSTGRES_NOT_OPEN', 'the Postgres sink is not open');
    return this.client.query(text, values);
  }

  private t(name: string): string {
    return qualified(name, this.schema);
  }

  async open(run: RunInfo): Promise<void> {
    if (this.state !== 'new') throw new SeedpipeError('POSTGRES_REOPENED', 'a Postgres sink runs once; create a new one for another run');
    this.run = run;
    assertLocalOrConfirmed(this.opts.url, this.opts.confirmProduction === true);
    this.client = await (this.opts.connect ?? ((u: string) => connectPg(u, { applicationName: this.opts.applicationName })))(this.opts.url);
    this.client.on('error', (e) => (this.connectionError ??= e));
    this.state = 'open';
    try {
      await this.q('BEGIN');
      const mwm = this.opts.maintenanceWorkMem === undefined ? '256MB' : this.opts.maintenanceWorkMem;
      if (mwm !== null) await this.q(`SET LOCAL maintenance_work_mem = ${quoteLiteral(mwm)}`);
      await this.prepare(run.tables);
    } catch (e) {
      const err = e instanceof SeedpipeError ? e : loadError(e, this.opts.url, this.known, `preparing ${this.location}`);
      await this.abort(err);
      throw err;
    }
  }

  private async prepare(tables: readonly TableInfo[]): Promise<void> {
    const names = tables.map((t) => t.name);
    const catalog = await readCatalog(this.client!, this.schema, names);
    const exists = (t: TableInfo): boolean => catalog.tables.has(t.name);
    let toCreate: TableInfo[] = [];
    let toDrop: TableInfo[] = [];
    let toKeep: TableInfo[] = [...tables];
    if (this.opts.createTables) {
      if (this.mode === 'replace') {
        toDrop = tables.filter(exists);
        toCreate = [...tables];
        toKeep = [];
      } else {
        toCreate = tables.filter((t) => !exists(t));
        toKeep = tables.filter(exists);
      }
    }
    // Everything is checked before anything changes.
    assertSchemaFits(toKeep, catalog, describeTarget(this.opts.url));
    for (const t of tables) {
      if (t.columns.some((c) => c.deferred) && t.primaryKey.length === 0) {
        throw new SeedpipeError('POSTGRES_DEFERRED_NEEDS_KEY',
          `table ${t.name} has a cycle-breaking column but no primary key: its deferred values are set by key after the load. Declare a primary key for ${t.name}.`,
          { disposition: 'usage', data: { table: t.name } });
      }
    }
    this.rememberIdentity(toKeep, catalog);
    const partitioned = catalog.partitioned ?? new Set<string>();
    const markFresh = (ts: readonly TableInfo[]): void => ts.forEach((t) => partitioned.has(t.name) || this.fresh.add(t.name));
    if (this.mode === 'replace') markFresh(toKeep);
    markFresh(toCreate);
    if (this.mode === 'append') await this.assertAppendFits(toKeep);
    const fastPath = this.opts.dropConstraints !== false;
    if (this.mode === 'replace' && fastPath && toDrop.length === 0 && toCreate.length === 0) {
      // Constraints go first, including foreign keys of tables outside the plan that reference
      // planned ones (a partial run, `--only`): TRUNCATE then needs no CASCADE, those tables keep
      // their rows, and re-creating the keys at commit checks they still match the new rows.
      await this.readConstraints(names);
      await this.dropForFastPath(names);
      await this.emptyTables(toKeep, toDrop);
      return;
    }
    if (this.mode === 'replace') await this.emptyTables(toKeep, toDrop);
    if (toDrop.length) {
      this.log(`dropping ${toDrop.length} existing table(s) to create them again: ${toDrop.map((t) => t.name).join(', ')}`);
      await this.q(`DROP TABLE ${toDrop.map((t) => this.t(t.name)).join(', ')}`);
    }
    if (toCreate.length) await this.createTables(toCreate);
    await this.readConstraints(names);
    if (this.opts.dropConstraints !== false) await this.dropForFastPath(names);
  }

  private rememberIdentity(tables: readonly TableInfo[], catalog: CatalogSnapshot): void {
    for (const t of tables) {
      const ours = new Set(t.columns.map((c) => c.name));
      if (catalog.columns.some((c) => c.table === t.name && ours.has(c.column) && c.identity === 'a')) this.identityAlways.add(t.name);
    }
  }

  /** In append mode, new keys must start after the existing ones (plan with `appendOffsets`). */
  private async assertAppendFits(tables: readonly TableInfo[]): Promise<void> {
    for (const t of tables) {
      const pk = t.primaryKey.length === 1 ? t.columns.find((c) => c.name === t.primaryKey[0]) : undefined;
      if (!pk || !['bigint', 'int', 'smallint'].includes(pk.type) || t.rows === 0) continue;
      const r = await this.q(`SELECT max(${quoteIdent(pk.name)})::text AS m FROM ${this.t(t.name)}`);
      const max = r.rows[0]?.m === null || r.rows[0]?.m === undefined ? 0 : Number(r.rows[0].m);
      if (max >= t.firstRow + 1) {
        throw new SeedpipeError('APPEND_KEY_OVERLAP',
          `append: table ${t.name} already has ${pk.name} values up to ${max}, but this run's first new ${pk.name} is ${t.firstRow + 1}. ` +
          `Plan the run with the offsets from appendOffsets() (the CLI does this for --mode append), or use --mode missing.`,
          { disposition: 'usage', data: { table: t.name, column: pk.name, max, firstNewKey: t.firstRow + 1 } });
      }
    }
  }

  /**
   * replace mode: TRUNCATE the planned tables that are kept, after confirmation when any of them (or
   * a table outside the plan that references them, which CASCADE would empty too) holds rows.
   */
  private async emptyTables(keep: readonly TableInfo[], drop: readonly TableInfo[]): Promise<void> {
    const all = [...keep, ...drop].map((t) => t.name);
    if (all.length === 0) return;
    // Tables outside the plan that reference planned ones, transitively (what CASCADE reaches).
    const dep = await this.q(
      `WITH RECURSIVE planned AS (
         SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2::text[])
       ), reach(oid) AS (
         SELECT oid FROM planned
         UNION
         SELECT con.conrelid FROM pg_constraint con JOIN reach r ON con.confrelid = r.oid WHERE con.contype = 'f'
       )
       SELECT r.oid::regclass::text AS name, r.oid NOT IN (SELECT oid FROM planned) AS outside FROM reach r`,
      [this.schema, all],
    );
    const outside = dep.rows.filter((r) => r.outside === true).map((r) => String(r.name));
    const dropNames = new Set(drop.map((t) => t.name));
    if (drop.length && outside.length) {
      throw new SeedpipeError('CREATE_TABLES_BLOCKED',
        `--create-tables would drop ${drop.map((t) => t.name).join(', ')}, but table(s) outside the dataset reference them: ${outside.join(', ')}. ` +
        `Drop those foreign keys first, or load into the existing tables without --create-tables.`,
        { disposition: 'usage', data: { tables: [...dropNames], referencedBy: outside } });
    }
    const candidates = [...all.map((n) => ({ label: n, rel: this.t(n) })), ...outside.map((n) => ({ label: n, rel: n }))];
    const nonEmpty: string[] = [];
    if (candidates.length) {
      const r = await this.q(candidates.map((c, i) => `SELECT ${i} AS i WHERE EXISTS (SELECT 1 FROM ${c.rel})`).join(' UNION ALL '));
      for (const row of r.rows) nonEmpty.push(candidates[Number(row.i)]!.label);
    }
    if (nonEmpty.length && !this.opts.yes) {
      const ok = this.opts.confirm ? await this.opts.confirm(nonEmpty) : false;
      if (!ok) {
        throw new SeedpipeError('TRUNCATE_NOT_CONFIRMED',
          `Not emptying ${nonEmpty.join(', ')} in ${describeTarget(this.opts.url)}: they hold rows and emptying them was not confirmed. ` +
          `Nothing was changed. Pass --yes to replace their rows, or use --mode append or --mode missing to keep them.`,
          { disposition: 'usage', data: { tables: nonEmpty } });
      }
    }
    if (keep.length) {
      const cascade = outside.length > 0;
      this.log(`emptying ${keep.map((t) => t.name).join(', ')}${cascade ? ` (CASCADE to ${outside.join(', ')})` : ''}`);
      await this.q(`TRUNCATE ${keep.map((t) => this.t(t.name)).join(', ')}${cascade ? ' CASCADE' : ''}`);
    }
  }

  private async createTables(tables: readonly TableInfo[]): Promise<void> {
    const types = tables.flatMap((t) => t.columns.filter((c) => c.enumValues).map((c) => enumTypeName(t.name, c.name)));
    if (types.length) {
      const existing = await this.q(
        `SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typname = ANY($2::text[])`,
        [this.schema, types],
      );
      // Left over from an earlier schema (its tables were dropped above or never existed): created again.
      if (existing.rows.length) await this.q(`DROP TYPE ${existing.rows.map((r) => this.t(String(r.name))).join(', ')}`);
    }
    this.log(`creating ${tables.length} table(s): ${tables.map((t) => t.name).join(', ')}`);
    await this.q(renderDdl(tables, { schema: this.schema }));
  }

  /** Names every constraint on (or pointing at) the planned tables, so violations can name columns. */
  private async readConstraints(names: readonly string[]): Promise<void> {
    const r = await this.q(
      `SELECT con.conname AS name, con.conrelid::regclass::text AS "table", con.contype::text AS kind,
              pg_get_constraintdef(con.oid) AS definition,
              coalesce((SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, n)
                          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum), '{}') AS columns
         FROM pg_constraint con
         JOIN pg_class c ON c.oid = con.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE (n.nspname = $1 AND c.relname = ANY($2::text[]))
           OR con.confrelid IN (SELECT c2.oid FROM pg_class c2 JOIN pg_namespace n2 ON n2.oid = c2.relnamespace WHERE n2.nspname = $1 AND c2.relname = ANY($2::text[]))`,
      [this.schema, names],
    );
    for (const row of r.rows) {
      this.known.set(String(row.name), { table: String(row.table), kind: String(row.kind), definition: String(row.definition), columns: row.columns as string[] });
    }
  }

  /**
   * Remembers and drops foreign keys to/from the planned tables and their plain secondary indexes; in
   * `replace` mode (the tables were just emptied) also their primary keys and unique constraints and
   * indexes: building a btree once after the COPY is measurably cheaper than maintaining it row by row
   * (see README), and a duplicate is still caught, at commit, before anything is visible. `append` and
   * `missing` keep them: `missing` needs them for ON CONFLICT, and rebuilding a big existing table's keys
   * would cost more than the rows added.
   */
  private async dropForFastPath(names: readonly string[]): Promise<void> {
    const planned = `SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2::text[])`;
    const replace = this.mode === 'replace';
    const fks = await this.q(
      `SELECT con.conrelid::regclass::text AS "table", con.conname AS name, pg_get_constraintdef(con.oid) AS definition
         FROM pg_constraint con
        WHERE con.contype = 'f' AND con.conparentid = 0 -- partition clones go with their parent constraint
          AND (con.conrelid IN (${planned}) OR con.confrelid IN (${planned}))
        ORDER BY con.conrelid::regclass::text, con.conname`,
      [this.schema, names],
    );
    const keys = replace
      ? await this.q(
        `SELECT con.conrelid::regclass::text AS "table", con.conname AS name, pg_get_constraintdef(con.oid) AS definition
           FROM pg_constraint con
          WHERE con.contype IN ('p', 'u') AND con.conparentid = 0 AND con.conrelid IN (${planned})
          ORDER BY 1, con.contype, 2`,
        [this.schema, names],
      )
      : { rows: [] };
    const ixs = await this.q(
      `SELECT i.indrelid::regclass::text AS "table", i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_index i
        WHERE i.indrelid IN (${planned}) AND NOT i.indisprimary AND (NOT i.indisunique OR $3)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
        ORDER BY 1, 2`,
      [this.schema, names, replace],
    );
    const remember = (r: Record<string, unknown>): Remembered => ({ table: String(r.table), name: String(r.name), definition: String(r.definition) });
    this.droppedForeignKeys = fks.rows.map(remember);
    this.droppedKeys = keys.rows.map(remember);
    // pg_get_indexdef prints `ON ONLY` for an index of a partitioned table; re-created without it, the index
    // cascades to the partitions again (DROP INDEX removed theirs too).
    this.droppedIndexes = ixs.rows.map((r) => ({ ...remember(r), definition: String(r.definition).replace(/ ON ONLY /, ' ON ') }));
    // Foreign keys first: they depend on the keys and unique indexes they reference.
    const drops = [
      ...this.droppedForeignKeys.map((f) => `ALTER TABLE ${f.table} DROP CONSTRAINT ${quoteIdent(f.name)};`),
      ...this.droppedKeys.map((k) => `ALTER TABLE ${k.table} DROP CONSTRAINT ${quoteIdent(k.name)};`),
      ...(this.droppedIndexes.length ? [`DROP INDEX ${this.droppedIndexes.map((i) => i.name).join(', ')};`] : []),
    ];
    if (drops.length) await this.q(drops.join('\n'));
    this.log(`fast path: ${this.droppedForeignKeys.length} foreign key(s), ${this.droppedKeys.length} primary/unique key(s) and ${this.droppedIndexes.length} index(es) dropped until commit`);
  }

  private assertUsable(context: string): void {
    if (this.state !== 'open') throw new SeedpipeError('POSTGRES_NOT_OPEN', `${context}: the Postgres sink is ${this.state === 'new' ? 'not open' : this.state}`);
    if (this.connectionError !== undefined) throw connectionLostError(this.connectionError, this.opts.url, context);
  }

  async table(info: TableInfo): Promise<TableWriter> {
    const context = `loading table ${info.name} into ${this.location}`;
    this.assertUsable(context);
    const fail = (e: unknown): SeedpipeError => loadError(this.connectionError ?? e, this.opts.url, this.known, context);
    const target = this.t(info.name);
    const cols = info.columns.map((c) => quoteIdent(c.name)).join(', ');
    const n = ++this.stageSeq;
    let into = target;
    if (this.mode === 'missing') {
      into = quoteIdent(`seedpipe_stage_${n}`);
      // Only the dataset's columns, with the target's types and no constraints or defaults: the
      // INSERT … ON CONFLICT below applies them once.
      await this.q(`CREATE TEMP TABLE ${into} ON COMMIT DROP AS SELECT ${cols} FROM ${target} WITH NO DATA`).catch((e) => { throw fail(e); });
    }
    const stage = this.needsRows(info) ? await this.openDeferred(info, n).catch((e) => { throw fail(e); }) : undefined;
    const defEncoder = stage ? deferredEncoder(info) : undefined;

    const freeze = this.mode !== 'missing' && this.fresh.has(info.name) ? ', FREEZE' : '';
    const stream = this.client!.query(copyFrom(`COPY ${into} (${cols}) FROM STDIN WITH (FORMAT csv${freeze})`, { highWaterMark: this.opts.highWaterMark ?? DEFAULT_HWM }));
    this.activeCopy = stream;
    this.activeCopyFailed = false;
    let failure: unknown;
    const finished = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', (e) => {
        failure ??= e;
        this.activeCopyFailed = true;
        reject(e);
      });
    });
    finished.catch(() => undefined);
    let rows = 0;
    let bytes = 0;

    return {
      write: async (b: RowBatch): Promise<void> => {
        if (failure !== undefined) throw fail(failure);
        if (this.connectionError !== undefined) throw fail(this.connectionError);
        if (stage && defEncoder) await stage.write(b, defEncoder).catch((e) => { throw fail(e); });
        rows += b.count;
        bytes += b.dbCsv.length;
        if (b.dbCsv.length === 0) return;
        if (!stream.write(b.dbCsv)) {
          try {
            await Promise.race([once(stream, 'drain'), finished]);
          } catch (e) {
            throw fail(e);
          }
        }
      },
      close: async (): Promise<TableResult> => {
        if (failure !== undefined) throw fail(failure);
        stream.end();
        try {
          await finished; // 'finish' fires after the server's ReadyForQuery: the rows are in the table
        } catch (e) {
          throw fail(e);
        }
        this.activeCopy = undefined;
        const copied = stream.rowCount;
        let loaded = copied;
        try {
          if (this.mode === 'missing') loaded = await this.insertMissing(info, into, cols, stage);
          if (stage) await this.loadDeferred(stage);
        } catch (e) {
          throw fail(e);
        }
        this.log(`${info.name}: ${loaded} row(s) ${this.mode === 'missing' ? `inserted of ${copied} staged` : 'copied'}`);
        return { table: info.name, rows: loaded, bytes, details: { mode: this.mode, copied, generated: rows } };
      },
    };
  }

  /** `missing` mode: staged rows whose keys are not taken yet go into the table. */
  private async insertMissing(info: TableInfo, stageTable: string, cols: string, deferred: { keys?: string } | undefined): Promise<number> {
    const overriding = this.identityAlways.has(info.name) ? ' OVERRIDING SYSTEM VALUE' : '';
    const insert = `INSERT INTO ${this.t(info.name)} (${cols})${overriding} SELECT ${cols} FROM ${stageTable} ON CONFLICT DO NOTHING`;
    let r;
    if (deferred?.keys) {
      // Deferred values are applied only to rows this run inserted.
      const pk = info.primaryKey.map(quoteIdent).join(', ');
      r = await this.q(`WITH ins AS (${insert} RETURNING ${pk}) INSERT INTO ${deferred.keys} (${pk}) SELECT ${pk} FROM ins`);
    } else {
      r = await this.q(insert);
    }
    await this.q(`DROP TABLE ${stageTable}`);
    return r.rowCount ?? 0;
  }

  private async openDeferred(info: TableInfo, n: number): Promise<DeferredStage & { write(b: RowBatch, enc: DeferredEncoder): Promise<void> }> {
    this.tempDir ??= await mkdtemp(join(this.opts.tempDir ?? tmpdir(), 'seedpipe-deferred-'));
    const pk = info.primaryKey.map(quoteIdent);
    const def = info.columns.filter((c) => c.deferred).map((c) => quoteIdent(c.name));
    const temp = quoteIdent(`seedpipe_deferred_${n}`);
    await this.q(`CREATE TEMP TABLE ${temp} ON COMMIT DROP AS SELECT ${[...pk, ...def].join(', ')} FROM ${this.t(info.name)} WITH NO DATA`);
    let keys: string | undefined;
    if (this.mode === 'missing') {
      keys = quoteIdent(`seedpipe_inserted_${n}`);
      await this.q(`CREATE TEMP TABLE ${keys} ON COMMIT DROP AS SELECT ${pk.join(', ')} FROM ${this.t(info.name)} WITH NO DATA`);
    }
    const file = join(this.tempDir, `${info.name}.${n}.csv`);
    const out = createWriteStream(file, { highWaterMark: 1 << 16 });
    let failed: unknown;
    out.on('error', (e) => (failed ??= e));
    this.activeFile = out;
    const stage: DeferredStage & { write(b: RowBatch, enc: DeferredEncoder): Promise<void> } = {
      info, temp, file, rows: 0, ...(keys ? { keys } : {}),
      write: async (b, enc) => {
        if (failed) throw failed;
        const { csv, rows } = enc(b);
        stage.rows += rows;
        if (csv.length && !out.write(csv)) await once(out, 'drain');
      },
    };
    this.deferred.push(stage);
    return stage;
  }

  /** Closes the table's deferred-values file and COPYs it into its temp table. */
  private async loadDeferred(stage: DeferredStage): Promise<void> {
    const out = this.activeFile!;
    this.activeFile = undefined;
    out.end();
    await once(out, 'close');
    if (stage.rows === 0) return;
    const copy = this.client!.query(copyFrom(`COPY ${stage.temp} FROM STDIN WITH (FORMAT csv)`));
    this.activeCopy = copy;
    await pipeline(createReadStream(stage.file, { highWaterMark: 1 << 16 }), copy);
    this.activeCopy = undefined;
    await rm(stage.file, { force: true });
  }

  async commit(results: readonly TableResult[]): Promise<SinkSummary> {
    const context = `committing the run into ${this.location}`;
    this.assertUsable(context);
    try {
      for (const d of this.deferred) {
        if (d.rows === 0) continue;
        const target = this.t(d.info.name);
        const set = d.info.columns.filter((c) => c.deferred).map((c) => `${quoteIdent(c.name)} = d.${quoteIdent(c.name)}`).join(', ');
        const match = d.info.primaryKey.map((k) => `t.${quoteIdent(k)} = d.${quoteIdent(k)}`).join(' AND ');
        const onlyInserted = d.keys ? ` AND (${d.info.primaryKey.map((k) => `d.${quoteIdent(k)}`).join(', ')}) IN (SELECT ${d.info.primaryKey.map(quoteIdent).join(', ')} FROM ${d.keys})` : '';
        const r = await this.q(`UPDATE ${target} t SET ${set} FROM ${d.temp} d WHERE ${match}${onlyInserted}`);
        this.log(`${d.info.name}: ${r.rowCount ?? 0} deferred value(s) set`);
      }
      // Keys before indexes and foreign keys (which reference them); all after the deferred UPDATEs, so
      // those do not maintain indexes row by row.
      for (const k of this.droppedKeys) {
        try {
          await this.q(`ALTER TABLE ${k.table} ADD CONSTRAINT ${quoteIdent(k.name)} ${k.definition}`);
        } catch (e) {
          throw loadError(e, this.opts.url, this.known, `re-creating ${k.name} on ${k.table} (${k.definition})`);
        }
      }
      for (const ix of this.droppedIndexes) {
        try {
          await this.q(ix.definition);
        } catch (e) {
          throw loadError(e, this.opts.url, this.known, `re-creating index ${ix.name} on ${ix.table}`);
        }
      }
      for (const fk of this.droppedForeignKeys) {
        try {
          await this.q(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.definition}`);
        } catch (e) {
          throw loadError(e, this.opts.url, this.known, `re-creating foreign key ${fk.name} on ${fk.table} (${fk.definition})`);
        }
      }
      await this.moveSequences();
      const tables = this.run!.tables.map((t) => this.t(t.name));
      if (tables.length) await this.q(`ANALYZE ${tables.join(', ')}`);
      await this.q('COMMIT');
      this.state = 'committed';
    } catch (e) {
      const err = loadError(this.connectionError ?? e, this.opts.url, this.known, context);
      await this.abort(err);
      throw err;
    }
    await this.client!.end().catch(() => undefined);
    await this.removeTempDir();
    const rowsInserted = results.reduce((s, r) => s + r.rows, 0);
    return { sink: this.name, location: this.location, tables: results, extra: { mode: this.mode, rowsInserted } };
  }

  /** Sets every sequence behind a loaded column (serial or identity) to the column's maximum. */
  private async moveSequences(): Promise<void> {
    for (const t of this.run!.tables) {
      const r = await this.q(
        `SELECT c AS "column", pg_get_serial_sequence($1, c) AS seq FROM unnest($2::text[]) AS c`,
        [this.t(t.name), t.columns.map((c) => c.name)],
      );
      for (const row of r.rows) {
        if (row.seq === null || row.seq === undefined) continue;
        await this.q(`SELECT setval($1::regclass, m) FROM (SELECT max(${quoteIdent(String(row.column))}) AS m FROM ${this.t(t.name)}) x WHERE m IS NOT NULL`, [row.seq]);
      }
    }
  }

  async abort(reason?: unknown): Promise<void> {
    if (this.state === 'committed') return;
    this.aborting ??= this.rollback(reason);
    return this.aborting;
  }

  private async rollback(reason: unknown): Promise<void> {
    const wasOpen = this.state === 'open';
    this.state = 'aborted';
    const client = this.client;
    if (client) {
      const dead = this.connectionError !== undefined || isConnectionLost(reason);
      const copy = this.activeCopy;
      this.activeCopy = undefined;
      if (copy && !dead && !this.activeCopyFailed && !copy.destroyed) {
        // destroy() sends CopyFail: the server ends the COPY with an error and the connection is
        // ready for ROLLBACK (pg-copy-streams' documented abort path).
        const closed = once(copy, 'close').catch(() => undefined);
        copy.on('error', () => undefined);
        copy.destroy(new Error('seedpipe run aborted'));
        await withTimeout(closed, 10_000);
      }
      if (wasOpen && !dead) await withTimeout(client.query('ROLLBACK'), 10_000).catch(() => undefined);
      // Closing the connection ends any transaction the ROLLBACK could not reach.
      await withTimeout(client.end(), 5_000).catch(() => undefined);
    }
    this.activeFile?.destroy();
    this.activeFile = undefined;
    await this.removeTempDir();
  }

  private async removeTempDir(): Promise<void> {
    if (this.tempDir) await rm(this.tempDir, { recursive: true, force: true }).catch(() => undefined);
    this.tempDir = undefined;
  }
}

type DeferredEncoder = (b: RowBatch) => { csv: Buffer; rows: number };

/**
 * CSV of (primary key, deferred columns) for the rows of a batch whose deferred values are not all
 * NULL: what the UPDATE … FROM at commit applies.
 */
function deferredEncoder(info: TableInfo): DeferredEncoder {
  const idx = (name: string): number => info.columns.findIndex((c) => c.name === name);
  const keyIdx = info.primaryKey.map(idx);
  const defIdx = info.columns.map((c, j) => (c.deferred ? j : -1)).filter((j) => j >= 0);
  const sub: TableInfo = {
    ...info,
    columns: [...keyIdx, ...defIdx].map((j, x) => ({ ...info.columns[j]!, exported: true, deferred: false, nullable: x >= keyIdx.length || info.columns[j]!.nullable })),
  };
  const enc = createEncoder(sub);
  return (b) => {
    const picked: unknown[][] = [];
    for (const row of b.rows) {
      if (defIdx.every((j) => row[j] === null || row[j] === undefined)) continue;
      picked.push([...keyIdx, ...defIdx].map((j) => row[j]));
    }
    return { csv: picked.length ? enc.csv(picked, b.start) : Buffer.alloc(0), rows: picked.length };
  };
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}


/**
 * Append mode's starting points: for each `rows` table of the plan, the current maximum of its
 * single-column primary key (0 when the table is empty or missing; the row count when the key is
 * composite or absent). Re-plan with them as `PlanOptions.offsets`: new keys continue after the
 * maximum, and group tables (per/junction/series) get the children of the new parent rows.
 * This assumes keys are row numbers (1, 2, …), which is how seedpipe generates them.
 */
export async function appendOffsets(url: string, plan: Plan, opts: { schema?: string; connect?: (url: string) => Promise<PgClientLike> } = {}): Promise<Record<string, number>> {
  const schema = opts.schema ?? 'public';
  const client: PgClientLike = await (opts.connect ?? ((u: string) => connectPg(u)))(url);
  try {
    const out: Record<string, number> = {};
    for (const t of plan.tables) {
      if (t.kind !== 'rows') continue;
      const rel = qualified(t.name, schema);
      const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [rel]);
      if (exists.rows[0]?.ok !== true) {
        out[t.name] = 0;
        continue;
      }
      const pk = t.info.primaryKey.length === 1 ? t.info.primaryKey[0]! : undefined;
      const sql = pk ? `SELECT coalesce(max(${quoteIdent(pk)}), 0)::text AS n FROM ${rel}` : `SELECT count(*)::text AS n FROM ${rel}`;
      const r = await client.query(sql);
      const n = Number(r.rows[0]?.n ?? 0);
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new SeedpipeError('APPEND_OFFSET_INVALID', `append: the largest ${pk ?? 'row count'} of ${t.name} is ${String(r.rows[0]?.n)}, not a row number seedpipe can continue after`, { data: { table: t.name } });
      }
      out[t.name] = n;
    }
    return out;
  } catch (e) {
    throw databaseError(e, url, `reading append offsets from postgres://${describeTarget(url)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
