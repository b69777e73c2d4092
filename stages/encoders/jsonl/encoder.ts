/**
 * The `jsonl` encoding (JSON Lines): one JSON object per row, keys in column order, the exported
 * columns only, types as JSON — integers, numeric and double precision as JSON numbers (a numeric's
 * exact digits, a bigint beyond 2^53 too), booleans, NULL as null, text as strings, dates as
 * `"YYYY-MM-DD"`, timestamps as ISO 8601 strings in UTC, jsonb as the JSON itself. Every value is
 * type-checked as for CSV. No header; LF after every line.
 */
import { formatterFor, type Encoder, type TableInfo, type Values } from '../../../src/stage-kit.js';

export const JSONL = 'jsonl';

type Kind = 'number' | 'quoted' | 'string' | 'json';

function kindOf(type: string, enumValues: unknown): Kind {
  if (enumValues) return 'string';
  if (type === 'bigint' || type === 'int' || type === 'smallint' || type === 'double precision' || type.startsWith('numeric(') || type === 'boolean') return 'number';
  if (type === 'date' || type === 'timestamptz') return 'quoted';
  if (type === 'jsonb') return 'json';
  return 'string';
}

export function jsonlTableEncoder(info: TableInfo) {
  const cols = info.columns.map((c, j) => ({ c, j })).filter((x) => x.c.exported);
  const fields = cols.map(({ c, j }) => {
    const check = formatterFor(info.name, c);
    const kind = kindOf(c.type, c.enumValues);
    const key = `${JSON.stringify(c.name)}:`;
    // The CSV formatter type-checks the value (and gives numbers their canonical digits).
    const value = (v: unknown, row: number): string => {
      const text = check(v, row);
      if (v === null || v === undefined) return 'null';
      if (kind === 'number') return text;
      if (kind === 'quoted') return `"${text}"`;
      return JSON.stringify(v);
    };
    return { j, key, value };
  });
  const line = (row: Values, index: number): string => {
    let s = '{';
    for (let x = 0; x < fields.length; x++) {
      const f = fields[x]!;
      if (x > 0) s += ',';
      s += f.key + f.value(row[f.j], index);
    }
    return s + '}\n';
  };
  return {
    identity: `jsonl:${cols.map((x) => x.j).join(',')}`,
    header: Buffer.alloc(0),
    line,
    encode: (rows: readonly Values[], start: number) => {
      let s = '';
      for (let r = 0; r < rows.length; r++) s += line(rows[r]!, start + r);
      return Buffer.from(s, 'utf8');
    },
  };
}

export function jsonlEncoder(): Encoder {
  return { format: JSONL, module: import.meta.url, forTable: jsonlTableEncoder };
}

/** For generation workers (`Encoder.module`). */
export const encoders = { [JSONL]: jsonlEncoder() };
