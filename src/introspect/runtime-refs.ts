/**
 * Reference helpers for generated datasets: keys restricted by a check (`type <> 2`, `type IN (2, 5)`),
 * keys that must differ from another column's (`entity0 <> entity1`), and tenant-consistent
 * references — every pick O(1) (a tenant's rows are a contiguous index range, computed from counts,
 * never from rows held in memory).
 *
 * Tenancy: one tenant table T (organizations, accounts, teams). A table scoped to T assigns its rows
 * to tenants either in blocks (`block`: row i of n belongs to tenant ⌊i·nT/n⌋, so tenant t holds rows
 * [⌈t·n/nT⌉, ⌈(t+1)·n/nT⌉)) or through its parent (`group`: a per/junction table whose parent is
 * scoped: tenant t holds the groups of the parent's rows of t). A reference from a scoped row to a
 * scoped table picks inside the row's tenant range.
 */
import type { CountContext, GenContext } from '../generate/context.js';
import { permute } from './runtime.js';

/** Which rows a key may come from: auto-increment keys (the row number), by value. */
export interface KeySpec {
  in?: readonly number[];
  notIn?: readonly number[];
  min?: number | null;
  max?: number | null;
}

/**
 * A key of `table` (whose keys are its row numbers 1..n) satisfying `spec`, uniformly among those
 * allowed; NULL when none is (the caller only asks where the column may be NULL, or reports it).
 */
export function refWhere(c: GenContext, table: string, spec: KeySpec): number | null {
  const n = c.count(table);
  if (spec.in) {
    const ok = spec.in.filter((k) => k >= 1 && k <= n && !(spec.notIn ?? []).includes(k) && (spec.min == null || k >= spec.min) && (spec.max == null || k <= spec.max));
    return ok.length ? ok[c.rng.int(0, ok.length - 1)]! : null;
  }
  const lo = Math.max(1, Math.ceil(spec.min ?? 1));
  const hi = Math.min(n, Math.floor(spec.max ?? n));
  const excluded = (spec.notIn ?? []).filter((k) => k >= lo && k <= hi);
  const size = hi - lo + 1 - new Set(excluded).size;
  if (size <= 0) return null;
  // The j-th allowed key, skipping the excluded ones in order.
  let k = lo + c.rng.int(0, size - 1);
  for (const x of [...new Set(excluded)].sort((a, b) => a - b)) if (x <= k) k++;
  return k;
}

/** A key of `table` different from `other` (`entity0 <> entity1`): the next row's when the pick collides. */
export function refNot(c: GenContext, table: string, other: unknown): unknown {
  const n = c.count(table);
  const i = c.refIndex(table);
  const key = c.key(table, i);
  if (other === null || other === undefined || n < 2 || String(key) !== String(other)) return key;
  return c.key(table, (i + 1) % n);
}

/** How a scoped table assigns its rows to tenants. */
export type TenantScope = 'self' | 'block' | { parent: string };

export class Tenancy {
  constructor(readonly tenant: string, readonly scopes: Readonly<Record<string, TenantScope>>) {}

  /** The tenant (row index of the tenant table) of the current row of `table`. */
  of(c: GenContext, table: string): number {
    const s = this.scopes[table];
    if (s === 'self') return c.i;
    if (s === 'block') return Math.floor((c.i * c.count(this.tenant)) / Math.max(1, c.count(table)));
    return c.parent._tenant as number;
  }

  /** The tenant of a group's parent row, for count functions (`c.parent` is that row). */
  ofParent(c: CountContext): number {
    return c.parent._tenant as number;
  }

  /** [start, end) of `table`'s rows that belong to tenant `t`. */
  range(c: CountContext, table: string, t: number): [number, number] {
    const s = this.scopes[table];
    const nT = c.count(this.tenant);
    if (s === 'self') return [t, t + 1];
    if (s === 'block') {
      const n = c.count(table);
      return [Math.ceil((t * n) / nT), Math.ceil(((t + 1) * n) / nT)];
    }
    if (!s) return [0, c.count(table)];
    const starts = c.memo(`tenancy:${this.tenant}:${table}`, () => {
      const out = new Float64Array(nT + 1);
      for (let x = 0; x <= nT; x++) out[x] = c.groupStart(table, x === nT ? this.range(c, s.parent, nT - 1)[1] : this.range(c, s.parent, x)[0]);
      return out;
    });
    return [starts[t]!, starts[t + 1]!];
  }

  /** Rows of `table` in tenant `t`. */
  size(c: CountContext, table: string, t: number): number {
    const [a, b] = this.range(c, table, t);
    return Math.max(0, b - a);
  }

  /** A row index of `table` in tenant `t` (any row when the tenant has none there). */
  pick(c: GenContext, table: string, t: number): number {
    const [a, b] = this.range(c, table, t);
    if (b > a) return a + Math.floor(c.rng.float() * (b - a));
    return c.refIndex(table);
  }

  /** An earlier row of the current table in the same tenant (self-references), or -1. */
  earlier(c: GenContext, table: string, t: number): number {
    const [a] = this.range(c, table, t);
    return c.i > a ? a + Math.floor(c.rng.float() * (c.i - a)) : -1;
  }

  /** The k-th of distinct rows of `table` in tenant `t` (junction partners), or -1 past the tenant's rows. */
  distinct(c: GenContext, table: string, t: number, k: number, salt: number): number {
    const [a, b] = this.range(c, table, t);
    const n = b - a;
    return k < n ? a + permute(k, n, salt + t) : -1;
  }

  /** Position of the current row among `table`'s rows of tenant `t` (0 for its first). */
  rank(c: GenContext, table: string, t: number): number {
    return c.i - this.range(c, table, t)[0];
  }

  /** The key of the tenant row `t`. */
  key(c: GenContext, t: number): unknown {
    return c.key(this.tenant, t);
  }
}

/** The tenancy of a generated dataset (see the class). */
export function defineTenancy(tenant: string, scopes: Record<string, TenantScope>): Tenancy {
  return new Tenancy(tenant, scopes);
}
