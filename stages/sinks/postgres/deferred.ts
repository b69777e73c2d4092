/**
 * Cycle-breaking (deferred) columns: the main COPY loads them as NULL (the `copy-csv` encoding); their
 * (primary key, final values) pairs go to a temp file while that COPY runs (a connection runs one COPY
 * at a time), are COPYed into a temp table when it ends, and the commit applies one UPDATE … FROM per
 * table (in `missing` mode only to the rows this run inserted).
 * Memory: a 64 KiB file buffer per table; the values live on disk, never in memory.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { csvTableEncoder, type SinkBatch, type TableInfo, type Values } from '../../../src/stage-kit.js';
import type { CopyInStream, PgClientLike } from './client.js';
import { quoteIdent } from './ddl.js';
import type { SqlNames } from './names.js';

export class DeferredStage {
  rows = 0;
  private readonly out: WriteStream;
  private failed: unknown;
  private readonly encode: (b: SinkBatch) => { csv: Buffer; rows: number };

  private constructor(
    readonly info: TableInfo,
    /** Temp table with the key and deferred columns. */
    readonly temp: string,
    /** Temp table of keys inserted by this run (`missing` mode). */
    readonly keys: string | undefined,
    private readonly file: string,
  ) {
    this.out = createWriteStream(file, { highWaterMark: 1 << 16 });
    this.out.on('error', (e) => (this.failed ??= e));
    this.encode = deferredEncoder(info);
  }

  /** Creates the temp tables (inside the run's transaction: dropped at its end) and the temp file. */
  static async open(q: PgClientLike['query'], o: { info: TableInfo; names: SqlNames; n: number; dir: string; missing: boolean }): Promise<DeferredStage> {
    const pk = o.info.primaryKey.map((k) => o.names.col(o.info.name, k));
    const def = o.info.columns.filter((c) => c.deferred).map((c) => o.names.col(o.info.name, c.name));
    const target = o.names.rel(o.info.name);
    const temp = quoteIdent(`seedpipe_deferred_${o.n}`);
    await q(`CREATE TEMP TABLE ${temp} ON COMMIT DROP AS SELECT ${[...pk, ...def].join(', ')} FROM ${target} WITH NO DATA`);
    let keys: string | undefined;
    if (o.missing) {
      keys = quoteIdent(`seedpipe_inserted_${o.n}`);
      await q(`CREATE TEMP TABLE ${keys} ON COMMIT DROP AS SELECT ${pk.join(', ')} FROM ${target} WITH NO DATA`);
    }
    return new DeferredStage(o.info, temp, keys, join(o.dir, `${o.info.name}.${o.n}.csv`));
  }

  async write(b: SinkBatch): Promise<void> {
    if (this.failed) throw this.failed;
    const { csv, rows } = this.encode(b);
    this.rows += rows;
    if (csv.length && !this.out.write(csv)) await once(this.out, 'drain');
  }

  /** Closes the file and COPYs it into the temp table; `track` sees the COPY (abort sends CopyFail to it). */
  async load(client: PgClientLike, track: (copy: CopyInStream | undefined) => void): Promise<void> {
    this.out.end();
    await once(this.out, 'close');
    if (this.rows === 0) return;
    const copy = client.query(copyFrom(`COPY ${this.temp} FROM STDIN WITH (FORMAT csv)`) as CopyInStream);
    track(copy);
    await pipeline(createReadStream(this.file, { highWaterMark: 1 << 16 }), copy);
    track(undefined);
    await rm(this.file, { force: true });
  }

  /** The commit's UPDATE … FROM, or nothing when no row had a deferred value. */
  updateStatement(names: SqlNames): string | undefined {
    if (this.rows === 0) return undefined;
    const d = this.info;
    const col = (c: string): string => names.col(d.name, c);
    const set = d.columns.filter((c) => c.deferred).map((c) => `${col(c.name)} = d.${col(c.name)}`).join(', ');
    const match = d.primaryKey.map((k) => `t.${col(k)} = d.${col(k)}`).join(' AND ');
    const onlyInserted = this.keys ? ` AND (${d.primaryKey.map((k) => `d.${col(k)}`).join(', ')}) IN (SELECT ${names.cols(d.name, d.primaryKey)} FROM ${this.keys})` : '';
    return `UPDATE ${names.rel(d.name)} t SET ${set} FROM ${this.temp} d WHERE ${match}${onlyInserted}`;
  }

  destroy(): void {
    this.out.destroy();
  }
}

/**
 * CSV of (primary key, deferred columns) for the rows of a batch whose deferred values are not all
 * NULL: what the UPDATE … FROM at commit applies.
 */
function deferredEncoder(info: TableInfo): (b: SinkBatch) => { csv: Buffer; rows: number } {
  const idx = (name: string): number => info.columns.findIndex((c) => c.name === name);
  const keyIdx = info.primaryKey.map(idx);
  const defIdx = info.columns.map((c, j) => (c.deferred ? j : -1)).filter((j) => j >= 0);
  const picks = [...keyIdx, ...defIdx];
  const sub: TableInfo = {
    ...info,
    columns: picks.map((j, x) => ({ ...info.columns[j]!, exported: true, deferred: false, nullable: x >= keyIdx.length || info.columns[j]!.nullable })),
  };
  const enc = csvTableEncoder(sub, { columns: 'all', deferred: 'value', header: false });
  return (b) => {
    const picked: Values[] = [];
    for (const row of b.rows ?? []) {
      if (defIdx.every((j) => row[j] === null || row[j] === undefined)) continue;
      picked.push(picks.map((j) => row[j]));
    }
    return { csv: picked.length ? enc.encode(picked, b.start) : Buffer.alloc(0), rows: picked.length };
  };
}
