/**
 * Visits rows [start, end) of a table in order, passing each row's values (output column order).
 * Group tables seek once with `locate` and then walk their parents sequentially. A plain loop with a
 * callback, not a generator: resuming a generator per row cost more than some columns do.
 */
import { RowContext } from './context.js';
import type { World } from './world.js';

export function eachRow(world: World, table: string, start: number, end: number, reuse: boolean, visit: (values: unknown[]) => void): void {
  if (start >= end) return;
  const rt = world.table(table);
  const ctx = new RowContext(world, rt);
  const ncol = rt.outputs;
  // With `reuse`, the visitor handles each array before the next row: one array serves all.
  const shared = reuse ? new Array<unknown>(ncol) : null;
  if (rt.kind === 'rows') {
    const n = rt.total();
    for (let i = start; i < end; i++) {
      const out = shared ?? new Array<unknown>(ncol);
      rt.compute(ctx, i, -1, i, n, out);
      visit(out);
    }
    return;
  }
  let { p, k } = rt.locate(start);
  let n = rt.groupSize(p);
  for (let i = start; i < end; i++) {
    while (k >= n) {
      p++;
      k = 0;
      n = rt.groupSize(p);
    }
    const out = shared ?? new Array<unknown>(ncol);
    rt.compute(ctx, i, p, k, n, out);
    visit(out);
    k++;
  }
}
