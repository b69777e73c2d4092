/**
 * What an order is worth and what happens to its invoice, as pure functions of the order index:
 * line prices (override, else the list price at order time less the volume tier and any category
 * promotion), totals, cost of goods by ownership, credits (0.5% of orders partly returned, 5% get a
 * 5% quality allowance) and the payments of what is still owed. The invoice, its lines, the sales
 * records, refunds, payments, the client's statement and the books all call these.
 */
import { DAY, HOUR } from '../../src/index.js';
import { PRICING_RULES, REF_MS } from './catalogs.js';
import {
  L, clientFacts, discounted, groupOf, groupStarts, hashedRng, orderHeader, orderCache, orderLines, paymentAmounts, paymentSchedule, perRun, priceAt, productFacts, salt, tierDiscount, type ErpContext, type Installment, type OrderHeader,
} from './rules.js';
import { itemFor, vendorFacts } from './supply.js';

/** A client's negotiated prices (a handful at most), kept per run. */
function overridesOf(c: ErpContext, client: number): { product: number; from: number; cents: number }[] {
  const all = perRun(c, 'erp:overrides', () => new Map<number, { product: number; from: number; cents: number }[]>());
  let list = all.get(client);
  if (!list) {
    list = c.children('client_pricing_overrides', client).map((o) => ({ product: o.product_id - 1, from: o.valid_from.getTime(), cents: o.cents }));
    all.set(client, list);
  }
  return list;
}

const RULES = PRICING_RULES.map(([profile, category, pct, from, to]) => ({ profile, category, pct, from: Date.parse(`${from}T00:00:00Z`), to: to === null ? Infinity : Date.parse(`${to}T00:00:00Z`) }));

/** Unit price (cents) of `product` for the order's client at order time. */
export function unitPrice(c: ErpContext, h: OrderHeader, product: number, qty: number): number {
  for (const o of overridesOf(c, h.client)) if (o.product === product && o.from <= h.at) return o.cents;
  const p = productFacts(c, product);
  const profile = clientFacts(c, h.client).profile;
  let pct = tierDiscount(profile, qty);
  for (const r of RULES) if (r.profile === profile && r.category === p.category && r.from <= h.at && r.to > h.at) pct += r.pct;
  return discounted(priceAt(p, h.at), pct);
}

export interface PricedLine {
  product: number;
  qty: number;
  price: number;
  cents: number;
  /** Cost of the units at their batch's cost, and whether the batch is on consignment. */
  cost: number;
  consignment: boolean;
  batch: number;
  /** Units returned (0 unless the order was partly returned). */
  returned: number;
}

export interface InvoiceFacts {
  header: OrderHeader;
  lines: readonly PricedLine[];
  total: number;
  cogsOwned: number;
  cogsConsigned: number;
  /** Credit memo: 'return' or 'allowance', its amount and date; applied only when dated by the reference date. */
  credit: { kind: 'return' | 'allowance'; cents: number; at: number } | null;
  schedule: readonly Installment[];
  amounts: readonly number[];
  paid: number;
  balance: number;
}

/** Everything about invoice (= order) p, kept in an `orderCache`. */
export function invoiceFacts(c: ErpContext, p: number): InvoiceFacts {
  const cache = orderCache<InvoiceFacts>(c, 'erp:invoices');
  const slot = p & cache.mask;
  if (cache.of[slot] === p) return cache.value[slot]!;
  const f = computeFacts(c, p);
  cache.of[slot] = p;
  cache.value[slot] = f;
  return f;
}

function computeFacts(c: ErpContext, p: number): InvoiceFacts {
  const h = orderHeader(c, p);
  const r = hashedRng(salt(c), L.CREDIT, p);
  const returned = h.delivered !== null && r.chance(0.005);
  const allowance = !returned && r.chance(0.05);
  const lines: PricedLine[] = [];
  let total = 0;
  let cogsOwned = 0;
  let cogsConsigned = 0;
  let returnCents = 0;
  let returnedLines = 0;
  for (const l of orderLines(c, p)) {
    const price = unitPrice(c, h, l.product, l.qty);
    const it = itemFor(c, l.product, h.at);
    const consignment = vendorFacts(c, productFacts(c, l.product).vendor).consignment;
    const cost = it.costCents * l.qty;
    // A return takes back part of at most two lines with more than one unit.
    const back = returned && returnedLines < 2 && l.qty > 1 ? r.int(1, l.qty - 1) : 0;
    if (back > 0) returnedLines++;
    returnCents += back * price;
    lines.push({ product: l.product, qty: l.qty, price, cents: price * l.qty, cost, consignment, batch: it.batch, returned: back });
    total += price * l.qty;
    if (consignment) cogsConsigned += cost;
    else cogsOwned += cost;
  }
  const schedule = paymentSchedule(c, p);
  let credit: InvoiceFacts['credit'] = null;
  if (returnCents > 0 || allowance) {
    const base = (h.delivered ?? h.shipped) + r.int(1, 5) * DAY + r.int(1, 7) * HOUR;
    const at = Math.max(h.issued + HOUR, schedule.length > 0 ? Math.min(base, schedule[0]!.at - HOUR) : base);
    credit = { kind: returnCents > 0 ? 'return' : 'allowance', cents: returnCents > 0 ? returnCents : Math.round(total * 0.05), at };
  }
  const applied = credit !== null && credit.at <= REF_MS ? credit.cents : 0;
  const amounts = paymentAmounts(total - applied, schedule);
  const paid = amounts.reduce((a, b) => a + b, 0);
  return { header: h, lines, total, cogsOwned, cogsConsigned, credit: applied > 0 ? credit : null, schedule, amounts, paid, balance: total - applied - paid };
}

/** First payment of each invoice (payments are grouped by invoice), and the invoice of payment k. */
export const paymentStarts = (c: ErpContext): Int32Array => groupStarts(c, 'payments', c.count('orders'), (p) => paymentSchedule(c, p).length);
export function paymentOf(c: ErpContext, k: number): { invoice: number; j: number } {
  const s = paymentStarts(c);
  const invoice = groupOf(s, k);
  return { invoice, j: k - s[invoice]! };
}

/** Invoices with an applied credit memo (refund index → invoice), and those partly returned (return index → invoice). */
export const creditedInvoices = (c: ErpContext): readonly number[] =>
  perRun(c, 'erp:credited', () => Array.from({ length: c.count('orders') }, (_, p) => p).filter((p) => invoiceFacts(c, p).credit !== null));
export const returnedInvoices = (c: ErpContext): readonly number[] => perRun(c, 'erp:returned', () => creditedInvoices(c).filter((p) => invoiceFacts(c, p).credit!.kind === 'return'));
/** Position of invoice p in a sorted list of invoices (it must be there). */
export function indexIn(list: readonly number[], p: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Status of an invoice after `paid` of `owed` cents, at time t against its due date. */
export function invoiceStatus(balance: number, paid: number, due: number, t: number): 'open' | 'partial' | 'paid' | 'overdue' {
  if (balance === 0) return 'paid';
  if (due < Math.floor(t / DAY) * DAY) return 'overdue';
  return paid > 0 ? 'partial' : 'open';
}
