/**
 * `validate`: checks a loaded database against the plan, read-only (one REPEATABLE READ, READ ONLY
 * transaction, so every check sees the same snapshot and nothing can be written):
 *   fk      every foreign key the dataset declares, and every foreign key the catalog has between the
 *           dataset's tables (declared or not in the dataset): orphan rows;
 *   rows    row count of each planned table against the plan's total;
 *   unique  every primary key and unique key of the dataset: key values present more than once;
 *   check   the dataset's own business rules: queries that must return no rows.
 * A check that cannot run (missing table, bad SQL) is reported as failed with the server's message;
 * the others still run (each one inside its own savepoint).
 */
import type { Plan } from '../../../src/stage-kit.js';
import { SeedpipeError } from '../../../src/stage-kit.js';
import { connectPg, dbFields, redactFor, type PgClientLike } from './client.js';
import { qualified, quoteIdent } from './ddl.js';
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
  /** Schema holding the tables. Default `public`. */
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
  const schema = opts.schema ?? 'public';
  const t = (name: string): string => qualified(name, schema);
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
    const names = opts.plan.tables.map((p) => p.name);

    // Foreign keys: the dataset's, then the catalog's between the dataset's tables.
    const fks = new Map<string, Fk>();
    for (const p of opts.plan.tables) {
      for (const fk of p.info.foreignKeys) {
        const f = { table: p.name, columns: fk.columns, refTable: fk.table, refColumns: fk.refColumns };
        fks.set(fkKey(f), { ...f, name: `${p.name}(${fk.columns.join(', ')}) → ${fk.table}(${fk.refColumns.join(', ')})` });
      }
    }
    const cat = await client.query(
      `SELECT c.relname AS "table", r.relname AS "refTable", con.conname AS name,
              (SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
              (SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS "refColumns"
         FROM pg_constraint con
         JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_class r ON r.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
        WHERE con.contype = 'f' AND n.nspname = $1 AND rn.nspname = $1 AND c.relname = ANY($2::text[]) AND r.relname = ANY($2::text[])
        ORDER BY 1, 3`,
      [schema, names],
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
      await run({ kind: 'rows', name: `${p.name} rows`, table: p.name }, `SELECT count(*)::text AS n FROM ${t(p.name)}`,
        (n) => ({ ok: n === p.total, detail: n === p.total ? `${n} as planned` : `${n} rows, plan says ${p.total}` }));
    }

    // Primary and unique keys.
    for (const p of opts.plan.tables) {
      const keys = [...(p.info.primaryKey.length ? [{ cols: p.info.primaryKey, what: 'primary key' }] : []), ...p.info.uniques.map((u) => ({ cols: u, what: 'unique' }))];
      for (const k of keys) {
        const cols = k.cols.map(quoteIdent).join(', ');
        const notNull = k.cols.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' AND ');
        await run({ kind: 'unique', name: `${p.name}(${k.cols.join(', ')}) ${k.what}`, table: p.name },
          `SELECT count(*)::text AS n FROM (SELECT 1 FROM ${t(p.name)} WHERE ${notNull} GROUP BY ${cols} HAVING count(*) > 1) d`,
          (n) => ({ ok: n === 0, detail: n === 0 ? 'no duplicates' : `${n} key value(s) appear more than once` }));
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
