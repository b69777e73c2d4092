/**
 * Turns a catalog into a dataset module (TypeScript source) plus findings. The steps:
 *
 * 1. names.ts    dataset keys for tables and columns (schema and SQL names kept), bookkeeping
 *                tables set aside as `untouched`;
 * 2. analyse.ts  foreign keys, unique sets, and every constraint as solver formulas;
 * 3. shapes.ts   shapes (junction / per / rows) so keys and uniques hold by construction, row
 *                counts, NOT NULL cycles;
 * 4. tenancy.ts  the tenant table and the tables scoped to it;
 * 5. columns.ts  the check solver's cases and a generator per column;
 * 6. render.ts   the module text.
 *
 * Nothing is skipped silently: every column or constraint it cannot honour becomes a `Finding`
 * (table, column, the problem, what was chosen instead and what to write in dataset.ts).
 */
import { SeedpipeError } from '../errors.js';
import type { Catalog, CatalogTable } from './catalog-types.js';
import { analyse } from './analyse.js';
import { buildColumns } from './columns.js';
import { IDENT, type Finding, type GeneratedDataset, type GenerateOptions, type TableModel, type TableSummary } from './model.js';
import { bookkeepingOf, snakeKey } from './names.js';
import { render } from './render.js';
import { applyCapacity, breakHardCycles, chooseShape, computeRows, markLookups } from './shapes.js';
import { planTenancy } from './tenancy.js';

export type { Finding, GeneratedDataset, GenerateOptions, TableSummary } from './model.js';
export { datasetType, quote } from './model.js';

/** Builds the dataset module for `catalog`. */
export function generateDataset(catalog: Catalog, opts: GenerateOptions): GeneratedDataset {
  const findings: Finding[] = [];
  const find = (f: Finding): void => void findings.push(f);
  const base = opts.rows ?? 1000;
  if (!(Number.isInteger(base) && base >= 1)) throw new SeedpipeError('INTROSPECT_ROWS_INVALID', `rows must be a positive integer (got ${opts.rows})`, { disposition: 'usage' });

  // 1. Tables, keys, bookkeeping.
  const untouched: GeneratedDataset['untouched'] = [];
  const kept: CatalogTable[] = [];
  for (const t of catalog.tables) {
    const framework = opts.includeBookkeeping ? null : bookkeepingOf(t);
    if (framework) {
      untouched.push({ schema: t.schema, table: t.name, reason: `${framework} migration bookkeeping` });
      find({ table: `${t.schema}.${t.name}`, severity: 'info', problem: `${framework} migration bookkeeping`, chosen: 'left out and declared untouched: sinks never write or empty it (the includeBookkeeping option generates it)' });
      continue;
    }
    kept.push(t);
  }
  const keyOf = new Map<string, string>();
  const taken = new Set<string>();
  const firstSchema = catalog.schemas[0] ?? 'public';
  for (const t of kept) {
    const base0 = IDENT.test(t.name) ? t.name : snakeKey(t.name);
    let key = taken.has(base0) ? snakeKey(`${t.schema}_${base0}`) : base0;
    for (let i = 2; taken.has(key); i++) key = `${base0}_${i}`;
    taken.add(key);
    keyOf.set(`${t.schema}\u0000${t.name}`, key);
    if (key !== t.name) find({ table: key, severity: 'info', problem: `table ${t.schema}.${t.name} ${IDENT.test(t.name) ? 'has the same name as a table of another schema' : 'is not named in lower_snake_case'}`, chosen: `dataset key ${key}, with sqlName ${t.name} and schema ${t.schema}: sinks load it under its own name` });
  }
  const tableKey = (schema: string, name: string): string | null => keyOf.get(`${schema}\u0000${name}`) ?? null;

  // 2. Per-table analysis.
  const models = new Map<string, TableModel>();
  for (const t of kept) models.set(tableKey(t.schema, t.name)!, analyse(tableKey(t.schema, t.name)!, t, tableKey, catalog.functions ?? [], find));
  for (const m of models.values()) {
    for (const u of m.fks) if (u.target) u.refKeys = u.fk.refColumns.map((r) => models.get(u.target!)!.colKey.get(r) ?? r);
    const renamed = [...m.colKey].filter(([sql, key]) => sql !== key);
    if (renamed.length) find({ table: m.name, severity: 'info', problem: `column${renamed.length > 1 ? 's' : ''} ${renamed.map(([s]) => s).join(', ')} not in lower_snake_case`, chosen: `dataset keys ${renamed.map(([, k]) => k).join(', ')}, each with its sqlName` });
  }

  // 3. Shapes, tenancy, row counts, cycles.
  for (const m of models.values()) chooseShape(m, models);
  markLookups(models);
  const tenant = planTenancy(models, find);
  const expected = computeRows(models, base, tenant);
  breakHardCycles(models, find);

  // 4. Columns.
  for (const m of models.values()) buildColumns(m, { models, opts, tenant, expected, find });
  applyCapacity(models, expected, find);

  const name = opts.name ?? (catalog.database.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^([^a-z_])/, '_$1') || 'introspected');
  if (!IDENT.test(name)) throw new SeedpipeError('INTROSPECT_NAME_INVALID', `dataset name "${name}" must be lower_snake_case; pass --name`, { disposition: 'usage' });
  const schemas = new Set(kept.map((t) => t.schema));
  const schema = schemas.size === 1 && !schemas.has('public') ? [...schemas][0]! : schemas.size === 0 && firstSchema !== 'public' ? firstSchema : null;
  const list = [...models.values()];
  // Findings: tables in catalog order, errors first within a table.
  const order = new Map(list.map((m, i) => [m.name, i]));
  const sev = { error: 0, warning: 1, info: 2 };
  findings.sort((a, b) => (order.get(a.table) ?? -1) - (order.get(b.table) ?? -1) || sev[a.severity] - sev[b.severity]);
  const source = render({ catalog, models: list, opts, name, findings, schema, untouched, tenant });
  const tables: TableSummary[] = list.map((m) => summary(m, expected));
  return { source, findings, tables, name, untouched, tenant };
}

function summary(m: TableModel, expected: Map<string, number>): TableSummary {
  const s = m.shape;
  const common = { table: m.name, schema: m.cat.schema, sqlName: m.cat.name, expectedRows: Math.round(expected.get(m.name) ?? 0), columns: m.columns.filter((c) => !c.virtual && !c.omitted).length };
  if (s.kind === 'rows') return { ...common, shape: 'rows', rows: s.fixed ?? s.rows };
  if (s.kind === 'per') return { ...common, shape: 'per', parent: s.parent, count: s.count };
  return { ...common, shape: 'junction', parent: s.parent, target: s.target, count: s.count };
}
