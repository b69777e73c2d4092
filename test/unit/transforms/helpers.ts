/** A small typed table for transform tests, and a way to run a transform over rows. */
import type { ColumnInfo, TableInfo, Transform, Values } from '../../../src/index.js';

export function table(name: string, cols: Record<string, ColumnInfo['type']>, extra: Partial<TableInfo> = {}): TableInfo {
  return {
    name, primaryKey: ['id'], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 0, firstRow: 0,
    columns: Object.entries(cols).map(([n, type]) => ({ name: n, type, nullable: n !== 'id', exported: true, deferred: false })),
    ...extra,
  };
}

/** The output table and rows of `t` over `rows` (undefined when it leaves the table alone). */
export async function through(t: Transform, info: TableInfo, rows: Values[], start = 0): Promise<{ info: TableInfo; rows: readonly Values[] } | undefined> {
  const step = t.forTable(info);
  if (!step) return undefined;
  return { info: step.info, rows: await step.apply(rows, start) };
}
