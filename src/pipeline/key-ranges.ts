/**
 * Foreign key values that cannot exist. A table whose key is generated (its row number plus the
 * table's key offset) has exactly the keys [offset + 1, offset + rows]; a reference computed without
 * `c.ref` (a fixed id, arithmetic on a parent's index) does not follow that count, so at a small
 * `--scale` it can point past the last row. Each generated row's references to such tables are
 * checked while it is encoded, and the first one out of range stops the run with what to change,
 * before any database reports a foreign key violation after the whole load.
 */
import type { TableInfo } from '../contracts.js';
import { SeedpipeError } from '../errors.js';
import type { World } from '../generate/world.js';

/** One reference column of a table: its position in the row's values and the keys that exist. */
export interface KeyRange {
  index: number;
  column: string;
  table: string;
  lo: number;
  hi: number;
}

/** The checkable references of `info`: single-column keys to tables whose keys are row numbers. */
export function keyRangesOf(world: World, info: TableInfo): KeyRange[] {
  const out: KeyRange[] = [];
  for (const fk of info.foreignKeys) {
    if (fk.columns.length !== 1) continue;
    const target = world.tryTable(fk.table);
    const keys = target?.keyRange();
    if (!target || !keys || target.primaryKey.length !== 1 || fk.refColumns[0] !== target.primaryKey[0]) continue;
    const index = info.columns.findIndex((c) => c.name === fk.columns[0]);
    if (index >= 0) out.push({ index, column: fk.columns[0]!, table: fk.table, lo: keys[0], hi: keys[1] });
  }
  return out;
}

/** Throws for the first value of `values` (row `i` of `table`) outside its key range. */
export function checkKeyRanges(world: World, table: string, ranges: readonly KeyRange[], values: readonly unknown[], i: number): void {
  for (let r = 0; r < ranges.length; r++) {
    const k = ranges[r]!;
    const v = values[k.index];
    if (typeof v === 'number' && (v < k.lo || v > k.hi)) throw outOfRange(world, table, k, v, i);
  }
}

function outOfRange(world: World, table: string, k: KeyRange, v: number, i: number): SeedpipeError {
  const { profile, scale } = world.resolved;
  const rows = k.hi - k.lo + 1;
  const has = rows === 0 ? 'has no rows' : `has ${rows} row${rows === 1 ? '' : 's'} (keys ${k.lo}–${k.hi})`;
  const change = v > k.hi ? `To run, ${world.howToGetRows(k.table, v - k.lo + 1)}` : `Keys of ${k.table} start at ${k.lo}`;
  return new SeedpipeError('REF_OUT_OF_RANGE',
    `${table}.${k.column} is ${v} in row ${i}, but ${k.table} ${has} in this run (profile ${profile}, scale ${scale}): the value does not follow ${k.table}'s row count. ${change}; in the dataset, derive the value with c.ref("${k.table}"), or declare ${k.table} a catalog (catalog: true) if its rows are a fixed list.`,
    { disposition: 'usage', data: { table, column: k.column, row: i, value: v, references: k.table } });
}
