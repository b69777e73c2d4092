/**
 * Lazily computed rows (`TableRuntime.partialRow`): a Proxy over the row's values computes a column
 * when it is read, and the columns its generator reads in turn.
 */
import type { Row, TableRuntime } from './table.js';

/** State of one lazily computed row: its values so far, and the views generators read it through. */
export class LazyRow {
  readonly values: Row = {};
  private readonly done: Uint8Array;
  private readonly views: Row[] = [];
  private n = -1;

  constructor(readonly rt: TableRuntime, readonly i: number, readonly p: number, readonly k: number) {
    this.done = new Uint8Array(rt.cols.length);
  }

  ensure(j: number): void {
    if (this.done[j]) return;
    this.done[j] = 1;
    if (this.n < 0) this.n = this.rt.kind === 'rows' ? this.rt.total() : this.rt.groupSize(this.p);
    this.rt.computeColumn(this.i, this.p, this.k, this.n, this.view(j), j, this.values);
  }

  /** The row as column `limit`'s generator sees it (limit = every column: as everyone else does). */
  view(limit: number): Row {
    return (this.views[limit] ??= new Proxy(this.values, new RowView(this, limit)));
  }
}

/** Proxy handler of a lazy row: a read computes the column; columns from `limit` on are hidden. */
class RowView implements ProxyHandler<Row> {
  constructor(private readonly lazy: LazyRow, private readonly limit: number) {}

  /** Column position of `prop` if it is a visible column (computed now), -1 if hidden, else undefined. */
  private column(prop: string | symbol): number | undefined {
    const j = typeof prop === 'string' ? this.lazy.rt.columnIndex(prop) : undefined;
    if (j === undefined) return undefined;
    if (j >= this.limit) return -1;
    this.lazy.ensure(j);
    return j;
  }

  get(t: Row, prop: string | symbol): unknown {
    return this.column(prop) === -1 ? undefined : Reflect.get(t, prop);
  }

  set(t: Row, prop: string | symbol, v: unknown): boolean {
    return Reflect.set(t, prop, v);
  }

  has(t: Row, prop: string | symbol): boolean {
    const j = this.column(prop);
    return j === undefined ? Reflect.has(t, prop) : j >= 0;
  }

  ownKeys(): string[] {
    const names: string[] = [];
    for (let j = 0; j < this.limit; j++) {
      this.lazy.ensure(j);
      names.push(this.lazy.rt.cols[j]!.name);
    }
    return names;
  }

  getOwnPropertyDescriptor(t: Row, prop: string | symbol): PropertyDescriptor | undefined {
    return this.column(prop) === -1 ? undefined : Reflect.getOwnPropertyDescriptor(t, prop);
  }
}
