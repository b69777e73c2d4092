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
import { intIn, percentArg } from '../options.js';
import { table } from '../output.js';
import { confirmOnTty } from '../stages.js';
import { datasetOf } from '../settings.js';
import { datasetSchemas, SCHEMA_FLAG, untouchedOf, withSchema } from '../schema.js';
import { productionGuard } from './guard.js';

export function registerOps(program: Command, io: Io): void {
  program
    .command('coverage')
    .description('every table of a database with its row count, whether the dataset covers it, and the share of non-empty tables')
    .argument('[dataset]', 'dataset whose tables count as covered (default: "dataset" of the config file)')
    .option('--db <url>', 'database (default: DATABASE_URL, else db.url of the config file, else database <dataset> on the embedded Postgres)')
    .option('--database <name>', 'database on the embedded Postgres (default: the dataset’s, else the last run’s)')
    .option('--schema <names>', 'schemas to audit, comma-separated (default: the dataset’s schemas, else public)')
    .option('--min-coverage <percent>', 'exit non-zero when fewer tables than this percentage hold rows (0–100)', percentArg)
    .option('--json', 'print the report as JSON')
    .action(async (given: string | undefined, o: { db?: string; database?: string; schema?: string; minCoverage?: number; json?: boolean }) => {
      const dataset = given ?? io.config?.dataset;
      const def = dataset ? (await loadDataset(dataset, io.cwd)).def : undefined;
      // Covered: the dataset's tables by their names in the database.
      const tables = def ? Object.entries(def.tables).map(([name, t]) => t.sqlName ?? name) : undefined;
      const schemas = o.schema ? o.schema.split(',').map((s) => s.trim()).filter(Boolean) : def ? datasetSchemas(def) : ['public'];
      const database = o.database ?? def?.name;
      const db = await resolveDb(io, o.db, { start: false, ...(database ? { database } : {}) });
      const { coverage } = await import('../../../stages/sinks/postgres/index.js');
      const r = await coverage(db.url, tables, schemas);
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
    .description('empty the dataset’s tables (TRUNCATE … RESTART IDENTITY CASCADE); lists every table it empties and asks first')
    .argument('[dataset]', 'built-in name or path (default: "dataset" of the config file)')
    .option('--db <url>', 'database (default: DATABASE_URL, else db.url of the config file, else database <dataset> on the embedded Postgres)')
    .option(...SCHEMA_FLAG)
    .option('--cascade', 'also empty tables outside the dataset whose foreign keys reference its tables')
    .option('-y, --yes', 'do not ask')
    .option('--confirm-production', 'allow a non-local database')
    .option('--countdown <seconds>', 'seconds of the production countdown (0–3,600)', intIn(0, 3600), 10)
    .action(async (dataset: string | undefined, o: { db?: string; schema?: string; cascade?: boolean; yes?: boolean; confirmProduction?: boolean; countdown?: number }) => {
      const def = withSchema((await loadDataset(datasetOf(io, dataset), io.cwd)).def, o.schema);
      const infos = makePlan(def).tables.map((t) => t.info);
      const db = await resolveDb(io, o.db, { start: false, database: def.name });
      const { assertLocalOrConfirmed, resetTables } = await import('../../../stages/sinks/postgres/index.js');
      assertLocalOrConfirmed(db.url, o.confirmProduction === true);
      const confirm = async ({ existing, beyond }: { existing: string[]; beyond: string[] }): Promise<boolean> => {
        const all = [...existing, ...beyond];
        if (!db.embedded && o.confirmProduction) await productionGuard(io, db, all, { mode: 'reset', ...(o.countdown !== undefined ? { countdown: o.countdown } : {}) });
        if (o.yes === true) return true;
        // The embedded database without a terminal: empties without asking, as it always has.
        if (db.embedded && !(process.stdin.isTTY && io.isTTY)) return true;
        return confirmOnTty(io, `Empty ${all.length} table(s) (${all.join(', ')}) in ${db.display}?`);
      };
      const r = await resetTables(db.url, infos, confirm, { schema: def.schema ?? 'public', untouched: untouchedOf(def), cascade: o.cascade === true, dataset: def.name });
      if (r.existing.length === 0) {
        io.out('nothing to reset: none of the dataset’s tables exist\n');
        return;
      }
      const all = [...r.existing, ...r.beyond];
      if (!r.emptied) throw usageError('RESET_NOT_CONFIRMED', `not confirmed: pass --yes to empty ${all.length} table(s) in ${db.display}`);
      io.out(`emptied ${all.length} table(s): ${r.existing.join(', ')}${r.beyond.length ? `; outside the dataset (--cascade): ${r.beyond.join(', ')}` : ''}\n`);
    });
}
