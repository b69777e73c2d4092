/**
 * Generators of foreign-key columns: shape keys (the parent row, junction or ordered partners),
 * self-references (earlier rows), 1:1 keys (a permutation of the parent rows), partial-unique gates,
 * keys restricted by a check (`type <> 2`), keys that must differ from an earlier column
 * (`entity0 <> entity1`), tenant-local picks, and composite keys (one parent row index in a virtual
 * column, its key columns copied with `c.lookup`). Every pick is O(1): an index, then a key.
 */
import type { Domain } from './checks/domain.js';
import { quote, type ColModel, type FkUnit, type TableModel } from './model.js';

export interface FkContext {
  models: Map<string, TableModel>;
  tenant: string | null;
  /** Virtual columns already added for composite keys (unit → name). */
  virtuals: Map<FkUnit, string>;
  taken: Set<string>;
  out: ColModel[];
}

export interface FkCode {
  gen: string;
  note?: string;
  /** What the domain asks that a key cannot give (reported). */
  problem?: string;
}

/** The target's key is its row number (an integer primary key generated as such). */
export function autoIntKey(t: TableModel): boolean {
  if (t.primaryKey.length !== 1) return false;
  const sql = t.sqlCol.get(t.primaryKey[0]!);
  const c = t.cat.columns.find((x) => x.name === sql);
  return !!c && ['int2', 'int4', 'int8'].includes(c.type.base) && !t.fks.some((u) => u.fk.columns.includes(t.primaryKey[0]!));
}

const scoped = (m: TableModel | undefined): boolean => !!m?.scope;

/** Generator of FK column `column` (part of unit `u`) in table `m`, within domain `d`. */
export function fkCode(m: TableModel, u: FkUnit, column: string, d: Domain, differs: readonly string[], ctx: FkContext): FkCode {
  if (!u.target) return { gen: 'null' };
  const target = ctx.models.get(u.target)!;
  const T = quote(u.target);
  const idx = u.fk.columns.indexOf(column);
  const refSql = u.fk.refColumns[idx]!;
  const refCol = target.colKey.get(refSql) ?? refSql;
  const single = u.fk.columns.length === 1;
  const refIsPk = target.primaryKey.length === 1 && target.primaryKey[0] === refCol;
  const keyAt = (i: string): string => (single && refIsPk ? `c.key(${T}, ${i})` : `c.lookup(${T}, ${i}).${refCol}`);
  const s = m.shape;
  const restricted = d.values !== undefined || d.notValues !== undefined || d.min !== undefined || d.max !== undefined;
  const shapeKey = (s.kind === 'per' && (s.unit === u || s.partner?.unit === u)) || (s.kind === 'junction' && (s.parentUnit === u || s.targetUnit === u));
  if (shapeKey && restricted) return { gen: 'null', problem: `a check restricts ${column}, which is this table's ${s.kind} key` };

  if ((s.kind === 'per' && s.unit === u) || (s.kind === 'junction' && s.parentUnit === u)) return { gen: `c.parent.${refCol}`, note: `the parent ${u.target} row` };
  if (s.kind === 'junction' && s.targetUnit === u) return { gen: keyAt('c.partner'), note: `a distinct ${u.target} row per parent` };
  if (s.kind === 'per' && s.partner?.unit === u) {
    const salt = m.salt;
    if (s.partner.mode === 'after') return { gen: keyAt(`c.parentIndex + 1 + permute(c.k, c.count(${T}) - 1 - c.parentIndex, ${salt})`), note: `a distinct later ${u.target} row per parent (ordered pair)` };
    if (s.partner.mode === 'other') return { gen: keyAt(`(c.parentIndex + 1 + permute(c.k, c.count(${T}) - 1, ${salt})) % c.count(${T})`), note: `a distinct other ${u.target} row per parent` };
    return { gen: keyAt(`tenancy.distinct(c, ${T}, c.row._tenant as number, c.k, ${salt})`), note: `a distinct ${u.target} row of the same tenant per parent` };
  }

  // The tenant column of a scoped row.
  if (ctx.tenant && u.target === ctx.tenant && single && m.scope && m.tenantColumn === column) return { gen: `tenancy.key(c, c.row._tenant as number)`, note: `the row's ${ctx.tenant}` };

  const nullable = !u.notNull;
  if (restricted) {
    if (!single || !autoIntKey(target)) return { gen: 'null', problem: `a check restricts ${column} to some ${u.target} keys, which are not row numbers here` };
    const spec = [
      d.values ? `in: [${d.values.join(', ')}]` : '',
      d.notValues ? `notIn: [${d.notValues.join(', ')}]` : '',
      d.min !== undefined ? `min: ${d.min}` : '',
      d.max !== undefined ? `max: ${d.max}` : '',
    ].filter(Boolean).join(', ');
    return { gen: `refWhere(c, ${T}, { ${spec} })`, note: `keys of ${u.target} allowed by a check` };
  }
  const tenantPick = ctx.tenant && m.scope && scoped(target) && u.target !== ctx.tenant ? `tenancy.pick(c, ${T}, c.row._tenant as number)` : null;
  if (u.self) {
    const first = nullable ? 'null' : selfFirst(m, refCol, column);
    const earlier = tenantPick ? `tenancy.earlier(c, ${T}, c.row._tenant as number)` : null;
    if (!single) {
      const v = virtualFor(u, ctx, earlier ? `((i) => (i >= 0 ? i : ${nullable ? 'null' : '-1'}))(${earlier})` : `c.i > 0 ? c.rng.int(0, c.i - 1) : ${nullable ? 'null' : '-1'}`);
      return { gen: `c.row.${v} === null ? null : c.row.${v} === -1 ? ${first ?? 'null'} : c.lookup(${T}, c.row.${v} as number).${refCol}`, note: 'an earlier row of this table' };
    }
    if (earlier) return { gen: `((i) => (i >= 0 ? ${keyAt('i')} : ${first ?? 'null'}))(${earlier})`, note: 'an earlier row of the same tenant' };
    if (m.uniqueSets.some((x) => x.predicate === null && x.cols.length === 1 && x.cols[0] === column)) return { gen: `c.i > 0 ? ${keyAt('c.i - 1')} : ${first ?? 'null'}`, note: 'the previous row (unique)' };
    if (nullable) return { gen: `c.i > 0 ? ${keyAt('c.rng.int(0, c.i - 1)')} : null`, note: 'an earlier row of this table' };
    return { gen: `c.i > 0 ? ${keyAt('c.rng.int(0, c.i - 1)')} : ${first ?? 'null'}`, note: 'an earlier row; row 0 itself' };
  }
  const gate = m.gates.find((g) => g.unique.has(column));
  const plain = differs.length && single ? `refNot(c, ${T}, c.row.${differs[0]})` : tenantPick ? keyAt(tenantPick) : single && refIsPk ? `c.ref(${T})` : keyAt(`c.refIndex(${T})`);
  if (!single) {
    const v = virtualFor(u, ctx, tenantPick ?? `c.refIndex(${T})`);
    return { gen: nullable ? `c.row.${v} === null ? null : c.lookup(${T}, c.row.${v} as number).${refCol}` : `c.lookup(${T}, c.row.${v} as number).${refCol}`, note: `composite key of one ${u.target} row${tenantPick ? ' of the same tenant' : ''}` };
  }
  if (gate) return { gen: `${gateCond(gate.below)} ? ${gate.unique.get(column)} : ${plain}`, note: `unique among the rows that may meet ${gate.set.source.name}'s predicate` };
  if (m.uniqueSets.some((x) => x.predicate === null && x.cols.length === 1 && x.cols[0] === column)) {
    // 1:1 without a NOT NULL key (otherwise the table would be grouped under the parent): a permutation of parents.
    return { gen: `c.i < c.count(${T}) ? ${keyAt(`permute(c.i, c.count(${T}), ${m.salt})`)} : null`, note: `each ${u.target} row at most once (unique)` };
  }
  return { gen: plain, ...(differs.length ? { note: `never equal to ${differs.join(', ')}` } : tenantPick ? { note: 'same tenant' } : {}) };
}

/** The gate condition: the row may meet the partial index's predicate. */
export function gateCond(below: string): string {
  return below === 'group' ? 'c.k === 0' : below.startsWith('cond:') ? below.slice(5) : `c.i < ${below}`;
}

/** Row 0 of a NOT NULL self-reference points at itself: its own key, when known before the column. */
function selfFirst(m: TableModel, refCol: string, column: string): string | null {
  const keys = [...m.sqlCol.keys()];
  if (keys.indexOf(refCol) >= 0 && keys.indexOf(refCol) < keys.indexOf(column)) return `c.row.${refCol}`;
  if (m.primaryKey.length === 1 && m.primaryKey[0] === refCol && autoIntKey(m)) return 'c.i + 1';
  return null;
}

function virtualFor(u: FkUnit, ctx: FkContext, gen: string): string {
  const existing = ctx.virtuals.get(u);
  if (existing) return existing;
  let name = `_${u.target}_row`;
  for (let k = 2; ctx.taken.has(name); k++) name = `_${u.target}_row${k}`;
  ctx.taken.add(name);
  ctx.virtuals.set(u, name);
  const nullable = !u.notNull;
  ctx.out.push({ name, col: null, kind: 'int', type: `'int'`, nullable: true, unique: false, virtual: true, gen: nullable ? `c.rng.chance(0.9) ? ${gen} : null` : gen, notes: [`row of ${u.target} for (${u.fk.columns.join(', ')})`] });
  return name;
}
