/**
 * `filter`: keeps the rows of a table for which a predicate holds. The output has the input's shape;
 * rows keep their order, and `Batch.start` stays the source position of the batch.
 */
import { SeedpipeError, usageError, type TableInfo, type TableTransform, type Transform, type Values } from '../../../src/stage-kit.js';
import { compileExpression } from './expression.js';
import type { FilterOptions } from './options.js';

export function filterTransform(o: FilterOptions): Transform {
  return {
    name: 'filter',
    forTable(input: TableInfo): TableTransform | null {
      const where = o.where[input.name];
      if (where === undefined) return null;
      const names = input.columns.map((c) => c.name);
      let keep: (row: Values) => boolean;
      if (typeof where === 'string') {
        const e = compileExpression(where, names);
        keep = (row) => e(row) === true;
      } else if (typeof where === 'function') {
        keep = (row) => {
          const obj: Record<string, unknown> = {};
          for (let j = 0; j < names.length; j++) obj[names[j]!] = row[j];
          return where(obj) === true;
        };
      } else {
        throw usageError('FILTER_INVALID', `the filter of table ${input.name} must be a condition or a function`);
      }
      return {
        info: input,
        apply: (rows, start) =>
          rows.filter((r, i) => {
            try {
              return keep(r);
            } catch (e) {
              if (e instanceof SeedpipeError) throw e;
              throw new SeedpipeError('FILTER_FAILED', `the filter of table ${input.name} threw at row ${start + i}: ${e instanceof Error ? e.message : String(e)}`, { disposition: 'data-quality', data: { table: input.name, row: start + i }, cause: e });
            }
          }),
      };
    },
  };
}
