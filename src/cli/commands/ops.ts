/** Operational commands: `coverage` (which tables of a database have data) and `reset` (empty a dataset's tables). */
import type { Command } from 'commander';
import { loadDataset } from '../../dataset/load.js';
import { SeedpipeError, usageError } from '../../errors.js';
import { makePlan } from '../../plan/plan.js';
import type { Io } from '../main.js';
import { resolveDb } from '../database.js';
import { percentArg } from '../options.js';
import { table } from '../output.js';
import { confirmOnTty } from '../sinks.js';

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

async function connect(url: string) {
  const { connectPg } = await import('../../../stages/sinks/postgres/client.js');
  return connectPg(url);
}

export async function coverage(url: string, datasetTables: readonly string[] | undefined, schemas: readonly string[]): Promise<CoverageReport> {
  const client = await connect(url);
  try {
    const res = await client.query(
      `SELECT n.nspname AS schema, c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY($1) ORDER BY n.nspname, c.relname`,
      [schemas],
    );
    const covered = new Set(datasetTables ?? []);
    const tables: CoverageRow[] = [];
    for (const r of res.rows as { schema: string; table: string }[]) {
      const q = `"${r.schema.replace(/"/g, '""')}"."${r.table.replace(/"/g, '""')}"`;
      const c = await client.query(`SELECT count(*)::bigint AS n FROM ${q}`);
      tables.push({ schema: r.schema, table: r.table, rows: Number(c.rows[0]!.n), covered: covered.has(r.table) });
    }
    const present = new Set(tables.map((t) => t.table));
    const nonEmpty = tables.filter((t) => t.rows > 0).length;
    return { tables, nonEmpty, total: tables.length, percent: tables.length ? Math.round((1000 * nonEmpty) / tables.length) / 10 : 0, missing: [...covered].filter((t) => !present.has(t)) };
  } finally {
    await client.end();
  }
}

export function registerOps(program: Command, io: Io): void {
  program
    .command('coverage')
    .description('every table of a database with its row count, whether the dataset covers it, and the share of non-empty tables')
    .argument('[dataset]', 'dataset whose tables count as covered')
    .option('--db <url>', 'database (default: DATABASE_URL, else the embedded database)')
    .option('--schema <names>', 'schemas to audit, comma-separated', 'public')
    .option('--min-coverage <percent>', 'exit non-zero when fewer tables than this percentage hold rows (0–100)', percentArg)
    .option('--json', 'print the report as JSON')
    .action(async (dataset: string | undefined, o: { db?: string; schema: string; minCoverage?: number; json?: boolean }) => {
      const tables = dataset ? Object.keys((await loadDataset(dataset, io.cwd)).def.tables) : undefined;
      const db = await resolveDb(io, o.db, { start: false });
      const r = await coverage(db.url, tables, o.schema.split(',').map((s) => s.trim()).filter(Boolean));
      if (o.json) io.out(JSON.stringify(r) + '\n');
      else {
        io.out(table(['table', 'rows', 'covered'], r.tables.map((t) => [`${t.schema}.${t.table}`, t.rows, dataset ? (t.covered ? 'yes' : 'no') : '-'])));
        io.out(`\n${r.nonEmpty} of ${r.total} tables have data (${r.percent}%)${r.missing.length ? `; dataset tables missing from the database: ${r.missing.join(', ')}` : ''}\n`);
      }
      if (o.minCoverage !== undefined && r.percent < o.minCoverage) {
        throw new SeedpipeError('COVERAGE_BELOW_MINIMUM', `${r.percent}% of tables have data, below --min-coverage ${o.minCoverage}%`, { disposition: 'data-quality' });
      }
    });

  program
    .command('reset')
    .description('empty the dataset’s tables (TRUNCATE … RESTART IDENTITY CASCADE)')
    .argument('<dataset>')
    .option('--db <url>', 'database (default: DATABASE_URL, else the embedded database)')
    .option('-y, --yes', 'do not ask')
    .option('--confirm-production', 'allow a non-local database')
    .action(async (dataset: string, o: { db?: string; yes?: boolean; confirmProduction?: boolean }) => {
      const { def } = await loadDataset(dataset, io.cwd);
      const names = makePlan(def).tables.map((t) => t.name);
      const db = await resolveDb(io, o.db, { start: false });
      const { assertLocalOrConfirmed } = await import('../../../stages/sinks/postgres/safety.js');
      assertLocalOrConfirmed(db.url, o.confirmProduction === true);
      const client = await connect(db.url);
      try {
        const existing = (await client.query(`SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r','p') AND c.relname = ANY($1)`, [names])).rows.map((r) => String(r.t));
        if (existing.length === 0) {
          io.out('nothing to reset: none of the dataset’s tables exist\n');
          return;
        }
        if (!o.yes && !(db.embedded || (await confirmOnTty(io, `Empty ${existing.length} table(s) (${existing.join(', ')}) in ${db.display}?`)))) {
          throw usageError('RESET_NOT_CONFIRMED', `not confirmed: pass --yes to empty ${existing.length} table(s) in ${db.display}`);
        }
        await client.query(`TRUNCATE ${existing.map((t) => `"${t.replace(/"/g, '""')}"`).join(', ')} RESTART IDENTITY CASCADE`);
        io.out(`emptied ${existing.length} table(s): ${existing.join(', ')}\n`);
      } finally {
        await client.end();
      }
    });
}
