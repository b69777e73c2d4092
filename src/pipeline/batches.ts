/**
 * Generates one batch: rows [start, end) of a table, encoded. The same function runs in the main
 * thread and in worker threads, so output is identical whatever the worker count.
 */
import type { TableInfo } from '../contracts.js';
import { ByteBuffer } from '../encode/bytes.js';
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
  /** Bytes per row of each table's last batch: sizes the next batch's buffer. */
  private rowBytes = new Map<string, number>();

  constructor(private readonly world: World) {}

  encoder(info: TableInfo): BatchEncoder {
    let e = this.encoders.get(info.name);
    if (!e) this.encoders.set(info.name, (e = createEncoder(info)));
    return e;
  }

  /**
   * Each row is encoded as soon as it is computed and its bytes appended to the batch's buffer; row
   * arrays are kept only when a sink asked for them (otherwise one array is reused), so a batch holds
   * just its CSV bytes, off the JS heap.
   */
  make(info: TableInfo, start: number, end: number, keepRows: boolean): EncodedBatch {
    const enc = this.encoder(info);
    const rows: unknown[][] = [];
    const capacity = Math.ceil((end - start) * (this.rowBytes.get(info.name) ?? 128) * 1.1) + 4096;
    const csv = new ByteBuffer(capacity);
    const db = enc.separateDb ? new ByteBuffer(capacity) : undefined;
    let i = start;
    for (const values of streamRows(this.world, info.name, start, end, !keepRows)) {
      csv.append(enc.line(values, i));
      if (db) db.append(enc.dbLine(values, i));
      if (keepRows) rows.push(values);
      i++;
    }
    if (i > start) this.rowBytes.set(info.name, Math.max(csv.length, db?.length ?? 0) / (i - start));
    const csvBuf = csv.bytes();
    return { start, count: i - start, rows, csv: csvBuf, dbCsv: db ? db.bytes() : csvBuf };
  }
}
