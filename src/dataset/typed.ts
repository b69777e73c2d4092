/**
 * The types `defineDataset` infers from a dataset's own declarations, so its generators are checked
 * by the compiler: `c.row`, `c.parent`, `c.params`, `c.lookup`, `c.ref`, `c.children` and the
 * embed functions know each table's columns and their types, and a wrong column or table name is
 * a compile error.
 *
 * How the inference works: the tables object is matched against two homomorphic mapped types, one
 * over the columns of every table (`Schema`: each column's `type`, `nullable`, `virtual`) and one
 * over every table's parent (`Parents`: from `per`, `junction` or `series`). TypeScript infers both
 * from the declarations first, skipping the generator functions, and then types each generator's
 * `c` from what it inferred. Tables declared elsewhere as `Record<string, TableDef>` (spread into
 * `tables`) stay untyped, exactly as before.
 */
import type { ColumnType } from '../contracts.js';
import type { CountContext, GenContext, RefOptions } from '../generate/context.js';
import type { CheckDef, ColumnDef, DatasetDef, Params, TableDef } from './types.js';

/** A column's declared type: a Postgres type or `{ enum: [...] }`. */
export type ColumnTypeDecl = ColumnType | { readonly enum: readonly string[] };

/**
 * The TypeScript type of a column type's values: numbers for the integer, numeric and double
 * types (`bigint` values up to 2^53), strings for text, uuid and varchar, `Date` for date and
 * timestamptz, the literal union for an enum, `unknown` for jsonb.
 */
export type ValueOf<T> =
  T extends { readonly enum: readonly (infer E)[] } ? E
  : T extends 'bigint' | 'int' | 'smallint' | 'double precision' | `numeric(${string})` ? number
  : T extends 'text' | 'uuid' | `varchar(${string})` ? string
  : T extends 'boolean' ? boolean
  : T extends 'date' | 'timestamptz' ? Date
  : unknown;

/** The typed part of a column declaration, as inferred. */
export interface ColumnSpec {
  readonly type?: ColumnTypeDecl;
  readonly nullable?: boolean;
  readonly virtual?: boolean;
}

/** Per table, its columns' declarations. */
export type Schema = Record<string, Record<string, ColumnSpec>>;

type ColumnValue<C> = C extends { readonly type: infer T } ? ValueOf<T> | (C extends { readonly nullable: true } ? null : never) : unknown;

/**
 * What a generator may return: its column's type, except that an enum column takes any string
 * (computed labels are common) and `undefined` is accepted (an array element read under
 * `noUncheckedIndexedAccess`); the encoder rejects a value outside the enum or a missing value in
 * a NOT NULL column at run time, naming table, column and row.
 */
type GenValue<C> =
  | (C extends { readonly type: { readonly enum: readonly unknown[] } } ? string | (C extends { readonly nullable: true } ? null : never) : ColumnValue<C>)
  | undefined;

/** A table's row as generators see it: every declared column, virtual helpers included. */
export type RowOf<Cols> = { readonly [C in keyof Cols]: ColumnValue<Cols[C]> };

/** A row as loaded and exported (virtual helpers left out): what `embed` functions receive. */
export type StoredRowOf<Cols> = { readonly [C in keyof Cols as Cols[C] extends { readonly virtual: true } ? never : C]: ColumnValue<Cols[C]> };

/** Table names of a schema. */
export type TableName<S> = keyof S & string;

/** The key `ref`/`key` return: the `id` column's type, else unknown. */
export type KeyOf<S, N extends keyof S> = S[N] extends { readonly id: infer C } ? ColumnValue<C> : unknown;

/** `params` with literal defaults widened (`--set` and profiles may change them). */
export type ParamsOf<P> = { readonly [N in keyof P]: P[N] extends number ? number : P[N] extends string ? string : P[N] extends boolean ? boolean : P[N] };

/** The parent row of a table whose parent is `Par` (never for tables without one). */
export type ParentRowOf<S, Par> = Par extends keyof S ? RowOf<S[Par]> : never;

/** `CountContext` with the dataset's types: what count, start/end and `first` functions receive. */
export interface TypedCountContext<S, Parent, P>
  extends Omit<CountContext, 'parent' | 'params' | 'lookup' | 'count' | 'key' | 'children' | 'groupStart'> {
  /** The parent row, recomputed on first access. */
  readonly parent: Parent;
  readonly params: P;
  lookup<N extends TableName<S>>(table: N, index: number): RowOf<S[N]>;
  count(table: TableName<S>): number;
  key<N extends TableName<S>>(table: N, index: number): KeyOf<S, N>;
  /** Rows of group table `table` under parent row `parentIndex` (e.g. a channel's members). */
  children<N extends TableName<S>>(table: N, parentIndex: number): readonly RowOf<S[N]>[];
  /** Global index of the first row of `parentIndex`'s group in group table `table`. */
  groupStart(table: TableName<S>, parentIndex: number): number;
}

/**
 * `GenContext` with the dataset's types. `row` lists every column of the table, but holds values
 * only for the columns declared above the one being generated (later ones read as undefined).
 */
export interface TypedGenContext<S, Row, Parent, P>
  extends TypedCountContext<S, Parent, P>, Omit<GenContext, keyof CountContext | 'row' | 'ref' | 'refIndex'> {
  /** Columns generated earlier in this row. */
  readonly row: Row;
  /** Key of a row of `table` chosen by `opts.dist` with this column's stream. */
  ref<N extends TableName<S>>(table: N, opts?: RefOptions): KeyOf<S, N>;
  /** Index of a row of `table` chosen by `opts.dist`. */
  refIndex(table: TableName<S>, opts?: RefOptions): number;
}

type GenCtx<S, K extends keyof S, Par, P> = TypedGenContext<S, RowOf<S[K]>, ParentRowOf<S, Par>, ParamsOf<P>>;
type CountCtx<S, Par, P> = TypedCountContext<S, ParentRowOf<S, Par>, ParamsOf<P>>;

/**
 * A column declaration, typed: `gen` receives the table's context and returns the column's type
 * (or null when nullable; any string for an enum). Keys that are not column options are errors.
 */
type ColumnInput<S, K extends keyof S, C extends keyof S[K], Par, P> = {
  [Q in keyof S[K][C]]: Q extends 'gen'
    ? (c: GenCtx<S, K, Par, P>) => GenValue<S[K][C]>
    : Q extends keyof ColumnDef ? S[K][C][Q] : never;
};

type ColumnsInput<S, K extends keyof S, Par, P> = { [C in keyof S[K]]: ColumnInput<S, K, C, Par, P> };

type Count<S, Par, P> = number | ((c: CountCtx<S, Par, P>) => number);

/** Everything of a table declaration but its columns, typed by its parent `Par`. */
interface ShapeInput<S, K extends keyof S, Par, P> extends Omit<TableDef, 'columns' | 'per' | 'series' | 'junction' | 'fixed' | 'embed' | 'primaryKey' | 'uniques' | 'indexes'> {
  per?: { parent: Par & TableName<S>; count: Count<S, Par, P> };
  series?: { parent: Par & TableName<S>; start: (c: CountCtx<S, Par, P>) => Date; end: (c: CountCtx<S, Par, P>) => Date; everyMs: number };
  junction?: {
    parent: Par & TableName<S>;
    target: TableName<S>;
    count: Count<S, Par, P>;
    first?: (c: CountCtx<S, Par, P>) => readonly number[];
  };
  /** Literal rows placed first (columns not given are generated). */
  fixed?: readonly Partial<StoredRowOf<S[K]>>[];
  primaryKey?: readonly (keyof S[K] & string)[];
  uniques?: readonly (readonly (keyof S[K] & string)[])[];
  indexes?: readonly (readonly (keyof S[K] & string)[])[];
  embed?: {
    text: (row: StoredRowOf<S[K]>) => string;
    metadata?: (row: StoredRowOf<S[K]>) => Record<string, unknown>;
    namespace?: string;
  };
}

/** The `tables` of a dataset: columns inferred into `S`, parents into `Parents`. */
export type TablesInput<S, Parents, P> =
  & { [K in keyof S]: { columns: ColumnsInput<S, K, K extends keyof Parents ? Parents[K] : never, P> } }
  & { [K in keyof Parents]: ShapeInput<S, K & keyof S, Parents[K], P> };

/** What `defineDataset` accepts: a `DatasetDef` whose generators are typed by its declarations. */
export interface DatasetInput<S, Parents, P> {
  name: string;
  description?: string;
  /** Root seed; `--seed` overrides it. */
  seed: number;
  /** Fixed reference date ("now" of the data), ISO. Generators never read the clock. */
  refDate: string;
  /** Declared parameters with defaults; `--set name=value` overrides them. */
  params?: P;
  // NoInfer: tables and params are inferred from their own declarations only.
  profiles?: NoInfer<Record<string, { scale?: number; rows?: { [N in TableName<S>]?: number }; params?: Partial<ParamsOf<P>> }>>;
  /** Profile used when none is given. Default 'medium' when defined, else the first. */
  defaultProfile?: string;
  tables: TablesInput<S, Parents, P>;
  checks?: readonly CheckDef[];
  /** Default Postgres schema of the tables (each table may name its own). Default `public`. */
  schema?: string;
  /** Tables of the database the dataset leaves alone (migration bookkeeping): never generated or emptied. */
  untouched?: DatasetDef['untouched'];
}

/** Constraint of the inferred parents: per table, the name of its parent table. */
export type ParentsOf<S> = { [K in keyof S]?: unknown };

/** Constraint of the inferred params. */
export type ParamsDecl = Params;
