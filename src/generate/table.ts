/**
 * A table's runtime: computes any row from its index. `rows` tables key their streams by the row
 * index; group tables (`per`, `junction`, `series`) by (parent index, index in group), so a group
 * can be recomputed from its parent alone. Global indexes of group rows come from the group sizes'
 * prefix sums (group-index.ts).
 */
import { SeedpipeError, isSeedpipeError } from '../errors.js';
import { streamKey } from '../random/hash.js';
import { Rng, sampleDistinct } from '../random/rng.js';
import type { ColumnDef, TableDef } from '../dataset/types.js';
import { RowContext } from './context.js';
import { GroupIndex, type GroupCounts } from './group-index.js';
import { LazyRow } from './lazy-row.js';
import type { World } from './world.js';

export type Row = Record<string, unknown>;

interface Col {
  name: string;
  def: ColumnDef;
  key: Uint32Array;
  /** Single-column primary key without a generator: row index + 1. */
  auto: boolean;
  /** Position in the output values, or -1 for a virtual (helper) column. */
  out: number;
}

/** The row a `byIndex` generator sees: none of its columns. */
const NO_COLUMNS: Row = Object.freeze({});
const LRU_GROUPS = 16;
/** Slots of the direct-mapped cache of recent rows (a power of two; memory is fixed, not per row). */
const ROW_SLOTS = 128;

export class TableRuntime {
  readonly kind: 'rows' | 'per' | 'junction' | 'series';
  readonly cols: readonly Col[];
  readonly primaryKey: readonly string[];
  readonly parentName: string | undefined;
  /** Number of output (non-virtual) columns. */
  readonly outputs: number;
  private readonly countKey: Uint32Array;
  private readonly partnerKey: Uint32Array;
  private readonly autoKey: boolean;
  /** The key column when it is a function of the row index alone (`byIndex`), else undefined. */
  private readonly indexKey: Col | undefined;
  private keyCtx: RowContext | undefined;
  private readonly keyBase: number;
  private totalRows: number | undefined;
  /** Group tables: where each parent's rows are. */
  private readonly groups: GroupIndex | undefined;
  /**
   * Direct-mapped cache of row i (lazy; slot = index mod size): a lookup is one array read, a miss
   * overwrites one slot, and memory stays fixed whatever the row count.
   */
  private rowAt_i: Float64Array | undefined;
  private rowAt_r: (Row | undefined)[] | undefined;
  /** Contexts for lazy column computations, one per nesting depth (a column's generator may read another). */
  private readonly lazyCtx: RowContext[] = [];
  private lazyDepth = 0;
  private groupLru = new Map<number, Row[]>();
  private partnersMemo = new Map<number, number[]>();
  private seriesStartMemo = new Map<number, number>();
  private countCtx: RowContext | undefined;
  /** Column name → position. */
  private readonly colIndex: ReadonlyMap<string, number>;
  private readonly blankRow: () => Row;

  constructor(
    private readonly world: World,
    readonly name: string,
    readonly def: TableDef,
  ) {
    this.kind = def.per ? 'per' : def.junction ? 'junction' : def.series ? 'series' : 'rows';
    this.parentName = def.per?.parent ?? def.junction?.parent ?? def.series?.parent;
    const names = Object.keys(def.columns);
    this.primaryKey = def.primaryKey ?? (names.includes('id') ? ['id'] : []);
    const seed = world.seed;
    let out = 0;
    this.cols = names.map((n) => {
      const c = def.columns[n]!;
      return { name: n, def: c, key: streamKey(seed, name, n), auto: !c.gen && this.primaryKey.length === 1 && this.primaryKey[0] === n, out: c.virtual ? -1 : out++ };
    });
    this.outputs = out;
    this.colIndex = new Map(this.cols.map((c, j) => [c.name, j]));
    // A row starts with every column (undefined until computed), in column order: all rows of a table
    // then share one object shape, so the generators' reads of `c.row.x` stay monomorphic.
    this.blankRow = new Function(`return { ${names.map((n) => `${JSON.stringify(n)}: undefined`).join(', ')} };`) as () => Row;
    this.autoKey = this.cols.some((c) => c.auto);
    const pk = this.primaryKey.length === 1 ? this.cols[this.colIndex.get(this.primaryKey[0]!) ?? -1] : undefined;
    this.indexKey = pk && pk.def.byIndex && pk.def.gen && !pk.auto ? pk : undefined;
    this.keyBase = def.keyOffset ?? 0;
    this.countKey = streamKey(seed, name, '#count');
    this.partnerKey = streamKey(seed, name, '#partners');
    if (this.kind !== 'rows') this.groups = new GroupIndex(name, () => this.parentTotal(), (p) => this.sizeOf(p), world.givenCounts(name));
  }

  /** Rows this table has in the run's universe (what `ref` chooses from). */
  total(): number {
    if (this.groups) return this.groups.total();
    return (this.totalRows ??= this.world.rowCount(this.name));
  }

  /** This group table's counts once built (to share with workers); undefined for a `rows` table. */
  groupCounts(): GroupCounts | undefined {
    return this.groups?.counts();
  }

  parentTotal(): number {
    return this.world.table(this.parentName!).total();
  }

  /** Size of parent `p`'s group (memoised for the recent parents). */
  groupSize(p: number): number {
    return this.groupIndex().groupSize(p);
  }

  /** Size of parent `p`'s group, computed. */
  private sizeOf(p: number): number {
    const ctx = (this.countCtx ??= new RowContext(this.world, this));
    ctx.at(-1, p, 0, 0);
    ctx.column = '';
    ctx.rng.reset(this.countKey, p, 0);
    const saved = this.world.randomizer.current;
    this.world.randomizer.current = ctx.rng;
    let n: number;
    try {
      n = this.computeSize(ctx);
    } finally {
      this.world.randomizer.current = saved;
    }
    if (!Number.isInteger(n) || n < 0) {
      throw new SeedpipeError('COUNT_INVALID', `table ${this.name}: the group count for parent row ${p} is ${n}; a count must be a non-negative integer (use Math.round)`, {
        disposition: 'usage',
        data: { table: this.name },
      });
    }
    return n;
  }

  private computeSize(ctx: RowContext): number {
    const d = this.def;
    if (d.per) return typeof d.per.count === 'number' ? d.per.count : d.per.count(ctx);
    if (d.junction) {
      const want = typeof d.junction.count === 'number' ? d.junction.count : d.junction.count(ctx);
      return Math.min(Math.round(want), this.world.table(d.junction.target).total());
    }
    const s = d.series!;
    const start = s.start(ctx).getTime();
    const end = s.end(ctx).getTime();
    return Math.max(0, Math.ceil((end - start) / s.everyMs));
  }

  /** Global index of the first row of parent `p`'s group (p may equal the parent count: the end). */
  groupStart(p: number): number {
    return this.groupIndex().groupStart(p);
  }

  /** (parent, index in group) of global row `i` of a group table. */
  locate(i: number): { p: number; k: number } {
    return this.groupIndex().locate(i);
  }

  private groupIndex(): GroupIndex {
    if (!this.groups) throw new SeedpipeError('NOT_A_GROUP_TABLE', `table ${this.name} has no parent groups`, { disposition: 'usage' });
    return this.groups;
  }

  /** Junction partners of parent `p`: distinct target indexes, `first` ones leading. */
  partners(p: number): number[] {
    const memo = this.partnersMemo.get(p);
    if (memo) return memo;
    const j = this.def.junction!;
    const size = this.groupSize(p);
    const ctx = new RowContext(this.world, this);
    ctx.at(-1, p, 0, size);
    ctx.rng.reset(this.partnerKey, p, 0);
    const saved = this.world.randomizer.current;
    this.world.randomizer.current = ctx.rng;
    try {
      const targetN = this.world.table(j.target).total();
      const first = [...new Set(j.first ? j.first(ctx) : [])].filter((x) => x >= 0 && x < targetN).slice(0, size);
      const firstSet = new Set(first);
      const extra = sampleDistinct(ctx.rng, targetN, Math.min(targetN, size + first.length)).filter((x) => !firstSet.has(x));
      const out = first.concat(extra.slice(0, size - first.length));
      if (this.partnersMemo.size > LRU_GROUPS) this.partnersMemo.clear();
      this.partnersMemo.set(p, out);
      return out;
    } finally {
      this.world.randomizer.current = saved;
    }
  }

  /** Series tables: timestamp of step k of parent p. */
  seriesTime(p: number, k: number): Date {
    const s = this.def.series;
    if (!s) throw new SeedpipeError('NOT_A_SERIES', `table ${this.name} is not a series; ctx.time is only for series tables`, { disposition: 'usage' });
    let start = this.seriesStartMemo.get(p);
    if (start === undefined) {
      const ctx = new RowContext(this.world, this);
      ctx.at(-1, p, 0, 0);
      ctx.rng.reset(this.countKey, p, 0);
      const saved = this.world.randomizer.current;
      this.world.randomizer.current = ctx.rng;
      try {
        start = s.start(ctx).getTime();
      } finally {
        this.world.randomizer.current = saved;
      }
      if (this.seriesStartMemo.size > LRU_GROUPS) this.seriesStartMemo.clear();
      this.seriesStartMemo.set(p, start);
    }
    return new Date(start + k * s.everyMs);
  }

  /** The keys this table has when they are generated row numbers ([offset + 1, offset + rows]), else undefined. */
  keyRange(): [number, number] | undefined {
    return this.autoKey ? [this.keyBase + 1, this.keyBase + this.total()] : undefined;
  }

  /** Key of row `i`: the row number for generated keys, else the key column(s) recomputed. */
  keyAt(i: number): unknown {
    if (this.autoKey) return this.keyBase + i + 1;
    if (this.indexKey) return this.keyByIndex(this.indexKey, i);
    const row = this.rowAt(i);
    if (this.primaryKey.length === 1) return row[this.primaryKey[0]!];
    if (this.primaryKey.length === 0) throw new SeedpipeError('NO_PRIMARY_KEY', `table ${this.name} has no primary key to reference; declare primaryKey`, { disposition: 'usage' });
    return this.primaryKey.map((c) => row[c]);
  }

  /** A `byIndex` key: its generator run with the row index alone (no row located, no other column). */
  private keyByIndex(col: Col, i: number): unknown {
    const fixed = this.def.fixed && i < this.def.fixed.length ? this.def.fixed[i] : undefined;
    if (fixed && col.name in fixed) return fixed[col.name];
    const ctx = (this.keyCtx ??= new RowContext(this.world, this));
    ctx.at(i, -1, i, 0);
    ctx.row = NO_COLUMNS;
    ctx.column = col.name;
    ctx.rng.resetLazy(col.key, i, 0);
    try {
      const v = col.def.gen!(ctx);
      return v === undefined ? null : v;
    } catch (e) {
      if (isSeedpipeError(e)) throw e;
      throw new SeedpipeError('GENERATOR_FAILED', `table ${this.name}, column ${col.name} (row ${i}): the generator threw: ${(e as Error)?.message ?? String(e)}`, {
        disposition: 'usage',
        data: { table: this.name, column: col.name, row: i },
        cause: e,
      });
    } finally {
      ctx.column = '';
    }
  }

  /**
   * Row `i`, recomputed lazily (only the columns read) and kept in a small LRU cache: reading
   * `parent.channel_id` does not compute the parent's text columns.
   */
  rowAt(i: number): Row {
    const slot = i & (ROW_SLOTS - 1);
    const of = (this.rowAt_i ??= new Float64Array(ROW_SLOTS).fill(-1));
    const rows = (this.rowAt_r ??= new Array<Row | undefined>(ROW_SLOTS));
    if (of[slot] === i) return rows[slot]!;
    const row = this.partialRow(i);
    of[slot] = i;
    rows[slot] = row;
    return row;
  }

  /**
   * Row `i` computed column by column on demand: a read computes that column alone, and the columns
   * its generator reads in turn. Every column has its own random stream, so the values equal the
   * streamed row's whatever the order. As when streaming, a generator sees only the columns declared
   * before its own (later ones read as undefined). Count functions read parent columns this way, so a
   * parent column that depends on the child table (e.g. a key to its first child) is never computed
   * just to count children, and a lookup of `users.created_at` skips the user's names and bio.
   */
  partialRow(i: number): Row {
    let p = -1;
    let k = i;
    if (this.kind !== 'rows') ({ p, k } = this.locate(i));
    return new LazyRow(this, i, p, k).view(this.cols.length);
  }

  /** Computes column `j` alone into a lazy row (its generator reading the row through `view`). */
  computeColumn(i: number, p: number, k: number, n: number, view: Row, j: number, values: Row): void {
    const depth = this.lazyDepth++;
    const ctx = (this.lazyCtx[depth] ??= new RowContext(this.world, this));
    try {
      this.computeColumns(ctx, i, p, k, n, view, j, j + 1, null, values);
    } finally {
      this.lazyDepth = depth;
    }
  }

  /** Position of column `name`, or undefined. */
  columnIndex(name: string): number | undefined {
    return this.colIndex.get(name);
  }

  /** All rows of parent `p`'s group (for small groups: members of a channel, lines of an order). */
  group(p: number): Row[] {
    const hit = this.groupLru.get(p);
    if (hit) return hit;
    const n = this.groupSize(p);
    const start = this.groupStart(p);
    const ctx = new RowContext(this.world, this);
    const rows: Row[] = [];
    for (let k = 0; k < n; k++) rows.push(this.compute(ctx, start + k, p, k, n, null));
    if (this.groupLru.size >= LRU_GROUPS) this.groupLru.delete(this.groupLru.keys().next().value!);
    this.groupLru.set(p, rows);
    return rows;
  }

  /**
   * Computes one row into a fresh object (and, when `out` is given, its values in column order).
   * The faker randomizer is pointed at each column's stream and restored afterwards (re-entrant).
   */
  compute(ctx: RowContext, i: number, p: number, k: number, n: number, out: unknown[] | null): Row {
    const row: Row = this.blankRow();
    this.computeColumns(ctx, i, p, k, n, row, 0, this.cols.length, out);
    return row;
  }

  /**
   * Computes columns [from, to) of one row into `target` (and `out`); generators read the row as `row`
   * (for a lazy row, its view: `target` is the object behind it, written without the proxy).
   */
  private computeColumns(ctx: RowContext, i: number, p: number, k: number, n: number, row: Row, from: number, to: number, out: unknown[] | null = null, target: Row = row): void {
    const partner = this.kind === 'junction' ? this.partners(p)[k]! : -1;
    ctx.at(i, p, k, n, partner);
    ctx.row = row;
    const fixed = this.def.fixed && i < this.def.fixed.length ? this.def.fixed[i] : undefined;
    const x = this.kind === 'rows' ? i : p;
    const y = this.kind === 'rows' ? 0 : k + 1;
    const randomizer = this.world.randomizer;
    const saved = randomizer.current;
    randomizer.current = ctx.rng;
    try {
      for (let j = from; j < to; j++) {
        const c = this.cols[j]!;
        let v: unknown;
        if (fixed && c.name in fixed) v = fixed[c.name];
        else if (c.auto) v = this.keyBase + i + 1;
        else {
          ctx.column = c.name;
          ctx.rng.resetLazy(c.key, x, y);
          v = c.def.gen!(ctx);
          if (v === undefined) v = null;
        }
        target[c.name] = v;
        if (out && c.out >= 0) out[c.out] = v;
      }
      ctx.column = '';
    } catch (e) {
      if (isSeedpipeError(e)) throw e;
      throw new SeedpipeError('GENERATOR_FAILED', `table ${this.name}, column ${ctx.column} (row ${i}): the generator threw: ${(e as Error)?.message ?? String(e)}`, {
        disposition: 'usage',
        data: { table: this.name, column: ctx.column, row: i },
        cause: e,
      });
    } finally {
      randomizer.current = saved;
    }
  }
}

export { Rng };
