/**
 * Generates one batch: rows [start, end) of a table, encoded. The same function runs in the main
 * thread and in worker threads, so output is identical whatever the worker count.
 */
import type { TableInfo } from '../contracts.js';
import { createEncoder, type BatchEncoder } from '../encode/csv.js';
import type { World } from '../generate/world.js';
import { streamRows } from '../generate/cursor.js';

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

  /**
   * Each row is encoded as soon as it is computed; row arrays are kept only when a sink asked for
   * them (otherwise one array is reused), so a batch holds just its CSV text.
   */
  make(info: TableInfo, start: number, end: number, keepRows: boolean): EncodedBatch {
    const enc = this.encoder(info);
    const rows: unknown[][] = [];
    let csv = '';
    let db = '';
    let i = start;
    for (const values of streamRows(this.world, info.name, start, end, !keepRows)) {
      csv += enc.line(values, i);
      if (enc.separateDb) db += enc.dbLine(values, i);
      if (keepRows) rows.push(values);
      i++;
    }
    const csvBuf = Buffer.from(csv, 'utf8');
    return { start, count: i - start, rows, csv: csvBuf, dbCsv: enc.separateDb ? Buffer.from(db, 'utf8') : csvBuf };
  }
}
