/** Dependency tiers of a plan: tier 0 has no parents, tier k depends only on tiers below k. */
import type { Plan } from '../../src/index.js';

export function tiersOf(p: Plan): string[][] {
  const out = new Map<string, string[]>();
  for (const e of p.edges) (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e.to);
  const memo = new Map<string, number>();
  const depth = (t: string): number => {
    let d = memo.get(t);
    if (d === undefined) memo.set(t, (d = Math.max(-1, ...(out.get(t) ?? []).map(depth)) + 1));
    return d;
  };
  const tiers: string[][] = [];
  for (const t of p.tables) (tiers[depth(t.name)] ??= []).push(t.name);
  return tiers;
}
