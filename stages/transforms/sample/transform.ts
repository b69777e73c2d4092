/**
 * `sample`: keeps a deterministic share of rows. A row is kept when the hash of (seed, its key values)
 * falls below `rate`: the same rows whatever the batch size, order, shard or run, and joined rows
 * agree when sampled by the same key values.
 */
import { hash32, usageError, type TableInfo, type TableTransform, type Transform, type Values } from '../../../src/stage-kit.js';
import type { SampleOptions } from './options.js';

const text = (v: unknown): string => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? '\u0000' : String(v));

export function sampleTransform(o: SampleOptions): Transform {
  if (!(typeof o.rate === 'number' && o.rate > 0 && o.rate <= 1)) throw usageError('SAMPLE_RATE_INVALID', `the sample rate must be a number above 0 and at most 1 (0.1 keeps about 10% of rows), not ${String(o.rate)}`);
  const seed = o.seed ?? 0;
  const threshold = o.rate * 2 ** 32;
  return {
    name: 'sample',
    forTable(input: TableInfo): TableTransform | null {
      if (o.tables && !o.tables.includes(input.name)) return null;
      if (o.rate === 1) return null;
      const cols = o.keys?.[input.name] ?? input.primaryKey;
      const idx = cols.map((c) => {
        const j = input.columns.findIndex((x) => x.name === c);
        if (j < 0) throw usageError('SAMPLE_KEY_UNKNOWN', `sample key ${input.name}.${c} is not a column of ${input.name}; its columns: ${input.columns.map((x) => x.name).join(', ')}`);
        return j;
      });
      const keyOf = idx.length === 0 ? (_r: Values, at: number) => String(at) : idx.length === 1 ? (r: Values) => text(r[idx[0]!]) : (r: Values) => idx.map((j) => text(r[j])).join('\u0001');
      return {
        info: input,
        apply: (rows, start) => rows.filter((r, i) => hash32(`${seed}\u0000${keyOf(r, start + i)}`) < threshold),
      };
    },
  };
}
