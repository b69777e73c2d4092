/**
 * `select`: keep, drop and rename columns. The output table's keys, uniques, indexes and foreign keys
 * follow: renamed where their columns are, left out where a column is gone (a key without its column
 * is no key). Rows are rebuilt by index; nothing else changes.
 */
import { usageError, type ColumnInfo, type TableInfo, type TableTransform, type Transform, type Values } from '../../../src/stage-kit.js';
import type { SelectOptions } from './options.js';

/** Whether `ref` (`table.column` or `column`) names this column of this table. */
function names(ref: string, table: string, column: string): boolean {
  const dot = ref.indexOf('.');
  return dot < 0 ? ref === column : ref.slice(0, dot) === table && ref.slice(dot + 1) === column;
}

export function selectTransform(o: SelectOptions): Transform {
  const keep = o.keep ?? [];
  const drop = o.drop ?? [];
  const rename = Object.entries(o.rename ?? {});
  return {
    name: 'select',
    forTable(input: TableInfo): TableTransform | null {
      const mentioned = (c: ColumnInfo): boolean => keep.some((r) => names(r, input.name, c.name));
      const keepHere = input.columns.some(mentioned);
      const picked: number[] = [];
      input.columns.forEach((c, j) => {
        if (keepHere && !mentioned(c)) return;
        if (drop.some((r) => names(r, input.name, c.name))) return;
        picked.push(j);
      });
      const newName = new Map<string, string>();
      for (const c of input.columns) {
        const r = rename.find(([from]) => names(from, input.name, c.name));
        if (r) newName.set(c.name, r[1]);
      }
      if (picked.length === input.columns.length && newName.size === 0) return null;
      if (picked.length === 0) throw usageError('SELECT_NO_COLUMNS', `select leaves table ${input.name} without columns; keep at least one`, { table: input.name });
      const kept = new Set(picked.map((j) => input.columns[j]!.name));
      const out = (c: string): string => newName.get(c) ?? c;
      const columns = picked.map((j) => {
        const c = input.columns[j]!;
        return newName.has(c.name) ? { ...c, name: out(c.name), sqlName: out(c.name) } : c;
      });
      const seen = new Set<string>();
      for (const c of columns) {
        if (seen.has(c.name)) throw usageError('SELECT_DUPLICATE_COLUMN', `select gives table ${input.name} two columns named ${c.name}; rename one of them`, { table: input.name });
        seen.add(c.name);
      }
      const whole = (cols: readonly string[]): boolean => cols.every((c) => kept.has(c));
      const info: TableInfo = Object.freeze({
        ...input,
        columns,
        primaryKey: whole(input.primaryKey) ? input.primaryKey.map(out) : [],
        uniques: input.uniques.filter(whole).map((u) => u.map(out)),
        indexes: input.indexes.filter(whole).map((u) => u.map(out)),
        foreignKeys: input.foreignKeys.filter((f) => whole(f.columns)).map((f) => ({ ...f, columns: f.columns.map(out) })),
        // A check names columns in SQL text; it holds on the source table and is not carried over.
        checks: newName.size || picked.length < input.columns.length ? [] : input.checks,
      });
      const identity = picked.length === input.columns.length;
      return { info, apply: (rows: readonly Values[]) => (identity ? rows : rows.map((r) => picked.map((j) => r[j]))) };
    },
  };
}
