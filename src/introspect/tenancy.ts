/**
 * Multi-tenant schemas: the tenant table (organizations, accounts, teams, workspaces — the table
 * most tables reference through a tenant-like column), which tables are scoped to it, and how.
 *
 * A scoped table's rows belong to tenants in contiguous index ranges (runtime-refs.ts), so a row
 * that references scoped tables picks each partner inside its own tenant's range, in O(1), and
 * both picks of a row always share the tenant. Scoping spreads: a table with a NOT NULL key to a
 * scoped table is scoped too (invoice items follow their invoice's tenant), so references stay
 * consistent along chains, not only where a tenant column is present.
 */
import type { Finding, TableModel } from './model.js';

const TENANT_COLUMN = /^(organization|organisation|org|account|tenant|workspace|company|team|site|store|shop|project|namespace|client|merchant|business)_?id$/i;

/** The tenant table's key and the scope of every scoped table (written into `m.scope`). */
export function planTenancy(models: Map<string, TableModel>, find: (f: Finding) => void): string | null {
  // Candidates: tables referenced through tenant-like columns by at least three other tables.
  const refs = new Map<string, Set<string>>();
  for (const m of models.values()) {
    for (const u of m.fks) {
      if (!u.target || u.self || u.fk.columns.length !== 1) continue;
      const sql = m.sqlCol.get(u.fk.columns[0]!) ?? u.fk.columns[0]!;
      if (!TENANT_COLUMN.test(sql) && !TENANT_COLUMN.test(u.fk.columns[0]!)) continue;
      (refs.get(u.target) ?? refs.set(u.target, new Set()).get(u.target)!).add(m.name);
    }
  }
  const ranked = [...refs].filter(([t, s]) => s.size >= 3 && !models.get(t)!.fks.some((u) => u.target && !u.self && u.notNull)).sort((a, b) => b[1].size - a[1].size);
  if (!ranked.length) return null;
  const tenant = ranked[0]![0];
  const T = models.get(tenant)!;
  T.scope = 'self';

  const tenantUnit = (m: TableModel) => m.fks.find((u) => u.target === tenant && !u.self && u.fk.columns.length === 1);
  for (const m of models.values()) {
    const u = tenantUnit(m);
    if (u) m.tenantColumn = u.fk.columns[0]!;
  }
  // Scopes: through the shape parent first (a group follows its parent's tenant), else by blocks
  // when the table has the tenant column, or a key to a scoped table (chains stay consistent).
  const visiting = new Set<string>();
  const scopeOf = (m: TableModel): TableModel['scope'] | undefined => {
    if (m.scope || visiting.has(m.name)) return m.scope;
    visiting.add(m.name);
    const s = m.shape;
    const parent = s.kind === 'rows' ? undefined : models.get(s.parent);
    let scope: TableModel['scope'];
    if (parent && scopeOf(parent)) scope = { parent: parent.name };
    else if (m.tenantColumn) scope = 'block';
    else if (!parent) {
      const refs = m.fks.filter((x) => x.target && !x.self && x.fk.columns.length === 1 && scopeOf(models.get(x.target)!));
      if (refs.some((x) => x.notNull) || refs.length >= 2) scope = 'block';
    }
    visiting.delete(m.name);
    if (scope) m.scope = scope;
    return scope;
  };
  for (const m of models.values()) scopeOf(m);
  const scoped = [...models.values()].filter((m) => m.scope && m.name !== tenant);
  // Junctions inside a tenant: partners from the parent's tenant (distinct, O(1) each).
  for (const m of scoped) {
    const s = m.shape;
    if (s.kind !== 'junction') continue;
    const target = models.get(s.target)!;
    if (!target.scope || s.target === tenant) continue;
    m.shape = { kind: 'per', parent: s.parent, unit: s.parentUnit, count: s.count, avg: s.avg, derived: [], partner: { unit: s.targetUnit, target: s.target, mode: 'tenant' } };
    m.notes.push(`partners from the same ${tenant} row as the parent (distinct per parent)`);
  }
  find({ table: tenant, severity: 'info', problem: `tenant table: ${refs.get(tenant)!.size} tables reference it through a tenant column`, chosen: `${scoped.length} tables are scoped to it; every reference between them stays within one ${tenant} row` });
  return tenant;
}
