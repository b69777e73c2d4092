/**
 * What a row of a table costs to load with text (CSV) and with binary COPY, client encoding and
 * server parsing together, estimated from its column types. The `auto` COPY format loads a table in
 * binary only where that is estimated cheaper (copy-format.ts).
 *
 * The numbers are nanoseconds per value, measured by `scripts/bench/copy-costs.ts` (the real encoders,
 * then COPY of their bytes into embedded PostgreSQL 18, 200k rows, tables of 1 and 5 columns of each
 * type, on a 2-vCPU machine): re-run it and paste its output here when an encoder or the server
 * changes. As measured, binary costs less per row and for every type but numeric, where the two are
 * level (the client's binary encoding works from the same decimal text); text would win only for a
 * table of almost nothing but numerics.
 *
 * Pure.
 */
import type { ColumnInfo, TableInfo } from '../../../src/stage-kit.js';

export const COST_TYPES = ['bigint', 'int', 'smallint', 'double precision', 'numeric', 'text', 'boolean', 'uuid', 'date', 'timestamptz', 'jsonb', 'enum'] as const;
export type CostType = (typeof COST_TYPES)[number];

export interface FormatCost {
  text: number;
  binary: number;
}

/** Per row, whatever its columns: the field count and the row's framing. */
export const PER_ROW: FormatCost = { text: 123, binary: 89 };

/** Per value of each type. */
export const PER_VALUE: Readonly<Record<CostType, FormatCost>> = {
  bigint: { text: 74, binary: 45 },
  int: { text: 84, binary: 38 },
  smallint: { text: 59, binary: 36 },
  'double precision': { text: 331, binary: 55 },
  numeric: { text: 218, binary: 220 },
  text: { text: 475, binary: 399 },
  boolean: { text: 107, binary: 51 },
  uuid: { text: 517, binary: 209 },
  date: { text: 376, binary: 44 },
  timestamptz: { text: 643, binary: 111 },
  jsonb: { text: 1705, binary: 1212 },
  enum: { text: 203, binary: 176 },
};

/** The cost type of a dataset column. */
export function costTypeOf(c: ColumnInfo): CostType {
  if (c.enumValues) return 'enum';
  if (c.type.startsWith('numeric(')) return 'numeric';
  if (c.type.startsWith('varchar(')) return 'text';
  return c.type as CostType;
}

/** Estimated nanoseconds per row of `t` in each format (the sum of its columns' costs and the row's). */
export function rowCost(t: TableInfo): FormatCost {
  const cost = { ...PER_ROW };
  for (const c of t.columns) {
    const v = PER_VALUE[costTypeOf(c)];
    cost.text += v.text;
    cost.binary += v.binary;
  }
  return cost;
}
