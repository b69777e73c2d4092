/**
 * The books of the erp dataset: what each journal entry posts (recomputed from its source
 * document), the cash side of every posting, and one pass over all of them per run that sizes the
 * opening balances so no cash account ever goes below zero and yields the monthly figures the
 * analytics snapshots and sales targets report. Every cash account is funded: operating by
 * customer receipts on top of the opening balance, payroll only by transfers from operating the
 * day before each run, the reserve by a monthly sweep.
 */
import { DAY, HOUR } from '../../src/index.js';
import {
  AP, AR, BOOKS_OPEN, CASH, COGS, CONSIGNMENT_PAYABLE, EQUITY, EXPENSE_CATEGORIES, INVENTORY, JOURNALS, PAYROLL_CASH, PAYROLL_EXPENSE, REF_MS, RESERVE_CASH, RETURNS, REVENUE, WRITE_OFFS,
  type JournalCode,
} from './catalogs.js';
import { MONTHS, PAYROLL_DATES, SWEEP_DATES, monthOf, monthStart } from './catalogs-ops.js';
import { creditedInvoices, invoiceFacts, paymentOf } from './invoicing.js';
import { L, hashedRng, perRun, productFacts, salt, type Method, type ErpContext } from './rules.js';
import { onHand, salesByMonth, supply, vendorFacts, type PurchaseOrderPlan } from './supply.js';

export interface Line {
  account: string;
  debit: number;
  credit: number;
}

export interface Posting {
  at: number;
  memo: string;
  lines: Line[];
  /** Bank side: one movement per touched bank account (account code, signed cents, clearing delay). */
  cash: { code: string; cents: number; clearMs: number }[];
}

export const CLEAR_DAYS: Readonly<Record<Method, number>> = { check: 3, ACH: 1, wire: 0 };
const dr = (account: string, cents: number): Line => ({ account, debit: cents, credit: 0 });
const cr = (account: string, cents: number): Line => ({ account, debit: 0, credit: cents });

/** Received purchase order `po`: paid `terms` days after receipt (±3), by the reference date or not. */
export function poPayment(c: ErpContext, po: number): { paidAt: number | null; method: Method } {
  const plan = supply(c).pos[po]!;
  const r = hashedRng(salt(c), L.SUPPLY + 200, po);
  const method = r.weighted<Method>([['ACH', 60], ['check', 25], ['wire', 15]]);
  if (plan.received === null || plan.consignment) return { paidAt: null, method };
  const at = plan.received + vendorFacts(c, plan.vendor).terms * DAY + Math.round(r.normal(0, 3) * DAY);
  return { paidAt: at <= REF_MS ? at : null, method };
}

export const poTotal = (c: ErpContext, po: PurchaseOrderPlan): number => {
  const items = supply(c).items;
  let s = 0;
  for (let j = po.firstItem; j < po.firstItem + po.items; j++) s += items[j]!.qty * items[j]!.costCents;
  return s;
};

/** Owned purchase orders that were received: each has a vendor bill (index = bill index). */
export const billedPos = (c: ErpContext): readonly number[] =>
  perRun(c, 'erp:bills', () => supply(c).pos.flatMap((po, j) => (po.received !== null && !po.consignment ? [j] : [])));

export interface Settlement {
  vendor: number;
  month: number;
  cents: number;
  units: number;
  paidAt: number;
}

/** Consignment vendors (one agreement each) and their monthly settlements of consigned goods sold, paid on the 10th. */
export function consignment(c: ErpContext): { vendors: readonly number[]; settlements: readonly (readonly Settlement[])[] } {
  return perRun(c, 'erp:consignment', () => {
    const sp = supply(c);
    const vendors: number[] = [];
    for (let v = 0; v < c.count('vendors'); v++) if (vendorFacts(c, v).consignment) vendors.push(v);
    const byVendor = new Map<number, Map<number, { cents: number; units: number }>>();
    for (const it of sp.items) {
      const v = productFacts(c, it.product).vendor;
      if (it.batch < 0 || !vendorFacts(c, v).consignment) continue;
      const months = byVendor.get(v) ?? new Map<number, { cents: number; units: number }>();
      byVendor.set(v, months);
      for (const { month, units } of salesByMonth(c, it)) {
        const x = months.get(month) ?? { cents: 0, units: 0 };
        x.cents += units * it.costCents;
        x.units += units;
        months.set(month, x);
      }
    }
    const settlements = vendors.map((v) =>
      [...(byVendor.get(v) ?? new Map<number, { cents: number; units: number }>()).entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([month, x]) => ({ vendor: v, month, cents: x.cents, units: x.units, paidAt: monthStart(month + 1) + 9 * DAY + 17 * HOUR }))
        .filter((s) => s.paidAt <= REF_MS),
    );
    return { vendors, settlements };
  });
}

/** Gross semi-monthly payroll: staff salaries / 24, with a 4% raise each January. */
export function payrollAmount(c: ErpContext, run: number): number {
  const base = perRun(c, 'erp:payroll', () => {
    let s = 0;
    for (let i = 0; i < c.count('users'); i++) s += c.lookup('users', i).salary_cents;
    return Math.round(s / 24);
  });
  return new Date(PAYROLL_DATES[run]!).getUTCFullYear() >= 2025 ? Math.round(base * 1.04) : base;
}

/** Bank transfer i: payroll funding for run i the day before it, then the monthly reserve sweeps. */
export function transfer(c: ErpContext, i: number): { at: number; cents: number; to: string; purpose: 'payroll' | 'reserve' } {
  if (i < PAYROLL_DATES.length) return { at: PAYROLL_DATES[i]! - DAY, cents: payrollAmount(c, i), to: PAYROLL_CASH, purpose: 'payroll' };
  const sweep = Math.round((20_000 * c.count('clients')) / 300) * 100;
  return { at: SWEEP_DATES[i - PAYROLL_DATES.length]!, cents: sweep, to: RESERVE_CASH, purpose: 'reserve' };
}

/** What journal entry k of journal `code` posts, recomputed from its source document. */
export function posting(c: ErpContext, code: JournalCode, k: number): Posting {
  switch (code) {
    case 'OBJ': {
      const o = opening(c);
      return {
        at: BOOKS_OPEN, memo: 'Opening balances: owner capital into the operating, payroll and reserve accounts',
        lines: [dr(CASH, o.operating), dr(PAYROLL_CASH, o.payroll), dr(RESERVE_CASH, o.reserve), cr(EQUITY, o.operating + o.payroll + o.reserve)],
        cash: [{ code: CASH, cents: o.operating, clearMs: 0 }, { code: PAYROLL_CASH, cents: o.payroll, clearMs: 0 }, { code: RESERVE_CASH, cents: o.reserve, clearMs: 0 }],
      };
    }
    case 'SJ': {
      const f = invoiceFacts(c, k);
      const lines = [dr(AR, f.total), cr(REVENUE, f.total), dr(COGS, f.cogsOwned + f.cogsConsigned)];
      if (f.cogsOwned > 0) lines.push(cr(INVENTORY, f.cogsOwned));
      if (f.cogsConsigned > 0) lines.push(cr(CONSIGNMENT_PAYABLE, f.cogsConsigned));
      return { at: f.header.issued, memo: `Invoice ${invoiceNumber(f.header.at, k)}`, lines, cash: [] };
    }
    case 'SRJ': {
      const inv = creditedInvoices(c)[k]!;
      const f = invoiceFacts(c, inv);
      const cr_ = f.credit!;
      return { at: cr_.at, memo: `${cr_.kind === 'return' ? 'Return credit' : 'Quality allowance'} on invoice ${invoiceNumber(f.header.at, inv)}`, lines: [dr(RETURNS, cr_.cents), cr(AR, cr_.cents)], cash: [] };
    }
    case 'CRJ': {
      const { invoice, j } = paymentOf(c, k);
      const f = invoiceFacts(c, invoice);
      const amt = f.amounts[j]!;
      const s = f.schedule[j]!;
      return { at: s.at, memo: `Payment ${paymentReference(s.method, k)}`, lines: [dr(CASH, amt), cr(AR, amt)], cash: [{ code: CASH, cents: amt, clearMs: CLEAR_DAYS[s.method] * DAY }] };
    }
    case 'PJ': {
      const po = billedPos(c)[k]!;
      const plan = supply(c).pos[po]!;
      const amt = poTotal(c, plan);
      return { at: plan.received!, memo: `Vendor bill for ${poNumber(po)}`, lines: [dr(INVENTORY, amt), cr(AP, amt)], cash: [] };
    }
    case 'CDJ': {
      const po = paidPos(c)[k]!;
      const amt = poTotal(c, supply(c).pos[po]!);
      const pay = poPayment(c, po);
      return { at: pay.paidAt!, memo: `Payment of ${poNumber(po)}`, lines: [dr(AP, amt), cr(CASH, amt)], cash: [{ code: CASH, cents: -amt, clearMs: CLEAR_DAYS[pay.method] * DAY }] };
    }
    case 'CSJ': {
      const s = flatSettlements(c)[k]!;
      return {
        at: s.paidAt, memo: `Consignment settlement ${new Date(monthStart(s.month)).toISOString().slice(0, 7)}: ${vendorFacts(c, s.vendor).name}`,
        lines: [dr(CONSIGNMENT_PAYABLE, s.cents), cr(CASH, s.cents)], cash: [{ code: CASH, cents: -s.cents, clearMs: DAY }],
      };
    }
    case 'GJ': {
      const e = c.lookup('expenses', k);
      const amt = e.cents;
      return { at: e.incurred_at.getTime(), memo: e.description, lines: [dr(EXPENSE_CATEGORIES[e.category]!.code, amt), cr(CASH, amt)], cash: [{ code: CASH, cents: -amt, clearMs: DAY }] };
    }
    case 'PRJ': {
      const amt = payrollAmount(c, k);
      return { at: PAYROLL_DATES[k]!, memo: `Payroll ${new Date(PAYROLL_DATES[k]!).toISOString().slice(0, 10)}`, lines: [dr(PAYROLL_EXPENSE, amt), cr(PAYROLL_CASH, amt)], cash: [{ code: PAYROLL_CASH, cents: -amt, clearMs: 0 }] };
    }
    case 'TRJ': {
      const t = transfer(c, k);
      return {
        at: t.at, memo: t.purpose === 'payroll' ? 'Transfer to payroll account' : 'Monthly sweep to reserve account', lines: [dr(t.to, t.cents), cr(CASH, t.cents)],
        cash: [{ code: CASH, cents: -t.cents, clearMs: 0 }, { code: t.to, cents: t.cents, clearMs: 0 }],
      };
    }
    case 'IAJ': {
      const it = writeOffs(c)[k]!;
      const item = supply(c).items[it]!;
      const amt = onHand(item).writtenOff * item.costCents;
      return { at: item.expires, memo: `Expired stock written off: ${productFacts(c, item.product).name}`, lines: [dr(WRITE_OFFS, amt), cr(INVENTORY, amt)], cash: [] };
    }
  }
}

export const paymentReference = (method: Method, k: number): string => `${method === 'check' ? 'CHK' : method === 'wire' ? 'WIRE' : 'ACH'}-${String(k + 1).padStart(7, '0')}`;
export const invoiceNumber = (orderedAt: number, k: number): string => `INV-${new Date(orderedAt).getUTCFullYear()}-${String(k + 1).padStart(6, '0')}`;
export const poNumber = (po: number): string => `PO-${String(po + 1).padStart(6, '0')}`;

/** Invoices with an applied credit (refund index → invoice index), owned POs paid, settlements, write-offs. */
export const paidPos = (c: ErpContext): readonly number[] => perRun(c, 'erp:paidPos', () => billedPos(c).filter((po) => poPayment(c, po).paidAt !== null));
export const flatSettlements = (c: ErpContext): readonly Settlement[] => perRun(c, 'erp:settlements', () => consignment(c).settlements.flat());
/** Items whose batch kept stock past its expiry (written off on that day). */
export const writeOffs = (c: ErpContext): readonly number[] =>
  perRun(c, 'erp:writeOffs', () => supply(c).items.flatMap((it, j) => (onHand(it).writtenOff > 0 && !vendorFacts(c, productFacts(c, it.product).vendor).consignment ? [j] : [])));

/** Entries per journal (the opening journal has one). */
export const journalSize = (c: ErpContext, j: number): number => (JOURNALS[j]!.code === 'OBJ' ? 1 : c.count(JOURNALS[j]!.source));

export interface Opening {
  operating: number;
  payroll: number;
  reserve: number;
}

/**
 * Opening balances: operating starts with what keeps its running balance (every posting in date
 * and entry order) at or above a cushion of about two weeks of payroll; payroll with 10% of a run;
 * the reserve with $250k per 300 clients.
 */
export function opening(c: ErpContext): Opening {
  return perRun(c, 'erp:opening', () => {
    const flows: { at: number; order: number; cents: number }[] = [];
    JOURNALS.forEach((j, ji) => {
      if (j.code === 'OBJ') return;
      const n = journalSize(c, ji);
      for (let k = 0; k < n; k++) {
          const p = posting(c, j.code, k);
          for (const m of p.cash) if (m.code === CASH) flows.push({ at: p.at, order: ji * 1e9 + k, cents: m.cents });
        }
    });
    flows.sort((a, b) => a.at - b.at || a.order - b.order);
    let run = 0;
    let min = 0;
    for (const f of flows) {
      run += f.cents;
      if (run < min) min = run;
    }
    const scale = c.count('clients') / 300;
    const cushion = payrollAmount(c, 0);
    return { operating: Math.ceil((cushion - min) / 1_000_000) * 1_000_000, payroll: Math.round(payrollAmount(c, 0) * 0.1), reserve: Math.round(25_000_000 * scale) };
  });
}

/** Net movement (debit − credit, cents) per account code and month, from every posting. */
export function monthly(c: ErpContext): Map<string, Float64Array> {
  return perRun(c, 'erp:monthly', () => {
    const out = new Map<string, Float64Array>();
    JOURNALS.forEach((j, ji) => {
      const n = journalSize(c, ji);
      for (let k = 0; k < n; k++) {
        const p = posting(c, j.code, k);
        const m = Math.max(0, monthOf(p.at));
        for (const l of p.lines) {
          let a = out.get(l.account);
          if (!a) out.set(l.account, (a = new Float64Array(MONTHS)));
          a[m]! += l.debit - l.credit;
        }
      }
    });
    return out;
  });
}
