/** A table with one column of every value kind the file encoders map, and a hidden one. */
import type { ColumnInfo, TableInfo } from '../../../src/index.js';

export function eventsTable(columns: readonly [string, ColumnInfo['type'], boolean, boolean?][]): TableInfo {
  return {
    name: 'events', primaryKey: ['id'], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 0, firstRow: 0,
    columns: columns.map(([name, type, nullable, exported]) => ({ name, type, nullable, exported: exported !== false, deferred: false })),
  };
}
