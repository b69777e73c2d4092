/**
 * The one shard part-file name every sink writes and `finalize` reads: `<table>.part-03-of-16.csv`.
 * The index is zero-padded to the width of the count, so names sort in shard order.
 */
export interface ShardSlice {
  index: number;
  count: number;
}

/** `part-03-of-16`. */
export function shardTag(s: ShardSlice): string {
  return `part-${String(s.index).padStart(String(s.count).length, '0')}-of-${s.count}`;
}

/** `<base>.part-03-of-16<ext>` for a shard, `<base><ext>` for a whole run. */
export function partFileName(base: string, ext: string, shard?: ShardSlice): string {
  return `${base}${shard ? `.${shardTag(shard)}` : ''}${ext}`;
}

/**
 * Names a shard's file may have, newest first: the padded tag, then the unpadded `part-3-of-16`
 * that earlier releases wrote for CSV files (so finalize still reads shards written by them).
 */
export function partFileNames(base: string, ext: string, shard: ShardSlice): string[] {
  const legacy = `${base}.part-${shard.index}-of-${shard.count}${ext}`;
  const current = partFileName(base, ext, shard);
  return current === legacy ? [current] : [current, legacy];
}
