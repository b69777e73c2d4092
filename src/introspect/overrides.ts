/**
 * `withOverrides(generated, overrides)`: how an introspected dataset stays editable. The
 * introspector rewrites `schema.generated.ts` on every run; the user's `dataset.ts` (written once,
 * never overwritten) applies their changes on top:
 *
 * ```ts
 * import generated, { defineDataset, withOverrides } from './schema.generated.js';
 * export default defineDataset(withOverrides(generated, {
 *   seed: 7,
 *   tables: {
 *     users: { rows: 5000, columns: { bio: { gen: (c) => c.text.paragraph(1, 2) } } },
 *     audit_log: null, // leave this table out
 *   },
 * }));
 * ```
 *
 * Merge rules (small on purpose, so the result is predictable):
 * - top-level fields (`name`, `seed`, `refDate`, `description`, `defaultProfile`) replace;
 *   `params` merge key by key; `profiles` merge per profile (their `rows` and `params` key by key);
 *   `checks` are appended.
 * - a table override merges into the generated table: given fields replace (`rows`, `primaryKey`,
 *   `uniques`, `embed`, …); giving a shape (`rows`, `per`, `series` or `junction`) replaces the
 *   generated shape; `null` removes the table.
 * - a column override merges into the generated column field by field (`{ gen }` keeps type,
 *   nullability and references); `null` removes the column (the database fills it: NULL or its
 *   default). A column the generated table lacks is added at the end and must be complete (with a
 *   `type`).
 * - an override naming a table or column the schema no longer has is an error
 *   (`OVERRIDE_UNKNOWN_TABLE` / `OVERRIDE_UNKNOWN_COLUMN`) naming it, so a schema change never
 *   leaves an edit silently unused. Add `type` to declare a column on purpose.
 */
import { SeedpipeError } from '../errors.js';
import type { CheckDef, ColumnDef, DatasetDef, ProfileDef, TableDef } from '../dataset/types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type ColumnOverride = Partial<ColumnDef>;

export type TableOverride = Partial<Omit<TableDef, 'columns'>> & {
  columns?: Record<string, ColumnOverride | null>;
};

export interface DatasetOverrides {
  name?: string;
  description?: string;
  seed?: number;
  refDate?: string;
  params?: DatasetDef['params'];
  profiles?: Record<string, ProfileDef>;
  defaultProfile?: string;
  /** Appended to the generated checks. */
  checks?: readonly CheckDef[];
  tables?: Record<string, TableOverride | null>;
}

const SHAPES = ['rows', 'per', 'series', 'junction'] as const;

function fail(code: string, message: string, data: Record<string, unknown>): never {
  throw new SeedpipeError(code, message, { disposition: 'usage', data });
}

/** The generated dataset with `overrides` applied (a new object; neither input is changed). */
export function withOverrides(generated: DatasetDef, overrides: DatasetOverrides = {}): DatasetDef {
  const out: Mutable<DatasetDef> = { ...generated, tables: { ...generated.tables } };
  for (const k of ['name', 'description', 'seed', 'refDate', 'defaultProfile'] as const) {
    if (overrides[k] !== undefined) (out as Record<string, unknown>)[k] = overrides[k];
  }
  if (overrides.params) out.params = { ...(generated.params ?? {}), ...overrides.params };
  if (overrides.profiles) {
    const profiles: Record<string, ProfileDef> = { ...(generated.profiles ?? {}) };
    for (const [p, o] of Object.entries(overrides.profiles)) {
      const g = profiles[p] ?? {};
      profiles[p] = {
        ...g,
        ...o,
        ...(g.rows || o.rows ? { rows: { ...(g.rows ?? {}), ...(o.rows ?? {}) } } : {}),
        ...(g.params || o.params ? { params: { ...(g.params ?? {}), ...(o.params ?? {}) } } : {}),
      };
    }
    out.profiles = profiles;
  }
  if (overrides.checks) out.checks = [...(generated.checks ?? []), ...overrides.checks];
  const tables = out.tables as Record<string, TableDef>;
  for (const [name, o] of Object.entries(overrides.tables ?? {})) {
    const g = generated.tables[name];
    if (!g) {
      if (o && o.columns && Object.values(o.columns).every((c) => c && c.type !== undefined) && SHAPES.some((s) => o[s] !== undefined)) {
        // A table added by hand (complete: a shape and typed columns).
        tables[name] = o as TableDef;
        continue;
      }
      fail('OVERRIDE_UNKNOWN_TABLE', `dataset.ts overrides table "${name}", which the introspected schema does not have (any more); remove the override, or give it a shape and typed columns to add it. Tables: ${Object.keys(generated.tables).join(', ')}`, { table: name });
    }
    if (o === null) {
      delete tables[name];
      continue;
    }
    tables[name] = mergeTable(name, g, o);
  }
  return out;
}

function mergeTable(name: string, g: TableDef, o: TableOverride): TableDef {
  const t: Mutable<TableDef> = { ...g };
  const { columns, ...rest } = o;
  if (SHAPES.some((s) => rest[s] !== undefined)) {
    for (const s of SHAPES) delete t[s];
    if (rest.rows === undefined) delete t.fixed;
  }
  Object.assign(t, rest);
  if (columns) {
    const cols: Record<string, ColumnDef> = { ...g.columns };
    for (const [cname, c] of Object.entries(columns)) {
      const gc = g.columns[cname];
      if (c === null) {
        if (!gc) fail('OVERRIDE_UNKNOWN_COLUMN', `dataset.ts removes column ${name}.${cname}, which the introspected table does not have; remove that override. Columns: ${Object.keys(g.columns).join(', ')}`, { table: name, column: cname });
        delete cols[cname];
        continue;
      }
      if (!gc) {
        if (c.type === undefined) {
          fail('OVERRIDE_UNKNOWN_COLUMN', `dataset.ts overrides column ${name}.${cname}, which the introspected table does not have (any more); remove the override, or give it a type to add it. Columns: ${Object.keys(g.columns).join(', ')}`, { table: name, column: cname });
        }
        cols[cname] = c as ColumnDef;
        continue;
      }
      const merged: Mutable<ColumnDef> = { ...gc, ...c };
      // A generator of one's own makes no promise to read only the row index.
      if (c.gen !== undefined && c.byIndex === undefined) delete merged.byIndex;
      cols[cname] = merged;
    }
    t.columns = cols;
  }
  return t;
}
