/**
 * Chooses a column's generator from its name, its type and what its checks allow. The result is a
 * TypeScript expression over the generator context `c` (the body of `gen: (c) => …`), written to the
 * dataset module, so users read and edit plain code instead of a rules table.
 *
 * Order of precedence: value lists (enum labels, `IN (…)` checks) → orderings against earlier
 * columns of the row (`updated_at >= created_at`) → the column's name → its type. Ranges and lengths
 * from checks and from the type (varchar(n), numeric(p,s), smallint) bound every choice. Unique
 * columns get bijections of the row index (`c.i`) so they hold by construction at any row count up to
 * the stated `capacity`.
 */
import type { ColumnRule } from './checks.js';

/** The families of Postgres types the generator knows how to fill. */
export type ScalarKind =
  | 'int' | 'decimal' | 'float' | 'money' | 'text' | 'bool' | 'date' | 'timestamp' | 'time' | 'interval' | 'uuid' | 'json'
  | 'bytea' | 'inet' | 'cidr' | 'macaddr' | 'enum' | 'bit' | 'xml' | 'tsvector' | 'point' | 'range' | 'unknown';

export interface EarlierColumn {
  kind: ScalarKind;
  notNull: boolean;
  arrayDims: number;
}

/** What the heuristics know about one column. */
export interface ColumnFacts {
  table: string;
  name: string;
  kind: ScalarKind;
  /** `pg_type.typname` of the scalar type (`int2`, `varchar`, `int4range`, …). */
  typname: string;
  arrayDims: number;
  /** Character length limit (varchar(n), char(n), bit(n)). */
  length?: number;
  precision?: number;
  scale?: number;
  enumLabels?: readonly string[];
  notNull: boolean;
  /** Must be unique by construction (a primary key, unique constraint or unique index on it alone). */
  unique: boolean;
  /** What the column's checks require (ranges, lists, lengths, orderings). */
  rule: ColumnRule;
  /** Columns declared before this one in the table (available as `c.row.<name>`). */
  earlier: ReadonlyMap<string, EarlierColumn>;
  /** All column names of the table. */
  tableColumns: readonly string[];
  /** A small per-table number for `uuidAt` so ids of different tables differ. */
  salt: number;
  /** Group tables: the parent's created-like timestamp column (`c.parent.<column>`), if it has one. */
  parentTime?: { table: string; column: string };
}

export interface Choice {
  /** Expression over `c`: the value (never NULL; the caller adds NULLs for nullable columns). */
  code: string;
  /** Distinct values the expression can produce when `unique` was asked (bounds the row count). */
  capacity?: number;
  /** Set when the column should not be exported to files (password hashes, secrets). */
  secret?: boolean;
  /** Share of NULLs suggested for a nullable column (default 0.1). */
  nullShare?: number;
  /** A short reason shown next to the column in the generated file. */
  note?: string;
}

const INT_RANGE: Record<string, [number, number]> = {
  int2: [-32768, 32767],
  int4: [-2147483648, 2147483647],
  int8: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const lit = (v: string | number): string => (typeof v === 'number' ? String(v) : q(v));
const words = (name: string): string[] => name.toLowerCase().split(/_+/).filter(Boolean);

/** People-like tables: `name` there is a person's full name. */
export const PERSON_TABLE = /(^|_)(users?|customers?|clients?|employees?|people|persons?|members?|contacts?|authors?|students?|teachers?|patients?|doctors?|staff|accounts?|profiles?|candidates?|applicants?|guests?|players?|drivers?|agents?|owners?|reviewers?|subscribers?|speakers?|attendees?|instructors?|volunteers?|leads?)$/;

function num(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Math.round(v * 1e9) / 1e9);
}

/** Inclusive [lo, hi] for a numeric column: type limits intersected with the checks. */
export function numericBounds(f: Pick<ColumnFacts, 'kind' | 'typname' | 'precision' | 'scale' | 'rule'>): { lo: number; hi: number; scale: number } {
  let lo = -Infinity;
  let hi = Infinity;
  let scale = 0;
  if (f.kind === 'int') [lo, hi] = INT_RANGE[f.typname] ?? INT_RANGE.int8!;
  else if (f.kind === 'decimal' || f.kind === 'money') {
    scale = f.kind === 'money' ? 2 : Math.max(0, f.scale ?? 2);
    const p = f.kind === 'money' ? 15 : f.precision ?? 18;
    const limit = Math.pow(10, p - scale) - Math.pow(10, -scale);
    lo = -limit;
    hi = limit;
  } else if (f.kind === 'float') {
    scale = 2;
    lo = -1e15;
    hi = 1e15;
  }
  if (f.rule.min !== undefined) lo = Math.max(lo, f.rule.min);
  if (f.rule.max !== undefined) hi = Math.min(hi, f.rule.max);
  return { lo, hi, scale };
}

/** The column's maximum text length (type and checks), or Infinity. */
export function maxLength(f: Pick<ColumnFacts, 'length' | 'rule'>): number {
  return Math.min(f.length ?? Infinity, f.rule.maxLength ?? Infinity);
}

/** Values from an enum type or an `IN (…)` check, intersected. */
export function allowedValues(f: Pick<ColumnFacts, 'enumLabels' | 'rule'>): readonly (string | number)[] | undefined {
  if (f.enumLabels && f.rule.values) {
    const s = new Set(f.rule.values.map(String));
    return f.enumLabels.filter((l) => s.has(l));
  }
  return f.rule.values ?? f.enumLabels;
}

const RARE_STATUS = /cancel|refund|fail|reject|delet|error|past_due|overdue|banned|block|lost|void|archiv|suspend|dispute|expired|inactive|closed|disabled|spam/;

/** Picks one of `values`; status-like lists make failure states rarer (weight 1 against 4). */
function pickCode(values: readonly (string | number)[], unique: boolean): string {
  const list = `[${values.map(lit).join(', ')}]`;
  if (unique) return `nth(${list}, c.i)`;
  if (values.length > 2 && values.some((v) => typeof v === 'string' && RARE_STATUS.test(v)) && !values.every((v) => typeof v === 'string' && RARE_STATUS.test(v))) {
    return `c.rng.weighted([${values.map((v) => `[${lit(v)}, ${typeof v === 'string' && RARE_STATUS.test(v) ? 1 : 4}]`).join(', ')}])`;
  }
  return `c.rng.pick(${list})`;
}

/** The earlier column a date/time column should follow (created_at before updated_at), if any. */
export const CREATED_LIKE = /^(created|inserted|registered|signed_up|joined|placed|opened|started|issued|ordered|requested|submitted|sent|published|hired|added|uploaded|occurred|attempted)(_at|_on|_date)?$|^(creation|start|issue|order|hire)_(date|time)$|^date_created$/;

function anchorFor(f: ColumnFacts): string | undefined {
  const timeLike = [...f.earlier.entries()].filter(([, e]) => (e.kind === 'timestamp' || e.kind === 'date') && e.arrayDims === 0);
  const created = timeLike.find(([n]) => CREATED_LIKE.test(n));
  return created?.[0];
}

const TIME_WINDOW = {
  /** Created-like timestamps spread over this many days before the reference date. */
  historyDays: 3 * 365,
};

/** Expression for "after `col`" (which may be NULL when nullable) within `maxDays`, strictly if asked. */
function afterCode(f: ColumnFacts, col: string, maxDays: number, strict: boolean, fallback: string, capAtRef: boolean): string {
  const e = f.earlier.get(col)!;
  const minMs = strict ? (f.kind === 'date' || e.kind === 'date' ? 'DAY' : '1000') : '0';
  const ref = `c.row.${col} as Date`;
  const body = capAtRef ? `c.t.after(${ref}, ${maxDays} * DAY${minMs !== '0' ? `, ${minMs}` : ''})` : `plus(c.rng, ${ref}, ${maxDays} * DAY${minMs !== '0' ? `, ${minMs}` : ''})`;
  return e.notNull ? body : `(c.row.${col} ? ${body} : ${fallback})`;
}

function beforeCode(f: ColumnFacts, col: string, maxDays: number, strict: boolean, fallback: string): string {
  const e = f.earlier.get(col)!;
  const minMs = strict ? (f.kind === 'date' || e.kind === 'date' ? 'DAY' : '1000') : '0';
  const body = `before(c.rng, c.row.${col} as Date, ${maxDays} * DAY${minMs !== '0' ? `, ${minMs}` : ''})`;
  return e.notNull ? body : `(c.row.${col} ? ${body} : ${fallback})`;
}

function dateBound(v: string | 'now' | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v === 'now') return 'c.refDate';
  return `new Date(${q(new Date(v).toISOString())})`;
}

/** Date and timestamp columns. */
function temporal(f: ColumnFacts): Choice {
  const n = f.name.toLowerCase();
  const since = `c.t.ago(${TIME_WINDOW.historyDays})`;
  let base: string;
  let nullShare: number | undefined;
  let note: string | undefined;
  const future = /(expire|expiry|expiration|valid_until|valid_to|renews?|renewal|due|deadline|scheduled|next_|until|ends?_|end_|_end$|_until$|retire)/.test(n);
  if (/(birth|dob|born)/.test(n)) base = `c.t.between(new Date('1945-01-01T00:00:00Z'), new Date('2006-12-31T00:00:00Z'))`;
  else if (/^(deleted|archived|cancell?ed|banned|suspended|revoked|disabled|locked)(_at|_on)?$/.test(n)) {
    base = `c.t.recent(${since})`;
    nullShare = 0.9;
  } else if (/^(closed|resolved|completed|finished|ended|delivered|read|seen|last_(login|seen|used|active|activity)|confirmed|verified|approved|shipped|paid|processed|terminat\w*)(_at|_on|_date)?$/.test(n)) {
    base = `c.t.recent(${since})`;
    nullShare = 0.35;
  } else if (future) base = `c.t.between(c.t.ago(365), new Date(c.refDate.getTime() + 365 * DAY))`;
  else base = `c.t.recent(${since})`;

  const r = f.rule;
  const pick: string[] = [];
  // Orderings from checks against earlier columns come first: they are constraints.
  const temporalEarlier = (col: string): boolean => ['date', 'timestamp'].includes(f.earlier.get(col)?.kind ?? '') && f.earlier.get(col)!.arrayDims === 0;
  for (const g of r.greaterThan ?? []) if (temporalEarlier(g.column)) pick.push(afterCode(f, g.column, future ? 365 : 120, g.strict, base, !future));
  for (const g of r.lessThan ?? []) if (temporalEarlier(g.column)) pick.push(beforeCode(f, g.column, 365, g.strict, base));
  if (pick.length) {
    note = 'ordered by a check';
    base = pick[0]!;
  } else {
    // Convention: updated/closed/… after the row's created-like column.
    const anchor = anchorFor(f);
    const follows = /^(updated|modified|changed|edited|last_modified|closed|resolved|completed|finished|ended|delivered|read|seen|deleted|archived|cancell?ed|shipped|paid|processed|confirmed|verified|approved|expires?|renews?|due|last_(login|seen|used|active|activity))(_at|_on|_date)?$|^(end|due|expiry|expiration)_(date|time)$/.test(n);
    if (anchor && anchor !== f.name && follows) {
      base = afterCode(f, anchor, future ? 365 : 90, false, base, !future);
      note = `after ${anchor}`;
    } else if (f.parentTime && CREATED_LIKE.test(n) && !anchor) {
      // A child is created after its parent (cheap: the parent row is cached while its group streams).
      const p = `c.parent.${f.parentTime.column}`;
      base = `(${p} ? c.t.after(${p} as Date, 180 * DAY) : ${base})`;
      note = `after ${f.parentTime.table}.${f.parentTime.column} of the parent row`;
    }
  }
  // Literal bounds from checks (`birth_date > '1900-01-01'`, `created_at <= now()`).
  const lo = dateBound(r.after);
  const hi = dateBound(r.before);
  if (lo || hi) base = `clampDate(${base}, ${lo ?? 'null'}, ${hi ?? 'null'}${f.kind === 'date' ? ', DAY' : ', 1000'})`;
  if (f.unique) {
    // Unique timestamps/dates: a fixed step back from the reference date per row.
    const step = f.kind === 'date' ? 'DAY' : '60_000';
    return { code: `new Date(c.refDate.getTime() - (c.i + 1) * ${step})`, capacity: f.kind === 'date' ? 365 * 200 : Number.MAX_SAFE_INTEGER, note: 'unique: one step per row' };
  }
  return { code: f.kind === 'date' ? base : base, ...(nullShare !== undefined ? { nullShare } : {}), ...(note ? { note } : {}) };
}

/** Integer, numeric, float and money columns. */
function numeric(f: ColumnFacts): Choice {
  const n = f.name.toLowerCase();
  const { lo, hi, scale } = numericBounds(f);
  const isInt = f.kind === 'int';
  // The name's typical range inside what the type and checks allow; when they do not overlap, the
  // checks' range (both bounds given) or a span of the same width from the allowed edge.
  const within = (a: number, b: number): [number, number] => {
    const x = Math.max(lo, a);
    const y = Math.min(hi, b);
    if (x <= y) return [x, y];
    if (f.rule.min !== undefined && f.rule.max !== undefined) return [lo, hi];
    return Number.isFinite(lo) && lo > b ? [lo, Math.min(hi, lo + (b - a))] : [Math.max(lo, hi - (b - a)), hi];
  };
  if (lo > hi) return { code: num(lo), note: 'the checks leave no range; check the constraints' };
  if (f.unique) {
    const start = lo > 0 || lo === -Infinity ? (lo > 0 ? lo : 1) : lo <= 0 && hi >= 1 ? 1 : lo;
    const from = Number.isFinite(start) ? start : 1;
    const capacity = Math.floor(hi - from) + 1;
    return { code: from === 0 ? 'c.i' : `c.i + ${num(from)}`, capacity: Math.max(0, capacity), note: 'unique: the row number' };
  }
  // Orderings against earlier numeric columns (max_price >= min_price).
  for (const g of f.rule.greaterThan ?? []) {
    const e = f.earlier.get(g.column);
    if (e && ['int', 'decimal', 'float', 'money'].includes(e.kind)) {
      const body = isInt
        ? `Math.min(${num(hi)}, (c.row.${g.column} as number) + c.rng.int(${g.strict ? 1 : 0}, 100))`
        : `clamp((c.row.${g.column} as number) + c.rng.uniform(${g.strict ? Math.pow(10, -scale) : 0}, 100), ${num(lo)}, ${num(hi)}, ${scale})`;
      return { code: e.notNull ? body : `(c.row.${g.column} === null ? ${num(Math.max(lo, 0))} : ${body})`, note: `ordered after ${g.column} by a check` };
    }
  }
  const w = words(n);
  const money = /^(price|amount|total|cost|fee|fees|balance|salary|wage|revenue|subtotal|tax|vat|discount|payment|paid|due|budget|value|income|spend|spent|credit|debit|refund|charge|tip|bonus|commission|rent|msrp|mrr|arr|ltv)$/;
  const isMoney = f.kind === 'money' || w.some((x) => money.test(x)) || /_cents$/.test(n);
  if (isMoney) {
    const typical = /salary|wage|income/.test(n) ? 60000 : /budget|revenue|arr|ltv/.test(n) ? 50000 : /balance|rent|mrr/.test(n) ? 800 : /tax|vat|fee|tip|discount|charge/.test(n) ? 8 : /total|subtotal|amount|payment|paid|due|value|refund|credit|debit/.test(n) ? 120 : 40;
    const [a, b] = within(Math.max(0, lo), hi);
    if (/_cents$/.test(n) || (isInt && !/_cents$/.test(n))) {
      const t = /_cents$/.test(n) ? typical * 100 : typical;
      return { code: `Math.round(amount(c.rng, ${num(a)}, ${num(b)}, 0, ${t}))`, note: 'money' };
    }
    return { code: `amount(c.rng, ${num(a)}, ${num(b)}, ${scale}, ${typical})`, note: 'money' };
  }
  type Spec = [RegExp, number, number, 'uniform' | 'small' | 'lognormal', number?];
  const specs: Spec[] = [
    [/^(lat|latitude)$/, -90, 90, 'uniform'],
    [/^(lng|lon|long|longitude)$/, -180, 180, 'uniform'],
    [/^age$/, 18, 90, 'uniform'],
    [/(^|_)year$/, 1990, 2025, 'uniform'],
    [/(rating|stars|score)$/, 1, 5, 'uniform'],
    [/(percent|percentage|pct)$|^progress$/, 0, 100, 'uniform'],
    [/(^|_)(rate|ratio|probability|share)$/, 0, 1, 'uniform'],
    [/(reorder_level|reorder_point|threshold|safety_stock)$/, 1, 1000, 'small', 10],
    [/(^|_)(depth|nesting|nesting_level|indent)$/, 0, 10, 'small', 1],
    [/(priority|level|tier|grade)$/, 1, 5, 'uniform'],
    [/^(status_code|http_status|response_code)$/, 200, 503, 'uniform'],
    [/(quantity|qty|units|count|seats|licenses|attempts|retries|guests|children|items|pieces)$/, 1, 1000, 'small', 3],
    [/^(num|number_of|n)_/, 0, 1000, 'small', 3],
    [/(votes|likes|views|followers|following|clicks|shares|downloads|stars_count)$/, 0, 100000, 'small', 12],
    [/(position|sort_order|display_order|ordinal|sequence|seq|order_index|line_no|line_number|rank|sort|index)$/, 1, 1000, 'small', 5],
    [/(^|_)(ms|millis|milliseconds|duration_ms|latency|latency_ms|elapsed_ms)$/, 1, 600000, 'lognormal', 350],
    [/(^|_)(seconds|secs|duration|elapsed)$/, 1, 86400, 'lognormal', 180],
    [/(^|_)(minutes|mins)$/, 1, 600, 'lognormal', 45],
    [/(^|_)(hours|hrs)$/, 1, 200, 'lognormal', 6],
    [/(^|_)days$/, 1, 365, 'lognormal', 7],
    [/(bytes|size|file_size|filesize|size_bytes|length_bytes)$/, 1, 1e10, 'lognormal', 250000],
    [/(capacity|capacity_m3|volume)$/, 1, 100000, 'lognormal', 2000],
    [/(weight|weight_kg|mass)$/, 0.1, 1000, 'lognormal', 3],
    [/(height|width|length|depth|size_cm|_cm|_mm)$/, 0.1, 1000, 'lognormal', 30],
    [/(population)$/, 100, 1e9, 'lognormal', 50000],
    [/(estimate|estimate_hours|effort)$/, 0.5, 200, 'lognormal', 6],
    [/(^|_)(limit|max_\w+|min_\w+)$/, 1, 1000, 'small', 10],
    [/(stock|inventory|on_hand|available)$/, 0, 100000, 'small', 40],
  ];
  for (const [re, a0, b0, dist, mean] of specs) {
    if (!re.test(n)) continue;
    const [a, b] = within(isInt ? Math.ceil(a0) : a0, isInt ? Math.floor(b0) : b0);
    return { code: distCode(dist, a, b, isInt, scale, mean), note: undefined };
  }
  // Default: small positive numbers inside the allowed range.
  const a = Number.isFinite(lo) ? Math.max(lo, lo <= 0 && hi >= 1 ? 1 : lo) : 1;
  const b = Math.min(hi, a + (isInt ? 999 : 999.99));
  return { code: distCode('uniform', a, b, isInt, scale) };
}

function distCode(dist: 'uniform' | 'small' | 'lognormal', a: number, b: number, isInt: boolean, scale: number, mean?: number): string {
  if (dist === 'small') return isInt ? `small(c.rng, ${num(a)}, ${num(b)}, ${num(Math.max(a + 1, mean ?? 3))})` : `clamp(small(c.rng, ${num(Math.ceil(a))}, ${num(Math.floor(b))}, ${num(mean ?? 3)}), ${num(a)}, ${num(b)}, ${scale})`;
  if (dist === 'lognormal') return isInt ? `Math.round(amount(c.rng, ${num(a)}, ${num(b)}, 0, ${num(mean ?? 10)}))` : `amount(c.rng, ${num(a)}, ${num(b)}, ${scale}, ${num(mean ?? 10)})`;
  return isInt ? `c.rng.int(${num(a)}, ${num(b)})` : `clamp(c.rng.uniform(${num(a)}, ${num(b)}), ${num(a)}, ${num(b)}, ${scale})`;
}

/** Text columns: by name first, then a generic phrase; clipped to the length the type allows. */
function text(f: ColumnFacts): Choice {
  const n = f.name.toLowerCase();
  const max = maxLength(f);
  const maxArg = Number.isFinite(max) ? max : 1_000_000;
  const minLen = f.rule.minLength ?? 0;
  const fitted = (e: string): string => (Number.isFinite(max) ? `fit(${e}, ${max})` : e);
  const firstCol = [...f.earlier.keys()].find((k) => /^(first_?name|given_name|fname)$/.test(k));
  const lastCol = [...f.earlier.keys()].find((k) => /^(last_?name|surname|family_name|lname)$/.test(k));
  const first = firstCol ? `c.row.${firstCol}` : 'c.faker.person.firstName()';
  const last = lastCol ? `c.row.${lastCol}` : 'c.faker.person.lastName()';
  const isPerson = PERSON_TABLE.test(f.table.toLowerCase());
  const addressy = f.tableColumns.some((c) => /(^|_)(city|zip|zipcode|postal_code|postcode|country|street)$/.test(c));
  const u = f.unique;
  const uniqueOut = (base: string, sep = ' '): Choice => ({ code: `uniq(${base}, c.i, ${maxArg}${sep !== ' ' ? `, ${q(sep)}` : ''}${minLen > 1 && max < 12 ? '' : ''})`, capacity: capacityOf(max) });

  // Identity-like strings.
  if (/(^|_)e?mail(_address)?$|^email/.test(n)) return { code: `email(${first}, ${last}, ${u ? 'c.i' : 'null'}, ${Math.min(254, maxArg)})`, ...(u ? { capacity: capacityOf(max - 13) } : {}) };
  if (/^(user_?name|login|handle|nickname|screen_name|nick)$/.test(n)) return { code: `username(${first}, ${last}, ${u ? 'c.i' : 'null'}, ${Math.min(64, maxArg)})`, ...(u ? { capacity: capacityOf(max - 3) } : {}) };
  if (/(password|passwd|pass_hash|password_digest|encrypted_password|hashed_password)/.test(n)) return { code: fitted(`'$2b$10$' + c.faker.string.alphanumeric(53)`), secret: true, ...(u ? uniqueOut(`'$2b$10$' + c.faker.string.alphanumeric(40)`) : {}) };
  if (/(secret|api_key|access_token|refresh_token|private_key|signing_key)$/.test(n)) return u ? { ...uniqueOut(`c.faker.string.alphanumeric(${Math.min(32, Math.max(8, maxArg - 8))})`, '_'), secret: true } : { code: `c.faker.string.alphanumeric(${Math.min(40, maxArg)})`, secret: true };
  if (/(^|_)(hash|checksum|sha1|sha256|md5|digest|fingerprint|etag)$/.test(n)) return u ? uniqueOut(`c.faker.string.hexadecimal({ length: ${Math.min(32, Math.max(4, maxArg - 10))}, casing: 'lower', prefix: '' })`, '-') : { code: `c.faker.string.hexadecimal({ length: ${Math.min(64, maxArg)}, casing: 'lower', prefix: '' })` };
  if (/(token|session_token|session_key|nonce)$/.test(n)) return u ? uniqueOut(`c.faker.string.alphanumeric(${Math.min(24, Math.max(4, maxArg - 10))})`, '-') : { code: `c.faker.string.alphanumeric(${Math.min(32, maxArg)})` };

  // Names of people.
  if (/^(first_?name|given_name|fname|middle_name)$/.test(n)) return text1(u, fitted('c.faker.person.firstName()'), maxArg);
  if (/^(last_?name|surname|family_name|lname)$/.test(n)) return text1(u, fitted('c.faker.person.lastName()'), maxArg);
  if (/^(full_?name|display_name|contact_name|author_name|customer_name|person_name|real_name|legal_name)$/.test(n) || (n === 'name' && isPerson)) {
    const e = firstCol && lastCol ? `\`\${${first}} \${${last}}\`` : 'c.faker.person.fullName()';
    return text1(u, fitted(e), maxArg);
  }
  // Addresses.
  if (/^(phone|phone_number|mobile|mobile_phone|cell|cellphone|telephone|tel|fax|work_phone|home_phone|contact_phone)$|_phone$/.test(n)) return text1(u, fitted(`c.faker.phone.number({ style: 'national' })`), maxArg);
  if (/^(street|address|address1|address_1|address_line1|address_line_1|street_address|line1|line_1|billing_address|shipping_address|street_line)$/.test(n)) return text1(u, fitted('c.faker.location.streetAddress()'), maxArg);
  if (/^(address2|address_2|address_line2|address_line_2|line2|line_2|suite|apartment|unit)$/.test(n)) return text1(u, fitted('c.faker.location.secondaryAddress()'), maxArg);
  if (/(^|_)(city|town)$/.test(n)) return text1(u, fitted('c.faker.location.city()'), maxArg);
  if (/(^|_)(state|province|region|county)$/.test(n) && (addressy || n !== 'state')) return text1(u, fitted(`c.faker.location.state(${max <= 3 ? '{ abbreviated: true }' : ''})`), maxArg);
  if (/(^|_)(zip|zipcode|zip_code|postal_code|postcode|post_code)$/.test(n)) return text1(u, fitted(`c.faker.location.zipCode(${max < 10 ? "'#####'" : ''})`), maxArg);
  if (/(^|_)country_?(code|iso)$/.test(n) || (n === 'country' && max <= 3)) return text1(u, `c.faker.location.countryCode(${max === 3 ? "'alpha-3'" : "'alpha-2'"})`, maxArg);
  if (/(^|_)country(_name)?$/.test(n)) return text1(u, fitted('c.faker.location.country()'), maxArg);
  // Web.
  if (/(avatar|image|photo|picture|thumbnail|logo|icon)(_url|_uri|_src)?$/.test(n)) return { code: fitted(`\`https://img.example.com/${f.table}/\${c.i + 1}.jpg\``), ...(u ? { capacity: Number.MAX_SAFE_INTEGER } : {}) };
  if (/(^|_)(url|uri|link|href|website|homepage|web_site|site)$/.test(n)) {
    if (u) return { code: fitted(`\`https://\${c.faker.internet.domainName()}/\${c.i + 1}\``), capacity: capacityOf(max - 30) };
    return { code: fitted(`\`https://\${c.faker.internet.domainName()}/\${c.faker.word.noun()}\``) };
  }
  if (/(^|_)(domain|hostname|host|domain_name)$/.test(n)) return u ? { code: `\`\${c.faker.internet.domainWord()}\${c.i + 1}.example.com\``, capacity: capacityOf(max - 14) } : { code: fitted('c.faker.internet.domainName()') };
  if (/(^|_)(ip|ip_address|ipaddress|remote_addr|client_ip|last_login_ip)$/.test(n)) return { code: u ? 'ipv4(c.rng, c.i)' : 'ipv4(c.rng)', ...(u ? { capacity: 1 << 24 } : {}) };
  if (/user_agent$/.test(n)) return text1(u, fitted('c.faker.internet.userAgent()'), maxArg);
  // Organisations and work.
  if (/^(company|company_name|organization|organisation|organization_name|employer|vendor|vendor_name|supplier|supplier_name|business_name|brand)$/.test(n)) return text1(u, fitted('c.faker.company.name()'), maxArg);
  if (/^(job_title|job|occupation|position_title|role_title|designation)$/.test(n) || (n === 'title' && /(employee|staff|person|people|user|member|contact|job|position)/.test(f.table))) return text1(u, fitted('c.faker.person.jobTitle()'), maxArg);
  if (/^(department|department_name|team_name)$/.test(n)) return text1(u, fitted('c.faker.commerce.department()'), maxArg);
  // Codes and identifiers.
  if (/^slug$|_slug$/.test(n)) return u ? { code: `uniq(slug(c.faker.lorem.words(3), '-'), c.i, ${maxArg}, '-')`, capacity: capacityOf(max) } : { code: fitted(`slug(c.faker.lorem.words(3), '-')`) };
  if (/^(code|sku|key|ref|reference|serial|serial_number|barcode|isbn|ean|upc|tracking_number|order_number|invoice_number|number|confirmation|confirmation_code|voucher|coupon|coupon_code|promo_code|account_number|external_id|processor_ref|identifier)$|(_code|_number|_ref|_key|_no)$/.test(n)) {
    if (u) return { code: `code(c.rng, c.i, ${maxArg}${minLen > 1 ? `, ${minLen}` : ''})`, capacity: capacityOf(max) };
    return { code: `code(c.rng, null, ${maxArg}${minLen > 1 ? `, ${minLen}` : ''})` };
  }
  // Everyday attributes.
  if (/(^|_)(colou?r)$/.test(n)) return text1(u, fitted('c.faker.color.human()'), maxArg);
  if (/(^|_)currency(_code)?$/.test(n)) return text1(u, 'c.faker.finance.currencyCode()', maxArg);
  if (/(^|_)(locale|language|lang|language_code)$/.test(n)) return text1(u, fitted(`c.rng.pick(['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'pt-BR', 'ja-JP', 'nl-NL'])`), maxArg);
  if (/(^|_)(timezone|time_zone|tz)$/.test(n)) return text1(u, fitted('c.faker.location.timeZone()'), maxArg);
  if (/(mime|mime_type|content_type|media_type|file_type)$/.test(n)) return text1(u, fitted('c.faker.system.mimeType()'), maxArg);
  if (/(file_?name|attachment_name|original_name)$/.test(n)) return text1(u, fitted('c.faker.system.fileName()'), maxArg);
  if (/(^|_)(path|file_path|filepath)$/.test(n)) return text1(u, fitted('c.faker.system.filePath()'), maxArg);
  if (/(^|_)(version|app_version)$/.test(n)) return text1(u, fitted('`${c.rng.int(0, 9)}.${c.rng.int(0, 30)}.${c.rng.int(0, 99)}`'), maxArg);
  if (/^(gender|sex)$/.test(n)) return text1(u, fitted(`c.rng.weighted([['female', 48], ['male', 48], ['nonbinary', 4]])`), maxArg);
  if (/^(status|state)$|_status$/.test(n)) return text1(u, fitted(`c.rng.weighted([['active', 8], ['pending', 2], ['inactive', 1]])`), maxArg);
  if (/^(type|kind|category|entity_type|object_type|resource_type|subject_type|target_type)$|_type$/.test(n)) {
    const e = /entity|object|resource|subject|target/.test(n) ? `c.rng.pick(['order', 'user', 'product', 'invoice', 'project', 'task'])` : 'c.faker.word.noun()';
    return text1(u, fitted(e), maxArg);
  }
  if (/^(action|event|event_name|event_type|verb|activity)$/.test(n) || (n === 'name' && /event|activity|audit|log/.test(f.table))) return text1(u, fitted(`c.rng.pick(['created', 'updated', 'deleted', 'viewed', 'signed_in', 'exported', 'shared', 'commented'])`), maxArg);
  if (/(^|_)(entity_id|object_id|resource_id|subject_id|target_id|record_id)$/.test(n)) return text1(u, 'String(c.rng.int(1, 100000))', maxArg);
  if (/(^|_)(iban)$/.test(n)) return text1(u, fitted('c.faker.finance.iban()'), maxArg);
  if (/(card_number|credit_card|cc_number)$/.test(n)) return text1(u, fitted('c.faker.finance.creditCardNumber()'), maxArg);
  if (/(^|_)(carrier)$/.test(n)) return text1(u, fitted(`c.rng.pick(['UPS', 'FedEx', 'DHL', 'USPS'])`), maxArg);
  if (/(^|_)(tags?|labels?|keywords?)$/.test(n)) return text1(u, fitted('c.faker.word.noun()'), maxArg);
  // Titles and prose.
  if (/^(title|headline|subject|heading|caption_title|subtitle|summary_title)$|_title$/.test(n)) return text1(u, fitted('title(c.text.sentence(2, 6))'), maxArg);
  if (/^(name|label|display)$|_name$|_label$/.test(n)) return text1(u, fitted(nameFor(f.table)), maxArg);
  if (/(description|summary|about|bio|biography|notes?|comments?|remarks|details|excerpt|caption|reason|feedback|instructions|abstract|review|answer|question|message|explanation|memo|purpose|alt_text|alt)$/.test(n)) {
    const e = max <= 40 ? 'c.text.sentence(2, 5)' : 'c.text.sentence(6, 16)';
    return text1(u, fitted(e), maxArg, minLen);
  }
  if (/^(body|content|text|html|markdown|post|article|message_body|description_long|transcript)$|_(body|content|text|html|markdown)$/.test(n)) {
    const e = max <= 200 ? 'c.text.sentence(6, 16)' : 'c.text.paragraph(1, 4)';
    return text1(u, fitted(e), maxArg, minLen);
  }
  // Anything else: a short phrase (or a word for short columns).
  const e = max <= 12 ? 'c.text.word()' : max <= 40 ? `c.text.words_(${max <= 20 ? 1 : 2})` : 'c.text.sentence(2, 6)';
  return text1(u, fitted(e), maxArg, minLen);
}

function text1(unique: boolean, code: string, max: number, minLen = 0): Choice {
  if (unique) return { code: `uniq(${code}, c.i, ${max})`, capacity: capacityOf(max) };
  if (minLen > 1) return { code: `padTo(${code}, ${minLen})` };
  return { code };
}

/** Distinct values `uniq`/`code` can make within `max` characters. */
export function capacityOf(max: number): number {
  if (!Number.isFinite(max) || max >= 12) return Number.MAX_SAFE_INTEGER;
  if (max <= 0) return 0;
  return Math.min(Number.MAX_SAFE_INTEGER, Math.pow(36, max) - 1);
}

/** A `name` for a row of `table` (no person table): product names, companies, genres, … */
export function nameFor(table: string): string {
  const t = table.toLowerCase();
  if (/(product|item|sku|article|good|merchandise)/.test(t)) return 'c.faker.commerce.productName()';
  if (/(compan|organi[sz]ation|supplier|vendor|brand|manufacturer|client|partner|merchant|firm|tenant)/.test(t)) return 'c.faker.company.name()';
  if (/genre/.test(t)) return 'c.faker.music.genre()';
  if (/(artist|band|performer)/.test(t)) return 'c.faker.music.artist()';
  if (/album/.test(t)) return 'c.faker.music.album()';
  if (/(track|song)/.test(t)) return 'c.faker.music.songName()';
  if (/(book|novel|publication)/.test(t)) return 'c.faker.book.title()';
  if (/(city|cities|town)/.test(t)) return 'c.faker.location.city()';
  if (/countr/.test(t)) return 'c.faker.location.country()';
  if (/(department|division)/.test(t)) return 'c.faker.commerce.department()';
  if (/(categor|tag|label|topic|genre|keyword|kind|type|method|queue|role|skill|feature|flag|permission|scope)/.test(t)) return 'title(c.faker.word.noun())';
  if (/(team|group|project|workspace|channel|board|playlist|collection|list|space|squad|unit|warehouse|location|site|store|shop|office|venue)/.test(t)) return "title(`${c.faker.word.adjective()} ${c.faker.word.noun()}`)";
  return "title(`${c.faker.word.adjective()} ${c.faker.word.noun()}`)";
}

/** JSON columns: a small object shaped by the column's name. */
function json(f: ColumnFacts): Choice {
  const n = f.name.toLowerCase();
  let e: string;
  if (/(settings|preferences|prefs|config|configuration|options)/.test(n)) e = `({ theme: c.rng.pick(['light', 'dark', 'system']), notifications: c.rng.chance(0.7), language: c.rng.pick(['en', 'de', 'fr', 'es']) })`;
  else if (/(address|location|geo)/.test(n)) e = `({ street: c.faker.location.streetAddress(), city: c.faker.location.city(), zip: c.faker.location.zipCode() })`;
  else if (/(changes|diff|before|after|old|new|delta)/.test(n)) e = `({ field: c.faker.database.column(), from: c.text.word(), to: c.text.word() })`;
  else if (/(payload|body|request|response|event|data|raw)/.test(n)) e = `({ id: c.faker.string.alphanumeric(12), type: c.rng.pick(['created', 'updated', 'deleted']), ok: c.rng.chance(0.9), attempt: c.rng.int(1, 3) })`;
  else if (/(tags|labels|keywords|list|items)/.test(n)) e = `c.faker.lorem.words(c.rng.int(1, 4)).split(' ')`;
  else e = `({ source: c.rng.pick(['web', 'ios', 'android', 'api', 'import']), version: c.rng.int(1, 5), flag: c.rng.chance(0.5) })`;
  if (f.unique) return { code: `({ id: c.i + 1, ...${e.startsWith('(') ? e.slice(1, -1) : `{ values: ${e} }`} })`, capacity: Number.MAX_SAFE_INTEGER };
  return { code: e };
}

/** A generator for one column. */
export function chooseGenerator(f: ColumnFacts): Choice {
  const values = allowedValues(f);
  if (values && values.length > 0 && f.arrayDims === 0 && f.kind !== 'bool') {
    return { code: pickCode(values, f.unique), ...(f.unique ? { capacity: values.length } : {}), note: f.enumLabels ? undefined : 'values from a check' };
  }
  if (values && values.length === 0) return { code: 'null', note: 'no value satisfies both the type and its checks' };
  const element = scalar({ ...f, unique: f.unique && f.arrayDims === 0 });
  if (f.arrayDims === 0) return element;
  // Arrays: a few elements (a unique array leads with the row number).
  const n = f.name.toLowerCase();
  let el = element.code;
  if (f.kind === 'text' && /(scopes|permissions)$/.test(n)) el = `c.rng.pick(['read', 'write', 'admin', 'billing', 'export'])`;
  else if (f.kind === 'text' && /(events|topics)$/.test(n)) el = `c.rng.pick(['order.created', 'order.paid', 'user.signed_up', 'invoice.issued', 'ticket.closed'])`;
  else if (f.kind === 'text' && /(tags|labels|keywords|categories|skills)$/.test(n)) el = Number.isFinite(maxLength(f)) ? `fit(c.faker.word.noun(), ${maxLength(f)})` : 'c.faker.word.noun()';
  else if (f.kind === 'text' && /e?mails$/.test(n)) el = `email(c.faker.person.firstName(), c.faker.person.lastName(), null, 254)`;
  else if (f.kind === 'text' && /(phones|phone_numbers)$/.test(n)) el = `c.faker.phone.number({ style: 'national' })`;
  else if (f.kind === 'float' || f.kind === 'decimal' || f.kind === 'int') {
    const { lo, hi, scale } = numericBounds(f);
    const a = Math.max(lo, 0);
    const b = Math.min(hi, a + 100);
    el = f.kind === 'int' ? `c.rng.int(${num(a)}, ${num(b)})` : `clamp(c.rng.uniform(${num(a)}, ${num(b)}), ${num(a)}, ${num(b)}, ${scale})`;
  }
  const lists = /(dimensions|coordinates|coords|size|sizes)/.test(n) ? [3, 3] : [0, 4];
  // Sets of labels (tags, scopes, events) hold each value once; measurements may repeat.
  const items = lists[0] === lists[1] ? `list(c, ${lists[0]}, ${lists[1]}, () => ${el})` : `[...new Set(list(c, ${lists[0]}, ${lists[1]}, () => ${el}))]`;
  const code = f.unique ? `pgArray([c.i + 1, ...${items}])` : `pgArray(${items})`;
  return { code, ...(f.unique ? { capacity: Number.MAX_SAFE_INTEGER } : {}) };
}

function scalar(f: ColumnFacts): Choice {
  switch (f.kind) {
    case 'int': case 'decimal': case 'float': case 'money':
      return numeric(f);
    case 'text':
      return text(f);
    case 'bool': {
      if (f.rule.values?.length === 1) return { code: String(f.rule.values[0]) === 'true' ? 'true' : 'false', note: 'fixed by a check' };
      if (f.unique) return { code: 'c.i === 0', capacity: 2 };
      const n = f.name.toLowerCase();
      const p = /(deleted|archived|banned|blocked|locked|suspended|is_test|test|internal|spam|flagged|hidden|disabled|cancell?ed|failed|deprecated|private|edited|read_only|is_admin|admin|superuser|staff)/.test(n) ? 0.1
        : /(active|enabled|visible|published|verified|confirmed|approved|available|valid|is_public|public|in_stock|subscribed|opt_in|consent|accepted|billable|success|succeeded)/.test(n) ? 0.85
        : 0.5;
      return { code: `c.rng.chance(${p})` };
    }
    case 'date': case 'timestamp':
      return temporal(f);
    case 'time':
      return { code: /(open|start|begin|from)/.test(f.name) ? 'timeOfDay(c.rng, 6, 11)' : /(close|end|until|to)$/.test(f.name) ? 'timeOfDay(c.rng, 16, 23)' : 'timeOfDay(c.rng)' };
    case 'interval':
      return { code: /(transit|delivery|shipping)/.test(f.name) ? 'interval(c.rng, 24 * 7)' : 'interval(c.rng, 72)' };
    case 'uuid':
      return f.unique ? { code: `uuidAt(c.i, ${f.salt})`, capacity: 2 ** 48, note: 'unique: derived from the row number' } : { code: 'c.faker.string.uuid()' };
    case 'json':
      return json(f);
    case 'bytea': {
      const size = /(sha256|checksum|digest|hash)/.test(f.name) ? 32 : /(thumbnail|image|photo|avatar|blob|data|file|content)/.test(f.name) ? 64 : 16;
      return f.unique ? { code: `\`\\\\x\${(c.i + 1).toString(16).padStart(12, '0')}\${bytea(c.rng, ${size}).slice(2)}\``, capacity: Number.MAX_SAFE_INTEGER } : { code: `bytea(c.rng, ${size})` };
    }
    case 'inet':
      return f.unique ? { code: 'ipv4(c.rng, c.i)', capacity: 1 << 24 } : { code: 'ipv4(c.rng)' };
    case 'cidr':
      return f.unique ? { code: '`10.${(c.i >>> 8) & 255}.${c.i & 255}.0/24`', capacity: 1 << 16 } : { code: '`10.${c.rng.int(0, 255)}.${c.rng.int(0, 255)}.0/24`' };
    case 'macaddr':
      return { code: 'macaddr(c.rng)', ...(f.unique ? { code: "`02:00:${[(c.i >>> 24) & 255, (c.i >>> 16) & 255, (c.i >>> 8) & 255, c.i & 255].map((x) => x.toString(16).padStart(2, '0')).join(':')}`", capacity: 2 ** 32 } : {}) };
    case 'bit':
      return { code: `bits(c.rng, ${f.length ?? 8})` };
    case 'xml':
      return { code: '`<note>${c.text.sentence(3, 8)}</note>`' };
    case 'tsvector':
      return { code: 'c.text.sentence(4, 10).replace(/\\./g, \'\')' };
    case 'point':
      return { code: 'point(c.rng)' };
    case 'range':
      return rangeCode(f);
    case 'enum':
      return { code: 'null', note: 'enum without labels' };
    default:
      return { code: 'null', note: 'unknown type' };
  }
}

function rangeCode(f: ColumnFacts): Choice {
  const t = f.typname;
  if (t === 'int4range' || t === 'int8range') return { code: '((a) => `[${a},${a + c.rng.int(1, 100)})`)(c.rng.int(0, 1000))' };
  if (t === 'numrange') return { code: '((a) => `[${a.toFixed(2)},${(a + c.rng.uniform(1, 100)).toFixed(2)})`)(c.rng.uniform(0, 1000))' };
  if (t === 'daterange') return { code: '((d) => `[${d.toISOString().slice(0, 10)},${new Date(d.getTime() + c.rng.int(1, 30) * DAY).toISOString().slice(0, 10)})`)(c.t.recent(c.t.ago(365)))' };
  if (t === 'tsrange' || t === 'tstzrange') return { code: '((d) => `[${d.toISOString()},${new Date(d.getTime() + c.rng.int(1, 48) * 3_600_000).toISOString()})`)(c.t.recent(c.t.ago(365)))' };
  return { code: 'null', note: `unknown range type ${t}` };
}

/** The scalar kind of a Postgres type (`typname` of the resolved scalar, its typtype and category). */
export function kindOf(typname: string, typtype: string, category: string): ScalarKind {
  if (typtype === 'e') return 'enum';
  switch (typname) {
    case 'int2': case 'int4': case 'int8': case 'oid': return 'int';
    case 'numeric': return 'decimal';
    case 'float4': case 'float8': return 'float';
    case 'money': return 'money';
    case 'text': case 'varchar': case 'bpchar': case 'citext': case 'name': case 'char': return 'text';
    case 'bool': return 'bool';
    case 'date': return 'date';
    case 'timestamp': case 'timestamptz': return 'timestamp';
    case 'time': case 'timetz': return 'time';
    case 'interval': return 'interval';
    case 'uuid': return 'uuid';
    case 'json': case 'jsonb': return 'json';
    case 'bytea': return 'bytea';
    case 'inet': return 'inet';
    case 'cidr': return 'cidr';
    case 'macaddr': case 'macaddr8': return 'macaddr';
    case 'bit': case 'varbit': return 'bit';
    case 'xml': return 'xml';
    case 'tsvector': return 'tsvector';
    case 'point': return 'point';
    case 'int4range': case 'int8range': case 'numrange': case 'daterange': case 'tsrange': case 'tstzrange': return 'range';
    default:
      if (category === 'S') return 'text';
      return 'unknown';
  }
}
