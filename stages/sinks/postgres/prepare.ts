/**
 * What the Postgres sink does in `open`, inside the run's transaction, before any row: check the
 * schema (or create it), empty the planned tables in `replace` mode (after confirmation), then set
 * constraints aside for the load (the shared, partition-aware `constraints.ts`). Everything is
 * checked before anything changes.
 */
import { SeedpipeError, type TableInfo } from '../../../src/stage-kit.js';
import type { KnownConstraint, PgClientLike, QueryResultLike } from './client.js';
import { dropStatements, readSetAside, type SetAside } from './constraints.js';
import { enumTypeName, qualified, quoteIdent, renderDdl } from './ddl.js';
import type { PostgresLoadMode } from './options.js';
import { describeTarget } from './safety.js';
import { assertSchemaFits, readCatalog, type CatalogSnapshot } from './schema-check.js';

export interface PrepareContext {
  client: PgClientLike;
  url: string;
  schema: string;
  mode: PostgresLoadMode;
  createTables?: boolean;
  dropConstraints?: boolean;
  yes?: boolean;
  confirm?: (tables: string[]) => Promise<boolean>;
  log: (line: string) => void;
}

export class Preparation {
  /** Constraints by name (from the catalog), so violations can name their columns. */
  readonly known = new Map<string, KnownConstraint>();
  /** What was set aside for the load, re-created at commit. */
  setAside: SetAside[] = [];
  /** Tables with an identity GENERATED ALWAYS column among the dataset's columns. */
  readonly identityAlways = new Set<string>();
  /**
   * Tables created or emptied by this transaction: their COPY runs with FREEZE (rows written frozen
   * and all-visible, so the first reads and vacuums after the run do not rewrite every page).
   */
  readonly fresh = new Set<string>();

  constructor(private readonly o: PrepareContext) {}

  private q(text: string, values?: unknown[]): Promise<QueryResultLike> {
    return this.o.client.query(text, values);
  }

  private t(name: string): string {
    return qualified(name, this.o.schema);
  }

  private log(line: string): void {
    this.o.log(line);
  }

  async run(tables: readonly TableInfo[]): Promise<void> {
    const names = tables.map((t) => t.name);
    const catalog = await readCatalog(this.o.client, this.o.schema, names);
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
    const fastPath = this.o.dropConstraints !== false;
    if (this.o.mode === 'replace' && fastPath && toDrop.length === 0 && toCreate.length === 0) {
      // Constraints go first, including foreign keys of tables outside the plan that reference
      // planned ones (a partial run, `--only`): TRUNCATE then needs no CASCADE, those tables keep
      // their rows, and re-creating the keys at commit checks they still match the new rows.
      await this.readConstraints(names);
      await this.dropForFastPath(names);
      await this.emptyTables(toKeep, toDrop);
      return;
    }
    if (this.o.mode === 'replace') await this.emptyTables(toKeep, toDrop);
    if (toDrop.length) {
      this.log(`dropping ${toDrop.length} existing table(s) to create them again: ${toDrop.map((t) => t.name).join(', ')}`);
      await this.q(`DROP TABLE ${toDrop.map((t) => this.t(t.name)).join(', ')}`);
    }
    if (toCreate.length) await this.createTables(toCreate);
    await this.readConstraints(names);
    if (this.o.dropConstraints !== false) await this.dropForFastPath(names);
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
      [this.o.schema, all],
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
    if (nonEmpty.length && !this.o.yes) {
      const ok = this.o.confirm ? await this.o.confirm(nonEmpty) : false;
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
    const types = tables.flatMap((t) => t.columns.filter((c) => c.enumValues).map((c) => enumTypeName(t.name, c.name)));
    if (types.length) {
      const existing = await this.q(
        `SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typname = ANY($2::text[])`,
        [this.o.schema, types],
      );
      // Left over from an earlier schema (its tables were dropped above or never existed): created again.
      if (existing.rows.length) await this.q(`DROP TYPE ${existing.rows.map((r) => this.t(String(r.name))).join(', ')}`);
    }
    this.log(`creating ${tables.length} table(s): ${tables.map((t) => t.name).join(', ')}`);
    await this.q(renderDdl(tables, { schema: this.o.schema }));
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
      [this.o.schema, names],
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
    this.setAside = await readSetAside((sql, v) => this.q(sql, v), this.o.schema, names, { keys: this.o.mode === 'replace' });
    const drops = dropStatements(this.setAside);
    if (drops.length) await this.q(drops.join('\n'));
    const n = (k: SetAside['kind']) => this.setAside.filter((s) => s.kind === k).length;
    this.log(`fast path: ${n('fk')} foreign key(s), ${n('key')} primary/unique key(s) and ${n('index')} index(es) dropped until commit`);
  }
}
