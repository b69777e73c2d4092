/**
 * Operational commands: `coverage` (which tables of a database have data) and `reset` (empty a
 * dataset's tables). The SQL lives in the postgres stage; this file asks and prints.
 */
import type { Command } from 'commander';
import { loadDataset } from '../../dataset/load.js';
import { SeedpipeError, usageError } from '../../errors.js';
import { makePlan } from '../../plan/plan.js';
import type { Io } from '../main.js';
import { resolveDb } from '../database.js';
import { percentArg } from '../options.js';
import { table } from '../output.js';
import { confirmOnTty } from '../stages.js';

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
      const { coverage } = await import('../../../stages/sinks/postgres/index.js');
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
      const { assertLocalOrConfirmed, resetTables } = await import('../../../stages/sinks/postgres/index.js');
      assertLocalOrConfirmed(db.url, o.confirmProduction === true);
      const r = await resetTables(db.url, names, async (existing) => o.yes === true || db.embedded || (await confirmOnTty(io, `Empty ${existing.length} table(s) (${existing.join(', ')}) in ${db.display}?`)));
      if (r.existing.length === 0) {
        io.out('nothing to reset: none of the dataset’s tables exist\n');
        return;
      }
      if (!r.emptied) throw usageError('RESET_NOT_CONFIRMED', `not confirmed: pass --yes to empty ${r.existing.length} table(s) in ${db.display}`);
      io.out(`emptied ${r.existing.length} table(s): ${r.existing.join(', ')}\n`);
    });
}
