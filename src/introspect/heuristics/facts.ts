/**
 * What the generator heuristics know about a column (ColumnFacts), what they return (Choice), and
 * the shared helpers: type families, numeric bounds, lengths, allowed values.
 */
import type { Domain } from '../checks/domain.js';

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
  /** What the column's checks (and the solver's case for this row) allow. */
  rule: Domain;
  /**
   * Earlier columns of the row this one must be above / below (orderings from checks and from
   * names such as created_at/updated_at): the generator stays between them.
   */
  lows?: readonly BoundRef[];
  highs?: readonly BoundRef[];
  /** Fractional-second digits of a timestamp column (0 for timestamp(0)); default 6. */
  timePrecision?: number;
  /** Columns declared before this one in the table (available as `c.row.<name>`). */
  earlier: ReadonlyMap<string, EarlierColumn>;
  /** All column names of the table. */
  tableColumns: readonly string[];
  /** A small per-table number for `uuidAt` so ids of different tables differ. */
  salt: number;
  /** Group tables: the parent's created-like timestamp column (`c.parent.<column>`), if it has one. */
  parentTime?: { table: string; column: string };
}

/** An earlier column (or an expression of earlier columns) bounding this one. */
export interface BoundRef {
  /** The column (or a label of the expression, for notes). */
  column: string;
  /** Expression over `c` for the bound; default `c.row.<column>`. */
  expr?: string;
  strict: boolean;
  /** The earlier column may be NULL in this row (the bound then does not apply). */
  nullable: boolean;
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

export const INT_RANGE: Record<string, [number, number]> = {
  int2: [-32768, 32767],
  int4: [-2147483648, 2147483647],
  int8: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

export const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
export const lit = (v: string | number | boolean): string => (typeof v === 'string' ? q(v) : String(v));
export const words = (name: string): string[] => name.toLowerCase().split(/_+/).filter(Boolean);

/** People-like tables: `name` there is a person's full name. */
export const PERSON_TABLE = /(^|_)(users?|customers?|clients?|employees?|people|persons?|members?|contacts?|authors?|students?|teachers?|patients?|doctors?|staff|accounts?|profiles?|candidates?|applicants?|guests?|players?|drivers?|agents?|owners?|reviewers?|subscribers?|speakers?|attendees?|instructors?|volunteers?|leads?)$/;

export function num(v: number): string {
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

/**
 * Values from an enum type or an `IN (…)` check, intersected, without excluded ones (`<> 'x'`,
 * `NOT IN`); an enum with only exclusions keeps its other labels.
 */
export function allowedValues(f: Pick<ColumnFacts, 'enumLabels' | 'rule'>): readonly (string | number | boolean)[] | undefined {
  let values: readonly (string | number | boolean)[] | undefined = f.rule.values;
  if (f.enumLabels) values = values ? f.enumLabels.filter((l) => values!.some((v) => String(v) === l)) : f.enumLabels;
  if (!values) return undefined;
  const not = new Set((f.rule.notValues ?? []).map(String));
  const r = f.rule;
  return values.filter((v) => !not.has(String(v)) && (typeof v !== 'number' || ((r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max))) && (typeof v !== 'string' || ((r.minLength === undefined || v.length >= r.minLength) && (r.maxLength === undefined || v.length <= r.maxLength))));
}

const RARE_STATUS = /cancel|refund|fail|reject|delet|error|past_due|overdue|banned|block|lost|void|archiv|suspend|dispute|expired|inactive|closed|disabled|spam/;

/** Picks one of `values`; status-like lists make failure states rarer (weight 1 against 4). */
export function pickCode(values: readonly (string | number | boolean)[], unique: boolean): string {
  const list = `[${values.map(lit).join(', ')}]`;
  if (unique) return `nth(${list}, c.i)`;
  if (values.length > 2 && values.some((v) => typeof v === 'string' && RARE_STATUS.test(v)) && !values.every((v) => typeof v === 'string' && RARE_STATUS.test(v))) {
    return `c.rng.weighted([${values.map((v) => `[${lit(v)}, ${typeof v === 'string' && RARE_STATUS.test(v) ? 1 : 4}]`).join(', ')}])`;
  }
  return `c.rng.pick(${list})`;
}

/** The earlier column a date/time column should follow (created_at before updated_at), if any. */

/** Distinct values `uniq`/`code` can make within `max` characters. */
export function capacityOf(max: number): number {
  if (!Number.isFinite(max) || max >= 12) return Number.MAX_SAFE_INTEGER;
  if (max <= 0) return 0;
  return Math.min(Number.MAX_SAFE_INTEGER, Math.pow(36, max) - 1);
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
