/**
 * A table's columns as generator code. Per column: its alternatives from the check solver (in
 * each case of its component), the cross-column constraints of that case (bounds, copies,
 * inequalities, computed values), then the generator — a key, a shape column, the heuristic value
 * kept inside the domain (heuristics/ + constrain.ts) — and NULL where the alternative says so.
 * What cannot be honoured is a finding: an error names the check and the override to write.
 */
import type { CatalogColumn } from './catalog-types.js';
import { and, isNull, type Formula } from './checks/atoms.js';
import type { Domain } from './checks/domain.js';
import { solve, type Alternative, type SolverCheck, type SolverColumn, type Unsolved } from './checks/solver.js';
import { crossOf, guardCode, uncovered, type Cross } from './cases.js';
import { enforce } from './constrain.js';
import { fkCode, gateCond, type FkContext } from './fk.js';
import { chooseGenerator, CREATED_LIKE, kindOf, timeStep, type ScalarKind } from './heuristics/index.js';
import { datasetType, quote, type ColModel, type Finding, type FkUnit, type GenerateOptions, type TableModel } from './model.js';
import { derivedCode, nullShareOf, tautologyWithNulls } from './column-kinds.js';
import { softOrders, softSums } from './pairs.js';
import { planUniques } from './uniques.js';

export interface ColumnsContext {
  models: Map<string, TableModel>;
  opts: GenerateOptions;
  tenant: string | null;
  expected: Map<string, number>;
  find: (f: Finding) => void;
}

const overrideHint = (table: string, cols: readonly string[]): string =>
  `\`tables: { ${table}: { columns: { ${(cols.length ? cols : ['column']).slice(0, 3).map((c) => `${c}: { gen: (c) => … }`).join(', ')} } } }\``;

export function buildColumns(m: TableModel, ctx: ColumnsContext): void {
  const { models, opts, find } = ctx;
  const t = m.cat;
  const plan = planUniques(m, find, models);
  m.softOrders = softOrders(m);
  m.sums = softSums(m);
  const cols = t.columns.filter((c) => c.generated === null).map((c) => ({ key: m.colKey.get(c.name)!, col: c }));
  const order = cols.map((c) => c.key);
  const kindOfKey = new Map(cols.map(({ key, col }) => [key, kindOf(col.type.base, col.type.typtype, col.type.category)]));
  const pk = m.primaryKey;
  const autoKey = pk.length === 1 && kindOfKey.get(pk[0]!) === 'int' && !m.fks.some((u) => u.fk.columns.includes(pk[0]!)) ? pk[0]! : null;

  // 1. Solve the checks; what cannot be solved is left NULL when NULL passes it, else reported.
  const solverCols: SolverColumn[] = cols.map(({ key, col }) => {
    const k = kindOfKey.get(key)!;
    const temporal = k === 'date' || k === 'timestamp';
    return {
      name: key,
      domain: { step: k === 'int' ? 1 : k === 'decimal' ? Math.pow(10, -Math.max(0, col.type.scale ?? 2)) : k === 'money' ? 0.01 : 0, dateStep: timeStep({ kind: k, ...(col.type.precision !== undefined ? { timePrecision: col.type.precision } : {}) }), temporal, notNull: col.notNull || plan.notNull.has(key) || pk.includes(key) },
      rowKey: key === autoKey,
      nullable: !col.notNull && !plan.notNull.has(key) && !pk.includes(key),
      nullShare: nullShareOf(key, k, m.fks.find((u) => u.fk.columns.includes(key))),
      ...(col.type.enumLabels && col.type.arrayDims === 0 ? { base: { values: [...col.type.enumLabels] } } : k === 'bool' && col.type.arrayDims === 0 ? { base: { values: [true, false] } } : {}),
    };
  });
  let checks: SolverCheck[] = [...m.checks];
  let solution = solve(solverCols, checks);
  const forcedNull = new Set<string>();
  const reported = new Set<string>();
  for (let round = 0; round < 4 && solution.unsolved.length; round++) {
    const next: SolverCheck[] = [];
    for (const u of solution.unsolved) {
      const nullable = u.columns.filter((c) => solverCols.find((s) => s.name === c)?.nullable);
      if (nullable.length && tautologyWithNulls(u.check.formula, nullable)) {
        for (const c of nullable) forcedNull.add(c);
        next.push({ name: `${u.check.name} (left NULL)`, text: u.check.text, formula: and(...nullable.map(isNull)) as Formula });
        find({ table: m.name, column: nullable.join(', '), severity: 'warning', problem: `cannot generate values that pass ${u.check.name}: ${u.check.text} (${u.reason})`, chosen: `always NULL, which passes it; to fill ${nullable.length > 1 ? 'them' : 'it'}, write a generator in dataset.ts: ${overrideHint(m.name, nullable)}` });
      } else if (!reported.has(u.check.name)) {
        reported.add(u.check.name);
        reportUnsolved(m, u, find);
      }
    }
    checks = [...checks.filter((c) => !solution.unsolved.some((u) => u.check === c)), ...next];
    solution = solve(solverCols, checks);
  }
  m.solution = solution;

  // 2. Where rows have no open case (a guard on the row number, a partial-unique gate).
  for (const comp of solution.components) {
    const rows = Math.round(ctx.expected.get(m.name) ?? 0);
    const gap = uncovered(comp, rows, m.shape.kind === 'rows' ? 0 : 2, (tab) => ctx.expected.get(tab) ?? 0);
    if (gap.length) find({ table: m.name, column: comp.columns.join(', '), severity: 'error', problem: `rows ${gap.join(', ')}… cannot pass ${comp.checks.join(', ')} (at ${rows} rows)`, chosen: `those rows break a constraint; lower the table's rows in dataset.ts (\`tables: { ${m.name}: { rows: ${Math.max(1, gap[0]!)} } }\`) or write its columns there` });
  }

  // 3. Generators.
  const out: ColModel[] = [];
  const fkCtx: FkContext = { models, tenant: ctx.tenant, virtuals: new Map(), taken: new Set([...order, '_tenant']), out };
  if (m.scope) {
    const gen = m.scope === 'self' ? 'c.i' : m.scope === 'block' ? `tenancy.of(c, ${quote(m.name)})` : 'c.parent._tenant as number';
    out.push({ name: '_tenant', col: null, kind: 'int', type: `'int'`, nullable: false, unique: false, virtual: true, gen, notes: [`row of ${ctx.tenant} this row belongs to`] });
  }
  const compOf = new Map<string, number>();
  for (const comp of solution.components) for (const c of comp.columns) compOf.set(c, comp.id);
  const selector = new Map<number, string>();
  for (const comp of solution.components) {
    if (!comp.columns.length) continue;
    const name = `_case${comp.id}`;
    fkCtx.taken.add(name);
    const weights = comp.cases.map((c) => round4(c.weight));
    const guarded = comp.cases.some((c) => c.guards.length);
    const rowKey = (col: string): string | null => (col === autoKey ? '(c.i + 1)' : null);
    const gen = comp.cases.length === 1 ? '0' : guarded ? `pickCase(c.rng, [${weights.join(', ')}], [${comp.cases.map((c) => c.guards.map((g) => guardCode(g, rowKey)).join(' && ') || 'true').join(', ')}])` : `alt(c.rng, [${weights.join(', ')}])`;
    selector.set(comp.id, name);
    out.push({ name, col: null, kind: 'int', type: `'int'`, nullable: false, unique: false, virtual: true, gen, notes: [`case of ${comp.checks.join(', ')}`] });
  }
  const nullableIn = (c: string): boolean => solverCols.find((s) => s.name === c)?.nullable ?? true;
  const crossFor = (compId: number | undefined): Map<string, Cross>[] => {
    if (compId === undefined) return [crossOf([], m.softOrders, order, nullableIn)];
    return solution.components[compId]!.cases.map((c) => crossOf(c.cross, m.softOrders, order, nullableIn));
  };
  const crossCache = new Map<number | undefined, Map<string, Cross>[]>();
  const sumParts = hoistSums(m, order, compOf, plan.single);

  for (const { key, col } of cols) {
    const where = { table: m.name, column: key };
    const k = kindOfKey.get(key)!;
    const dt = datasetType(col);
    const model: ColModel = { name: key, col, kind: k, type: dt.type, nullable: !col.notNull, unique: plan.single.has(key), notes: [] };
    if (col.identity) model.notes.push(`identity (${col.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'})`);
    else if (col.sequence) model.notes.push(`default from sequence ${col.sequence.schema}.${col.sequence.name}${col.sequence.owned ? '' : ' (not owned by the column)'}`);
    if (col.type.domains.length) model.notes.push(`domain ${col.type.domains.map((d) => d.name).join(' → ')}`);
    const loadProblem = opts.canLoad?.(t, col, dt.plain) ?? null;
    if (k === 'unknown' || loadProblem) {
      const why = k === 'unknown' ? `type ${col.type.declared} has no generator` : loadProblem!;
      const optional = !col.notNull || col.default !== null || col.identity !== null;
      if (optional) {
        model.omitted = `${why}: left to the database (${col.default !== null ? `default ${col.default}` : col.identity ? 'identity' : 'NULL'})`;
        find({ ...where, severity: 'warning', problem: why, chosen: `left to the database: ${col.default !== null ? `its default ${col.default}` : 'NULL'}` });
        out.push(model);
        continue;
      }
      find({ ...where, severity: 'error', problem: `${why}, and the column is NOT NULL without a default`, chosen: k === 'unknown' ? `left out: the load fails on its NOT NULL; write a generator returning a text literal of the type in dataset.ts: ${overrideHint(m.name, [key])}` : `generated as ${dt.plain} anyway (the load fails until the sink accepts it)` });
      if (k === 'unknown') {
        model.omitted = `${why}; NOT NULL without a default: the load fails until a generator is written in dataset.ts`;
        out.push(model);
        continue;
      }
    }
    if (!dt.exact && col.type.arrayDims === 0 && !['time', 'interval', 'bytea', 'inet', 'cidr', 'macaddr', 'bit', 'xml', 'tsvector', 'point', 'range'].includes(k)) model.notes.push(`${col.type.declared} as ${dt.plain}`);
    else if (!dt.exact) model.notes.push(`${col.type.declared}: ${col.type.arrayDims ? 'array literal' : 'text literal'}`);
    if (key === autoKey) {
      model.notes.unshift('primary key: the row number');
      model.capacity = col.type.base === 'int2' ? 32767 : col.type.base === 'int4' ? 2147483647 : Number.MAX_SAFE_INTEGER;
      model.nullable = false;
      out.push(model);
      continue;
    }
    if (forcedNull.has(key)) model.notes.push('always NULL: see the report');
    const compId = compOf.get(key);
    if (!crossCache.has(compId)) crossCache.set(compId, crossFor(compId));
    const crosses = crossCache.get(compId)!;
    const perCase: Alternative[][] = compId === undefined ? [solution.singles.get(key)!] : solution.components[compId]!.cases.map((c) => c.columns.get(key)!);
    const unit = unitOf(m, key);
    const codes: string[] = [];
    const problems = new Set<string>();
    const notes = new Set<string>();
    for (let ci = 0; ci < perCase.length; ci++) {
      const cross = crosses[ci]!.get(key) ?? { lows: [], highs: [], differs: [], problems: [] };
      for (const p of cross.problems) problems.add(p);
      const alts = perCase[ci]!.map((a) => {
        const r = valueCode(m, key, col, k, a.domain, cross, unit, model.unique, fkCtx, sumParts);
        for (const p of r.problems) problems.add(p);
        if (r.note) notes.add(r.note);
        if (r.capacity !== undefined) model.capacity = Math.min(model.capacity ?? Infinity, r.capacity);
        if (r.secret) model.secret = true;
        return { code: r.code, weight: a.weight };
      });
      codes.push(combineAlternatives(alts));
    }
    model.gen = combineCases(codes, compId === undefined ? null : selector.get(compId) ?? null);
    const shape = m.shape;
    if (shape.kind === 'per' && shape.derived.includes(key) && model.capacity !== undefined && shape.count !== '1' && model.capacity < 1e6) {
      // A group cannot have more rows than the numbered column has values.
      shape.count = `(c) => Math.min(${shape.count.replace(/^\(c\) => /, '')}, ${model.capacity})`;
      model.capacity = undefined;
    }
    for (const n of notes) model.notes.push(n);
    if (unit?.target && unit.declared && unit.fk.columns.length === 1) {
      const target = models.get(unit.target)!;
      const refSql = unit.fk.refColumns[0]!;
      const refCol = target.colKey.get(refSql) ?? refSql;
      model.references = target.primaryKey.length === 1 && target.primaryKey[0] === refCol ? quote(unit.target) : `{ table: ${quote(unit.target)}, column: ${quote(refCol)} }`;
    }
    if (unit && !unit.target) model.gen = 'null';
    if (problems.size) find({ ...where, severity: 'error', problem: `cannot generate values that meet its constraints: ${[...problems].join('; ')}`, chosen: `generated without them, so rows may be rejected; write a generator in dataset.ts: ${overrideHint(m.name, [key])}` });
    // Sum parts hoisted before the first column of their group are computed there.
    for (const v of sumParts.virtuals.get(key) ?? []) out.push(v);
    out.push(model);
  }
  m.columns = out;
}

/** The FK unit generating column `key`: shape key, then tenant column, composite, single. */
function unitOf(m: TableModel, key: string): FkUnit | undefined {
  const s = m.shape;
  const shapeUnits = s.kind === 'per' ? [s.unit, ...(s.partner ? [s.partner.unit] : [])] : s.kind === 'junction' ? [s.parentUnit, s.targetUnit] : [];
  const units = m.fks.filter((u) => u.fk.columns.includes(key));
  return units.find((u) => shapeUnits.includes(u)) ?? (m.scope && m.tenantColumn === key ? units.find((u) => u.fk.columns.length === 1) : undefined) ?? units.find((u) => u.fk.columns.length > 1) ?? units[0];
}

interface ValueCode {
  code: string;
  problems: string[];
  note?: string;
  capacity?: number;
  secret?: boolean;
}

/** The generator of one column within one alternative's domain. */
function valueCode(m: TableModel, key: string, col: CatalogColumn, k: ScalarKind, d0: Domain, cross: Cross, unit: FkUnit | undefined, unique: boolean, fkCtx: FkContext, sums: SumPlan): ValueCode {
  if (d0.isNull) return { code: 'null', problems: [] };
  // char(n) pads with spaces, and `~` on char(n) sees the padding: a pattern must fill all n characters.
  const d = col.type.base === 'bpchar' && d0.regex?.length && col.type.length ? { ...d0, minLength: col.type.length } : d0;
  if (unit) {
    const r = fkCode(m, unit, key, d, cross.differs, fkCtx);
    return { code: r.gen, problems: r.problem ? [r.problem] : [], ...(r.note ? { note: r.note } : {}) };
  }
  const s = m.shape;
  if (s.kind === 'per' && s.derived.includes(key)) {
    const r = derivedCode(m, col, k, d);
    return { code: r.code, problems: r.problems, note: 'numbered within the group (unique with the parent key)', ...(r.capacity !== undefined ? { capacity: r.capacity } : {}) };
  }
  if (cross.equals) return { code: `c.row.${cross.equals}`, problems: [], note: `equal to ${cross.equals} (a check)` };
  if (cross.computed) return { code: k === 'int' ? `Math.round${cross.computed}` : `Math.round(${cross.computed} * 100) / 100`, problems: [], note: 'computed from the other columns (a check)' };
  const sum = sums.columns.get(key);
  if (sum) return { code: sum, problems: [], note: sums.notes.get(key)! };
  const gate = m.gates.find((g) => g.unique.has(key));
  const choice = chooseGenerator({
    table: m.name, name: m.sqlCol.get(key) ?? key, kind: k, typname: col.type.base, arrayDims: col.type.arrayDims,
    ...(col.type.length !== undefined ? { length: col.type.length } : {}),
    ...(col.type.precision !== undefined && k !== 'timestamp' ? { precision: col.type.precision } : {}),
    ...(col.type.scale !== undefined ? { scale: col.type.scale } : {}),
    ...(col.type.enumLabels ? { enumLabels: col.type.enumLabels } : {}),
    ...(k === 'timestamp' && col.type.precision !== undefined ? { timePrecision: col.type.precision } : {}),
    notNull: true, unique, rule: d, lows: cross.lows, highs: cross.highs,
    earlier: new Map(), tableColumns: [...m.sqlCol.keys()], salt: m.salt,
    ...parentTime(m, fkCtx.models),
  });
  const e = enforce(choice.code, d, k, col.type.arrayDims > 0, unique);
  let code = e.code;
  if (cross.differs.length) code = `avoid(${code}, [], [${cross.differs.map((x) => `c.row.${x}`).join(', ')}], null)`;
  if (gate) code = `${gateCond(gate.below)} ? ${gate.unique.get(key)} : ${code}`;
  const capacity = e.capacity !== undefined ? Math.min(e.capacity, choice.capacity ?? Infinity) : choice.capacity;
  return { code, problems: e.problems, ...(choice.note || e.note ? { note: [choice.note, e.note].filter(Boolean).join('; ') } : {}), ...(unique && capacity !== undefined ? { capacity } : {}), ...(choice.secret ? { secret: true } : {}) };
}

/** Group tables: the parent's created-like timestamp, for "children after parents". */
function parentTime(m: TableModel, models: Map<string, TableModel>): { parentTime?: { table: string; column: string } } {
  const s = m.shape;
  if (s.kind === 'rows') return {};
  const p = models.get(s.parent);
  if (!p) return {};
  const c = p.cat.columns.find((x) => !x.generated && x.type.arrayDims === 0 && ['timestamp', 'date'].includes(kindOf(x.type.base, x.type.typtype, x.type.category)) && CREATED_LIKE.test(x.name.toLowerCase()));
  return c ? { parentTime: { table: s.parent, column: p.colKey.get(c.name)! } } : {};
}

/** NULL with its share, or one of several value alternatives. */
function combineAlternatives(alts: readonly { code: string; weight: number }[]): string {
  const live = alts.filter((a) => a.weight > 0);
  const list = live.length ? live : alts.slice(0, 1);
  if (list.length === 1) return list[0]!.code;
  const nulls = list.filter((a) => a.code === 'null');
  const values = list.filter((a) => a.code !== 'null');
  if (nulls.length && values.length === 1) return `c.rng.chance(${round4(values[0]!.weight / (values[0]!.weight + nulls[0]!.weight))}) ? ${values[0]!.code} : null`;
  const distinct = [...new Set(list.map((a) => a.code))];
  if (distinct.length === 1) return distinct[0]!;
  return `((k: number) => ${list.map((a, i) => (i === list.length - 1 ? a.code : `k === ${i} ? ${a.code} : `)).join('')})(alt(c.rng, [${list.map((a) => round4(a.weight)).join(', ')}]))`;
}

/** One code per case, merged where equal, selected by the component's case column. */
function combineCases(codes: readonly string[], selector: string | null): string {
  const distinct = [...new Set(codes)];
  if (distinct.length === 1 || !selector) return distinct[0]!;
  const groups = distinct.map((code) => ({ code, cases: codes.map((c, i) => (c === code ? i : -1)).filter((i) => i >= 0) }));
  return groups.map((g, i) => (i === groups.length - 1 ? g.code : `${g.cases.map((k) => `c.row.${selector} === ${k}`).join(' || ')} ? ${g.code} : `)).join('');
}

const round4 = (x: number): number => Math.round(x * 10000) / 10000;

interface SumPlan {
  /** Column → its generator (parts copy their hoisted value, the total sums them). */
  columns: Map<string, string>;
  notes: Map<string, string>;
  /** Column → virtual columns to emit just before it. */
  virtuals: Map<string, ColModel[]>;
}

/**
 * `total = a + b - c` by name: the parts are generated first (as virtual columns, just before the
 * first column of the group), the columns copy them, and the total is their sum, rounded to its
 * scale. Skipped when a column of the group is constrained by a check or is a key.
 */
function hoistSums(m: TableModel, order: readonly string[], compOf: Map<string, number>, unique: ReadonlySet<string>): SumPlan {
  const plan: SumPlan = { columns: new Map(), notes: new Map(), virtuals: new Map() };
  for (const s of m.sums) {
    const group = [s.total, ...s.plus, ...s.minus];
    if (group.some((c) => compOf.has(c) || unique.has(c) || m.fks.some((u) => u.fk.columns.includes(c)) || plan.columns.has(c))) continue;
    const first = order.filter((c) => group.includes(c))[0]!;
    const vs: ColModel[] = [];
    const col = (key: string): CatalogColumn => m.cat.columns.find((x) => x.name === m.sqlCol.get(key))!;
    const scale = Math.max(0, col(s.total).type.scale ?? (kindOf(col(s.total).type.base, '', '') === 'int' ? 0 : 2));
    const parts = [...s.plus, ...s.minus];
    for (const p of parts) {
      const c = col(p);
      const k = kindOf(c.type.base, c.type.typtype, c.type.category);
      const choice = chooseGenerator({ table: m.name, name: p, kind: k, typname: c.type.base, arrayDims: 0, ...(c.type.precision !== undefined ? { precision: c.type.precision } : {}), ...(c.type.scale !== undefined ? { scale: c.type.scale } : {}), notNull: true, unique: false, rule: {}, earlier: new Map(), tableColumns: [], salt: m.salt });
      const sumOfPlus = s.plus.map((x) => `((c.row._sum_${x} as number) ?? 0)`).join(' + ');
      // Discounts: none on most rows, else a modest share of what they discount.
      const value = s.minus.includes(p) ? `c.rng.chance(0.7) ? 0 : Math.round((${sumOfPlus}) * c.rng.uniform(0.05, 0.3) * ${Math.pow(10, scale)}) / ${Math.pow(10, scale)}` : choice.code;
      vs.push({ name: `_sum_${p}`, col: null, kind: k, type: datasetType(c).type, nullable: true, unique: false, virtual: true, gen: c.notNull ? value : `c.rng.chance(0.9) ? ${value} : null`, notes: [`part of ${s.total}`] });
      plan.columns.set(p, `c.row._sum_${p}`);
      plan.notes.set(p, `part of ${s.total}`);
    }
    const expr = `${s.plus.map((x) => `((c.row._sum_${x} as number) ?? 0)`).join(' + ')}${s.minus.map((x) => ` - ((c.row._sum_${x} as number) ?? 0)`).join('')}`;
    plan.columns.set(s.total, `Math.round((${expr}) * ${Math.pow(10, scale)}) / ${Math.pow(10, scale)}`);
    plan.notes.set(s.total, `= ${s.plus.join(' + ')}${s.minus.map((x) => ` - ${x}`).join('')}`);
    plan.virtuals.set(first, [...(plan.virtuals.get(first) ?? []), ...vs]);
  }
  return plan;
}

function reportUnsolved(m: TableModel, u: Unsolved, find: (f: Finding) => void): void {
  find({ table: m.name, column: u.columns.join(', ') || undefined, severity: 'error', problem: `cannot generate rows that pass ${u.check.name}: ${u.check.text} (${u.reason})`, chosen: `generated without it, so the load may reject rows; write the columns in dataset.ts: ${overrideHint(m.name, u.columns)}` });
}
