/**
 * What the Postgres sink does in `open`, inside the run's transaction, before any row: check the
 * schema (or create it), empty the planned tables in `replace` mode (after confirmation), then set
 * constraints aside for the load (the shared, partition-aware `constraints.ts`). Everything is
 * checked before anything changes.
 */
import { Phases, SeedpipeError, type TableInfo } from '../../../src/stage-kit.js';
import type { KnownConstraint, PgClientLike, QueryResultLike } from './client.js';
import { dropStatements, readSetAside, type KeptForDependents, type SetAside } from './constraints.js';
import { dbFields } from './client.js';
import { enumTypeName, quoteIdent, renderDdl } from './ddl.js';
import { chooseLevel, countLockObjects, LEVELS, lockCapacity, locksError, OUT_OF_LOCKS, type LockCapacity, type SetAsideLevel } from './locks.js';
import { oidsOf, type SqlNames } from './names.js';
import type { PostgresLoadMode } from './options.js';
import { describeTarget } from './safety.js';
import { assertSchemaFits, readCatalog, type CatalogSnapshot } from './schema-check.js';

export interface PrepareContext {
  client: PgClientLike;
  url: string;
  /** SQL names of the run's tables (schema, table and column names in the database). */
  names: SqlNames;
  mode: PostgresLoadMode;
  /** Tables never written, emptied or altered (framework bookkeeping), by schema and database name. */
  untouched?: readonly { schema: string; table: string; reason?: string }[];
  createTables?: boolean;
  dropConstraints?: boolean;
  yes?: boolean;
  confirm?: (tables: string[]) => Promise<boolean>;
  log: (line: string) => void;
  /** Where the steps are reported (checking the schema, emptying, creating, setting constraints aside). */
  phases?: Phases;
}

export class Preparation {
  /** Constraints by name (from the catalog), so violations can name their columns. */
  readonly known = new Map<string, KnownConstraint>();
  /** What was set aside for the load, re-created at commit. */
  setAside: SetAside[] = [];
  /** Keys and indexes left in place (and loaded into) because objects outside the load depend on them. */
  kept: KeptForDependents[] = [];
  /** Tables with an identity GENERATED ALWAYS column among the dataset's columns. */
  readonly identityAlways = new Set<string>();
  /**
   * Tables created or emptied by this transaction: their COPY runs with FREEZE (rows written frozen
   * and all-visible, so the first reads and vacuums after the run do not rewrite every page).
   */
  readonly fresh = new Set<string>();

  private readonly phases: Phases;
  /** Emptying was confirmed once (a retry at a lower level does not ask again). */
  private confirmed = false;

  constructor(private readonly o: PrepareContext) {
    this.phases = o.phases ?? new Phases('postgres');
  }

  private q(text: string, values?: unknown[]): Promise<QueryResultLike> {
    return this.o.client.query(text, values);
  }

  private t(name: string): string {
    return this.o.names.rel(name);
  }

  private planned(names: readonly string[]): [string[], string[]] {
    return this.o.names.pairs(names);
  }

  private log(line: string): void {
    this.o.log(line);
  }

  async run(tables: readonly TableInfo[]): Promise<void> {
    const names = tables.map((t) => t.name);
    this.assertNotUntouched(tables);
    const catalog = await this.phases.step('reading the schema', () => readCatalog(this.o.client, this.o.names, names));
    const exists = (t: TableInfo): boolean => catalog.tables.has(t.name);
    let toCreate: TableInfo[] = [];
    let toDrop: TableInfo[] = [];
    let toKeep: TableInfo[] = [...tables];
    if (this.o.createTables) {
      if (this.o.mode === 'replace') {
        toDrop = tables.filter(exists);
        toCreate = [...tables];
        toKeep = [];
      } else {
        toCreate = tables.filter((t) => !exists(t));
        toKeep = tables.filter(exists);
      }
    }
    // Everything is checked before anything changes.
    assertSchemaFits(toKeep, catalog, describeTarget(this.o.url));
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
    if (this.o.mode === 'replace') markFresh(toKeep);
    markFresh(toCreate);
    if (this.o.mode === 'append') await this.assertAppendFits(toKeep);
    const locks = await this.chooseLevel(toKeep, toCreate.length, tables.length);
    if (this.o.mode === 'replace' && toDrop.length === 0 && toCreate.length === 0) {
      // Constraints go first, including foreign keys of tables outside the plan that reference
      // planned ones (a partial run, `--only`): TRUNCATE then needs no CASCADE, those tables keep
      // their rows, and re-creating the keys at commit checks they still match the new rows.
      // Inside a savepoint: when the server's lock table runs out, the locks are released and the
      // next level (fewer constraints set aside, fewer locks) is tried.
      for (const level of LEVELS.slice(LEVELS.indexOf(locks.level))) {
        this.level = level;
        await this.q('SAVEPOINT seedpipe_prepare');
        try {
          await this.setConstraintsAside(names);
          await this.phases.step('emptying tables', () => this.emptyTables(toKeep, toDrop));
          await this.q('RELEASE SAVEPOINT seedpipe_prepare');
          return;
        } catch (e) {
          if (dbFields(e).code !== OUT_OF_LOCKS) throw e;
          await this.q('ROLLBACK TO SAVEPOINT seedpipe_prepare');
          this.setAside = [];
          this.kept = [];
          this.log(`the server's lock table is full with constraints set aside at level ${level}; trying with fewer`);
        }
      }
      throw locksError(describeTarget(this.o.url), locks.needed, locks.cap, locks.raiseTo, tables.length);
    }
    if (this.o.mode === 'replace') await this.phases.step('emptying tables', () => this.emptyTables(toKeep, toDrop));
    if (toDrop.length) {
      this.log(`dropping ${toDrop.length} existing table(s) to create them again: ${toDrop.map((t) => t.name).join(', ')}`);
      await this.q(`DROP TABLE ${toDrop.map((t) => this.t(t.name)).join(', ')}`);
    }
    if (toCreate.length) await this.phases.step('creating tables', () => this.createTables(toCreate));
    await this.setConstraintsAside(names);
  }

  /** What is set aside: what the options ask for, lowered until the server's lock table holds it. */
  level: SetAsideLevel = 'full';

  private async chooseLevel(existing: readonly TableInfo[], created: number, tables: number): Promise<{ level: SetAsideLevel; needed: number; cap: LockCapacity; raiseTo: number }> {
    const wanted: SetAsideLevel = this.o.dropConstraints === false ? 'outside' : 'full';
    const q = (sql: string, v?: unknown[]) => this.q(sql, v);
    const objects = await countLockObjects(q, this.planned(existing.map((t) => t.name)));
    const cap = await lockCapacity(q);
    const choice = chooseLevel(objects, cap, wanted, { replace: this.o.mode === 'replace', created, tables, missing: this.o.mode === 'missing' });
    if (choice.level !== wanted) {
      this.log(`${choice.needed.toLocaleString('en-US')} locks needed; the server's lock table holds about ${choice.capacity.toLocaleString('en-US')}: keys${choice.level === 'outside' ? ', indexes and foreign keys' : ''} stay in place during the load`);
    }
    this.level = choice.level;
    return { level: choice.level, needed: choice.needed, cap, raiseTo: choice.raiseTo };
  }

  private setConstraintsAside(names: readonly string[]): Promise<void> {
    return this.phases.step('setting constraints aside', async () => {
      await this.readConstraints(names);
      await this.dropForFastPath(names);
    });
  }

  private rememberIdentity(tables: readonly TableInfo[], catalog: CatalogSnapshot): void {
    for (const t of tables) {
      const ours = new Set(t.columns.map((c) => c.sqlName ?? c.name));
      if (catalog.columns.some((c) => c.table === t.name && ours.has(c.column) && c.identity === 'a')) this.identityAlways.add(t.name);
    }
  }

  /** In append mode, new keys must start after the existing ones (plan with `appendOffsets`). */
  private async assertAppendFits(tables: readonly TableInfo[]): Promise<void> {
    for (const t of tables) {
      const pk = t.primaryKey.length === 1 ? t.columns.find((c) => c.name === t.primaryKey[0]) : undefined;
      if (!pk || !['bigint', 'int', 'smallint'].includes(pk.type) || t.rows === 0) continue;
      const r = await this.q(`SELECT max(${this.o.names.col(t.name, pk.name)})::text AS m FROM ${this.t(t.name)}`);
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
      `WITH RECURSIVE planned AS (${oidsOf('$1', '$2')}), reach(oid) AS (
         SELECT oid FROM planned
         UNION
         SELECT con.conrelid FROM pg_constraint con JOIN reach r ON con.confrelid = r.oid WHERE con.contype = 'f'
       )
       SELECT r.oid::regclass::text AS name, n.nspname AS schema, c.relname AS rel, r.oid NOT IN (SELECT oid FROM planned) AS outside
         FROM reach r JOIN pg_class c ON c.oid = r.oid JOIN pg_namespace n ON n.oid = c.relnamespace`,
      this.planned(all),
    );
    const outsideRows = dep.rows.filter((r) => r.outside === true);
    const outside = outsideRows.map((r) => String(r.name));
    const untouched = outsideRows.filter((r) => this.isUntouched(String(r.schema), String(r.rel))).map((r) => String(r.name));
    if (untouched.length && keep.length) {
      throw new SeedpipeError('UNTOUCHED_WOULD_EMPTY',
        `Emptying ${keep.map((t) => t.name).join(', ')} would also empty ${untouched.join(', ')} (framework bookkeeping, never emptied): their foreign keys reference planned tables. ` +
        `Nothing was changed. Run without --no-fast-path and without --create-tables (the fast path sets those foreign keys aside instead), or use --mode append or --mode missing.`,
        { disposition: 'usage', data: { tables: untouched } });
    }
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
    if (nonEmpty.length && !this.o.yes && !this.confirmed) {
      const ok = this.o.confirm ? await this.o.confirm(nonEmpty) : false;
      this.confirmed = ok;
      if (!ok) {
        throw new SeedpipeError('TRUNCATE_NOT_CONFIRMED',
          `Not emptying ${nonEmpty.join(', ')} in ${describeTarget(this.o.url)}: they hold rows and emptying them was not confirmed. ` +
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
    const types = tables.flatMap((t) => t.columns.filter((c) => c.enumValues).map((c) => ({ schema: this.o.names.schema(t.name), name: enumTypeName(t.name, c.name) })));
    if (types.length) {
      const existing = await this.q(
        `SELECT format('%I.%I', n.nspname, t.typname) AS name FROM unnest($1::text[], $2::text[]) AS w(nsp, typ)
           JOIN pg_namespace n ON n.nspname = w.nsp JOIN pg_type t ON t.typnamespace = n.oid AND t.typname = w.typ`,
        [types.map((t) => t.schema), types.map((t) => t.name)],
      );
      // Left over from an earlier schema (its tables were dropped above or never existed): created again.
      if (existing.rows.length) await this.q(`DROP TYPE ${existing.rows.map((r) => String(r.name)).join(', ')}`);
    }
    for (const schema of new Set(tables.map((t) => this.o.names.schema(t.name)))) {
      if (schema !== 'public') await this.q(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    }
    this.log(`creating ${tables.length} table(s): ${tables.map((t) => t.name).join(', ')}`);
    await this.q(renderDdl(tables, { schema: this.o.names.defaultSchema }));
  }

  /** Names every constraint on (or pointing at) the planned tables, so violations can name columns. */
  private async readConstraints(names: readonly string[]): Promise<void> {
    const r = await this.q(
      `SELECT con.conname AS name, con.conrelid::regclass::text AS "table", con.contype::text AS kind,
              pg_get_constraintdef(con.oid) AS definition,
              coalesce((SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, n)
                          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum), '{}') AS columns
         FROM pg_constraint con
        WHERE con.conrelid IN (${oidsOf('$1', '$2')}) OR con.confrelid IN (${oidsOf('$1', '$2')})`,
      this.planned(names),
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
    const plan = await readSetAside((sql, v) => this.q(sql, v), this.planned(names), { keys: this.o.mode === 'replace', level: this.level });
    this.setAside = plan.items;
    this.kept = plan.kept;
    const drops = dropStatements(this.setAside);
    if (drops.length) await this.q(drops.join('\n'));
    const n = (k: SetAside['kind']) => this.setAside.filter((s) => s.kind === k).length;
    this.log(`fast path: ${n('fk')} foreign key(s), ${n('key')} primary/unique key(s) and ${n('index')} index(es) dropped until commit`);
    for (const k of plan.kept) this.log(`kept ${k.kind === 'key' ? 'key' : 'index'} ${k.name} on ${k.table} (loaded into, not dropped): ${k.dependents.join(', ')} depend${k.dependents.length === 1 ? 's' : ''} on it`);
  }

  private isUntouched(schema: string, table: string): boolean {
    return (this.o.untouched ?? []).some((u) => u.schema === schema && u.table === table);
  }

  /** A dataset table the dataset also declares untouched (framework bookkeeping) is refused before anything changes. */
  private assertNotUntouched(tables: readonly TableInfo[]): void {
    const clash = tables.filter((t) => this.isUntouched(this.o.names.schema(t.name), this.o.names.sqlName(t.name)));
    if (clash.length) {
      throw new SeedpipeError('UNTOUCHED_TABLE_PLANNED',
        `${clash.map((t) => t.name).join(', ')}: declared untouched (framework bookkeeping, never written or emptied) but also planned. ` +
        `Remove ${clash.length === 1 ? 'it' : 'them'} from the dataset's tables, or from its untouched list to generate ${clash.length === 1 ? 'it' : 'them'}.`,
        { disposition: 'usage', data: { tables: clash.map((t) => t.name) } });
    }
  }
}
