/**
 * Database operations the CLI offers next to loads, with their SQL here rather than in the CLI:
 * `coverage` (every table's row count), `reset` (empty a dataset's tables), and the `--only` check
 * that the parents of a partial run are loaded.
 */
import { SeedpipeError } from '../../../src/stage-kit.js';
import { connectPg } from './client.js';
import { quoteIdent } from './ddl.js';
import { oidsOf, SqlNames, type NamedTable } from './names.js';
import { takeRunLock } from './run-lock.js';
import { describeTarget } from './safety.js';

export interface CoverageRow {
  schema: string;
  table: string;
  rows: number;
  covered: boolean;
}

export interface CoverageReport {
  tables: CoverageRow[];
  nonEmpty: number;
  total: number;
  percent: number;
  /** Dataset tables that do not exist in the database. */
  missing: string[];
}

/**
 * Every ordinary and partitioned table of `schemas` (partitions folded into their parent) with its
 * row count: an ordinary table's own rows only (`ONLY`), not those of tables inheriting from it,
 * which are listed on their own.
 */
export async function coverage(url: string, datasetTables: readonly string[] | undefined, schemas: readonly string[]): Promise<CoverageReport> {
  const client = await connectPg(url);
  try {
    const res = await client.query(
      `SELECT n.nspname AS schema, c.relname AS table, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY($1) ORDER BY n.nspname, c.relname`,
      [schemas],
    );
    const covered = new Set(datasetTables ?? []);
    const tables: CoverageRow[] = [];
    for (const r of res.rows as { schema: string; table: string; kind: string }[]) {
      const c = await client.query(`SELECT count(*)::bigint AS n FROM ${r.kind === 'p' ? '' : 'ONLY '}${quoteIdent(r.schema)}.${quoteIdent(r.table)}`);
      tables.push({ schema: r.schema, table: r.table, rows: Number(c.rows[0]!.n), covered: covered.has(r.table) });
    }
    const present = new Set(tables.map((t) => t.table));
    const nonEmpty = tables.filter((t) => t.rows > 0).length;
    return { tables, nonEmpty, total: tables.length, percent: tables.length ? Math.round((1000 * nonEmpty) / tables.length) / 10 : 0, missing: [...covered].filter((t) => !present.has(t)) };
  } finally {
    await client.end();
  }
}

/** What `reset` found: the dataset's tables that exist, and the tables outside the dataset that CASCADE reaches. */
export interface ResetTargets {
  /** Dataset tables (by their dataset names) that exist in the database. */
  existing: string[];
  /** Tables outside the dataset whose foreign keys reference a dataset table (directly or through another), schema-qualified. */
  beyond: string[];
}

/**
 * Empties those of `tables` that exist (each in its schema, default `schema`) with TRUNCATE … RESTART
 * IDENTITY CASCADE, after `confirm` with every table it will empty (partitions counted as their table). Refused, before anything changes,
 * when the CASCADE would reach an `untouched` table (framework bookkeeping such as `schema_migrations`),
 * and, unless `cascade`, when it would reach any other table outside the dataset. With `dataset`, it
 * takes that dataset's run lock first: no reset while a run loads it (`RUN_IN_PROGRESS`).
 * Returns the tables found and whether they were emptied.
 */
export async function resetTables(
  url: string, tables: readonly NamedTable[], confirm: (targets: ResetTargets) => Promise<boolean>,
  opts: { schema?: string; untouched?: readonly { schema: string; table: string }[]; cascade?: boolean; dataset?: string } = {},
): Promise<ResetTargets & { emptied: boolean }> {
  const names = new SqlNames(tables, opts.schema ?? 'public');
  const client = await connectPg(url);
  try {
    const all = tables.map((t) => t.name);
    const found = await client.query(
      `SELECT w.label AS t FROM unnest($1::text[], $2::text[], $3::text[]) AS w(label, nsp, rel)
        WHERE to_regclass(format('%I.%I', w.nsp, w.rel)) IS NOT NULL`,
      [all, ...names.pairs(all)],
    );
    const existing = found.rows.map((r) => String(r.t));
    if (existing.length === 0) return { existing, beyond: [], emptied: false };
    const reach = await client.query(
      `WITH RECURSIVE reach(oid) AS (${oidsOf('$1', '$2')} UNION SELECT con.conrelid FROM pg_constraint con JOIN reach r ON con.confrelid = r.oid WHERE con.contype = 'f')
       SELECT DISTINCT n.nspname AS schema, c.relname AS rel, c.oid::regclass::text AS name, c.oid IN (${oidsOf('$1', '$2')}) AS own
         FROM reach r JOIN pg_class c ON c.oid = coalesce(pg_partition_root(r.oid), r.oid) JOIN pg_namespace n ON n.oid = c.relnamespace ORDER BY 3`,
      names.pairs(existing),
    );
    const rows = reach.rows as { schema: string; rel: string; name: string; own: boolean }[];
    const hit = rows.filter((r) => (opts.untouched ?? []).some((u) => u.schema === r.schema && u.table === r.rel)).map((r) => r.name);
    if (hit.length) {
      throw new SeedpipeError('UNTOUCHED_WOULD_EMPTY',
        `reset would also empty ${hit.join(', ')} (framework bookkeeping, never emptied): ${hit.length === 1 ? 'its' : 'their'} foreign keys reference the dataset's tables. Nothing was changed.`,
        { disposition: 'usage', data: { tables: hit } });
    }
    const beyond = rows.filter((r) => !r.own).map((r) => `${r.schema}.${r.rel}`);
    if (beyond.length && opts.cascade !== true) {
      throw new SeedpipeError('RESET_NEEDS_CASCADE',
        `reset would also empty ${beyond.length} table(s) outside the dataset: ${beyond.join(', ')} (${beyond.length === 1 ? 'its' : 'their'} foreign keys reference the dataset's tables, and TRUNCATE … CASCADE empties ${beyond.length === 1 ? 'it' : 'them'} too). Pass --cascade to empty ${beyond.length === 1 ? 'it' : 'them'} as well. Nothing was changed.`,
        { disposition: 'usage', data: { tables: beyond } });
    }
    if (opts.dataset !== undefined) await takeRunLock(client, { dataset: opts.dataset, schema: opts.schema ?? 'public', location: `postgres://${describeTarget(url)}` });
    if (!(await confirm({ existing, beyond }))) return { existing, beyond, emptied: false };
    await client.query(`TRUNCATE ${existing.map((t) => names.rel(t)).join(', ')} RESTART IDENTITY CASCADE`);
    return { existing, beyond, emptied: true };
  } finally {
    await client.end();
  }
}

/** A table a partial run reads keys of without loading it: it must hold at least `rows` rows. */
export interface NeededParent {
  table: string;
  /** The tables of the run that need it. */
  children: readonly string[];
  rows: number;
}

/** What is wrong with the parents of a partial run (`--only`), one sentence each; empty when all are loaded. */
export async function missingParents(url: string, needed: readonly NeededParent[], tables: readonly NamedTable[] = [], schema = 'public'): Promise<string[]> {
  if (needed.length === 0) return [];
  const names = new SqlNames(tables, schema);
  const client = await connectPg(url);
  const problems: string[] = [];
  try {
    for (const p of needed) {
      const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [names.rel(p.table)]);
      if (!exists.rows[0]!.ok) {
        problems.push(`${p.table} (needed by ${p.children.join(', ')}) does not exist in the database`);
        continue;
      }
      const n = Number((await client.query(`SELECT count(*)::bigint AS n FROM ${names.rel(p.table)}`)).rows[0]!.n);
      if (n < p.rows) problems.push(`${p.table} (needed by ${p.children.join(', ')}) has ${n} rows, the plan needs ${p.rows}`);
    }
  } finally {
    await client.end();
  }
  return problems;
}
