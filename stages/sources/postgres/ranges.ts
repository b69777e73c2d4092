/**
 * Slices of a table for `--shard k/n`: disjoint and together complete, computed from the data alone,
 * so n independent processes agree on them without talking to each other.
 *
 * - With a primary key (any type, composite too): the rows are numbered in key order and slice k is
 *   rows [⌊kN/n⌋, ⌊(k+1)N/n⌋), expressed as row-value bounds on the key (`(a, b) >= (…) AND (a, b) < (…)`),
 *   found by one pass over the key's index.
 * - Without one: physical block ranges (`ctid`), which a TID range scan reads directly.
 */
import { SeedpipeError, quoteLiteral, qualified, type TableInfo } from '../../../src/stage-kit.js';
import type { PgReadClient } from './client.js';

export interface Slice {
  /** SQL condition selecting the slice (`TRUE` for the whole table). */
  where: string;
  /** Rows in the slice when known from the split. */
  rows: number | undefined;
}

const rowValue = (cols: readonly string[]): string => (cols.length === 1 ? cols[0]! : `(${cols.join(', ')})`);

export async function sliceOf(client: PgReadClient, info: TableInfo, key: readonly string[], partitioned: boolean, filter: string, shard: { index: number; count: number }): Promise<Slice> {
  const rel = qualified(info.name, info.schema);
  const { index: k, count: n } = shard;
  if (key.length === 0) {
    if (partitioned) {
      throw new SeedpipeError('SOURCE_SHARD_NO_KEY', `table ${info.name} is partitioned and has no primary key, so it cannot be split into shards (block ranges repeat across partitions); add a primary key or export it without --shard`, { disposition: 'usage', data: { table: info.name } });
    }
    const r = await client.query(`SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::bigint)::text AS pages`, [rel]);
    const pages = Number(r.rows[0]!.pages);
    const lo = Math.floor((k * pages) / n);
    const hi = Math.floor(((k + 1) * pages) / n);
    // The last slice has no upper bound: rows on blocks added since the size was read still belong to one slice.
    const parts = [k > 0 ? `ctid >= '(${lo},0)'::tid` : '', k < n - 1 ? `ctid < '(${hi},0)'::tid` : ''].filter(Boolean);
    return { where: parts.join(' AND ') || 'TRUE', rows: undefined };
  }
  const total = Number((await client.query(`SELECT count(*)::text AS n FROM ${rel} WHERE ${filter}`)).rows[0]!.n);
  const lo = Math.floor((k * total) / n);
  const hi = Math.floor(((k + 1) * total) / n);
  if (lo === hi) return { where: 'FALSE', rows: 0 };
  const wanted = [lo, hi].filter((x) => x > 0 && x < total);
  const bounds = new Map<number, string[]>();
  if (wanted.length) {
    const cols = key.map((c, j) => `${c}::text AS k${j}`).join(', ');
    const r = await client.query(
      `SELECT rn::text AS rn, ${key.map((_, j) => `k${j}`).join(', ')} FROM (SELECT ${cols}, row_number() OVER (ORDER BY ${key.join(', ')}) - 1 AS rn FROM ${rel} WHERE ${filter}) s WHERE rn = ANY($1::bigint[])`,
      [wanted],
    );
    for (const row of r.rows) bounds.set(Number(row.rn), key.map((_, j) => String(row[`k${j}`])));
  }
  const literal = (vals: readonly string[]): string => rowValue(vals.map(quoteLiteral));
  const parts: string[] = [];
  if (bounds.has(lo)) parts.push(`${rowValue(key)} >= ${literal(bounds.get(lo)!)}`);
  if (bounds.has(hi)) parts.push(`${rowValue(key)} < ${literal(bounds.get(hi)!)}`);
  return { where: parts.join(' AND ') || 'TRUE', rows: hi - lo };
}
