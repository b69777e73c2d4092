/**
 * `--schema NAME` on the commands that touch a dataset's tables (run, validate, coverage, reset, ddl):
 * the Postgres schema of every table that has no other schema than the dataset's default. Tables
 * that name another schema of their own keep it (a dataset whose foreign keys cross schemas), and
 * so do untouched tables declared there.
 */
import type { DatasetDef } from '../dataset/types.js';
import { SeedpipeError } from '../errors.js';

export function withSchema(def: DatasetDef, schema: string | undefined): DatasetDef {
  if (!schema) return def;
  const from = def.schema ?? 'public';
  const tables: DatasetDef['tables'] = {};
  for (const [name, t] of Object.entries(def.tables)) {
    if (t.schema === undefined || t.schema === from) {
      const { schema: _ignored, ...rest } = t;
      tables[name] = rest as typeof t;
    } else tables[name] = t;
  }
  return {
    ...def,
    schema,
    tables,
    ...(def.untouched ? { untouched: def.untouched.map((u) => ((u.schema ?? from) === from ? { ...u, schema } : u)) } : {}),
  };
}

/** Every schema the dataset's tables live in (its default first). */
export function datasetSchemas(def: DatasetDef): string[] {
  return [...new Set([def.schema ?? 'public', ...Object.values(def.tables).flatMap((t) => (t.schema ? [t.schema] : []))])];
}

/** The untouched tables by schema and database name, for the Postgres stage. */
export function untouchedOf(def: DatasetDef): { schema: string; table: string; reason: string }[] {
  return (def.untouched ?? []).map((u) => ({ schema: u.schema ?? def.schema ?? 'public', table: u.table, reason: u.reason }));
}

export const SCHEMA_FLAG = ['--schema <name>', 'Postgres schema of the dataset’s tables (default: the dataset’s schema, else public); tables that name another schema keep it'] as const;

/**
 * `--table-prefix P` (run, ddl): every table's database name becomes P + its name (or its declared
 * database name), e.g. a warehouse's `raw.app_database_devices` for the dataset's `devices`. Keys,
 * foreign keys, sequences and CSV file names follow the dataset's names; only the database names change.
 */
export function withTablePrefix(def: DatasetDef, prefix: string | undefined): DatasetDef {
  if (!prefix) return def;
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(prefix)) {
    throw new SeedpipeError('FLAG_INVALID', `--table-prefix ${JSON.stringify(prefix)}: use letters, digits and underscores, starting with a letter or underscore (e.g. app_database_)`, { disposition: 'usage' });
  }
  const tables: DatasetDef['tables'] = {};
  for (const [name, t] of Object.entries(def.tables)) {
    const sqlName = prefix + (t.sqlName ?? name);
    if (sqlName.length > 63) {
      throw new SeedpipeError('FLAG_INVALID', `--table-prefix ${prefix}: table ${name} would be named ${sqlName} (${sqlName.length} characters; PostgreSQL allows 63); choose a shorter prefix`, { disposition: 'usage' });
    }
    tables[name] = { ...t, sqlName };
  }
  return { ...def, tables };
}

export const TABLE_PREFIX_FLAG = ['--table-prefix <prefix>', 'prefix every table’s database name (e.g. app_database_ loads devices as app_database_devices)'] as const;
