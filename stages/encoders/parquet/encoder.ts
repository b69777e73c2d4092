/**
 * The `parquet` encoding, with `hyparquet-writer` (pure JavaScript, no native code): a table's
 * exported columns with Parquet types — bigint INT64, int and smallint INT32, double precision
 * DOUBLE, boolean BOOLEAN, date DATE, timestamptz TIMESTAMP (milliseconds, UTC), jsonb JSON, numeric
 * and every text type STRING (a numeric's exact decimal text). NULLable columns are OPTIONAL.
 *
 * Columnar, so not per row: rows are gathered into row groups of `rowGroupRows`; `encode` returns a
 * group's bytes when one is full (else nothing), `trailer` the last group and the footer. Stateful
 * per table stream, hence an identity no other encoding shares.
 */
import type { Encoder, TableEncoder, TableInfo, Values } from '../../../src/stage-kit.js';
import { formatterFor, requireOptional, usageError } from '../../../src/stage-kit.js';
import type * as Hyparquet from 'hyparquet-writer';
import type { ParquetEncoderOptions } from './options.js';

export const PARQUET = 'parquet';
export const PARQUET_PACKAGES = ['hyparquet-writer'] as const;

type BasicType = 'INT64' | 'INT32' | 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'JSON' | 'TIMESTAMP';

function parquetType(type: string, enumValues: unknown): BasicType | 'DATE' {
  if (enumValues) return 'STRING';
  if (type === 'bigint') return 'INT64';
  if (type === 'int' || type === 'smallint') return 'INT32';
  if (type === 'double precision') return 'DOUBLE';
  if (type === 'boolean') return 'BOOLEAN';
  if (type === 'date') return 'DATE';
  if (type === 'timestamptz') return 'TIMESTAMP';
  if (type === 'jsonb') return 'JSON';
  return 'STRING';
}

/** A hyparquet Writer whose bytes are taken out after each row group, so the file never sits in memory. */
function drainingWriter(lib: typeof Hyparquet): InstanceType<typeof Hyparquet.ByteWriter> & { take(): Buffer } {
  const w = new lib.ByteWriter() as InstanceType<typeof Hyparquet.ByteWriter> & { index: number; take(): Buffer };
  w.take = () => {
    const out = Buffer.from(w.getBytes());
    w.index = 0;
    return out;
  };
  return w;
}

export function parquetTableEncoder(info: TableInfo, o: ParquetEncoderOptions = {}): TableEncoder {
  const lib = requireOptional<typeof Hyparquet>(PARQUET_PACKAGES[0], 'Parquet files (--format parquet)', PARQUET_PACKAGES);
  const groupRows = o.rowGroupRows ?? 65_536;
  const cols = info.columns.map((c, j) => ({ c, j, t: parquetType(c.type, c.enumValues), check: formatterFor(info.name, c) })).filter((x) => x.c.exported);
  const schema = [
    { name: 'root', num_children: cols.length },
    ...cols.map(({ c, t }) => {
      const repetition_type = c.nullable ? ('OPTIONAL' as const) : ('REQUIRED' as const);
      if (t === 'DATE') return { name: c.name, type: 'INT32' as const, converted_type: 'DATE' as const, repetition_type };
      return lib.schemaFromColumnData({ columnData: [{ name: c.name, data: [], type: t, nullable: c.nullable }] })[1]!;
    }),
  ];
  const writer = drainingWriter(lib);
  const pq = new lib.ParquetWriter({ writer, schema, codec: o.codec ?? 'SNAPPY', createdBy: 'seedpipe (hyparquet-writer)' });
  const header = writer.take();
  let pending: unknown[][] = cols.map(() => []);
  let held = 0;
  const flush = (): Buffer => {
    if (held === 0) return Buffer.alloc(0);
    // Numbers for INT64 columns become BigInt, as the format stores them.
    const columnData = cols.map(({ c, t }, x) => ({ name: c.name, data: t === 'INT64' ? pending[x]!.map((v) => (v === null || v === undefined ? null : BigInt(v as number))) : pending[x]! }));
    void pq.write({ columnData, rowGroupSize: held });
    pending = cols.map(() => []);
    held = 0;
    return writer.take();
  };
  return {
    identity: `parquet:${cols.map((x) => x.j).join(',')}:${groupRows}:${o.codec ?? 'SNAPPY'}`,
    header,
    encode(rows: readonly Values[], start: number): Buffer {
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!;
        for (let x = 0; x < cols.length; x++) {
          const { j, check, t } = cols[x]!;
          const v = row[j];
          check(v, start + r);
          // Decimal strings and text as they are; a numeric held as a number as its canonical digits.
          pending[x]!.push(v === undefined ? null : t === 'STRING' && typeof v === 'number' ? check(v, start + r) : v);
        }
      }
      held += rows.length;
      return held >= groupRows ? flush() : Buffer.alloc(0);
    },
    trailer(): Buffer {
      const last = flush();
      void pq.finish();
      return Buffer.concat([last, writer.take()]);
    },
  };
}

export function parquetEncoder(o: ParquetEncoderOptions = {}): Encoder {
  const rows = o.rowGroupRows ?? 65_536;
  if (!Number.isInteger(rows) || rows < 1000 || rows > 1_048_576) throw usageError('PARQUET_OPTIONS', `rowGroupRows must be an integer from 1,000 to 1,048,576, not ${String(o.rowGroupRows)}`);
  // No `module`: row groups are built from row values in the main thread.
  return { format: PARQUET, forTable: (info) => parquetTableEncoder(info, o) };
}
