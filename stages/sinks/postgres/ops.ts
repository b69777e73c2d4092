/**
 * Database operations the CLI offers next to loads, with their SQL here rather than in the CLI:
 * `coverage` (every table's row count), `reset` (empty a dataset's tables), and the `--only` check
 * that the parents of a partial run are loaded.
 */
import { connectPg } from './client.js';
import { quoteIdent } from './ddl.js';

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

/** Every ordinary and partitioned table of `schemas` (partitions folded into their parent) with its row count. */
export async function coverage(url: string, datasetTables: readonly string[] | undefined, schemas: readonly string[]): Promise<CoverageReport> {
  const client = await connectPg(url);
  try {
    const res = await client.query(
      `SELECT n.nspname AS schema, c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY($1) ORDER BY n.nspname, c.relname`,
      [schemas],
    );
    const covered = new Set(datasetTables ?? []);
    const tables: CoverageRow[] = [];
    for (const r of res.rows as { schema: string; table: string }[]) {
      const c = await client.query(`SELECT count(*)::bigint AS n FROM ${quoteIdent(r.schema)}.${quoteIdent(r.table)}`);
      tables.push({ schema: r.schema, table: r.table, rows: Number(c.rows[0]!.n), covered: covered.has(r.table) });
    }
    const present = new Set(tables.map((t) => t.table));
    const nonEmpty = tables.filter((t) => t.rows > 0).length;
    return { tables, nonEmpty, total: tables.length, percent: tables.length ? Math.round((1000 * nonEmpty) / tables.length) / 10 : 0, missing: [...covered].filter((t) => !present.has(t)) };
  } finally {
    await client.end();
  }
}

/**
 * Empties those of `tables` that exist in the current schema (TRUNCATE … RESTART IDENTITY CASCADE),
 * after `confirm` with their names. Returns the tables found and whether they were emptied.
 */
export async function resetTables(url: string, tables: readonly string[], confirm: (existing: string[]) => Promise<boolean>): Promise<{ existing: string[]; emptied: boolean }> {
  const client = await connectPg(url);
  try {
    const existing = (await client.query(`SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r','p') AND c.relname = ANY($1)`, [tables])).rows.map((r) => String(r.t));
    if (existing.length === 0 || !(await confirm(existing))) return { existing, emptied: false };
    await client.query(`TRUNCATE ${existing.map(quoteIdent).join(', ')} RESTART IDENTITY CASCADE`);
    return { existing, emptied: true };
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
export async function missingParents(url: string, needed: readonly NeededParent[]): Promise<string[]> {
  if (needed.length === 0) return [];
  const client = await connectPg(url);
  const problems: string[] = [];
  try {
    for (const p of needed) {
      const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [quoteIdent(p.table)]);
      if (!exists.rows[0]!.ok) {
        problems.push(`${p.table} (needed by ${p.children.join(', ')}) does not exist in the database`);
        continue;
      }
      const n = Number((await client.query(`SELECT count(*)::bigint AS n FROM ${quoteIdent(p.table)}`)).rows[0]!.n);
      if (n < p.rows) problems.push(`${p.table} (needed by ${p.children.join(', ')}) has ${n} rows, the plan needs ${p.rows}`);
    }
  } finally {
    await client.end();
  }
  return problems;
}
