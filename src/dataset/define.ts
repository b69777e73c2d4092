/**
 * `defineDataset`: typed config files, validated with zod once, frozen. Errors name the table and
 * column and say what to change.
 */
import { z } from 'zod';
import { SeedpipeError } from '../errors.js';
import type { DatasetDef, Params } from './types.js';
import type { DatasetInput, ParentsOf, Schema } from './typed.js';

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { message: 'expected a function' });
const ident = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'use lower_snake_case: letters, digits and _');
const paramName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _');
const columnType = z.union([
  z.enum(['bigint', 'int', 'smallint', 'text', 'boolean', 'date', 'timestamptz', 'uuid', 'jsonb', 'double precision']),
  z.string().regex(/^numeric\(\d+,\d+\)$/, 'numeric(p,s)'),
  z.string().regex(/^varchar\(\d+\)$/, 'varchar(n)'),
  z.object({ enum: z.array(z.string()).min(1) }),
]);
const column = z.strictObject({
  type: columnType,
  gen: fn.optional(),
  byIndex: z.boolean().optional(),
  nullable: z.boolean().optional(),
  unique: z.boolean().optional(),
  references: z.union([ident, z.strictObject({ table: ident, column: ident.optional() })]).optional(),
  virtual: z.boolean().optional(),
  export: z.boolean().optional(),
  index: z.boolean().optional(),
  check: z.string().optional(),
  sqlName: z.string().min(1).max(63).optional(),
  sequence: z.strictObject({ schema: z.string().min(1), name: z.string().min(1), owned: z.boolean() }).optional(),
});
const count = z.union([z.number().int().nonnegative(), fn]);
const table = z.strictObject({
  rows: z.number().int().nonnegative().optional(),
  per: z.strictObject({ parent: ident, count }).optional(),
  series: z.strictObject({ parent: ident, start: fn, end: fn, everyMs: z.number().positive() }).optional(),
  junction: z.strictObject({ parent: ident, target: ident, count, first: fn.optional() }).optional(),
  fixed: z.array(z.record(z.string(), z.unknown())).optional(),
  catalog: z.boolean().optional(),
  keyOffset: z.number().int().nonnegative().optional(),
  primaryKey: z.array(ident).min(1).optional(),
  uniques: z.array(z.array(ident).min(1)).optional(),
  indexes: z.array(z.array(ident).min(1)).optional(),
  checks: z.array(z.string()).optional(),
  foreignKeys: z.array(z.strictObject({ columns: z.array(ident).min(1), table: ident, refColumns: z.array(ident).min(1) })).optional(),
  columns: z.record(ident, column),
  embed: z.strictObject({ text: fn, metadata: fn.optional(), namespace: z.string().optional() }).optional(),
  transforms: z
    .array(z.strictObject({
      use: z.custom<object>((v) => typeof v === 'object' && v !== null && typeof (v as { forTable?: unknown }).forTable === 'function', { message: 'expected a transform (an object with forTable), e.g. maskTransform(…)' }),
      sinks: z.array(z.string().min(1)).optional(),
    }))
    .optional(),
  description: z.string().optional(),
  export: z.boolean().optional(),
  schema: z.string().min(1).max(63).optional(),
  sqlName: z.string().min(1).max(63).optional(),
});
const param = z.union([z.number(), z.string(), z.boolean()]);
const dataset = z.strictObject({
  name: ident,
  description: z.string().optional(),
  seed: z.number().int(),
  refDate: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date such as 2025-06-01T00:00:00Z'),
  params: z.record(paramName, param).optional(),
  profiles: z
    .record(ident, z.strictObject({ scale: z.number().positive().optional(), rows: z.record(z.string(), z.number().int().nonnegative()).optional(), params: z.record(z.string(), param).optional() }))
    .optional(),
  defaultProfile: z.string().optional(),
  tables: z.record(ident, table),
  checks: z.array(z.strictObject({ name: z.string().min(1), sql: z.string().min(1), description: z.string().optional() })).optional(),
  schema: z.string().min(1).max(63).optional(),
  untouched: z.array(z.strictObject({ schema: z.string().min(1).optional(), table: z.string().min(1), reason: z.string().min(1) })).optional(),
});

/**
 * Declares a dataset. Validation errors are thrown as `SeedpipeError` code `DATASET_INVALID`.
 * The declarations type the generators (see typed.ts): `c.row`, `c.parent`, `c.params`, `lookup`
 * and `ref` follow the columns, parents and params declared, at compile time only.
 */
export function defineDataset<const S extends Schema, const Parents extends ParentsOf<S>, const P extends Params = Record<never, never>>(input: DatasetInput<S, Parents, P>): DatasetDef {
  const def = input as unknown as DatasetDef;
  const parsed = dataset.safeParse(def);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${describePath(i.path)}: ${i.message}`);
    throw new SeedpipeError('DATASET_INVALID', `dataset ${JSON.stringify(def?.name ?? '?')} is invalid:\n${problems.join('\n')}`, {
      disposition: 'usage',
      data: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
    });
  }
  checkSemantics(def);
  return deepFreeze(def);
}

function describePath(path: readonly PropertyKey[]): string {
  const p = path.map(String);
  if (p[0] === 'tables' && p.length >= 2) {
    const rest = p.slice(2);
    if (rest[0] === 'columns' && rest.length >= 2) return `table ${p[1]}, column ${rest[1]}${rest.length > 2 ? ` (${rest.slice(2).join('.')})` : ''}`;
    return `table ${p[1]}${rest.length ? ` (${rest.join('.')})` : ''}`;
  }
  return p.join('.') || '(dataset)';
}

function fail(message: string, data: Record<string, unknown>): never {
  throw new SeedpipeError('DATASET_INVALID', message, { disposition: 'usage', data });
}

/** Cross-references zod cannot see: shapes, known tables, key columns, profiles. */
function checkSemantics(def: DatasetDef): void {
  const tables = Object.keys(def.tables);
  const known = new Set(tables);
  const unknownTable = (where: string, t: string): never =>
    fail(`${where} refers to unknown table "${t}"; known tables: ${tables.join(', ')}`, { table: t });
  for (const [name, t] of Object.entries(def.tables)) {
    const shapes = (['rows', 'per', 'series', 'junction'] as const).filter((s) => t[s] !== undefined);
    if (shapes.length !== 1) fail(`table ${name}: declare exactly one of rows, per, series, junction (found ${shapes.join(', ') || 'none'})`, { table: name });
    for (const s of [t.per?.parent, t.series?.parent, t.junction?.parent, t.junction?.target]) if (s && !known.has(s)) unknownTable(`table ${name}`, s);
    if (t.fixed && t.rows === undefined) fail(`table ${name}: fixed rows are only supported on tables with a rows count`, { table: name });
    if (t.catalog && t.rows === undefined) fail(`table ${name}: catalog is only supported on tables with a rows count (a list the dataset defines)`, { table: name });
    const cols = Object.keys(t.columns);
    const pk = t.primaryKey ?? (cols.includes('id') ? ['id'] : []);
    for (const fk of t.foreignKeys ?? []) {
      if (!known.has(fk.table)) unknownTable(`table ${name}, foreign key (${fk.columns.join(', ')})`, fk.table);
      if (fk.columns.length !== fk.refColumns.length) fail(`table ${name}: foreign key (${fk.columns.join(', ')}) has ${fk.refColumns.length} referenced columns; give one per column`, { table: name });
    }
    for (const c of [...pk, ...(t.uniques ?? []).flat(), ...(t.indexes ?? []).flat(), ...(t.foreignKeys ?? []).flatMap((f) => f.columns)]) {
      if (!t.columns[c]) fail(`table ${name}: key/index column "${c}" is not a column of the table`, { table: name, column: c });
    }
    for (const [cname, c] of Object.entries(t.columns)) {
      const ref = typeof c.references === 'string' ? c.references : c.references?.table;
      if (ref && !known.has(ref)) unknownTable(`table ${name}, column ${cname}`, ref);
      if (!c.gen && !(pk.length === 1 && pk[0] === cname)) {
        fail(`table ${name}, column ${cname}: no generator; add gen: (c) => … (only a single-column primary key may omit it)`, { table: name, column: cname });
      }
    }
    for (const row of t.fixed ?? []) {
      for (const k of Object.keys(row)) if (!t.columns[k]) fail(`table ${name}: fixed row sets unknown column "${k}"`, { table: name, column: k });
    }
  }
  checkSqlNames(def);
  for (const [pname, p] of Object.entries(def.profiles ?? {})) {
    for (const t of Object.keys(p.rows ?? {})) {
      if (!known.has(t)) unknownTable(`profile ${pname}`, t);
      if (def.tables[t]!.catalog) fail(`profile ${pname} sets the rows of ${t}, a catalog (its rows are a list the dataset defines); leave ${t} out of the profile`, { profile: pname, table: t });
    }
    for (const k of Object.keys(p.params ?? {})) {
      if (!def.params || !(k in def.params)) fail(`profile ${pname} sets undeclared parameter "${k}"; declare it under params`, { profile: pname });
    }
  }
  if (def.defaultProfile && !def.profiles?.[def.defaultProfile]) fail(`defaultProfile "${def.defaultProfile}" is not a declared profile`, {});
}

/** Two tables (or two columns of a table) must not land on the same database object. */
function checkSqlNames(def: DatasetDef): void {
  const tables = new Map<string, string>();
  const schemaOf = (s: string | undefined): string => s ?? def.schema ?? 'public';
  for (const [name, t] of Object.entries(def.tables)) {
    const where = `${schemaOf(t.schema)}.${t.sqlName ?? name}`;
    const other = tables.get(where);
    if (other) fail(`tables ${other} and ${name} both name the database table ${where}; give one of them its own sqlName or schema`, { table: name });
    tables.set(where, name);
    const cols = new Map<string, string>();
    for (const [cname, c] of Object.entries(t.columns)) {
      if (c.virtual) continue;
      const sql = c.sqlName ?? cname;
      const o = cols.get(sql);
      if (o) fail(`table ${name}: columns ${o} and ${cname} both name the database column ${sql}; give one of them its own sqlName`, { table: name, column: cname });
      cols.set(sql, cname);
    }
  }
  for (const u of def.untouched ?? []) {
    const where = `${schemaOf(u.schema)}.${u.table}`;
    const t = tables.get(where);
    if (t) fail(`untouched table ${where} is also generated as table ${t}; remove one of the two`, { table: t });
  }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
