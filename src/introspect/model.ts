/**
 * The introspector's working model of a table while it turns a catalog into a dataset module:
 * its foreign keys, unique sets, solver input and solution, shape, and the columns as they will be
 * rendered. Shared by the steps in analyse.ts, shapes.ts, tenancy.ts, columns.ts and render.ts.
 */
import type { CatalogColumn, CatalogForeignKey, CatalogTable, CatalogUnique } from './catalog-types.js';
import type { SolverCheck, Solution } from './checks/solver.js';
import type { Atom } from './checks/atoms.js';
import type { ScalarKind } from './heuristics/index.js';
import { hashString128 } from '../random/hash.js';

export interface GenerateOptions {
  /** Rows of an ordinary entity table; lookups get a tenth, child tables more. Default 1,000. */
  rows?: number;
  /** Dataset name (lower_snake_case). Default: the database name. */
  name?: string;
  /** Root seed written into the dataset. Default 1. */
  seed?: number;
  /** Reference date ("now" of the data) written into the dataset. Default 2025-01-01T00:00:00Z. */
  refDate?: string;
  /**
   * Module specifier of seedpipe's `src/` folder as seen from the generated file, without a trailing
   * slash, e.g. `../../src` or `seedpipe/src`.
   */
  seedpipeImport: string;
  /** Where the schema came from, for the header comment (never with a password). */
  source?: string;
  /**
   * Whether the sink can load a column generated with `type` (a dataset column type) into this
   * database column; returns the reason when it cannot. Such columns are left to the database
   * (NULL or their default) when they may be, and reported. Default: every column loads.
   */
  canLoad?: (table: CatalogTable, column: CatalogColumn, type: string) => string | null;
  /**
   * Generate framework bookkeeping tables too (`schema_migrations`, `django_migrations`, …).
   * Default false: they are left out and declared `untouched`, so sinks never write or empty them.
   * (No CLI flag yet; the README proposes its name.)
   */
  includeBookkeeping?: boolean;
}

export interface Finding {
  table: string;
  column?: string;
  /** error: the load fails or a constraint breaks as generated; warning: data was left out or is not guaranteed plausible; info: a choice worth knowing. */
  severity: 'error' | 'warning' | 'info';
  problem: string;
  /** What the generated dataset does instead, and what to write in dataset.ts when it cannot. */
  chosen: string;
}

export interface TableSummary {
  table: string;
  schema: string;
  /** The table's SQL name (differs from `table`, the dataset key, for non-snake_case or clashing names). */
  sqlName: string;
  shape: 'rows' | 'per' | 'junction';
  rows?: number;
  parent?: string;
  target?: string;
  count?: string;
  /** Expected rows at scale 1 (group tables: parents × average count). */
  expectedRows: number;
  columns: number;
}

export interface GeneratedDataset {
  /** The `schema.generated.ts` module text. */
  source: string;
  findings: Finding[];
  tables: TableSummary[];
  name: string;
  /** Tables left alone (framework bookkeeping), declared `untouched` in the dataset. */
  untouched: { schema: string; table: string; reason: string }[];
  /** The tenant table (dataset key) references are kept consistent within, if the schema has one. */
  tenant: string | null;
}

export interface ColModel {
  /** Dataset key (lower_snake_case). */
  name: string;
  col: CatalogColumn | null;
  kind: ScalarKind;
  /** Rendered dataset type (TS source). */
  type: string;
  nullable: boolean;
  unique: boolean;
  references?: string;
  virtual?: boolean;
  secret?: boolean;
  /** Expression; undefined = generated key (row number). */
  gen?: string;
  notes: string[];
  /** Left to the database: rendered as a comment. */
  omitted?: string;
  /** Distinct values a unique generator can make (bounds the table's rows). */
  capacity?: number;
}

export interface FkUnit {
  fk: CatalogForeignKey;
  /** Target table key in the dataset, or null when outside the introspected tables. */
  target: string | null;
  self: boolean;
  notNull: boolean;
  /** Dataset-side: declared with references/foreignKeys (false when undeclared to break a NOT NULL cycle). */
  declared: boolean;
  /** The referenced columns as dataset keys of the target table. */
  refKeys?: string[];
}

export type Shape =
  | { kind: 'rows'; rows: number; fixed?: number }
  | { kind: 'per'; parent: string; unit: FkUnit; count: string; avg: number; derived: string[]; partner?: PartnerSpec }
  | { kind: 'junction'; parent: string; target: string; parentUnit: FkUnit; targetUnit: FkUnit; count: string; avg: number };

/** A junction rewritten as a `per` table whose partner key is computed (ordered pairs, tenant-local partners). */
export interface PartnerSpec {
  unit: FkUnit;
  target: string;
  /** How partner k of a group is chosen. */
  mode: 'after' | 'other' | 'tenant';
}

export interface UniqueSet {
  /** Dataset keys of the columns. */
  cols: string[];
  source: CatalogUnique;
  /** A partial index: the rows it holds (null = every row). */
  predicate: string | null;
  /** Expression index part that truncates timestamps to days (`(created_at)::date`). */
  byDay?: boolean;
}

/** A partial unique index honoured by letting only the first rows meet its predicate. */
export interface Gate {
  id: string;
  set: UniqueSet;
  /** Expression (over `c`) of how many rows may meet the predicate. */
  below: string;
  /** Per column of the set: the generator used for those rows (unique among them). */
  unique: Map<string, string>;
}

export interface TableModel {
  cat: CatalogTable;
  /** Dataset key. */
  name: string;
  /** Column dataset key → catalog column, and back. */
  colKey: Map<string, string>;
  sqlCol: Map<string, string>;
  fks: FkUnit[];
  uniqueSets: UniqueSet[];
  checks: SolverCheck[];
  solution?: Solution;
  gates: Gate[];
  /** Name-inferred orderings (created/updated, min/max, …): honoured unless a check says otherwise. */
  softOrders: Atom[];
  /** Name-inferred sums (`total = subtotal + tax - discount`). */
  sums: { total: string; plus: string[]; minus: string[] }[];
  shape: Shape;
  columns: ColModel[];
  /** Primary key (dataset keys). */
  primaryKey: string[];
  compositeUniques: string[][];
  notes: string[];
  lookup: boolean;
  salt: number;
  /** Tenancy scope of this table, when the dataset has a tenant table. */
  scope?: 'self' | 'block' | { parent: string };
  /** The column (dataset key) holding the tenant's key, if the table has one. */
  tenantColumn?: string;
}

export const IDENT = /^[a-z_][a-z0-9_]*$/;
export const DEFAULT_REF_DATE = '2025-01-01T00:00:00Z';

export function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

export const prop = (name: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name));

export function saltOf(name: string): number {
  return hashString128(name)[0]! % 100_000;
}

/** Dataset column type for a catalog column (`'int'`, `{ enum: [...] }`, …) as TS source, and whether the dataset can say it exactly. */
export function datasetType(col: CatalogColumn): { type: string; plain: string; exact: boolean } {
  const t = col.type;
  if (t.arrayDims > 0) return { type: `'text'`, plain: 'text', exact: false };
  if (t.typtype === 'e') return { type: `{ enum: [${(t.enumLabels ?? []).map((l) => quote(l)).join(', ')}] }`, plain: 'enum', exact: true };
  const s = (x: string, exact = true): { type: string; plain: string; exact: boolean } => ({ type: quote(x), plain: x, exact });
  switch (t.base) {
    case 'int2': return s('smallint');
    case 'int4': return s('int');
    case 'int8': return s('bigint');
    case 'numeric':
      if (t.precision !== undefined && t.scale !== undefined && t.scale >= 0) return s(`numeric(${t.precision},${t.scale})`);
      return s('numeric(20,2)', t.precision === undefined);
    case 'money': return s('numeric(15,2)', false);
    case 'float4': case 'float8': return s('double precision');
    case 'varchar': return t.length !== undefined ? s(`varchar(${t.length})`) : s('text');
    case 'bpchar': return s(`varchar(${t.length ?? 1})`, false);
    case 'text': case 'citext': case 'name': return s('text', t.base === 'text');
    case 'bool': return s('boolean');
    case 'date': return s('date');
    case 'timestamptz': return s('timestamptz');
    case 'timestamp': return s('timestamptz', false);
    case 'uuid': return s('uuid');
    case 'json': case 'jsonb': return s('jsonb', t.base === 'jsonb');
    default: return s('text', false);
  }
}
