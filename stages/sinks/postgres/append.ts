/** Append mode: where new keys start, read from the tables (re-plan with them as `PlanOptions.offsets`). */
import { SeedpipeError, type Plan } from '../../../src/stage-kit.js';
import { connectPg, databaseError, type PgClientLike } from './client.js';
import { SqlNames } from './names.js';
import { describeTarget } from './safety.js';

/**
 * Append mode's starting points: for each `rows` table of the plan, the current maximum of its
 * single-column integer primary key (0 when the table is empty or missing; the row count when the
 * key is a uuid, text, composite or absent: such keys are functions of the row number, so the new
 * rows' keys, numbered after the existing rows, are new). Re-plan with them as `PlanOptions.offsets`: new keys continue after the
 * maximum, and group tables (per/junction/series) get the children of the new parent rows.
 * This assumes keys are row numbers (1, 2, …), which is how seedpipe generates them.
 */
export async function appendOffsets(url: string, plan: Plan, opts: { schema?: string; connect?: (url: string) => Promise<PgClientLike> } = {}): Promise<Record<string, number>> {
  const names = new SqlNames(plan.tables.map((t) => t.info), opts.schema ?? 'public');
  const client: PgClientLike = await (opts.connect ?? ((u: string) => connectPg(u)))(url);
  try {
    const out: Record<string, number> = {};
    for (const t of plan.tables) {
      if (t.kind !== 'rows') continue;
      const rel = names.rel(t.name);
      const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [rel]);
      if (exists.rows[0]?.ok !== true) {
        out[t.name] = 0;
        continue;
      }
      const key = t.info.primaryKey.length === 1 ? t.info.columns.find((c) => c.name === t.info.primaryKey[0]) : undefined;
      const pk = key && ['bigint', 'int', 'smallint'].includes(key.type) ? key.name : undefined;
      const sql = pk ? `SELECT coalesce(max(${names.col(t.name, pk)}), 0)::text AS n FROM ${rel}` : `SELECT count(*)::text AS n FROM ${rel}`;
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
