/**
 * Column types of CSV files that carry no manifest: the narrowest type every non-empty value of the
 * first rows fits — bigint, double precision, boolean, date, timestamptz, uuid — else text. Empty
 * fields (NULL) fit every type; a column with no value at all is text. Every column is nullable.
 */
import type { ColumnInfo, ColumnType } from '../../../src/stage-kit.js';

const TESTS: readonly (readonly [ColumnType, RegExp])[] = [
  ['bigint', /^-?\d{1,15}$/],
  ['double precision', /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/],
  ['boolean', /^(true|false)$/],
  ['date', /^\d{4}-\d{2}-\d{2}$/],
  ['timestamptz', /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/],
  ['uuid', /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/],
];

/** The columns of a header and sample records, with declared types winning. */
export function inferColumns(header: readonly (string | null)[], sample: readonly (readonly (string | null)[])[], declared: Readonly<Record<string, ColumnType>> = {}): ColumnInfo[] {
  return header.map((h, j) => {
    const name = h ?? `column_${j + 1}`;
    let type: ColumnType | undefined = declared[name];
    if (!type) {
      const values = sample.map((r) => r[j]).filter((v): v is string => v !== null && v !== undefined && v !== '');
      type = values.length ? TESTS.find(([, re]) => values.every((v) => re.test(v)))?.[0] : undefined;
      // Leading zeros (postal codes, ids) are text, not numbers.
      if (type === 'bigint' && values.some((v) => /^-?0\d/.test(v))) type = undefined;
    }
    return { name, type: type ?? 'text', nullable: true, exported: true, deferred: false };
  });
}
