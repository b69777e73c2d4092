/**
 * `missing` mode: the staged rows of one table go into it unless a row with the same key, or the
 * same value of any other unique constraint or index, is already there. What is left out is
 * counted per reason, so a re-run says what it skipped and why:
 *   - a row whose parent is not there (its parent was itself skipped for a unique conflict, or
 *     never loaded): left out before the INSERT, so the run does not later fail on a foreign key
 *     and blame this table;
 *   - a row colliding with an existing one, counted under the first unique constraint or index it
 *     collides with (the primary key first);
 *   - any other row ON CONFLICT left out (a duplicate within the run, a partial or expression
 *     unique index), counted together.
 */
import type { TableInfo } from '../../../src/stage-kit.js';
import { quoteIdent } from './ddl.js';
import type { SqlNames } from './names.js';

type Query = (sql: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;

export interface MissingResult {
  staged: number;
  inserted: number;
  /** Rows left out, by reason (a constraint or index name, `parent missing: <fk>`, another unique conflict). */
  skipped: Record<string, number>;
}

export async function insertMissing(
  q: Query, names: SqlNames, info: TableInfo, stage: string,
  o: { overriding: boolean; insertedKeys?: string },
): Promise<MissingResult> {
  const target = names.rel(info.name);
  const col = (c: string): string => names.col(info.name, c);
  const skipped: Record<string, number> = {};
  const staged = Number((await q(`SELECT count(*)::bigint AS n FROM ${stage}`)).rows[0]?.n ?? 0);
  const deferred = new Set(info.columns.filter((c) => c.deferred).map((c) => c.name));
  for (const fk of info.foreignKeys) {
    if (fk.columns.some((c) => deferred.has(c))) continue;
    const on = fk.columns.map((c, j) => `p.${names.col(fk.table, fk.refColumns[j]!)} = s.${col(c)}`).join(' AND ');
    const present = fk.columns.map((c) => `s.${col(c)} IS NOT NULL`).join(' AND ');
    const r = await q(`DELETE FROM ${stage} s WHERE ${present} AND NOT EXISTS (SELECT 1 FROM ${names.rel(fk.table)} p WHERE ${on})`);
    if (r.rowCount) skipped[`parent missing: ${info.name}(${fk.columns.join(', ')}) → ${fk.table}`] = r.rowCount;
  }
  // The target's unique constraints and indexes on plain columns, the primary key first.
  const uniques = await q(
    `SELECT ic.relname AS name, pg_get_expr(i.indpred, i.indrelid) AS predicate,
            array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = $1::text::regclass AND i.indisunique AND i.indexprs IS NULL
      ORDER BY i.indisprimary DESC, ic.relname`,
    [target],
  );
  const ours = new Set(info.columns.map((c) => c.sqlName ?? c.name));
  const cases = uniques.rows
    .filter((u) => (u.columns as string[]).every((c) => ours.has(c)) && !u.predicate)
    .map((u) => `WHEN EXISTS (SELECT 1 FROM ${target} t WHERE ${(u.columns as string[]).map((c) => `t.${quoteIdent(c)} = s.${quoteIdent(c)}`).join(' AND ')}) THEN ${literal(String(u.name))}`);
  const conflicts = cases.length
    ? await q(`SELECT k, count(*)::bigint AS n FROM (SELECT CASE ${cases.join(' ')} END AS k FROM ${stage} s) x WHERE k IS NOT NULL GROUP BY k`)
    : { rows: [], rowCount: 0 };
  for (const r of conflicts.rows) skipped[String(r.k)] = Number(r.n);
  const cols = names.cols(info.name);
  const insert = `INSERT INTO ${target} (${cols})${o.overriding ? ' OVERRIDING SYSTEM VALUE' : ''} SELECT ${cols} FROM ${stage} ON CONFLICT DO NOTHING`;
  let r;
  if (o.insertedKeys) {
    // Deferred values are applied only to rows this run inserted.
    const pk = names.cols(info.name, info.primaryKey);
    r = await q(`WITH ins AS (${insert} RETURNING ${pk}) INSERT INTO ${o.insertedKeys} (${pk}) SELECT ${pk} FROM ins`);
  } else {
    r = await q(insert);
  }
  const inserted = r.rowCount ?? 0;
  const left = staged - inserted - Object.values(skipped).reduce((a, b) => a + b, 0);
  if (left > 0) skipped['another unique conflict (a row of this run, a partial or expression unique index)'] = left;
  await q(`DROP TABLE ${stage}`);
  return { staged, inserted, skipped };
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** One line for the log: `t: 3 inserted of 10 staged; skipped 5 (t_pkey), 2 (parent missing: …)`. */
export function describeMissing(table: string, r: MissingResult): string {
  const parts = Object.entries(r.skipped).map(([k, n]) => `${n} (${k})`);
  return `${table}: ${r.inserted} row(s) inserted of ${r.staged} staged${parts.length ? `; skipped ${parts.join(', ')}` : ''}`;
}
