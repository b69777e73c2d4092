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
 * `c` from what it inferred. Tables split over files are groups (`defineTables`, joined by
 * `mergeTables`), each typed the same way; tables declared as `Record<string, TableDef>` stay
 * untyped. A `jsonb` helper column says its values' type with `jsonb<T>()`. Helper functions
 * take a `TypedCountContext`/`TypedGenContext` of only the tables, columns and params they read.
 */
import type { ColumnType } from '../contracts.js';
import type { CountContext, GenContext, RefOptions } from '../generate/context.js';
import { SeedpipeError } from '../errors.js';
import type { CheckDef, ColumnDef, DatasetDef, Params, TableDef } from './types.js';

/** A column's declared type: a Postgres type or `{ enum: [...] }`. */
export type ColumnTypeDecl = ColumnType | { readonly enum: readonly string[] };

/**
 * The TypeScript type of a column type's values: numbers for the integer, numeric and double
 * types (`bigint` values up to 2^53), strings for text, uuid and varchar, `Date` for date and
 * timestamptz, the literal union for an enum, `unknown` for jsonb (`V` for `jsonb<V>()`).
 */
export type ValueOf<T> =
  T extends { readonly [jsonValue]: infer V } ? V
  : T extends { readonly enum: readonly (infer E)[] } ? E
  : T extends 'bigint' | 'int' | 'smallint' | 'double precision' | `numeric(${string})` ? number
  : T extends 'text' | 'uuid' | `varchar(${string})` ? string
  : T extends 'boolean' ? boolean
  : T extends 'date' | 'timestamptz' ? Date
  : unknown;

declare const jsonValue: unique symbol;

/** The `jsonb` column type, carrying the TypeScript type of its values. */
export type Jsonb<V> = 'jsonb' & { readonly [jsonValue]: V };

/**
 * The column type `'jsonb'`, telling the compiler what its values are: a virtual helper holding
 * a plan that later columns read, `{ type: jsonb<BatchPlan>(), virtual: true, gen: … }`, gives
 * `c.row.plan` (and `c.parent.plan`, `c.lookup(…).plan`) the type `BatchPlan`.
 */
export function jsonb<V>(): Jsonb<V> {
  return 'jsonb' as Jsonb<V>;
}

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

/**
 * Per table, the row type generators read: `RowsOf` a dataset's schema, or, in a helper's
 * signature, only the tables and columns the helper reads (`{ devices: { installed_at: Date } }`).
 */
export type TableRows = object;

/** Per table of a schema, its row as generators see it. */
export type RowsOf<S> = { readonly [N in keyof S]: RowOf<S[N]> };

/** The key `ref`/`key` return for a row type: its `id` column's type, else unknown. */
export type KeyIn<Row> = Row extends { readonly id: infer K } ? K : unknown;

/** The key `ref`/`key` return: the `id` column's type, else unknown. */
export type KeyOf<S, N extends keyof S> = KeyIn<RowOf<S[N]>>;

/** `params` with literal defaults widened (`--set` and profiles may change them). */
export type ParamsOf<P> = { readonly [N in keyof P]: P[N] extends number ? number : P[N] extends string ? string : P[N] extends boolean ? boolean : P[N] };

/** The parent row of a table whose parent is `Par` among rows `R` (never for tables without one). */
export type ParentRowOf<R, Par> = Par extends keyof R ? R[Par] : never;

declare const tableRows: unique symbol;

/**
 * `CountContext` with the dataset's types: what count, start/end and `first` functions receive.
 * `R` is per table its row (see `TableRows`), `Parent` the parent row, `P` the params. A helper
 * declares only what it reads, e.g. `TypedCountContext<{ batches: { plan: BatchPlan } }, unknown,
 * { scale: number }>`: every context of a dataset with such a table and param fits, so a helper
 * called with the wrong dataset, or after a column changed type, is a compile error at the call.
 */
export interface TypedCountContext<R = TableRows, Parent = unknown, P = unknown>
  extends Omit<CountContext, 'parent' | 'params' | 'lookup' | 'count' | 'key' | 'children' | 'groupStart'> {
  /** Never set: makes a helper's `R` checked against the dataset's rows (generic methods alone are not). */
  readonly [tableRows]?: R;
  /** The parent row, recomputed on first access. */
  readonly parent: Parent;
  readonly params: P;
  lookup<N extends keyof R & string>(table: N, index: number): R[N];
  count(table: keyof R & string): number;
  key<N extends keyof R & string>(table: N, index: number): KeyIn<R[N]>;
  /** Rows of group table `table` under parent row `parentIndex` (e.g. a channel's members). */
  children<N extends keyof R & string>(table: N, parentIndex: number): readonly R[N][];
  /** Global index of the first row of `parentIndex`'s group in group table `table`. */
  groupStart(table: keyof R & string, parentIndex: number): number;
}

/**
 * `GenContext` with the dataset's types. `row` lists every column of the table, but holds values
 * only for the columns declared above the one being generated (later ones read as undefined).
 */
export interface TypedGenContext<R = TableRows, Row = unknown, Parent = unknown, P = unknown>
  extends TypedCountContext<R, Parent, P>, Omit<GenContext, keyof CountContext | 'row' | 'ref' | 'refIndex'> {
  /** Columns generated earlier in this row. */
  readonly row: Row;
  /** Key of a row of `table` chosen by `opts.dist` with this column's stream. */
  ref<N extends keyof R & string>(table: N, opts?: RefOptions): KeyIn<R[N]>;
  /** Index of a row of `table` chosen by `opts.dist`. */
  refIndex(table: keyof R & string, opts?: RefOptions): number;
}

/** The rows a table's generators may read: the schema's own, and `X`, those of tables declared elsewhere. */
type AllRows<S, X> = RowsOf<S> & X;
type GenCtx<S, K extends keyof S, Par, P, X> = TypedGenContext<AllRows<S, X>, RowOf<S[K]>, ParentRowOf<AllRows<S, X>, Par>, ParamsOf<P>>;
type CountCtx<S, Par, P, X> = TypedCountContext<AllRows<S, X>, ParentRowOf<AllRows<S, X>, Par>, ParamsOf<P>>;
type AnyTable<S, X> = TableName<S> | (keyof X & string);

/**
 * A column declaration, typed: `gen` receives the table's context and returns the column's type
 * (or null when nullable; any string for an enum). Keys that are not column options are errors.
 */
type ColumnInput<S, K extends keyof S, C extends keyof S[K], Par, P, X> = {
  [Q in keyof S[K][C]]: Q extends 'gen'
    ? (c: GenCtx<S, K, Par, P, X>) => GenValue<S[K][C]>
    : Q extends keyof ColumnDef ? S[K][C][Q] : never;
};

type ColumnsInput<S, K extends keyof S, Par, P, X> = { [C in keyof S[K]]: ColumnInput<S, K, C, Par, P, X> };

type Count<S, Par, P, X> = number | ((c: CountCtx<S, Par, P, X>) => number);

/** Everything of a table declaration but its columns, typed by its parent `Par`. */
interface ShapeInput<S, K extends keyof S, Par, P, X> extends Omit<TableDef, 'columns' | 'per' | 'series' | 'junction' | 'fixed' | 'embed' | 'primaryKey' | 'uniques' | 'indexes'> {
  per?: { parent: Par & AnyTable<S, X>; count: Count<S, Par, P, X> };
  series?: { parent: Par & AnyTable<S, X>; start: (c: CountCtx<S, Par, P, X>) => Date; end: (c: CountCtx<S, Par, P, X>) => Date; everyMs: number };
  junction?: {
    parent: Par & AnyTable<S, X>;
    target: AnyTable<S, X>;
    count: Count<S, Par, P, X>;
    first?: (c: CountCtx<S, Par, P, X>) => readonly number[];
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

/**
 * The `tables` of a dataset: columns inferred into `S`, parents into `Parents`; `X` are the rows of
 * tables declared in other files that these generators read (see `defineTables`).
 */
export type TablesInput<S, Parents, P, X = Record<never, never>> =
  & { [K in keyof S]: { columns: ColumnsInput<S, K, K extends keyof Parents ? Parents[K] : never, P, X> } }
  & { [K in keyof Parents]: ShapeInput<S, K & keyof S, Parents[K], P, X> };

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

declare const groupTypes: unique symbol;

/**
 * Tables declared by `defineTables`: plain `TableDef`s at run time; for the compiler, their rows
 * `R` and the rows `X` of tables in other groups that their generators read.
 */
export type TableGroup<R = unknown, X = unknown> = Readonly<Record<string, TableDef>> & { readonly [groupTypes]?: { readonly rows: R; readonly reads: X } };

/** The rows of a table group's own tables (for another group's `X`). */
export type RowsIn<G> = G extends { readonly [groupTypes]?: { readonly rows: infer R } } ? R : never;
type ReadsIn<G> = G extends { readonly [groupTypes]?: { readonly reads: infer X } } ? X : never;
type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** Each group, where what it reads of the others is in their rows; else what it reads (so the call fails naming it). */
type ReadsMet<G extends readonly unknown[]> = { [I in keyof G]: Intersect<RowsIn<G[number]>> extends ReadsIn<G[I]> ? G[I] : ReadsIn<G[I]> };

/**
 * Declares some of a dataset's tables in a file of their own, typed as `defineDataset` types
 * inline tables. `X` names the rows of tables declared in other groups that these generators read
 * (lookups, parents, counts), usually `RowsIn<typeof otherTables>` or a part of it; `P` is the
 * dataset's `params` declaration (`typeof params`). `mergeTables` checks `X` against the groups
 * it joins. Curried so that `X` and `P` are given and the tables inferred:
 * `export const opsTables = defineTables<RowsIn<typeof farmTables>, typeof params>()({ … })`.
 */
export function defineTables<X = Record<never, never>, P = Record<never, never>>() {
  return <const S extends Schema, const Parents extends ParentsOf<S>>(tables: TablesInput<S, Parents, P, X>): TableGroup<RowsOf<S>, X> =>
    tables as unknown as TableGroup<RowsOf<S>, X>;
}

/**
 * The `tables` of a dataset made of groups (`defineTables`), in order. A compile error when a
 * group reads a table or column the groups do not have; a `DATASET_INVALID` error when two groups
 * declare the same table.
 */
export function mergeTables<const G extends readonly TableGroup[]>(...groups: G & ReadsMet<G>): Record<string, TableDef> {
  const out: Record<string, TableDef> = {};
  for (const g of groups as readonly TableGroup[]) {
    for (const [name, def] of Object.entries(g)) {
      if (name in out) throw new SeedpipeError('DATASET_INVALID', `table ${JSON.stringify(name)} is declared in two table groups; rename or remove one of them`, { disposition: 'usage', data: { table: name } });
      out[name] = def;
    }
  }
  return out;
}

/** Constraint of the inferred parents: per table, the name of its parent table. */
export type ParentsOf<S> = { [K in keyof S]?: unknown };

/** Constraint of the inferred params. */
export type ParamsDecl = Params;
