/**
 * Reading CSV (RFC 4180, what Postgres `COPY … TO STDOUT (FORMAT csv)` and seedpipe's own files
 * hold) in batches: `csvRecordBatches` cuts a byte stream into batches of whole records without
 * decoding it (so the bytes can pass through unchanged), `parseCsvRecords` splits a batch into fields
 * (NULL, an unquoted empty field, apart from the empty string `""`), and `valueParser` turns a field
 * back into the value the encoders format. Hand-written for the same reason as the encoder: it is the
 * hot path of every source that reads rows, one scan per batch with no per-row callbacks.
 */
import type { ColumnInfo } from '../contracts.js';
import { SeedpipeError } from '../errors.js';

const QUOTE = 0x22;
const LF = 0x0a;

export interface RecordBatch {
  /** Whole records, each ending with its line feed (the last one of a stream may lack it). */
  bytes: Buffer;
  count: number;
}

export interface RecordBatchOptions {
  /** Records at the start to drop (1 for a header line). Default 0. */
  skip?: number;
  /** Drop a UTF-8 byte-order mark at the start. Default false. */
  bom?: boolean;
}

/**
 * Batches of `batchRows` whole records (the last may be smaller) from a stream of CSV bytes. A record
 * ends at a line feed outside double quotes. Memory: one batch plus the chunk being read.
 */
export async function* csvRecordBatches(chunks: AsyncIterable<Uint8Array | string>, batchRows: number, o: RecordBatchOptions = {}): AsyncGenerator<RecordBatch> {
  let skip = o.skip ?? 0;
  let first = o.bom === true;
  let inQuotes = false;
  let pieces: Buffer[] = [];
  let count = 0;
  for await (const raw of chunks) {
    let buf = typeof raw === 'string' ? Buffer.from(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (first && buf.length > 0) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    const n = buf.length;
    let start = 0;
    let i = 0;
    // Next quote and line feed at or after i (-1: none left in this chunk); each is searched once per hit.
    let q = -2;
    let nl = -2;
    while (i < n) {
      if (q !== -1 && q < i) q = buf.indexOf(QUOTE, i);
      if (inQuotes) {
        if (q < 0) break;
        // A doubled quote inside a field closes and reopens: toggling twice is right.
        inQuotes = false;
        i = q + 1;
        continue;
      }
      if (nl !== -1 && nl < i) nl = buf.indexOf(LF, i);
      if (nl >= 0 && (q < 0 || nl < q)) {
        i = nl + 1;
        if (skip > 0) {
          skip--;
          pieces = [];
          start = i;
          continue;
        }
        if (++count === batchRows) {
          pieces.push(buf.subarray(start, i));
          yield { bytes: pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces), count };
          pieces = [];
          count = 0;
          start = i;
        }
      } else if (q >= 0) {
        inQuotes = true;
        i = q + 1;
      } else {
        break;
      }
    }
    if (start < n) pieces.push(buf.subarray(start));
  }
  // A last record without a line feed still counts.
  const rest = pieces.length ? Buffer.concat(pieces) : Buffer.alloc(0);
  const partial = rest.length > 0 && rest[rest.length - 1] !== LF;
  if (partial && skip === 0) count++;
  if (count > 0) yield { bytes: partial ? Buffer.concat([rest, Buffer.from('\n')]) : rest, count };
}

/**
 * The fields of CSV records: `null` for an unquoted empty field (NULL), the text otherwise (a quoted
 * empty field is the empty string). A CR before a line feed ends the record too (files written on
 * Windows). `where` names the data in the error a malformed record gives.
 */
export function parseCsvRecords(text: string, where: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let field: string | null;
    if (text.charCodeAt(i) === QUOTE) {
      let from = ++i;
      field = '';
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw malformed(where, rows.length, 'a quoted field is not closed');
        if (text.charCodeAt(q + 1) === QUOTE) {
          field += text.slice(from, q + 1);
          i = from = q + 2;
          continue;
        }
        field += text.slice(from, q);
        i = q + 1;
        break;
      }
    } else {
      let j = i;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === 0x2c || c === LF) break;
      }
      let end = j;
      if (end > i && text.charCodeAt(end - 1) === 0x0d && (j === n || text.charCodeAt(j) === LF)) end--;
      field = end > i ? text.slice(i, end) : null;
      i = j;
    }
    row.push(field);
    const c = text.charCodeAt(i);
    if (c === 0x2c) {
      i++;
      if (i === n) row.push(null);
    } else if (c === LF || i >= n) {
      rows.push(row);
      row = [];
      i++;
    } else if (c === 0x0d && text.charCodeAt(i + 1) === LF) {
      rows.push(row);
      row = [];
      i += 2;
    } else {
      throw malformed(where, rows.length, `unexpected ${JSON.stringify(text[i])} after a quoted field`);
    }
  }
  if (row.length) rows.push(row);
  return rows;
}

function malformed(where: string, record: number, why: string): SeedpipeError {
  return new SeedpipeError('SOURCE_CSV_MALFORMED', `${where}: record ${record + 1} of a batch is not valid CSV (${why}); check that the file is RFC 4180 CSV`, { disposition: 'data-quality', data: { where } });
}

/** Reads one field's text back into the value the encoders take for the column's type. */
export type ValueParser = (text: string | null, row: number) => unknown;

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * The parser of a column's canonical text (what the `csv` encoder writes; what the Postgres source
 * selects): integers as numbers (a bigint beyond 2^53 as a BigInt), numeric as its decimal string
 * (exact), double precision as a number, booleans, dates and timestamps as Dates, jsonb parsed,
 * everything else as text. NULL is `null`; an empty text field stays the empty string.
 */
export function valueParser(table: string, col: ColumnInfo): ValueParser {
  const bad = (text: string, row: number, want: string): never => {
    throw new SeedpipeError('SOURCE_VALUE', `table ${table}, column ${col.name} (row ${row}): ${JSON.stringify(text.slice(0, 40))} is not ${want}; declare the column's type to match the data`, {
      disposition: 'data-quality', data: { table, column: col.name, row, type: col.type },
    });
  };
  const t = col.type;
  let f: (s: string, row: number) => unknown;
  if (col.enumValues || t === 'text' || t === 'uuid' || t.startsWith('varchar(')) f = (s) => s;
  else if (t === 'bigint') {
    f = (s, r) => {
      if (!INTEGER.test(s)) return bad(s, r, 'an integer');
      const v = Number(s);
      return Number.isSafeInteger(v) ? v : BigInt(s);
    };
  } else if (t === 'int' || t === 'smallint') f = (s, r) => (INTEGER.test(s) ? Number(s) : bad(s, r, 'an integer'));
  else if (t.startsWith('numeric(')) f = (s, r) => (DECIMAL.test(s) ? s : bad(s, r, 'a decimal number'));
  else if (t === 'double precision') {
    f = (s, r) => {
      const v = Number(s);
      return s.trim() !== '' && Number.isFinite(v) ? v : bad(s, r, 'a finite number');
    };
  } else if (t === 'boolean') {
    f = (s, r) => (s === 'true' || s === 't' ? true : s === 'false' || s === 'f' ? false : bad(s, r, 'true or false'));
  } else if (t === 'date') {
    f = (s, r) => {
      const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(`${s}T00:00:00Z`) : new Date(NaN);
      return Number.isNaN(d.getTime()) ? bad(s, r, 'a date (YYYY-MM-DD)') : d;
    };
  } else if (t === 'timestamptz') {
    f = (s, r) => {
      const d = new Date(s);
      return Number.isNaN(d.getTime()) ? bad(s, r, 'an ISO 8601 timestamp') : d;
    };
  } else if (t === 'jsonb') {
    f = (s, r) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        return bad(s, r, 'JSON');
      }
    };
  } else {
    throw new SeedpipeError('COLUMN_TYPE_UNKNOWN', `table ${table}, column ${col.name}: unsupported type ${String(t)}`, { disposition: 'usage' });
  }
  const text = col.enumValues || t === 'text' || t === 'uuid' || t.startsWith('varchar(');
  // NULL is an unquoted empty field; for a non-text column an empty quoted field means NULL too.
  return (s, row) => (s === null || (!text && s === '') ? null : f(s, row));
}
