/**
 * `validate`: checks a loaded database against the plan, read-only (one REPEATABLE READ, READ ONLY
 * transaction, so every check sees the same snapshot and nothing can be written):
 *   fk      every foreign key the dataset declares, and every foreign key the catalog has between the
 *           dataset's tables (declared or not in the dataset): orphan rows;
 *   rows    row count of each planned table against the plan's total;
 *   unique  every primary key and unique key of the dataset, and every unique index of the catalog on
 *           the dataset's tables (a partial one only over the rows its predicate holds): key values
 *           present more than once;
 *   check   the dataset's own business rules: queries that must return no rows.
 * A check that cannot run (missing table, bad SQL) is reported as failed with the server's message;
 * the others still run (each one inside its own savepoint).
 */
import type { Plan } from '../../../src/stage-kit.js';
import { SeedpipeError } from '../../../src/stage-kit.js';
import { connectPg, dbFields, redactFor, type PgClientLike } from './client.js';
import { quoteIdent } from './ddl.js';
import { columnNameOf, SqlNames } from './names.js';
import { describeTarget } from './safety.js';

export type ValidationKind = 'fk' | 'rows' | 'unique' | 'check';

export interface ValidationItem {
  kind: ValidationKind;
  name: string;
  table: string;
  ok: boolean;
  detail: string;
  /** Orphans, rows counted, duplicated key values, or rows the check returned. */
  count: number;
}

export interface ValidationReport {
  ok: boolean;
  items: ValidationItem[];
}

export interface ValidateOptions {
  url: string;
  plan: Plan;
  checks: readonly { name: string; sql: string }[];
  /** Schema of the tables that do not name their own. Default `public`. */
  schema?: string;
  /** Builds the client. Default: `pg.Client` from `url`. */
  connect?: (url: string) => Promise<PgClientLike>;
}

interface Fk {
  table: string;
  columns: readonly string[];
  refTable: string;
  refColumns: readonly string[];
  name: string;
}

const fkKey = (f: { table: string; columns: readonly string[]; refTable: string; refColumns: readonly string[] }): string =>
  `${f.table}(${f.columns.join(',')})>${f.refTable}(${f.refColumns.join(',')})`;

/** The first table a query reads from, for the report's table column (best effort). */
function firstTable(sql: string): string {
  return /\bfrom\s+("?)([A-Za-z_][A-Za-z0-9_$]*)\1/i.exec(sql)?.[2] ?? '';
}

export async function validateDatabase(opts: ValidateOptions): Promise<ValidationReport> {
  const names = new SqlNames(opts.plan.tables.map((p) => p.info), opts.schema ?? 'public');
  const t = (name: string): string => names.rel(name);
  const client: PgClientLike = await (opts.connect ?? ((u: string) => connectPg(u, { applicationName: 'seedpipe validate' })))(opts.url);
  const items: ValidationItem[] = [];
  let sp = 0;
  /** Runs one check in a savepoint: a failing query fails that item only. */
  const run = async (base: Omit<ValidationItem, 'ok' | 'detail' | 'count'>, sql: string, judge: (n: number) => { ok: boolean; detail: string }): Promise<void> => {
    const name = `v${++sp}`;
    await client.query(`SAVEPOINT ${name}`);
    try {
      const r = await client.query(sql);
      const n = Number(r.rows[0]?.n ?? 0);
      items.push({ ...base, count: n, ...judge(n) });
      await client.query(`RELEASE SAVEPOINT ${name}`);
    } catch (e) {
      await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      items.push({ ...base, ok: false, count: 0, detail: `could not run: ${redactFor(opts.url, dbFields(e).message)}` });
    }
  };
  try {
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables = opts.plan.tables.map((p) => p.name);
    const [labels, schemas, rels] = [tables, ...names.pairs(tables)];
    const planned = `SELECT w.label, c.oid, c.relkind FROM unnest($1::text[], $2::text[], $3::text[]) AS w(label, nsp, rel)
                       JOIN pg_namespace n ON n.nspname = w.nsp JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.rel`;
    const kinds = new Map((await client.query(`SELECT label, relkind::text AS kind FROM (${planned}) p`, [labels, schemas, rels])).rows.map((r) => [String(r.label), String(r.kind)]));
    // An ordinary table's own rows (ONLY: not those of tables inheriting from it); a partitioned one's are its partitions'.
    const own = (name: string): string => `${kinds.get(name) === 'p' ? '' : 'ONLY '}${t(name)}`;
    const sqlCols = (table: string, cols: readonly string[]): string[] => cols.map((c) => columnNameOf(names.table(table), c));

    // Foreign keys: the dataset's, then the catalog's between the dataset's tables (all in database column names).
    const fks = new Map<string, Fk>();
    for (const p of opts.plan.tables) {
      for (const fk of p.info.foreignKeys) {
        const f = { table: p.name, columns: sqlCols(p.name, fk.columns), refTable: fk.table, refColumns: sqlCols(fk.table, fk.refColumns) };
        fks.set(fkKey(f), { ...f, name: `${p.name}(${fk.columns.join(', ')}) → ${fk.table}(${fk.refColumns.join(', ')})` });
      }
    }
    const cat = await client.query(
      `WITH planned AS (${planned})
       SELECT a.label AS "table", b.label AS "refTable", con.conname AS name,
              (SELECT array_agg(at.attname::text ORDER BY k.n) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute at ON at.attrelid = con.conrelid AND at.attnum = k.attnum) AS columns,
              (SELECT array_agg(at.attname::text ORDER BY k.n) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute at ON at.attrelid = con.confrelid AND at.attnum = k.attnum) AS "refColumns"
         FROM pg_constraint con JOIN planned a ON a.oid = con.conrelid JOIN planned b ON b.oid = con.confrelid
        WHERE con.contype = 'f' AND con.conparentid = 0
        ORDER BY 1, 3`,
      [labels, schemas, rels],
    );
    for (const row of cat.rows) {
      const f = { table: String(row.table), columns: row.columns as string[], refTable: String(row.refTable), refColumns: row.refColumns as string[] };
      if (!fks.has(fkKey(f))) fks.set(fkKey(f), { ...f, name: `${String(row.name)}: ${f.table}(${f.columns.join(', ')}) → ${f.refTable}(${f.refColumns.join(', ')})` });
    }
    for (const f of fks.values()) {
      const on = f.columns.map((c, j) => `p.${quoteIdent(f.refColumns[j]!)} = c.${quoteIdent(c)}`).join(' AND ');
      const present = f.columns.map((c) => `c.${quoteIdent(c)} IS NOT NULL`).join(' AND ');
      await run({ kind: 'fk', name: f.name, table: f.table },
        `SELECT count(*)::text AS n FROM ${t(f.table)} c LEFT JOIN ${t(f.refTable)} p ON ${on} WHERE ${present} AND p.${quoteIdent(f.refColumns[0]!)} IS NULL`,
        (n) => ({ ok: n === 0, detail: n === 0 ? 'no orphans' : `${n} row(s) of ${f.table} point at no ${f.refTable} row` }));
    }

    // Row counts against the plan.
    for (const p of opts.plan.tables) {
      await run({ kind: 'rows', name: `${p.name} rows`, table: p.name }, `SELECT count(*)::text AS n FROM ${own(p.name)}`,
        (n) => ({ ok: n === p.total, detail: n === p.total ? `${n} as planned` : `${n} rows, plan says ${p.total}` }));
    }

    // Primary and unique keys: the dataset's, then the catalog's unique indexes (partial ones over
    // the rows their predicate holds; expression indexes are Postgres' to enforce).
    const uniques = await client.query(
      `WITH planned AS (${planned})
       SELECT p.label AS "table", ic.relname AS name, pg_get_expr(i.indpred, i.indrelid) AS predicate,
              array(SELECT at.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n) JOIN pg_attribute at ON at.attrelid = i.indrelid AND at.attnum = k.attnum ORDER BY k.n) AS columns
         FROM pg_index i JOIN planned p ON p.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indisunique AND i.indexprs IS NULL AND NOT (0 = ANY(i.indkey::int2[]))
        ORDER BY 1, 2`,
      [labels, schemas, rels],
    );
    const seen = new Set<string>();
    for (const p of opts.plan.tables) {
      const keys = [...(p.info.primaryKey.length ? [{ cols: sqlCols(p.name, p.info.primaryKey), what: 'primary key', predicate: null as string | null }] : []), ...p.info.uniques.map((u) => ({ cols: sqlCols(p.name, u), what: 'unique', predicate: null as string | null }))];
      for (const u of uniques.rows.filter((r) => r.table === p.name)) keys.push({ cols: u.columns as string[], what: `unique index ${String(u.name)}${u.predicate ? ` WHERE ${String(u.predicate)}` : ''}`, predicate: (u.predicate as string | null) ?? null });
      for (const k of keys) {
        const id = `${p.name}\u0000${[...k.cols].sort().join(',')}\u0000${k.predicate ?? ''}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const cols = k.cols.map(quoteIdent).join(', ');
        const where = [...k.cols.map((c) => `${quoteIdent(c)} IS NOT NULL`), ...(k.predicate ? [`(${k.predicate})`] : [])].join(' AND ');
        await run({ kind: 'unique', name: `${p.name}(${k.cols.join(', ')}) ${k.what}`, table: p.name },
          `SELECT count(*)::text AS n FROM (SELECT 1 FROM ${own(p.name)} WHERE ${where} GROUP BY ${cols} HAVING count(*) > 1) d`,
          (n) => ({ ok: n === 0, detail: n === 0 ? 'no duplicates' : `${n} key value(s) appear more than once${k.predicate ? ' among the rows the predicate holds' : ''}` }));
      }
    }

    // The dataset's business rules.
    for (const c of opts.checks) {
      await run({ kind: 'check', name: c.name, table: firstTable(c.sql) }, `SELECT count(*)::text AS n FROM (${c.sql}) q`,
        (n) => ({ ok: n === 0, detail: n === 0 ? 'no violations' : `${n} row(s) break the rule` }));
    }
    await client.query('ROLLBACK');
  } catch (e) {
    if (e instanceof SeedpipeError) throw e;
    throw new SeedpipeError('VALIDATE_FAILED', `validate could not read ${describeTarget(opts.url)}: ${redactFor(opts.url, dbFields(e).message)}`, { cause: e });
  } finally {
    await client.end().catch(() => undefined);
  }
  return { ok: items.every((i) => i.ok), items };
}

/** A plain aligned text table of the report, one line per item, failures first, and a summary line. */
export function formatValidationTable(report: ValidationReport): string {
  const sorted = [...report.items.filter((i) => !i.ok), ...report.items.filter((i) => i.ok)];
  const header = ['status', 'kind', 'table', 'check', 'count', 'detail'];
  const rows = sorted.map((i) => [i.ok ? 'ok' : 'FAIL', i.kind, i.table, i.name, String(i.count), i.detail]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => [...r[j]!].length)));
  const line = (cells: string[]): string =>
    cells.map((c, j) => (j === 4 ? c.padStart(widths[j]!) : j === cells.length - 1 ? c : c + ' '.repeat(widths[j]! - [...c].length))).join('  ').trimEnd();
  const failed = report.items.filter((i) => !i.ok).length;
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `${report.items.length} checks, ${failed} failed${report.ok ? ': the database matches the plan' : ''}`,
  ].join('\n') + '\n';
}
