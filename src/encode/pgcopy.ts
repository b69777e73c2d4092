/**
 * PGCOPY binary, what Postgres `COPY … FROM STDIN (FORMAT binary)` reads: a 19-byte header, per row
 * an int16 field count and per field an int32 length (-1 for NULL) and the value in the type's binary
 * send format, network byte order; an int16 -1 ends the stream. The server then skips parsing text
 * (timestamps, numbers), which is most of what a text COPY costs it.
 *
 * Each row is appended to the batch's off-heap buffer as soon as it exists (`appendRow`), like the
 * CSV text. The values are the same values as the `copy-csv` encoding's, checked the same way: any
 * value the CSV formatter would refuse is refused here with its very error (the formatter is asked
 * whenever the fast checks below are not sure), so a run fails or loads alike in either format.
 *
 * The bytes assume the database's column types are the ones the dataset's types map to (`bigint` →
 * int8, `timestamptz` → timestamptz, …): binary COPY does no conversion. The Postgres sink checks
 * that against the catalog and uses this encoding only for tables where it holds.
 */
import type { ColumnInfo, TableEncoder, TableInfo, Values } from '../contracts.js';
import { SeedpipeError } from '../errors.js';
import { ByteBuffer } from './bytes.js';
import { formatterFor } from './csv.js';

type Field = (out: ByteBuffer, v: unknown, row: number) => void;

/** `PGCOPY\n\377\r\n\0`, flags (int32 0: no OIDs), header extension length (int32 0). */
export const PGCOPY_HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** The file trailer: a field count of -1. */
export const PGCOPY_TRAILER = Buffer.from([0xff, 0xff]);

/** 2000-01-01T00:00:00Z, Postgres's epoch for dates and timestamps, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
const DAY_MS = 86_400_000;
const PG_EPOCH_DAYS = 10_957;
const TWO_32 = 4_294_967_296;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An int8 from a safe integer: high and low 32 bits (exact for |v| ≤ 2^53). */
function int8(out: ByteBuffer, v: number): void {
  const hi = Math.floor(v / TWO_32);
  out.int32(hi);
  out.int32(v - hi * TWO_32);
}

/** Microseconds since 2000-01-01 of a Unix time in milliseconds, as an int8. */
function timestamp(out: ByteBuffer, ms: number): void {
  const rel = ms - PG_EPOCH_MS;
  // |µs| ≤ 2^53 up to about year 2285 either way of 2000; beyond, exact BigInt arithmetic.
  if (Math.abs(rel) < 9_000_000_000_000) int8(out, rel * 1000);
  else out.bigint64(BigInt(rel) * 1000n);
}

/**
 * A decimal string (`-12.3400`) in Postgres's binary numeric format: digit count, weight (of the
 * first base-10000 digit), sign, display scale (the string's fraction digits), then the base-10000
 * digits without leading or trailing zero digits — what `numeric_send` gives for the same text.
 */
export function numericField(out: ByteBuffer, decimal: string): void {
  const text = plainDecimal(decimal) ? decimal : expandExponent(decimal);
  const len = text.length;
  let neg = text.charCodeAt(0) === 45;
  const from = neg ? 1 : 0;
  let dot = text.indexOf('.', from);
  if (dot < 0) dot = len;
  let is = from;
  while (is < dot && text.charCodeAt(is) === 48) is++;
  const intLen = dot - is;
  const fracLen = dot < len ? len - dot - 1 : 0;
  const intGroups = (intLen + 3) >> 2;
  const total = intGroups + ((fracLen + 3) >> 2);
  const groups = total <= SCRATCH.length ? SCRATCH : new Int32Array(total);
  // The integer digits right-aligned in their groups of four, the fraction's left-aligned.
  const pad = intGroups * 4 - intLen;
  for (let g = 0; g < total; g++) {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const i = g < intGroups ? is + g * 4 + k - pad : dot + 1 + (g - intGroups) * 4 + k;
      const inside = g < intGroups ? i >= is : i < len;
      v = v * 10 + (inside ? text.charCodeAt(i) - 48 : 0);
    }
    groups[g] = v;
  }
  let weight = intGroups - 1;
  let a = 0;
  while (a < total && groups[a] === 0) {
    a++;
    weight--;
  }
  let z = total;
  while (z > a && groups[z - 1] === 0) z--;
  const n = z - a;
  if (n === 0) {
    weight = 0;
    neg = false;
  }
  out.int32(8 + 2 * n);
  out.int16(n);
  out.int16(weight);
  out.int16(neg ? 0x4000 : 0);
  out.int16(fracLen);
  for (let i = a; i < z; i++) out.int16(groups[i]!);
}

/** Whether `s` is `-?\d+(\.\d+)?` (a character loop: this runs once per numeric value). */
function plainDecimal(s: string): boolean {
  const len = s.length;
  let i = len > 0 && s.charCodeAt(0) === 45 ? 1 : 0;
  const intFrom = i;
  while (i < len && isDigit(s.charCodeAt(i))) i++;
  if (i === intFrom) return false;
  if (i === len) return true;
  if (s.charCodeAt(i) !== 46) return false;
  const fracFrom = ++i;
  while (i < len && isDigit(s.charCodeAt(i))) i++;
  return i === len && i > fracFrom;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Base-10000 digits of one numeric (up to 256 decimal digits; longer ones get their own array). */
const SCRATCH = new Int32Array(64);

/**
 * `1.25e+21` (what toFixed gives from 1e21 on) as the integer it stands for, `1250000000000000000000`:
 * the number Postgres reads from that text, and its display scale (0).
 */
function expandExponent(s: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?e\+(\d+)$/.exec(s);
  if (!m) throw new SeedpipeError('NUMERIC_TEXT', `cannot encode the numeric text ${JSON.stringify(s)} in binary`);
  const frac = m[3] ?? '';
  const shift = Number(m[4]);
  const digits = m[2]! + frac;
  return shift >= frac.length ? m[1]! + digits + '0'.repeat(shift - frac.length) : `${m[1]}${digits.slice(0, digits.length - (frac.length - shift))}.${digits.slice(digits.length - (frac.length - shift))}`;
}

/** Days since 1970-01-01 of `YYYY-MM-DD`, or undefined when it is not a calendar date. */
function civilDays(s: string): number | undefined {
  const m = ISO_DATE.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  // setUTCFullYear, not Date.UTC (which maps years 0–99 to 1900–1999).
  const back = new Date(0);
  back.setUTCFullYear(y, mo - 1, d);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return Math.round(back.getTime() / DAY_MS);
}

function notParsed(table: string, col: ColumnInfo, row: number, v: string, what: string): never {
  throw new SeedpipeError('GENERATOR_VALUE', `table ${table}, column ${col.name} (row ${row}): the generated string ${JSON.stringify(v.slice(0, 40))} is not ${what}; return ${what}`, {
    disposition: 'usage',
    data: { table, column: col.name, row },
  });
}

/**
 * The binary writer of one column's values. `check` is the CSV formatter of the column: called for
 * anything the fast path does not accept as is, it throws the error the text encoding would.
 */
function fieldFor(table: string, col: ColumnInfo, check: (v: unknown, row: number) => string): Field {
  const type = col.type;
  const text = (out: ByteBuffer, v: string, r: number): void => {
    // What the formatter refuses in any text: NUL and lone surrogates (isWellFormed is one native scan).
    if (!v.isWellFormed() || v.includes('\0')) check(v, r);
    out.lengthPrefixedUtf8(v);
  };
  if (col.enumValues) {
    // Each label's UTF-8 bytes, made once (a label the text check would refuse is not among them).
    const labels = new Map(col.enumValues.filter((v) => v.isWellFormed() && !v.includes('\0')).map((v) => [v, Buffer.from(v, 'utf8')]));
    return (out, v, r) => {
      const bytes = typeof v === 'string' ? labels.get(v) : undefined;
      if (bytes === undefined) return void check(v, r);
      out.int32(bytes.length);
      out.raw(bytes);
    };
  }
  if (type === 'bigint') {
    return (out, v, r) => {
      if (typeof v === 'number' && Number.isSafeInteger(v)) {
        out.int32(8);
        int8(out, v);
      } else if (typeof v === 'bigint') {
        if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new SeedpipeError('GENERATOR_VALUE', `table ${table}, column ${col.name} (row ${r}): the generated bigint ${v} is outside the bigint range; return an integer between -2^63 and 2^63 - 1`, { disposition: 'usage', data: { table, column: col.name, row: r } });
        out.int32(8);
        out.bigint64(v);
      } else check(v, r);
    };
  }
  if (type === 'int') {
    return (out, v, r) => {
      if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2147483647) {
        out.int32(4);
        out.int32(v);
      } else check(v, r);
    };
  }
  if (type === 'smallint') {
    return (out, v, r) => {
      if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 32767) {
        out.int32(2);
        out.int16(v);
      } else check(v, r);
    };
  }
  if (type === 'double precision') {
    return (out, v, r) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) return void check(v, r);
      out.int32(8);
      // The text form of -0 is "0".
      out.float64(v === 0 ? 0 : v);
    };
  }
  if (type.startsWith('numeric(')) {
    // The formatter's text of the value (toFixed(scale), or the decimal string), in binary.
    return (out, v, r) => numericField(out, check(v, r));
  }
  if (type === 'text' || type.startsWith('varchar(')) {
    const n = type === 'text' ? Infinity : Number(/\((\d+)\)/.exec(type)![1]);
    return (out, v, r) => {
      if (typeof v !== 'string' || v.length > n) check(v, r);
      text(out, v as string, r);
    };
  }
  if (type === 'uuid') {
    return (out, v, r) => {
      if (typeof v !== 'string') return void check(v, r);
      if (out.uuid(v)) return;
      // What uuid_in also takes: braces around it, a hyphen after any group of four digits, or none.
      const bare = /^\{.*\}$/.test(v) ? v.slice(1, -1) : v;
      if (!/^[0-9a-f]{4}(-?[0-9a-f]{4}){7}$/i.test(bare)) return notParsed(table, col, r, v, 'a UUID');
      out.int32(16);
      out.raw(Buffer.from(bare.replace(/-/g, ''), 'hex'));
    };
  }
  if (type === 'boolean') {
    return (out, v, r) => {
      if (typeof v !== 'boolean') return void check(v, r);
      out.int32(1);
      out.raw(v ? ONE : ZERO);
    };
  }
  if (type === 'date') {
    return (out, v, r) => {
      let days: number | undefined;
      if (v instanceof Date && !Number.isNaN(v.getTime())) days = Math.floor(v.getTime() / DAY_MS);
      else if (typeof v === 'string' && ISO_DATE.test(v)) days = civilDays(v) ?? notParsed(table, col, r, v, 'a calendar date (YYYY-MM-DD)');
      else return void check(v, r);
      out.int32(4);
      out.int32(days - PG_EPOCH_DAYS);
    };
  }
  if (type === 'timestamptz') {
    return (out, v, r) => {
      const t = v instanceof Date ? v.getTime() : NaN;
      if (Number.isNaN(t)) return void check(v, r);
      out.int32(8);
      timestamp(out, t);
    };
  }
  if (type === 'jsonb') {
    return (out, v, r) => {
      let json: string | undefined;
      try {
        json = v === undefined || typeof v === 'function' ? undefined : JSON.stringify(v);
      } catch {
        json = undefined;
      }
      // Unserialisable, or escapes jsonb refuses: the formatter says which.
      if (json === undefined || json.includes('\\u')) check(v, r);
      // Version 1 of jsonb's binary format: the JSON text after a version byte.
      out.lengthPrefixedUtf8(json!, 1);
    };
  }
  // The CSV formatter refuses unknown types (formatterFor ran before this).
  throw new SeedpipeError('COLUMN_TYPE_UNKNOWN', `table ${table}, column ${col.name}: unsupported type ${type}`, { disposition: 'usage' });
}

const ONE = Buffer.from([1]);
const ZERO = Buffer.from([0]);

export interface PgBinaryLayout {
  /** `value`: deferred (cycle-breaking) columns hold their final values; `null`: NULL, set by a later UPDATE. */
  deferred: 'value' | 'null';
}

/** One table's PGCOPY binary encoding: every column in `info.columns` order. */
export function pgBinaryTableEncoder(info: TableInfo, layout: PgBinaryLayout): TableEncoder {
  const checks = info.columns.map((c) => formatterFor(info.name, c));
  const fields = info.columns.map((c, j) => fieldFor(info.name, c, checks[j]!));
  const nullDeferred = layout.deferred === 'null' && info.columns.some((c) => c.deferred);
  const deferred = info.columns.map((c) => nullDeferred && c.deferred);
  const nullable = info.columns.map((c) => c.nullable);
  const width = info.columns.length;
  const appendRow = (row: Values, index: number, out: ByteBuffer): void => {
    out.int16(width);
    for (let j = 0; j < width; j++) {
      const v = row[j];
      if (v === null || v === undefined) {
        // NOT NULL: the formatter throws its error.
        if (!nullable[j]) checks[j]!(v, index);
        out.int32(-1);
      } else if (deferred[j]) {
        checks[j]!(v, index);
        out.int32(-1);
      } else fields[j]!(out, v, index);
    }
  };
  return {
    identity: `pgcopy-binary${nullDeferred ? ':deferred-null' : ''}`,
    header: PGCOPY_HEADER,
    trailer: () => PGCOPY_TRAILER,
    appendRow,
    encode: (rows, start) => {
      const out = new ByteBuffer(rows.length * 64 + 1024);
      for (let r = 0; r < rows.length; r++) appendRow(rows[r]!, start + r, out);
      return Buffer.from(out.bytes());
    },
  };
}
