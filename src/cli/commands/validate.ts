/** `seedpipe validate <dataset>`: orphans for every FK, row counts vs the plan, uniques, the dataset's checks. */
import type { Command } from 'commander';
import { loadDataset } from '../../dataset/load.js';
import { SeedpipeError } from '../../errors.js';
import { makePlan } from '../../plan/plan.js';
import type { Io } from '../main.js';
import { resolveDb } from '../database.js';
import { datasetOf } from '../settings.js';
import { SCHEMA_FLAG, withSchema } from '../schema.js';
import { addProfileFlags, planOptionsOf, type RunFlags } from './run.js';

export function registerValidate(program: Command, io: Io): void {
  addProfileFlags(program.command('validate').description('check a loaded database: foreign keys, row counts, uniques and the dataset’s own rules').argument('[dataset]', 'built-in name or path (default: "dataset" of the config file)'))
    .option('--db <url>', 'database (default: DATABASE_URL, else db.url of the config file, else database <dataset> on the embedded Postgres)')
    .option(...SCHEMA_FLAG)
    .option('--json', 'print the report as JSON')
    .action(async (dataset: string | undefined, flags: RunFlags & { json?: boolean }) => {
      const def = withSchema((await loadDataset(datasetOf(io, dataset), io.cwd)).def, flags.schema);
      const plan = makePlan(def, planOptionsOf(flags, io));
      const db = await resolveDb(io, flags.db, { start: false, database: def.name });
      const { formatValidationTable, validateDatabase } = await import('../../../stages/sinks/postgres/index.js');
      const report = await validateDatabase({ url: db.url, plan, checks: def.checks ?? [], schema: def.schema ?? 'public' });
      io.out(flags.json ? JSON.stringify(report) + '\n' : formatValidationTable(report));
      if (!report.ok) {
        const failed = report.items.filter((i) => !i.ok);
        throw new SeedpipeError('VALIDATION_FAILED', `${failed.length} validation check(s) failed: ${failed.slice(0, 5).map((i) => i.name).join(', ')}${failed.length > 5 ? ', …' : ''}`, { disposition: 'data-quality' });
      }
    });
}
