/**
 * The dependency graph of a dataset: foreign keys and parent/target relations. Orders tables so
 * parents load first, and breaks cycles at nullable foreign keys (those columns are loaded as NULL
 * and set afterwards). A cycle with no nullable key is a plan-time error naming the cycle.
 */
import { SeedpipeError } from '../errors.js';
import type { DatasetDef } from '../dataset/types.js';

export interface Edge {
  from: string;
  to: string;
  /** FK columns on `from` carrying this edge (empty for a structural per/junction relation). */
  columns: string[];
  /** Every carrying column is nullable, and the edge is not structural: it can be deferred. */
  deferrable: boolean;
  structural: boolean;
}

export function buildEdges(def: DatasetDef): Edge[] {
  const byKey = new Map<string, Edge>();
  const add = (from: string, to: string, column: string | null, nullable: boolean, structural: boolean): void => {
    if (from === to) return;
    const k = `${from}\u0000${to}`;
    let e = byKey.get(k);
    if (!e) {
      e = { from, to, columns: [], deferrable: true, structural: false };
      byKey.set(k, e);
    }
    if (column) e.columns.push(column);
    if (structural) e.structural = true;
    if (!nullable || structural) e.deferrable = false;
  };
  for (const [name, t] of Object.entries(def.tables)) {
    const parent = t.per?.parent ?? t.junction?.parent ?? t.series?.parent;
    if (parent) add(name, parent, null, false, true);
    if (t.junction) add(name, t.junction.target, null, false, true);
    for (const [cname, c] of Object.entries(t.columns)) {
      if (!c.references) continue;
      add(name, typeof c.references === 'string' ? c.references : c.references.table, cname, c.nullable === true, false);
    }
    for (const fk of t.foreignKeys ?? []) {
      const nullable = fk.columns.every((c) => t.columns[c]?.nullable === true);
      for (const c of fk.columns) add(name, fk.table, c, nullable, false);
    }
  }
  return [...byKey.values()];
}

/** Finds one cycle among the active edges (DFS), or null. */
function findCycle(tables: string[], edges: Edge[]): Edge[] | null {
  const out = new Map<string, Edge[]>();
  for (const e of edges) (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e);
  const state = new Map<string, 0 | 1 | 2>();
  const stack: Edge[] = [];
  const visit = (n: string): Edge[] | null => {
    state.set(n, 1);
    for (const e of out.get(n) ?? []) {
      const s = state.get(e.to) ?? 0;
      if (s === 1) {
        const startAt = stack.findIndex((x) => x.from === e.to);
        return [...stack.slice(startAt === -1 ? stack.length : startAt), e];
      }
      if (s === 0) {
        stack.push(e);
        const c = visit(e.to);
        if (c) return c;
        stack.pop();
      }
    }
    state.set(n, 2);
    return null;
  };
  for (const t of tables) {
    if ((state.get(t) ?? 0) === 0) {
      const c = visit(t);
      if (c) return c;
    }
  }
  return null;
}

export interface GraphPlan {
  order: string[];
  edges: Edge[];
  /** Columns loaded as NULL first and set after the load, as `table.column`. */
  deferred: Set<string>;
}

export function planGraph(def: DatasetDef): GraphPlan {
  const tables = Object.keys(def.tables);
  const edges = buildEdges(def);
  const deferred = new Set<string>();
  let active = edges.slice();
  for (;;) {
    const cycle = findCycle(tables, active);
    if (!cycle) break;
    const breakable = cycle.find((e) => e.deferrable);
    const names = [...cycle.map((e) => e.from), cycle[cycle.length - 1]!.to];
    if (!breakable) {
      throw new SeedpipeError('CYCLE_NOT_BREAKABLE', `tables form a cycle with no nullable foreign key: ${names.join(' → ')}. Make one of these foreign key columns nullable (${cycle.filter((e) => !e.structural).map((e) => e.columns.map((c) => `${e.from}.${c}`).join(', ')).join('; ') || 'none declared'}) so it can be set after the load.`, {
        disposition: 'usage',
        data: { cycle: names },
      });
    }
    for (const c of breakable.columns) deferred.add(`${breakable.from}.${c}`);
    active = active.filter((e) => e !== breakable);
  }
  // Kahn's algorithm; ties keep declaration order so the plan is stable.
  const indeg = new Map(tables.map((t) => [t, 0]));
  const dependents = new Map<string, string[]>();
  for (const e of active) {
    indeg.set(e.from, indeg.get(e.from)! + 1);
    (dependents.get(e.to) ?? dependents.set(e.to, []).get(e.to)!).push(e.from);
  }
  const order: string[] = [];
  const ready = tables.filter((t) => indeg.get(t) === 0);
  while (ready.length) {
    ready.sort((a, b) => tables.indexOf(a) - tables.indexOf(b));
    const t = ready.shift()!;
    order.push(t);
    for (const d of dependents.get(t) ?? []) {
      indeg.set(d, indeg.get(d)! - 1);
      if (indeg.get(d) === 0) ready.push(d);
    }
  }
  return { order, edges, deferred };
}

/** Mermaid flowchart of the foreign keys (child --> parent), deferred keys dashed. */
export function mermaid(order: readonly string[], edges: readonly Edge[], deferred: ReadonlySet<string>): string {
  const lines = ['flowchart LR'];
  for (const t of order) lines.push(`  ${t}[${t}]`);
  for (const e of edges) {
    const isDeferred = e.columns.length > 0 && e.columns.every((c) => deferred.has(`${e.from}.${c}`));
    const label = e.columns.length ? e.columns.join(', ') : e.structural ? 'parent' : '';
    lines.push(`  ${e.from} ${isDeferred ? '-.->' : '-->'}${label ? `|${label}|` : ''} ${e.to}`);
  }
  return lines.join('\n');
}
