/**
 * `seedpipe init [dir]`: scaffolds a dataset folder (a typed `dataset.ts` and a README) and a
 * `seedpipe.config.ts` pointing at it; with `--db`, introspects that database into the folder
 * instead of writing the example tables. Never overwrites a file: what exists is kept and said so.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import type { Io } from '../main.js';
import { CONFIG_FILES } from '../config.js';
import { intIn, list } from '../options.js';
import { introspectCommand } from './introspect.js';

interface InitFlags {
  db?: string;
  database?: string;
  name?: string;
  schema?: string[];
  rows?: number;
}

export function registerInit(program: Command, io: Io): void {
  program
    .command('init')
    .description('scaffold a dataset folder (typed dataset.ts, README) and seedpipe.config.ts; with --db, introspect that database into it')
    .argument('[dir]', 'dataset folder to create', 'seed/dataset')
    .option('--name <name>', 'dataset name, lower_snake_case (default: the folder’s name)')
    .option('--db <url>', 'introspect this database into the folder (its tables, keys and types) instead of writing example tables')
    .option('--database <name>', 'with no --db: introspect this database of the embedded Postgres')
    .option('--schema <names>', 'with --db: schemas to read, comma-separated (default: public)', list)
    .option('--rows <n>', 'with --db: rows of an ordinary table (default 1000; at most 1,000,000,000)', intIn(1, 1e9))
    .action(async (dir: string, flags: InitFlags) => init(dir, flags, io));
}

async function init(dirArg: string, flags: InitFlags, io: Io): Promise<void> {
  const dir = resolve(io.cwd, dirArg);
  const name = flags.name ?? basename(dir).toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^(\d)/, '_$1');
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw usageError('NAME_INVALID', `--name ${name}: use lower_snake_case (letters, digits, _)`);
  const written: string[] = [];
  const kept: string[] = [];
  const put = async (file: string, text: string): Promise<void> => {
    if (existsSync(file)) kept.push(relative(io.cwd, file) || file);
    else {
      await writeFile(file, text);
      written.push(relative(io.cwd, file));
    }
  };
  await mkdir(dir, { recursive: true });
  const introspecting = flags.db !== undefined || flags.database !== undefined;
  if (introspecting) {
    await introspectCommand({
      ...(flags.db !== undefined ? { db: flags.db } : {}),
      ...(flags.database !== undefined ? { database: flags.database } : {}),
      ...(flags.schema ? { schema: flags.schema } : {}),
      ...(flags.rows !== undefined ? { rows: flags.rows } : {}),
      out: dir,
      name,
    }, io);
  } else {
    await put(join(dir, 'dataset.ts'), datasetTemplate(name));
  }
  await put(join(dir, 'README.md'), readmeTemplate(name, introspecting));
  const existing = CONFIG_FILES.map((f) => join(io.cwd, f)).find((f) => existsSync(f));
  if (existing) kept.push(relative(io.cwd, existing));
  else await put(join(io.cwd, 'seedpipe.config.ts'), configTemplate(`./${relative(io.cwd, dir)}`, name));
  for (const f of written) io.out(`wrote ${f}\n`);
  for (const f of kept) io.out(`kept ${f} (already there)\n`);
  io.out(`next: npx seedpipe run${existing ? ` ${relative(io.cwd, dir) || '.'}` : ''} --dry-run   then   npx seedpipe run\n`);
}

function datasetTemplate(name: string): string {
  return `/**
 * The ${name} dataset: every value is a function of (seed, table, column, row index), so a run is
 * reproducible and any row can be recomputed. Types follow the declarations: a misspelt column is a
 * compile error. Run it with \`npx seedpipe run\` (see seedpipe.config.ts).
 */
import { defineDataset, DAY } from 'seedpipe';

export default defineDataset({
  name: '${name}',
  seed: 42,
  refDate: '2025-01-01T00:00:00Z', // "now" of the data: generators never read the clock
  params: { ordersPerCustomer: 3 },
  profiles: { light: { scale: 0.1 }, medium: {}, heavy: { scale: 10 } },
  tables: {
    customers: {
      rows: 1_000,
      columns: {
        id: { type: 'bigint' }, // 1..n
        name: { type: 'text', gen: (c) => c.faker.person.fullName() },
        email: { type: 'text', unique: true, gen: (c) => \`customer\${c.i + 1}@example.com\` },
        tier: { type: { enum: ['free', 'pro'] }, gen: (c) => c.rng.weighted({ free: 0.8, pro: 0.2 }) },
        created_at: { type: 'timestamptz', gen: (c) => c.t.recent(c.t.ago(720)) },
      },
    },
    orders: {
      per: { parent: 'customers', count: (c) => c.rng.poisson(c.params.ordersPerCustomer * (c.parent.tier === 'pro' ? 3 : 1)) },
      checks: ['total >= 0'],
      columns: {
        id: { type: 'bigint' },
        customer_id: { type: 'bigint', references: 'customers', gen: (c) => c.parentIndex + 1 },
        total: { type: 'numeric(12,2)', gen: (c) => Math.round(c.rng.lognormal(3, 1) * 100) / 100 },
        placed_at: { type: 'timestamptz', gen: (c) => c.t.after(c.parent.created_at, 90 * DAY) },
      },
    },
  },
  checks: [{ name: 'order_after_signup', sql: 'SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.placed_at < c.created_at' }],
});
`;
}

function readmeTemplate(name: string, introspected: boolean): string {
  return `# ${name}

${introspected
    ? 'Introspected from a database: `schema.generated.ts` is rewritten by every `seedpipe introspect`; `dataset.ts` is yours (overrides on top of it); `introspect-report.md` lists what could not be honoured as declared.'
    : 'A seedpipe dataset: `dataset.ts` declares the tables, their row counts and how each column is generated.'}

\`\`\`sh
npx seedpipe plan        # tables, row counts, estimated bytes; touches nothing
npx seedpipe run         # embedded Postgres (database "${name}") and out/${name}/*.csv
npx seedpipe validate    # foreign keys, counts, uniques and the checks of dataset.ts
\`\`\`

The target database, output folder and sinks are set in \`seedpipe.config.ts\`; flags and the
environment (\`DATABASE_URL\`, \`.env\`) win over it.
`;
}

function configTemplate(datasetPath: string, name: string): string {
  return `import { defineConfig } from 'seedpipe';

// Settings: a flag wins over the environment (.env included), which wins over this file.
export default defineConfig({
  dataset: '${datasetPath}',
  // db: { url: 'postgres://…' },   // default: DATABASE_URL, else database "${name}" on the embedded Postgres
  out: 'out/${name}',
  // s3: { url: 's3://bucket/prefix', region: 'eu-west-1' },
  // vectors: { url: 'lancedb://out/vectors', embedder: 'local' },
});
`;
}
