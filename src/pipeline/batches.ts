/**
 * Generates one batch: rows [start, end) of a table, encoded. The same function runs in the main
 * thread and in worker threads, so output is identical whatever the worker count.
 */
import type { TableInfo } from '../contracts.js';
import { createEncoder, type BatchEncoder } from '../encode/csv.js';
import type { World } from '../generate/world.js';

export interface EncodedBatch {
  start: number;
  count: number;
  rows: unknown[][];
  csv: Buffer;
  dbCsv: Buffer;
}

export class BatchMaker {
  private encoders = new Map<string, BatchEncoder>();

  constructor(private readonly world: World) {}

  encoder(info: TableInfo): BatchEncoder {
    let e = this.encoders.get(info.name);
    if (!e) this.encoders.set(info.name, (e = createEncoder(info)));
    return e;
  }

  make(info: TableInfo, start: number, end: number, keepRows: boolean): EncodedBatch {
    const rows: unknown[][] = [];
    for (const values of this.world.table(info.name).cursor(start, end)) rows.push(values);
    const enc = this.encoder(info);
    const csv = enc.csv(rows, start);
    const dbCsv = enc.dbCsv(rows, start, csv);
    return { start, count: rows.length, rows: keepRows ? rows : [], csv, dbCsv };
  }
}
