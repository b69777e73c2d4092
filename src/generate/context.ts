/**
 * The context a column generator receives (DESIGN §1). One object is reused for every row a
 * streaming cursor produces; `lookup`/`children` compute other rows with contexts of their own.
 */
import type { Faker } from '@faker-js/faker';
import { SeedpipeError } from '../errors.js';
import { Rng } from '../random/rng.js';
import type { Params } from '../dataset/types.js';
import { TimeHelpers } from './time.js';
import { TextHelpers } from './text.js';
import type { TableRuntime, Row } from './table.js';
import type { World } from './world.js';

/** How `ref`/`refIndex` choose a row of the other table. */
export type RefDist =
  | 'uniform'
  | 'zipf'
  | 'recent'
  | { zipf: number }
  | { recent: number }
  | { range: readonly [number, number] }
  | ((rng: Rng, n: number) => number);

export interface RefOptions {
  /** Distribution over row indexes (default uniform). `zipf` favours low indexes (popular rows). */
  dist?: RefDist;
}

/** What a `per`/`junction`/`series` count function receives (about one parent row). */
export interface CountContext {
  readonly parentIndex: number;
  /** The parent row, recomputed on first access. */
  readonly parent: Row;
  readonly rng: Rng;
  readonly faker: Faker;
  readonly params: Params;
  readonly refDate: Date;
  /** The run's root seed (for seed-dependent choices outside the per-column streams). */
  readonly seed: number;
  readonly t: TimeHelpers;
  lookup(table: string, index: number): Row;
  count(table: string): number;
  key(table: string, index: number): unknown;
  /** Rows of group table `table` under parent row `parentIndex` (e.g. a channel's members). */
  children(table: string, parentIndex: number): readonly Row[];
  /** Global index of the first row of `parentIndex`'s group in group table `table`. */
  groupStart(table: string, parentIndex: number): number;
  /**
   * A value computed once per run (per World: each worker has its own) and shared by every row:
   * catalogue-sized facts that many rows read. `build` must be a pure function of the dataset.
   */
  memo<T>(key: string, build: () => T): T;
}

export interface GenContext extends CountContext {
  /** Global row index (0-based) within the table. */
  readonly i: number;
  /** Index within the parent's group (per/junction/series), else equal to `i`. */
  readonly k: number;
  /** Size of the parent's group (per/junction/series), else the table's row count. */
  readonly n: number;
  /** Junction tables: index of the partner row in the target table (distinct within the group). */
  readonly partner: number;
  /** Series tables: this row's timestamp. */
  readonly time: Date;
  /** Columns generated earlier in this row. */
  readonly row: Row;
  readonly text: TextHelpers;
  /** Key of a row of `table` chosen by `opts.dist` with this column's stream. */
  ref(table: string, opts?: RefOptions): unknown;
  /** Index of a row of `table` chosen by `opts.dist`. */
  refIndex(table: string, opts?: RefOptions): number;
}

export class RowContext implements GenContext {
  i = 0;
  k = 0;
  n = 0;
  parentIndex = -1;
  partner = -1;
  column = '';
  row: Row = {};
  readonly rng = new Rng();
  readonly t: TimeHelpers;
  readonly text: TextHelpers;
  private parentCacheIndex = -1;
  private parentCache: Row | undefined;
  private timeValue: Date | undefined;

  constructor(
    private readonly world: World,
    private readonly table: TableRuntime,
  ) {
    this.t = new TimeHelpers(this.rng, world.refDate);
    this.text = new TextHelpers(this.rng, world.lexicon);
  }

  get faker(): Faker {
    return this.world.faker;
  }
  get params(): Params {
    return this.world.params;
  }
  get refDate(): Date {
    return this.world.refDate;
  }
  get seed(): number {
    return this.world.seed;
  }

  /** Positions the context on a row (or, for counts, on a parent with i = -1). */
  at(i: number, parentIndex: number, k: number, n: number, partner = -1): void {
    this.i = i;
    this.parentIndex = parentIndex;
    this.k = k;
    this.n = n;
    this.partner = partner;
    this.timeValue = undefined;
  }

  get parent(): Row {
    if (this.parentIndex < 0) throw this.error('NO_PARENT', `table ${this.table.name} has no parent table; ctx.parent is only for per/junction/series tables`);
    if (this.parentCacheIndex !== this.parentIndex || !this.parentCache) {
      // Lazy: columns of the parent are computed up to the one read (and cached with the row).
      this.parentCache = this.world.table(this.table.parentName!).rowAt(this.parentIndex);
      this.parentCacheIndex = this.parentIndex;
    }
    return this.parentCache;
  }

  get time(): Date {
    if (!this.timeValue) this.timeValue = this.table.seriesTime(this.parentIndex, this.k);
    return this.timeValue;
  }

  lookup(table: string, index: number): Row {
    const t = this.other(table);
    if (!(index >= 0 && index < t.total())) {
      const n = t.total();
      const hint = Number.isInteger(index) && index >= n ? `; to run, ${this.world.howToGetRows(table, index + 1)}` : '';
      throw this.error('LOOKUP_OUT_OF_RANGE', `lookup("${table}", ${index}) is outside ${n === 0 ? `${table}, which has no rows in this run` : `0..${n - 1}`}${hint}`);
    }
    return t.rowAt(index);
  }

  count(table: string): number {
    return this.other(table).total();
  }

  key(table: string, index: number): unknown {
    return this.other(table).keyAt(index);
  }

  refIndex(table: string, opts: RefOptions = {}): number {
    const n = this.other(table).total();
    if (n === 0) throw this.error('REF_EMPTY_TABLE', `ref("${table}") but ${table} has no rows in this profile; give it rows or make the column nullable`);
    return pickIndex(this.rng, n, opts.dist ?? 'uniform');
  }

  ref(table: string, opts?: RefOptions): unknown {
    return this.other(table).keyAt(this.refIndex(table, opts));
  }

  children(table: string, parentIndex: number): readonly Row[] {
    return this.other(table).group(parentIndex);
  }

  groupStart(table: string, parentIndex: number): number {
    return this.other(table).groupStart(parentIndex);
  }

  memo<T>(key: string, build: () => T): T {
    return this.world.memo(key, build);
  }

  private other(table: string): TableRuntime {
    const t = this.world.tryTable(table);
    if (!t) {
      throw this.error('REF_UNKNOWN_TABLE', `refers to unknown table "${table}"; known tables: ${this.world.tableNames().join(', ')}`, { ref: table });
    }
    return t;
  }

  error(code: string, message: string, data: Record<string, unknown> = {}): SeedpipeError {
    const where = this.column ? `table ${this.table.name}, column ${this.column}` : `table ${this.table.name}`;
    return new SeedpipeError(code, `${where}: ${message}`, { disposition: 'usage', data: { table: this.table.name, column: this.column, ...data } });
  }
}

export function pickIndex(rng: Rng, n: number, dist: RefDist): number {
  if (typeof dist === 'function') return Math.min(n - 1, Math.max(0, Math.floor(dist(rng, n))));
  if (dist === 'uniform') return Math.floor(rng.float() * n);
  if (dist === 'zipf') return rng.zipf(n);
  if (dist === 'recent') return n - 1 - Math.floor(Math.pow(rng.float(), 2) * n);
  if ('zipf' in dist) return rng.zipf(n, dist.zipf);
  if ('recent' in dist) return n - 1 - Math.floor(Math.pow(rng.float(), dist.recent) * n);
  const [lo, hi] = dist.range;
  return Math.max(0, Math.min(n - 1, rng.int(lo, hi)));
}
