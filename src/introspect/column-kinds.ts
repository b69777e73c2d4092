/**
 * Small pieces of column generation: columns numbered within their parent's group (unique with the
 * parent key), a column's default NULL share by name, and the test that NULL in some columns makes
 * a check pass whatever the other columns hold (so a check nothing can solve may still be met).
 */
import type { CatalogColumn } from './catalog-types.js';
import type { Atom, Formula } from './checks/atoms.js';
import type { Domain } from './checks/domain.js';
import { enforce } from './constrain.js';
import { allowedValues, capacityOf, maxLength, numericBounds, type ScalarKind } from './heuristics/index.js';
import { quote, type FkUnit, type TableModel } from './model.js';

/** A column numbered within its parent group (`line_no = c.k + 1`): unique together with the parent key. */
export function derivedCode(m: TableModel, col: CatalogColumn, k: ScalarKind, d: Domain): { code: string; capacity?: number; problems: string[] } {
  const values = allowedValues({ ...(col.type.enumLabels ? { enumLabels: col.type.enumLabels } : {}), rule: d });
  if (values && values.length) return { code: `nth([${values.map((v) => (typeof v === 'string' ? quote(v) : String(v))).join(', ')}], c.k)`, capacity: values.length, problems: [] };
  if (k === 'int' || k === 'decimal' || k === 'float' || k === 'money') {
    const { lo, hi } = numericBounds({ kind: k, typname: col.type.base, ...(col.type.precision !== undefined ? { precision: col.type.precision } : {}), ...(col.type.scale !== undefined ? { scale: col.type.scale } : {}), rule: d });
    const start = lo > 1 ? Math.ceil(lo) : lo <= 1 && hi >= 1 ? 1 : Math.ceil(lo);
    return { code: start === 0 ? 'c.k' : `c.k + ${start}`, capacity: Math.floor(hi - start) + 1, problems: [] };
  }
  if (k === 'date' || k === 'timestamp') return { code: `new Date(c.refDate.getTime() - (c.n - c.k) * 30 * DAY)`, problems: [] };
  if (k === 'bool') return { code: 'c.k === 0', capacity: 2, problems: [] };
  if (k === 'uuid') return { code: `uuidAt(c.i, ${m.salt})`, problems: [] };
  const max = maxLength({ ...(col.type.length !== undefined ? { length: col.type.length } : {}), rule: d });
  const maxArg = Number.isFinite(max) ? max : 1_000_000;
  const base = /code|key|ref|number|no$/.test(col.name) ? `c.faker.string.alpha({ length: 2, casing: 'upper' })` : 'c.text.word()';
  if (d.regex?.length) {
    // A pattern: the group index goes into it (`artist_isni` rows: distinct ISNIs per artist).
    const e = enforce(base, { ...d, ...(Number.isFinite(max) ? { maxLength: max } : {}) }, k, col.type.arrayDims > 0, true);
    return { code: e.code.replace(/, c\.i, /, ', c.k, '), ...(e.capacity !== undefined ? { capacity: e.capacity } : {}), problems: e.problems };
  }
  return { code: `uniq(${base}, c.k, ${maxArg}, '-')`, capacity: capacityOf(max), problems: [] };
}

/** Default NULL share of a nullable column: most optional values are present; deletions rarely are. */
export function nullShareOf(key: string, kind: ScalarKind, unit: FkUnit | undefined): number {
  const n = key.toLowerCase();
  if (unit?.self) return 0.3;
  if ((kind === 'timestamp' || kind === 'date') && /^(deleted|archived|cancell?ed|banned|suspended|revoked|disabled|locked|discarded)(_at|_on)?$/.test(n)) return 0.9;
  if ((kind === 'timestamp' || kind === 'date') && /^(closed|resolved|completed|finished|ended|delivered|read|seen|confirmed|verified|approved|shipped|paid|processed|voided|refunded|failed|terminat\w*)(_at|_on|_date)?$/.test(n)) return 0.35;
  return 0.1;
}

/**
 * Whether `f` holds whatever the other columns are, once `nulls` are NULL: atoms about a NULL
 * column are decided (IS NULL true, any value atom false); a formula that is then TRUE needs
 * nothing of the others.
 */
export function tautologyWithNulls(f: Formula, nulls: readonly string[]): boolean {
  const set = new Set(nulls);
  const val = (x: Formula): boolean | null => {
    if (x.f === 'true') return true;
    if (x.f === 'false') return false;
    if (x.f === 'atom') return atomValue(x.atom);
    if (x.f === 'and') {
      let all = true;
      for (const a of x.args) {
        const v = val(a);
        if (v === false) return false;
        if (v === null) all = false;
      }
      return all ? true : null;
    }
    if (x.f === 'or') {
      let none = true;
      for (const a of x.args) {
        const v = val(a);
        if (v === true) return true;
        if (v === null) none = false;
      }
      return none ? false : null;
    }
    return null;
  };
  const atomValue = (a: Atom): boolean | null => {
    if (a.a === 'null') return set.has(a.col) ? !a.not : null;
    // A strict expression of a NULL column is NULL: neither TRUE nor FALSE (negations: TRUE).
    if (a.a === 'opaque') return a.strict && a.cols.some((c) => set.has(c)) ? a.not : null;
    if (a.a === 'gate') return null;
    const cols = a.a === 'colcmp' ? [a.left, a.right] : a.a === 'lin' ? a.terms.map((t) => t.col) : [a.col];
    return cols.some((c) => set.has(c)) ? false : null;
  };
  return val(f) === true;
}
