/**
 * `derive`: adds (or replaces) columns computed from the row. Each value is type-checked by the
 * encoder that writes it, like a generated value.
 */
import { SeedpipeError, usageError, type ColumnInfo, type TableInfo, type TableTransform, type Transform, type Values } from '../../../src/stage-kit.js';
import type { DeriveOptions } from './options.js';

export function deriveTransform(o: DeriveOptions): Transform {
  return {
    name: 'derive',
    forTable(input: TableInfo): TableTransform | null {
      const mine = o.columns.filter((c) => c.table === input.name);
      if (mine.length === 0) return null;
      const names = input.columns.map((c) => c.name);
      const columns: ColumnInfo[] = [...input.columns];
      // Where each derived value goes: replacing an existing column or appended.
      const slots = mine.map((d) => {
        if (typeof d.value !== 'function') throw usageError('DERIVE_INVALID', `derived column ${d.table}.${d.name} needs a value function`);
        const info: ColumnInfo = { name: d.name, type: d.type, nullable: d.nullable !== false, exported: d.exported !== false, deferred: false };
        const at = columns.findIndex((c) => c.name === d.name);
        if (at >= 0) columns[at] = info;
        else columns.push(info);
        return { d, at: at >= 0 ? at : columns.length - 1 };
      });
      return {
        info: Object.freeze({ ...input, columns }),
        apply: (rows: readonly Values[], start: number) =>
          rows.map((r, i) => {
            const obj: Record<string, unknown> = {};
            for (let j = 0; j < names.length; j++) obj[names[j]!] = r[j];
            const out = [...r];
            for (const { d, at } of slots) {
              try {
                out[at] = d.value(obj, start + i);
              } catch (e) {
                throw new SeedpipeError('DERIVE_FAILED', `derived column ${d.table}.${d.name} threw at row ${start + i}: ${e instanceof Error ? e.message : String(e)}`, { disposition: 'data-quality', data: { table: d.table, column: d.name, row: start + i }, cause: e });
              }
            }
            return out;
          }),
      };
    },
  };
}
