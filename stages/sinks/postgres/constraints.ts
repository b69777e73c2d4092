/**
 * Setting constraints aside for a bulk load and putting them back: one implementation for the sink's
 * fast path and for sharded loads (`prepare` sets aside, `finalize` restores).
 *
 * What is set aside: the foreign keys pointing to or from the planned tables (including those of
 * tables outside the plan, so TRUNCATE needs no CASCADE), their plain secondary indexes, and — when
 * asked (`keys`, the replace fast path) — their primary keys, unique constraints and unique indexes.
 * Partitioned tables: only the parent's constraint or index is taken (`conparentid = 0`; an index of
 * a partitioned table printed `ON ONLY` is re-created without it), so re-creating it cascades to the
 * partitions again, as dropping it removed theirs.
 * Restoring goes keys → indexes → foreign keys (foreign keys need the keys they reference), each one
 * set-based build or validation.
 */
import { quoteIdent } from './ddl.js';
import type { SetAsideLevel } from './locks.js';
import { oidsOf, relOf, columnNameOf, type NamedTable } from './names.js';

export type SetAsideKind = 'key' | 'index' | 'fk';

export interface SetAside {
  kind: SetAsideKind;
  /** `regclass` text of the table it belongs to (schema-qualified when needed). */
  table: string;
  name: string;
  /** For keys and foreign keys `pg_get_constraintdef`; for indexes the whole `CREATE INDEX`. */
  definition: string;
  /** Oid of `table`, and for a foreign key of the table it references (when read from the catalog). */
  tableOid?: string;
  refOid?: string;
}

/** A key or index the fast path leaves in place because something outside the load depends on it. */
export interface KeptForDependents {
  kind: 'key' | 'index';
  table: string;
  name: string;
  /** What depends on it, as Postgres describes it (`view public.flat_filters`, …). */
  dependents: string[];
}

export interface SetAsidePlan {
  /** What is dropped now and re-created at commit, in restore order. */
  items: SetAside[];
  /** Keys and indexes kept (and loaded into) because views, rules or others depend on them. */
  kept: KeptForDependents[];
}

type Query = (sql: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** The planned tables, as `[schemas, database names]` (see `SqlNames.pairs`). */
export type PlannedTables = readonly [readonly string[], readonly string[]];

const PLANNED = oidsOf('$1', '$2');

/**
 * Reads what a bulk load of `tables` sets aside, in restore order. Changes nothing. A key or index
 * that an object outside the load depends on (a view or materialized view using it for GROUP BY, a
 * rule, a foreign key that is not set aside, a partition's index of another owner) is kept instead:
 * dropping it would need CASCADE, which would destroy that object.
 */
export async function readSetAside(q: Query, tables: PlannedTables, opts: { keys: boolean; level?: SetAsideLevel }): Promise<SetAsidePlan> {
  const p = [tables[0], tables[1]];
  const level = opts.level ?? 'full';
  const fks = await q(
    `SELECT con.oid::int8::text AS oid, con.conrelid::regclass::text AS "table", con.conname AS name, pg_get_constraintdef(con.oid) AS definition,
            con.conrelid::int8::text AS table_oid, con.confrelid::int8::text AS ref_oid
       FROM pg_constraint con
      WHERE con.contype = 'f' AND con.conparentid = 0 -- partition clones go with their parent constraint
        AND ${level === 'outside' ? `con.conrelid NOT IN (${PLANNED}) AND con.confrelid IN (${PLANNED})` : `(con.conrelid IN (${PLANNED}) OR con.confrelid IN (${PLANNED}))`}
      ORDER BY con.conrelid::regclass::text, con.conname`,
    p,
  );
  const keys = opts.keys && level === 'full'
    ? await q(
      `SELECT con.oid::int8::text AS oid, con.conrelid::regclass::text AS "table", con.conname AS name, pg_get_constraintdef(con.oid) AS definition,
              con.conrelid::int8::text AS table_oid
         FROM pg_constraint con
        WHERE con.contype IN ('p', 'u') AND con.conparentid = 0 AND con.conrelid IN (${PLANNED})
        ORDER BY 2, con.contype, 3`,
      p,
    )
    : { rows: [] };
  const ixs = level === 'outside' ? { rows: [] } : await q(
    `SELECT i.indexrelid::int8::text AS oid, i.indrelid::regclass::text AS "table", i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition,
            i.indrelid::int8::text AS table_oid
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid IN (${PLANNED}) AND NOT i.indisprimary AND (NOT i.indisunique OR $3)
        -- an index of a partition that belongs to its parent's index goes with that one
        AND NOT ic.relispartition
        AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
      ORDER BY 2, 3`,
    [...p, opts.keys],
  );
  const candidates = [
    ...keys.rows.map((r) => ({ kind: 'key' as const, oid: String(r.oid), classid: 'pg_constraint' })),
    ...ixs.rows.map((r) => ({ kind: 'index' as const, oid: String(r.oid), classid: 'pg_class' })),
  ];
  const blocked = await dependentsOf(q, candidates, fks.rows.map((r) => String(r.oid)));
  const row = (kind: SetAsideKind) => (r: Record<string, unknown>): SetAside => ({
    kind, table: String(r.table), name: String(r.name), definition: String(r.definition),
    ...(r.table_oid ? { tableOid: String(r.table_oid) } : {}),
    ...(r.ref_oid ? { refOid: String(r.ref_oid) } : {}),
  });
  const kept: KeptForDependents[] = [];
  const free = (kind: 'key' | 'index') => (r: Record<string, unknown>): boolean => {
    const deps = blocked.get(String(r.oid));
    if (deps) kept.push({ kind, table: String(r.table), name: String(r.name), dependents: deps });
    return !deps;
  };
  return {
    items: [
      ...keys.rows.filter(free('key')).map(row('key')),
      // pg_get_indexdef prints `ON ONLY` for an index of a partitioned table; re-created without it, the
      // index cascades to the partitions again (DROP INDEX removed theirs too).
      ...ixs.rows.filter(free('index')).map(row('index')).map((i) => ({ ...i, definition: i.definition.replace(/ ON ONLY /, ' ON ') })),
      ...fks.rows.map(row('fk')),
    ],
    kept,
  };
}

/**
 * For each candidate (a key's constraint or an index), what outside the load depends on it or on
 * the objects that go with it (its index, its partitions' constraints and indexes): views and
 * materialized views (through their rewrite rule), rules, foreign keys that are not being set
 * aside, anything else Postgres records. Candidates nothing depends on are absent.
 */
async function dependentsOf(q: Query, candidates: readonly { oid: string; classid: string }[], fkOids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (candidates.length === 0) return out;
  const r = await q(
    `WITH RECURSIVE tree(root, classid, objid) AS (
       SELECT c.root, c.cls::regclass::oid, c.root FROM unnest($1::oid[], $2::text[]) AS c(root, cls)
       UNION
       SELECT t.root, d.classid, d.objid FROM pg_depend d JOIN tree t ON d.refclassid = t.classid AND d.refobjid = t.objid
        WHERE d.deptype IN ('i', 'P')
     ), dropped(oid) AS (
       SELECT unnest($3::oid[])
       UNION
       SELECT c.oid FROM pg_constraint c JOIN dropped ON c.conparentid = dropped.oid
     )
     SELECT t.root::int8::text AS root,
            array_agg(DISTINCT CASE WHEN d.classid = 'pg_rewrite'::regclass
                                    THEN coalesce((SELECT CASE c.relkind WHEN 'm' THEN 'materialized view ' WHEN 'v' THEN 'view ' ELSE 'rule on ' END || c.oid::regclass::text
                                                     FROM pg_rewrite rw JOIN pg_class c ON c.oid = rw.ev_class WHERE rw.oid = d.objid), pg_describe_object(d.classid, d.objid, d.objsubid))
                                    ELSE pg_describe_object(d.classid, d.objid, d.objsubid) END) AS dependents
       FROM tree t JOIN pg_depend d ON d.refclassid = t.classid AND d.refobjid = t.objid
      WHERE d.deptype NOT IN ('i', 'P', 'S')
        AND NOT EXISTS (SELECT 1 FROM tree t2 WHERE t2.root = t.root AND t2.classid = d.classid AND t2.objid = d.objid)
        AND NOT (d.classid = 'pg_constraint'::regclass AND d.objid IN (SELECT oid FROM dropped))
      GROUP BY t.root`,
    [candidates.map((c) => c.oid), candidates.map((c) => c.classid), [...fkOids]],
  );
  for (const row of r.rows) out.set(String(row.root), (row.dependents as string[]).filter(Boolean));
  return out;
}

/** The DROP statements for what `readSetAside` found: foreign keys first (they depend on the keys). */
export function dropStatements(set: readonly SetAside[]): string[] {
  const of = (k: SetAsideKind) => set.filter((s) => s.kind === k);
  const indexes = of('index');
  return [
    ...of('fk').map((f) => `ALTER TABLE ${f.table} DROP CONSTRAINT ${quoteIdent(f.name)};`),
    ...of('key').map((k) => `ALTER TABLE ${k.table} DROP CONSTRAINT ${quoteIdent(k.name)};`),
    ...(indexes.length ? [`DROP INDEX ${indexes.map((i) => i.name).join(', ')};`] : []),
  ];
}

/** The statement that re-creates one object. */
export function restoreStatement(s: SetAside): string {
  return s.kind === 'index' ? s.definition : `ALTER TABLE ${s.table} ADD CONSTRAINT ${quoteIdent(s.name)} ${s.definition}`;
}

/** Restore order: keys, then indexes, then foreign keys. */
export function restoreOrder(set: readonly SetAside[]): SetAside[] {
  const rank: Record<SetAsideKind, number> = { key: 0, index: 1, fk: 2 };
  return [...set].sort((a, b) => rank[a.kind] - rank[b.kind]);
}

/** A loaded table as `moveSequences` needs it: its names and the sequences its columns declare. */
export type SequencedTable = NamedTable & { readonly columns: readonly { name: string; sqlName?: string; sequence?: { schema: string; name: string } }[] };

/**
 * Moves every sequence behind a loaded column past the column's largest value: the sequences the
 * dataset declares (`ColumnInfo.sequence`, owned or not, any schema), and those the catalog links to
 * the column (serial, identity, any `DEFAULT nextval('…')`). A sequence several columns share goes
 * past the largest of them; a sequence already further is left alone. Afterwards an application's
 * INSERT without an id gets a fresh one.
 */
export async function moveSequences(q: Query, tables: readonly SequencedTable[], defaultSchema = 'public'): Promise<number> {
  /** Sequence (regclass text) → SQL of the column maxima it must pass. */
  const maxima = new Map<string, string[]>();
  const add = (seq: string, expr: string): void => void (maxima.get(seq) ?? maxima.set(seq, []).get(seq)!).push(expr);
  for (const t of tables) {
    if (t.columns.length === 0) continue;
    const rel = relOf(t, defaultSchema);
    const sqlCols = t.columns.map((c) => columnNameOf(t, c.name));
    const r = await q(
      `SELECT a.attname AS "column", s.oid::regclass::text AS seq
         FROM pg_attribute a
         JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
         JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid AND d.refclassid = 'pg_class'::regclass
         JOIN pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'
        WHERE a.attrelid = $1::text::regclass AND a.attname = ANY($2::text[])
       UNION
       SELECT c AS "column", pg_get_serial_sequence($1::text, c) AS seq FROM unnest($2::text[]) AS c WHERE pg_get_serial_sequence($1::text, c) IS NOT NULL`,
      [rel, sqlCols],
    );
    for (const row of r.rows) add(String(row.seq), `SELECT max(${quoteIdent(String(row.column))})::numeric AS m FROM ${rel}`);
    for (const c of t.columns) {
      if (!c.sequence) continue;
      // A declared sequence that is not there (the dataset loaded into another schema) is skipped.
      const seq = `${quoteIdent(c.sequence.schema)}.${quoteIdent(c.sequence.name)}`;
      const found = await q(`SELECT to_regclass($1)::text AS seq`, [seq]);
      if (found.rows[0]?.seq) add(String(found.rows[0].seq), `SELECT max(${quoteIdent(columnNameOf(t, c.name))})::numeric AS m FROM ${rel}`);
    }
  }
  let moved = 0;
  for (const [seq, parts] of maxima) {
    const r = await q(
      `SELECT setval($1::regclass, x.m::bigint) AS v
         FROM (SELECT max(m) AS m FROM (${[...new Set(parts)].join(' UNION ALL ')}) u) x, pg_sequences ps
        WHERE ps.schemaname::text || '.' || ps.sequencename::text = (SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::regclass)
          AND x.m IS NOT NULL AND ps.increment_by > 0 AND x.m <= ps.max_value AND x.m >= coalesce(ps.last_value, ps.start_value - 1)`,
      [seq],
    );
    moved += r.rows.length;
  }
  return moved;
}
