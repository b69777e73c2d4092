import type { ColumnType } from '../../../src/stage-kit.js';

/** One computed column. */
export interface DerivedColumn {
  /** The table it is added to. */
  table: string;
  /** Column name; an existing column of that name is replaced in place. */
  name: string;
  type: ColumnType;
  /** Default true. */
  nullable?: boolean;
  /** Whether file exports include it. Default true. */
  exported?: boolean;
  /**
   * The value for a row (an object keyed by the table's column names; `index` is the row's source
   * position). Must be deterministic: a function of the row only.
   */
  value: (row: Record<string, unknown>, index: number) => unknown;
}

export interface DeriveOptions {
  columns: readonly DerivedColumn[];
}
