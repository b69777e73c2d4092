/**
 * RFC 4180 CSV text of values, hand-written because it is the hot path (one string per row appended
 * to off-heap buffers, no per-row stream writes). NULL is an empty unquoted field and the empty
 * string is `""`, which is also what Postgres `COPY … (FORMAT csv)` expects. Every value is checked
 * against its column type; a wrong type names table, column and row. This is the engine's canonical
 * text of a value (the preflight type-checks with it, `plan` estimates bytes with it, snapshots pin
 * it); the `csv` and `copy-csv` encoder stages are layouts of it (`csvTableEncoder`).
 */
import type { ColumnInfo, TableEncoder, TableInfo, Values } from '../contracts.js';
import { SeedpipeError } from '../errors.js';

type Format = (v: unknown, row: number) => string;

const NEEDS_QUOTES = /[",\r\n]/;
/** Characters that need quoting or a closer look (NUL, which Postgres text cannot hold, and UTF-16 surrogates). */
const SPECIAL = /[",\r\n\u0000\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function quote(s: string): string {
  if (s === '') return '""';
  // `\.` alone on a line is COPY's end-of-data marker before PostgreSQL 18 (15 stops loading there,
  // silently); quoted, it is data.
  if (s === '\\.') return '"\\."';
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Why `s` cannot be stored as Postgres text exactly as generated, or undefined: a NUL character, or a
 * lone surrogate (UTF-8 has no encoding for it; Buffer would silently write U+FFFD instead).
 */
function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL character (\\u0000), which Postgres text cannot store';
  if (LONE_SURROGATE.test(s)) return 'contains a lone UTF-16 surrogate, which has no UTF-8 encoding';
  return undefined;
}

/** Characters (code points) of `s`, as Postgres counts them for varchar(n). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
  }
  return n;
}

/** JSON text Postgres jsonb rejects: an escaped NUL or lone surrogate (`\u0000`, `\ud800`), outside escaped backslashes. */
const JSON_UNSTORABLE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

const TWO = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
/** `HH:MM:` for each minute of the day, `SS.` for each second, `mmmZ` for each millisecond. */
const HOUR_MINUTE = Array.from({ length: 1440 }, (_, n) => `${TWO[Math.floor(n / 60)]}:${TWO[n % 60]}:`);
const SECOND = TWO.map((s) => `${s}.`);
const MILLI_Z = Array.from({ length: 1000 }, (_, n) => `${String(n).padStart(3, '0')}Z`);
/** `YYYY-MM-DDT` by day number, filled on first use for days 1970-01-01 … 2199-12-31. */
const DAY_CACHE_DAYS = 84_006;
const dayCache: (string | undefined)[] = new Array<string | undefined>(DAY_CACHE_DAYS);

/** `YYYY-MM-DDT` of a day number since 1970-01-01 (Hinnant's civil-from-days; no Date object). */
function dayPrefix(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${TWO[m]}-${TWO[d]}T`;
}

/**
 * `Date.prototype.toISOString` output for years 0–9999, several times faster: the date part comes
 * from integer arithmetic (cached per day) and the time part from three lookup tables.
 */
export function fastIso(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  let prefix: string;
  if (day >= 0 && day < DAY_CACHE_DAYS) prefix = dayCache[day] ??= dayPrefix(day);
  else prefix = dayPrefix(day);
  const rem = ms - day * 86_400_000;
  const minute = Math.floor(rem / 60_000);
  const milli = rem - minute * 60_000;
  const sec = Math.floor(milli / 1000);
  return prefix + HOUR_MINUTE[minute]! + SECOND[sec]! + MILLI_Z[milli - sec * 1000]!;
}

/** `YYYY-MM-DD` (UTC) of a Date. */
export function isoDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

export function formatterFor(table: string, col: ColumnInfo): Format {
  const bad = (v: unknown, row: number, want: string): never => {
    const got = v === null ? 'null' : v instanceof Date ? 'Date' : Array.isArray(v) ? 'array' : typeof v;
    const preview = typeof v === 'string' ? ` ${JSON.stringify(v.slice(0, 40))}` : typeof v === 'number' ? ` ${v}` : '';
    throw new SeedpipeError('GENERATOR_TYPE', `table ${table}, column ${col.name} (row ${row}): the generator returned ${got}${preview} for a ${col.enumValues ? 'enum' : col.type} column; return ${want}`, {
      disposition: 'usage',
      data: { table, column: col.name, row, type: col.type },
    });
  };
  const type = col.type;
  const text = (v: string, r: number): string => {
    // Hot path: one scan decides that the value is written as it is.
    if (!SPECIAL.test(v)) return v === '' ? '""' : v === '\\.' ? '"\\."' : v;
    const problem = textProblem(v);
    if (problem) {
      throw new SeedpipeError('GENERATOR_VALUE', `table ${table}, column ${col.name} (row ${r}): the generated string ${JSON.stringify(v.slice(0, 40))} ${problem}; remove or replace that character in the generator`, {
        disposition: 'usage',
        data: { table, column: col.name, row: r },
      });
    }
    return quote(v);
  };
  let f: Format;
  if (col.enumValues) {
    const allowed = new Set(col.enumValues);
    f = (v, r) => (typeof v === 'string' && allowed.has(v) ? text(v, r) : bad(v, r, `one of ${col.enumValues!.join(', ')}`));
  } else if (type === 'bigint' || type === 'int' || type === 'smallint') {
    const max = type === 'smallint' ? 32767 : type === 'int' ? 2147483647 : Number.MAX_SAFE_INTEGER;
    f = (v, r) => {
      if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= max) return String(v);
      if (typeof v === 'bigint' && type === 'bigint') return v.toString();
      return bad(v, r, `an integer within the ${type} range`);
    };
  } else if (type === 'double precision') {
    f = (v, r) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : bad(v, r, 'a finite number'));
  } else if (type.startsWith('numeric(')) {
    const scale = Number(/,(\d+)\)/.exec(type)![1]);
    const precision = Number(/\((\d+),/.exec(type)![1]);
    const limit = Math.pow(10, precision - scale);
    f = (v, r) => {
      if (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < limit) return v.toFixed(scale);
      if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return v;
      return bad(v, r, `a number below 10^${precision - scale} (or a decimal string)`);
    };
  } else if (type === 'text' || type === 'uuid') {
    f = (v, r) => (typeof v === 'string' ? text(v, r) : bad(v, r, 'a string'));
  } else if (type.startsWith('varchar(')) {
    const n = Number(/\((\d+)\)/.exec(type)![1]);
    // Postgres counts characters (code points); a JS length counts UTF-16 units (an emoji is 2).
    f = (v, r) => (typeof v === 'string' && (v.length <= n || codePoints(v) <= n) ? text(v, r) : bad(v, r, `a string of at most ${n} characters`));
  } else if (type === 'boolean') {
    f = (v, r) => (v === true ? 'true' : v === false ? 'false' : bad(v, r, 'true or false'));
  } else if (type === 'date') {
    f = (v, r) => (v instanceof Date && !Number.isNaN(v.getTime()) ? isoDate(v) : typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : bad(v, r, 'a Date'));
  } else if (type === 'timestamptz') {
    f = (v, r) => {
      if (!(v instanceof Date)) return bad(v, r, 'a valid Date');
      const t = v.getTime();
      return t >= -62135596800000 && t < 253402300800000 ? fastIso(t) : Number.isNaN(t) ? bad(v, r, 'a valid Date') : v.toISOString();
    };
  } else if (type === 'jsonb') {
    f = (v, r) => {
      if (v === undefined || typeof v === 'function') return bad(v, r, 'a JSON-serialisable value');
      let json: string;
      try {
        json = JSON.stringify(v);
      } catch (e) {
        // BigInt values and circular objects: JSON.stringify throws a TypeError.
        return bad(v, r, `a JSON-serialisable value (${(e as Error).message.split('\n')[0]}; convert BigInt to a string or number, and break cycles)`);
      }
      if (json.includes('\\u') && JSON_UNSTORABLE.test(json)) return bad(v, r, 'JSON without NUL characters or lone surrogates in its strings (Postgres jsonb rejects \\u0000 and unpaired \\ud800–\\udfff)');
      return quote(json);
    };
  } else {
    throw new SeedpipeError('COLUMN_TYPE_UNKNOWN', `table ${table}, column ${col.name}: unsupported type ${type}`, { disposition: 'usage' });
  }
  if (col.nullable) return (v, r) => (v === null || v === undefined ? '' : f(v, r));
  return (v, r) => (v === null || v === undefined ? bad(v, r, 'a value (the column is NOT NULL; declare nullable: true to allow NULL)') : f(v, r));
}

/** Which columns a CSV encoding holds and what deferred (cycle-breaking) columns hold in it. */
export interface CsvLayout {
  /** `exported`: only columns that file exports include; `all`: every column (databases). */
  columns: 'exported' | 'all';
  /** `value`: the final value; `null`: NULL, for a load that sets them later with an UPDATE. */
  deferred: 'value' | 'null';
  /** Start the stream with a header line of the column names. */
  header: boolean;
}

/**
 * One table's CSV encoding in a layout: the `csv` (exported columns, header, final values) and
 * `copy-csv` (every column, deferred NULL, no header) encoders are both this. Values are type-checked
 * even where they are written as NULL (they are set by a later UPDATE).
 */
export function csvTableEncoder(info: TableInfo, layout: CsvLayout): TableEncoder {
  const fmts = info.columns.map((c) => formatterFor(info.name, c));
  const cols = info.columns.map((c, j) => (layout.columns === 'all' || c.exported ? j : -1)).filter((j) => j >= 0);
  const nullDeferred = layout.deferred === 'null' && cols.some((j) => info.columns[j]!.deferred);
  const deferred = info.columns.map((c) => nullDeferred && c.deferred);
  const line = (row: Values, index: number): string => {
    let s = '';
    for (let x = 0; x < cols.length; x++) {
      const j = cols[x]!;
      if (x > 0) s += ',';
      const v = row[j];
      if (nullDeferred && deferred[j]) {
        if (v !== null && v !== undefined) fmts[j]!(v, index);
        continue;
      }
      s += fmts[j]!(v, index);
    }
    return s + '\n';
  };
  return {
    // Layouts that pick the same columns and treat deferred ones alike give the same bytes.
    identity: `csv:${cols.join(',')}${nullDeferred ? ':deferred-null' : ''}`,
    header: Buffer.from(layout.header ? cols.map((j) => quote(info.columns[j]!.name)).join(',') + '\n' : ''),
    line,
    encode: (rows, start) => {
      let s = '';
      for (let r = 0; r < rows.length; r++) s += line(rows[r]!, start + r);
      return Buffer.from(s, 'utf8');
    },
  };
}

/** RFC 4180 quoting of one field (names in headers, values of text columns). */
export const quoteCsv = quote;
