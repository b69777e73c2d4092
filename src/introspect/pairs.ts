/**
 * Plausibility by name: orderings a reader expects between columns of a row (created ≤ updated,
 * starts ≤ ends, min ≤ max, from ≤ to, issued ≤ due, rental ≤ return, valid_from ≤ valid_to, …)
 * and sums (`total = subtotal + tax - discount`, `total = fees + taxes`). They are soft: a check
 * that says otherwise wins (columns.ts drops a soft ordering a case contradicts).
 */
import type { Atom } from './checks/atoms.js';
import { kindOf } from './heuristics/index.js';
import type { TableModel } from './model.js';

/** [earlier, later] word pairs, as whole words of the column name (`rental_date` / `return_date`). */
const PAIRS: readonly (readonly [string, string])[] = [
  ['created', 'updated'], ['created', 'modified'], ['created', 'changed'], ['created', 'edited'], ['inserted', 'updated'],
  ['created', 'deleted'], ['created', 'archived'], ['created', 'closed'], ['created', 'completed'], ['created', 'resolved'],
  ['created', 'cancelled'], ['created', 'canceled'], ['created', 'expires'], ['created', 'expired'], ['created', 'last_used'],
  ['created', 'terminated'], ['created', 'finalized'], ['created', 'voided'], ['created', 'refunded'], ['created', 'paid'],
  ['start', 'end'], ['starts', 'ends'], ['started', 'ended'], ['started', 'finished'], ['started', 'completed'], ['started', 'stopped'],
  ['begin', 'end'], ['begins', 'ends'], ['begin', 'finish'], ['opened', 'closed'], ['open', 'close'],
  ['from', 'to'], ['from', 'until'], ['valid_from', 'valid_to'], ['valid_from', 'valid_until'], ['since', 'until'],
  ['min', 'max'], ['minimum', 'maximum'], ['low', 'high'], ['lower', 'upper'], ['first', 'last'], ['earliest', 'latest'],
  ['issued', 'due'], ['issue', 'due'], ['issuing', 'due'], ['issuing', 'payment_due'], ['issued', 'payment_due'], ['invoice', 'due'], ['ordered', 'shipped'], ['shipped', 'delivered'], ['ordered', 'delivered'], ['placed', 'shipped'],
  ['rental', 'return'], ['rented', 'returned'], ['checkin', 'checkout'], ['check_in', 'check_out'], ['departure', 'arrival'], ['departs', 'arrives'],
  ['birth', 'death'], ['born', 'died'], ['hired', 'terminated'], ['hire', 'termination'], ['scheduled', 'completed'],
  ['requested', 'approved'], ['submitted', 'approved'], ['sent', 'read'], ['sent', 'delivered'], ['invited', 'accepted'],
  ['attempted', 'completed'], ['queued', 'started'], ['enqueued', 'started'], ['posted', 'settled'], ['authorized', 'captured'],
  ['inserted', 'scheduled'], ['scheduled', 'attempted'], ['attempted', 'discarded'], ['period_start', 'period_end'], ['trial_start', 'trial_end'],
  ['current_period_start', 'current_period_end'], ['starting', 'ending'], ['start_at', 'end_at'],
];

const UNIT_WORDS = new Set(['at', 'on', 'date', 'time', 'datetime', 'timestamp', 'ts', 'day', 'dt']);

/** The name split around the pair word: `[prefix, word, suffix]` when `word` occurs as whole words. */
function around(name: string, word: string): [string, string] | null {
  const w = name.split('_');
  const p = word.split('_');
  for (let i = 0; i + p.length <= w.length; i++) {
    if (p.every((x, j) => w[i + j] === x)) return [w.slice(0, i).join('_'), w.slice(i + p.length).join('_')];
  }
  return null;
}

const comparable = (k: string): 'time' | 'number' | null =>
  k === 'date' || k === 'timestamp' ? 'time' : k === 'int' || k === 'decimal' || k === 'float' || k === 'money' ? 'number' : null;

/** Soft orderings between columns of `m` (as colcmp atoms `later >= earlier`). */
export function softOrders(m: TableModel): Atom[] {
  // Keys are not quantities: `begin_area`/`end_area` are two places, not a range.
  const keys = new Set(m.fks.flatMap((u) => u.fk.columns));
  const cols = [...m.sqlCol.keys()].map((key) => {
    const c = m.cat.columns.find((x) => x.name === m.sqlCol.get(key))!;
    return { key, kind: comparable(kindOf(c.type.base, c.type.typtype, c.type.category)), arr: c.type.arrayDims > 0, generated: c.generated !== null };
  }).filter((c) => c.kind && !c.arr && !c.generated && !keys.has(c.key) && !m.primaryKey.includes(c.key));
  const out: Atom[] = [];
  const seen = new Set<string>();
  for (const [a, b] of PAIRS) {
    for (const x of cols) {
      const ax = around(x.key, a);
      if (!ax) continue;
      for (const y of cols) {
        if (y === x || y.kind !== x.kind) continue;
        const by = around(y.key, b);
        if (!by) continue;
        // Same prefix and the same (or only unit-word) suffix: rental_date/return_date, min_lat/max_lat, starts_on/ends_on.
        const sameRest = ax[0] === by[0] && (ax[1] === by[1] || (isUnit(ax[1]) && isUnit(by[1])));
        if (!sameRest) continue;
        const k = `${x.key}<${y.key}`;
        if (seen.has(k) || seen.has(`${y.key}<${x.key}`)) continue;
        seen.add(k);
        out.push({ a: 'colcmp', left: y.key, op: '>=', right: x.key });
      }
    }
  }
  return out;
}

const isUnit = (s: string): boolean => s === '' || s.split('_').every((w) => UNIT_WORDS.has(w));

const ADD = /^(sub_?total|subtotal|net|fees?|tax|taxes|vat|shipping|delivery|handling|tips?|surcharges?|service_fee|service_charge|freight|duty|duties)$/;
const SUB = /^(discounts?|coupons?|rebates?|credits?|deductions?)$/;
/** Parts of a money column name besides its stem: `total_amount_cents` → stem `total`, unit `cents`. */
function money(name: string): { stem: string; unit: string } | null {
  const w = name.split('_');
  const unit = w.filter((x) => ['cents', 'minor', 'amount', 'price', 'value', 'sum', 'usd', 'eur'].includes(x)).filter((x) => x === 'cents' || x === 'minor').join('_');
  const stem = w.filter((x) => !['amount', 'cents', 'minor', 'price', 'value', 'sum', 'usd', 'eur'].includes(x)).join('_');
  return stem ? { stem, unit } : null;
}

/** `total = a + b - c` among numeric columns of the same row, when at least two parts exist. */
export function softSums(m: TableModel): TableModel['sums'] {
  const numeric = [...m.sqlCol.keys()].filter((key) => {
    const c = m.cat.columns.find((x) => x.name === m.sqlCol.get(key))!;
    return c.generated === null && c.type.arrayDims === 0 && comparable(kindOf(c.type.base, c.type.typtype, c.type.category)) === 'number';
  });
  const out: TableModel['sums'] = [];
  for (const total of numeric) {
    const t = money(total);
    if (!t || !/^(total|grand_total|total_due|amount_due|total_price|order_total|invoice_total)$/.test(t.stem)) continue;
    const plus: string[] = [];
    const minus: string[] = [];
    for (const other of numeric) {
      if (other === total) continue;
      const o = money(other);
      if (!o || o.unit !== t.unit) continue;
      if (ADD.test(o.stem)) plus.push(other);
      else if (SUB.test(o.stem)) minus.push(other);
    }
    // A subtotal already holds the fees: total = subtotal + taxes + … − discounts.
    const sub = plus.filter((p) => /^sub_?total/.test(money(p)!.stem));
    const parts = sub.length ? [sub[0]!, ...plus.filter((p) => !/^(sub_?total|net|fees?)$/.test(money(p)!.stem))] : plus;
    if (parts.length + minus.length >= 2 && parts.length >= 1) out.push({ total, plus: parts, minus });
  }
  return out;
}
