/**
 * Generates one batch: rows [start, end) of a table, each row encoded as soon as it is computed. The
 * same code runs in the main thread and in worker threads, so output is identical whatever the
 * worker count.
 */
import type { TableEncoder, TableInfo } from '../contracts.js';
import { ByteBuffer } from '../encode/bytes.js';
import { csvTableEncoder } from '../encode/csv.js';
import type { World } from '../generate/world.js';
import { eachRow } from '../generate/cursor.js';
import { checkKeyRanges, keyRangesOf, type KeyRange } from './key-ranges.js';

/** An encoding to make while generating: its format (the key in `encoded`) and the table's encoder. */
export interface LineEncoding {
  format: string;
  table: TableEncoder;
}

export interface GeneratedBatch {
  start: number;
  count: number;
  /** Row values, when asked for (`keepRows`); otherwise empty. */
  rows: unknown[][];
  encoded: Map<string, Buffer>;
}

/** The canonical CSV of the exported columns, what `make` returns (estimates, snapshots). */
const CANONICAL = { columns: 'exported', deferred: 'value', header: false } as const;
/** Every column with its final value: the preflight type-checks all of them. */
const EVERY_COLUMN = { columns: 'all', deferred: 'value', header: false } as const;

export class BatchMaker {
  private readonly canonical = new Map<string, LineEncoding[]>();
  private readonly everyColumn = new Map<string, LineEncoding[]>();
  /** Bytes per row of each table's last batch: sizes the next batch's buffers. */
  private readonly rowBytes = new Map<string, number>();
  /** Each table's references to tables whose keys are row numbers, range-checked per row. */
  private readonly keyRanges = new Map<string, KeyRange[]>();

  constructor(private readonly world: World) {}

  /**
   * Rows [start, end) with the given encodings. Each row's lines are appended to off-heap buffers as
   * soon as the row exists; row arrays are kept only with `keepRows` (otherwise one array is reused),
   * so a batch holds just its bytes, off the JS heap. Every encoder must have `line` or `appendRow`.
   */
  generate(info: TableInfo, start: number, end: number, keepRows: boolean, encodings: readonly LineEncoding[]): GeneratedBatch {
    const n = encodings.length;
    const lines = encodings.map((e) => e.table.line);
    const rowWriters = encodings.map((e) => e.table.appendRow);
    const capacity = Math.ceil((end - start) * (this.rowBytes.get(info.name) ?? 128) * 1.1) + 4096;
    const bufs = encodings.map(() => new ByteBuffer(capacity));
    const rows: unknown[][] = [];
    let i = start;
    // One encoding (the common case) without the inner loop.
    const first = bufs[0];
    const line = lines[0];
    const appendRow = rowWriters[0];
    let ranges = this.keyRanges.get(info.name);
    if (!ranges) this.keyRanges.set(info.name, (ranges = keyRangesOf(this.world, info)));
    const checked = ranges.length > 0 ? ranges : null;
    eachRow(this.world, info.name, start, end, !keepRows, (values) => {
      if (checked) checkKeyRanges(this.world, info.name, checked, values, i);
      if (n === 1) {
        if (line) first!.append(line(values, i));
        else appendRow!(values, i, first!);
      } else {
        for (let k = 0; k < n; k++) {
          const l = lines[k];
          if (l) bufs[k]!.append(l(values, i));
          else rowWriters[k]!(values, i, bufs[k]!);
        }
      }
      if (keepRows) rows.push(values);
      i++;
    });
    if (i > start && n > 0) this.rowBytes.set(info.name, Math.max(...bufs.map((b) => b.length)) / (i - start));
    const encoded = new Map<string, Buffer>();
    encodings.forEach((e, k) => encoded.set(e.format, bufs[k]!.bytes()));
    return { start, count: i - start, rows, encoded };
  }

  /** Rows [start, end) as the canonical CSV of their exported columns (plan estimates, snapshot tests). */
  make(info: TableInfo, start: number, end: number, keepRows: boolean): { start: number; count: number; rows: unknown[][]; csv: Buffer } {
    const b = this.generate(info, start, end, keepRows, this.encodings(this.canonical, info, CANONICAL));
    return { start: b.start, count: b.count, rows: b.rows, csv: b.encoded.get('csv')! };
  }

  /** Computes and type-checks every column of rows [start, end), keeping nothing (the preflight). */
  check(info: TableInfo, start: number, end: number): void {
    this.generate(info, start, end, false, this.encodings(this.everyColumn, info, EVERY_COLUMN));
  }

  private encodings(cache: Map<string, LineEncoding[]>, info: TableInfo, layout: Parameters<typeof csvTableEncoder>[1]): LineEncoding[] {
    let e = cache.get(info.name);
    if (!e) cache.set(info.name, (e = [{ format: 'csv', table: csvTableEncoder(info, layout) }]));
    return e;
  }
}
