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
import { qualified, quoteIdent } from './ddl.js';

export type SetAsideKind = 'key' | 'index' | 'fk';

export interface SetAside {
  kind: SetAsideKind;
  /** `regclass` text of the table it belongs to (schema-qualified when needed). */
  table: string;
  name: string;
  /** For keys and foreign keys `pg_get_constraintdef`; for indexes the whole `CREATE INDEX`. */
  definition: string;
}

type Query = (sql: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

const PLANNED = `SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2::text[])`;

/** Reads what a bulk load of `tables` (in `schema`) sets aside, in restore order. Changes nothing. */
export async function readSetAside(q: Query, schema: string, tables: readonly string[], opts: { keys: boolean }): Promise<SetAside[]> {
  const fks = await q(
    `SELECT con.conrelid::regclass::text AS "table", con.conname AS name, pg_get_constraintdef(con.oid) AS definition
       FROM pg_constraint con
      WHERE con.contype = 'f' AND con.conparentid = 0 -- partition clones go with their parent constraint
        AND (con.conrelid IN (${PLANNED}) OR con.confrelid IN (${PLANNED}))
      ORDER BY con.conrelid::regclass::text, con.conname`,
    [schema, tables],
  );
  const keys = opts.keys
    ? await q(
      `SELECT con.conrelid::regclass::text AS "table", con.conname AS name, pg_get_constraintdef(con.oid) AS definition
         FROM pg_constraint con
        WHERE con.contype IN ('p', 'u') AND con.conparentid = 0 AND con.conrelid IN (${PLANNED})
          -- a view grouping by a primary key depends on it: dropping the key would need the view dropped too
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.refobjid = con.oid AND d.classid = 'pg_rewrite'::regclass)
        ORDER BY 1, con.contype, 2`,
      [schema, tables],
    )
    : { rows: [] };
  const ixs = await q(
    `SELECT i.indrelid::regclass::text AS "table", i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid IN (${PLANNED}) AND NOT i.indisprimary AND (NOT i.indisunique OR $3)
        -- an index of a partition that belongs to its parent's index goes with that one
        AND NOT ic.relispartition
        AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
      ORDER BY 1, 2`,
    [schema, tables, opts.keys],
  );
  const row = (kind: SetAsideKind) => (r: Record<string, unknown>): SetAside => ({ kind, table: String(r.table), name: String(r.name), definition: String(r.definition) });
  return [
    ...keys.rows.map(row('key')),
    // pg_get_indexdef prints `ON ONLY` for an index of a partitioned table; re-created without it, the
    // index cascades to the partitions again (DROP INDEX removed theirs too).
    ...ixs.rows.map(row('index')).map((i) => ({ ...i, definition: i.definition.replace(/ ON ONLY /, ' ON ') })),
    ...fks.rows.map(row('fk')),
  ];
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

/** Sets every sequence behind a loaded column (serial or identity) to the column's maximum. */
export async function moveSequences(q: Query, schema: string, tables: readonly { name: string; columns: readonly { name: string }[] }[]): Promise<void> {
  for (const t of tables) {
    const rel = qualified(t.name, schema);
    const r = await q(`SELECT c AS "column", pg_get_serial_sequence($1, c) AS seq FROM unnest($2::text[]) AS c`, [rel, t.columns.map((c) => c.name)]);
    for (const row of r.rows) {
      if (row.seq === null || row.seq === undefined) continue;
      await q(`SELECT setval($1::regclass, m) FROM (SELECT max(${quoteIdent(String(row.column))}) AS m FROM ${rel}) x WHERE m IS NOT NULL`, [row.seq]);
    }
  }
}
