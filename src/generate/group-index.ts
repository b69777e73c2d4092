/**
 * Where the rows of a group table (`per`, `junction`, `series`) are: the global index of parent p's
 * first row is the sum of the group sizes before it. The sums are kept as sparse checkpoints (one
 * every 256 parents), so memory is per 256 parents, and a position is found by a binary search over
 * the checkpoints and at most 255 group sizes. Recent group sizes sit in a direct-mapped cache.
 */
import { SeedpipeError } from '../errors.js';

const CHECKPOINT = 256;

/**
 * A group table's counted rows: the checkpoint sums and the total. Another thread given these (its
 * `Float64Array` may sit on a SharedArrayBuffer) locates rows without a pass over the parents.
 */
export interface GroupCounts {
  checkpoints: Float64Array;
  total: number;
}
/** Slots of the group-size cache (a power of two; slot = parent index mod size). */
const SIZE_SLOTS = 1024;

export class GroupIndex {
  private checkpoints: Float64Array | undefined;
  private totalRows: number | undefined;
  private readonly cachedParent = new Float64Array(SIZE_SLOTS).fill(-1);
  private readonly cachedSize = new Float64Array(SIZE_SLOTS);
  private lastGroup: { p: number; start: number; n: number } | undefined;
  private building = false;

  /**
   * `parents()` is the parent table's row count and `sizeOf(p)` computes a group's size (the
   * table's count function); both are asked only when needed. `given` are counts another thread
   * built for the same dataset and choices: they are taken instead of counting again.
   */
  constructor(
    private readonly table: string,
    private readonly parents: () => number,
    private readonly sizeOf: (p: number) => number,
    private given?: GroupCounts,
  ) {}

  /** Rows of the table: the sum of every group's size (computed once, with the checkpoints). */
  total(): number {
    if (this.totalRows === undefined) this.build();
    return this.totalRows!;
  }

  /** The counts, once built (undefined before: nothing asked for a position yet). */
  counts(): GroupCounts | undefined {
    return this.checkpoints && { checkpoints: this.checkpoints, total: this.totalRows! };
  }

  /** Size of parent `p`'s group (cached for recent parents). */
  groupSize(p: number): number {
    const slot = p & (SIZE_SLOTS - 1);
    if (this.cachedParent[slot] === p) return this.cachedSize[slot]!;
    const n = this.sizeOf(p);
    this.cachedParent[slot] = p;
    this.cachedSize[slot] = n;
    return n;
  }

  /** Global index of the first row of parent `p`'s group (p may equal the parent count: the end). */
  groupStart(p: number): number {
    this.total();
    const cp = Math.floor(p / CHECKPOINT);
    let s = this.checkpoints![cp] ?? this.totalRows!;
    if (cp >= this.checkpoints!.length) return this.totalRows!;
    for (let q = cp * CHECKPOINT; q < p; q++) s += this.groupSize(q);
    return s;
  }

  /** (parent, index in group) of global row `i`. */
  locate(i: number): { p: number; k: number } {
    this.total();
    // Sequential access (a child table walking its parents in order) hits the last group or the next.
    const last = this.lastGroup;
    if (last) {
      if (i >= last.start && i < last.start + last.n) return { p: last.p, k: i - last.start };
      if (i >= last.start + last.n) {
        let p = last.p + 1;
        let s = last.start + last.n;
        const parents = this.parents();
        for (let steps = 0; steps < 8 && p < parents; steps++, p++) {
          const n = this.groupSize(p);
          if (i < s + n) {
            this.lastGroup = { p, start: s, n };
            return { p, k: i - s };
          }
          s += n;
        }
      }
    }
    const found = this.locateSlow(i);
    this.lastGroup = { p: found.p, start: i - found.k, n: this.groupSize(found.p) };
    return found;
  }

  private locateSlow(i: number): { p: number; k: number } {
    const cps = this.checkpoints!;
    let lo = 0;
    let hi = cps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cps[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    let p = lo * CHECKPOINT;
    let s = cps[lo]!;
    const parents = this.parents();
    for (; p < parents; p++) {
      const n = this.groupSize(p);
      if (i < s + n) return { p, k: i - s };
      s += n;
    }
    throw new RangeError(`row ${i} is outside table ${this.table} (${this.totalRows} rows)`);
  }

  private build(): void {
    if (this.building) {
      const t = this.table;
      throw new SeedpipeError('COUNT_CYCLE', `table ${t}: counting its rows needs a value that depends on ${t}'s own row positions (e.g. a parent column computed with groupStart/children of ${t}, read by the count function). Read only earlier, independent parent columns in the count function, or declare that parent column after the ones the count needs.`, {
        disposition: 'usage',
        data: { table: t },
      });
    }
    this.building = true;
    try {
      const parents = this.parents();
      if (this.given) {
        const { checkpoints, total } = this.given;
        const want = Math.floor(parents / CHECKPOINT) + 1;
        if (checkpoints.length !== want) {
          throw new SeedpipeError('GROUP_COUNTS_MISMATCH', `table ${this.table}: the shared counts have ${checkpoints.length} checkpoints, but ${parents} parents need ${want}; they were made for another plan`);
        }
        this.checkpoints = checkpoints;
        this.totalRows = total;
        this.given = undefined;
        return;
      }
      const cps = new Float64Array(Math.floor(parents / CHECKPOINT) + 1);
      let sum = 0;
      for (let p = 0; p < parents; p++) {
        if (p % CHECKPOINT === 0) cps[p / CHECKPOINT] = sum;
        sum += this.sizeOf(p);
      }
      // A parent count that is a multiple of the checkpoint spacing ends exactly on a checkpoint.
      if (parents % CHECKPOINT === 0) cps[parents / CHECKPOINT] = sum;
      this.checkpoints = cps;
      this.totalRows = sum;
    } finally {
      this.building = false;
    }
  }
}
