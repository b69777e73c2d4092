/**
 * `seedpipe introspect --db URL [--schema public,…] --out <dir> [--rows N]`: read an existing Postgres
 * schema and write an editable dataset that fills every table (see src/introspect/README.md).
 * Reading the catalog changes nothing in the database.
 */
import type { Command } from 'commander';
import { loadDataset } from '../../dataset/load.js';
import { SeedpipeError, usageError } from '../../errors.js';
import { introspect, renderSummary } from '../../introspect/index.js';
import { makePlan } from '../../plan/plan.js';
import { canLoadColumn, connectPg, describeTarget } from '../../../stages/sinks/postgres/index.js';
import type { Io } from '../main.js';
import { resolveDb } from '../database.js';
import { intIn, list, seedArg } from '../options.js';

export interface IntrospectFlags {
  db?: string;
  database?: string;
  schema?: string[];
  out?: string;
  rows?: number;
  name?: string;
  seed?: number;
  refDate?: string;
  check?: boolean;
  includeBookkeeping?: boolean;
  json?: boolean;
}

export function registerIntrospect(program: Command, io: Io): void {
  program
    .command('introspect')
    .description('read an existing Postgres schema and write a dataset that fills every table (schema.generated.ts, dataset.ts, introspect-report.md)')
    .option('--db <url>', 'database to read (default: DATABASE_URL, else db.url of the config file, else --database on the embedded Postgres)')
    .option('--database <name>', 'database on the embedded Postgres (default: the last run’s)')
    .option('--schema <names>', 'schemas to read, comma-separated (default: public)', list)
    .requiredOption('--out <dir>', 'folder for the dataset files (created when missing; dataset.ts there is kept)')
    .option('--rows <n>', 'rows of an ordinary table; lookups get a tenth, child tables more (default 1000; at most 1,000,000,000)', intIn(1, 1e9))
    .option('--name <name>', 'dataset name (default: the database name)')
    .option('--seed <n>', 'root seed written into the dataset (default 1)', seedArg)
    .option('--ref-date <iso>', 'reference date ("now" of the data) written into the dataset (default 2025-01-01T00:00:00Z)')
    .option('--no-check', 'do not load and plan the written dataset afterwards')
    .option('--include-bookkeeping', 'generate framework migration tables too (schema_migrations, django_migrations, …; default: left out and never written)')
    .option('--json', 'print the result (files, tables, findings) as JSON')
    .action(async (flags: IntrospectFlags) => introspectCommand(flags, io));
}

export async function introspectCommand(flags: IntrospectFlags, io: Io): Promise<void> {
  if (flags.refDate !== undefined && Number.isNaN(Date.parse(flags.refDate))) throw usageError('REF_DATE_INVALID', `--ref-date ${flags.refDate}: expected an ISO date such as 2025-01-01T00:00:00Z`);
  if (flags.name !== undefined && !/^[a-z_][a-z0-9_]*$/.test(flags.name)) throw usageError('NAME_INVALID', `--name ${flags.name}: use lower_snake_case (letters, digits, _)`);
  const db = await resolveDb(io, flags.db, { start: false, ...(flags.database ? { database: flags.database } : {}) });
  const client = await connectPg(db.url, { applicationName: 'seedpipe introspect' });
  let result;
  try {
    result = await introspect({
      client,
      schemas: flags.schema?.length ? flags.schema : ['public'],
      outDir: flags.out!.startsWith('/') ? flags.out! : `${io.cwd}/${flags.out}`,
      source: `postgres://${describeTarget(db.url)}`,
      // The Postgres sink's own schema check decides which columns a dataset may fill.
      canLoad: canLoadColumn,
      ...(flags.rows !== undefined ? { rows: flags.rows } : {}),
      ...(flags.name !== undefined ? { name: flags.name } : {}),
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      ...(flags.includeBookkeeping ? { includeBookkeeping: true } : {}),
      ...(flags.refDate !== undefined ? { refDate: new Date(flags.refDate).toISOString().replace('.000Z', 'Z') } : {}),
    });
  } finally {
    await client.end().catch(() => undefined);
  }
  // The written dataset must load and plan (the user's overrides included).
  let planned: string | null = null;
  if (flags.check !== false) {
    try {
      const { def } = await loadDataset(result.files.dataset, io.cwd);
      const plan = makePlan(def);
      planned = `${plan.tables.length} tables, ${plan.tables.reduce((a, t) => a + (t.end - t.start), 0).toLocaleString('en-US')} rows`;
    } catch (e) {
      const msg = e instanceof SeedpipeError ? `${e.message} [${e.code}]` : (e as Error).message;
      throw new SeedpipeError('INTROSPECT_DATASET_INVALID', `the dataset in ${result.files.dataset} does not load: ${msg}`, { disposition: 'usage', cause: e });
    }
  }
  if (flags.json) {
    io.out(JSON.stringify({ files: result.files, plan: planned, tables: result.dataset.tables, findings: result.dataset.findings }) + '\n');
    return;
  }
  io.out(renderSummary(result.dataset, result.files));
  if (planned) io.out(`  checked: ${result.files.dataset} loads and plans (${planned})\n`);
  io.out(`next: npx seedpipe run ${result.files.dataset} --db <url>   (loads into the existing tables)\n`);
}
