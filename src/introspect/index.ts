/**
 * `introspect`: read a Postgres schema and write an editable seedpipe dataset for it.
 *
 *   <out>/schema.generated.ts   the introspected tables; rewritten on every run
 *   <out>/dataset.ts            the user's dataset: imports the generated tables and applies
 *                               overrides (`withOverrides`); written only when missing
 *   <out>/introspect-report.md  everything the dataset cannot honour, with what it does instead
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCatalog, type Catalog, type CatalogClient } from './catalog.js';
import { generateDataset, quote, type GenerateOptions, type GeneratedDataset } from './generate.js';
import { renderReport } from './report.js';

export { readCatalog, type Catalog, type CatalogClient, type CatalogTable, type CatalogColumn } from './catalog.js';
export { generateDataset, datasetType, type Finding, type GeneratedDataset, type GenerateOptions, type TableSummary } from './generate.js';
export { passOf, holdsOf, prepare, truth, type LogicContext } from './checks/logic.js';
export { dnf, atomText, type Atom, type Formula } from './checks/atoms.js';
export { solve, type Solution, type SolverCheck, type SolverColumn } from './checks/solver.js';
export { chooseGenerator, kindOf, type ColumnFacts, type Choice, type ScalarKind } from './heuristics/index.js';
export { BOOKKEEPING, bookkeepingOf } from './names.js';
export { withOverrides, type DatasetOverrides, type TableOverride, type ColumnOverride } from './overrides.js';
export { renderReport, renderSummary } from './report.js';

export const GENERATED_FILE = 'schema.generated.ts';
export const DATASET_FILE = 'dataset.ts';
export const REPORT_FILE = 'introspect-report.md';

/** seedpipe's `src/` folder (this file lives in `src/introspect/`). */
const SRC_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The specifier of seedpipe's `src/` folder as seen from files in `outDir`. */
export function seedpipeImportFrom(outDir: string): string {
  const rel = relative(resolve(outDir), SRC_DIR).split(sep).join('/');
  return rel.startsWith('.') ? rel : rel === '' ? '.' : `./${rel}`;
}

export interface IntrospectOptions extends Omit<GenerateOptions, 'seedpipeImport' | 'source'> {
  client: CatalogClient;
  /** Schemas to read. Default `['public']`. */
  schemas?: readonly string[];
  /** Output folder (created when missing). */
  outDir: string;
  /** Where the schema came from, for headers and the report (no password). */
  source: string;
  /** Override the computed import specifier of seedpipe's `src/` folder. */
  seedpipeImport?: string;
}

export interface IntrospectResult {
  catalog: Catalog;
  dataset: GeneratedDataset;
  files: { generated: string; dataset: string; datasetWritten: boolean; report: string; packageJson?: string };
}

/**
 * Whether `.ts` files in `dir` load as ES modules: the nearest package.json says `"type": "module"`.
 * Otherwise tsx loads them as CommonJS, with their own copies of seedpipe's modules (so, for
 * example, errors they throw are not recognised as seedpipe errors).
 */
export function isEsmFolder(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const pkg = join(d, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(d) === d) return false;
  }
}

export async function introspect(o: IntrospectOptions): Promise<IntrospectResult> {
  const catalog = await readCatalog(o.client, { schemas: o.schemas ?? ['public'] });
  const outDir = resolve(o.outDir);
  const dataset = generateDataset(catalog, {
    ...(o.rows !== undefined ? { rows: o.rows } : {}),
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.refDate !== undefined ? { refDate: o.refDate } : {}),
    ...(o.canLoad ? { canLoad: o.canLoad } : {}),
    ...(o.includeBookkeeping ? { includeBookkeeping: true } : {}),
    seedpipeImport: o.seedpipeImport ?? seedpipeImportFrom(outDir),
    source: o.source,
  });
  await mkdir(outDir, { recursive: true });
  // The dataset files are ES modules; outside an ESM package a one-line package.json says so.
  let packageJson: string | undefined;
  if (!isEsmFolder(outDir)) {
    packageJson = join(outDir, 'package.json');
    await writeAtomically(packageJson, JSON.stringify({ private: true, type: 'module' }, null, 2) + '\n');
  }
  const generated = join(outDir, GENERATED_FILE);
  const datasetPath = join(outDir, DATASET_FILE);
  const report = join(outDir, REPORT_FILE);
  await writeAtomically(generated, dataset.source);
  const datasetWritten = !existsSync(datasetPath);
  if (datasetWritten) await writeAtomically(datasetPath, userDatasetSource(dataset, o.source));
  await writeAtomically(report, renderReport(catalog, dataset, o.source));
  return { catalog, dataset, files: { generated, dataset: datasetPath, datasetWritten, report, ...(packageJson ? { packageJson } : {}) } };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** The user's `dataset.ts`: the generated tables with an (empty) override block and examples from this schema. */
export function userDatasetSource(gen: GeneratedDataset, source: string): string {
  const example = gen.tables.find((t) => t.shape === 'rows' && !t.table.startsWith('_')) ?? gen.tables[0];
  const exampleLine = example
    ? `      // ${example.table}: { rows: ${(example.rows ?? 1000) * 5}, columns: { /* column: { gen: (c) => c.faker.lorem.words(3) } */ } },`
    : `      // some_table: { rows: 5000, columns: { some_column: { gen: (c) => c.faker.lorem.words(3) } } },`;
  return [
    '/**',
    ` * ${gen.name}: the seedpipe dataset for ${source}.`,
    ' *',
    ' * Yours to edit: `seedpipe introspect` writes this file only when it is missing. The tables come from',
    ` * ${GENERATED_FILE}, which introspect rewrites from the schema each time; the overrides below are`,
    ' * applied on top of it, so they survive schema changes (an override of a table or column that no',
    ' * longer exists is an error that names it).',
    ' *',
    ' *   table: null                         leave a table out',
    ' *   table: { rows: N }                  change a row count (or give per / junction to change the shape)',
    ' *   columns: { col: { gen: (c) => … } } replace a generator (type, nullability, references are kept)',
    ' *   columns: { col: null }              leave a column to the database (NULL or its default)',
    ' */',
    `import generated, { defineDataset, withOverrides } from ${quote(`./${GENERATED_FILE.replace(/\.ts$/, '.js')}`)};`,
    '',
    'export default defineDataset(',
    '  withOverrides(generated, {',
    '    tables: {',
    exampleLine,
    '    },',
    '  }),',
    ');',
    '',
  ].join('\n');
}
