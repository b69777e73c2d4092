/**
 * The supply chain of the erp dataset as one plan: purchase orders → items → lots → batches → the
 * order lines that sell them. Sales of window w (a quarter) draw on the batch bought for it, so a
 * batch holds what its window sold plus a little slack: no batch is ever sold beyond what was
 * received, and inventory is never negative. The plan comes from one pass over the order lines
 * (product and quantity per month, a products × months table) and is the size of the catalogue
 * times the windows; order, invoice and batch rows then find their batch in O(1).
 */
import { DAY, HOUR } from '../../src/index.js';
import { REF_MS } from './catalogs.js';
import { CURRENT_WINDOW, MONTHS, WINDOWS, WINDOW_STARTS, monthOf, monthStart } from './catalogs-ops.js';
import { L, hashedRng, orderHeader, orderLines, perRun, productFacts, productVendor, salt, type ErpContext } from './rules.js';

export interface PurchaseOrderPlan {
  vendor: number;
  window: number;
  ordered: number;
  expected: number;
  /** Received at, or null when still on its way at the reference date. */
  received: number | null;
  consignment: boolean;
  /** First global index of its items (items of a PO are consecutive). */
  firstItem: number;
  items: number;
}

export interface ItemPlan {
  product: number;
  window: number;
  po: number;
  qty: number;
  costCents: number;
  /** Units sold from its batch (its window's demand). */
  sold: number;
  /** Batch index (= lot index), or -1 when not received. */
  batch: number;
  expires: number;
}

export interface SupplyPlan {
  pos: readonly PurchaseOrderPlan[];
  items: readonly ItemPlan[];
  /** Item of each batch. */
  batchItem: Int32Array;
  /** POs per vendor, and the first PO of each vendor. */
  vendorPos: Int32Array;
  /** Units sold per product and month (products × MONTHS). */
  demand: Int32Array;
  /** Item index of (product, window), or -1. */
  itemOf: Int32Array;
}

export interface VendorFacts {
  consignment: boolean;
  terms: number;
  name: string;
}

export function vendorFacts(c: ErpContext, v: number): VendorFacts {
  const list = perRun(c, 'erp:vendors', (): (VendorFacts | undefined)[] => []);
  let f = list[v];
  if (!f) {
    const r = c.lookup('vendors', v);
    f = { consignment: r.is_consignment, terms: r.payment_terms_days, name: r.name };
    list[v] = f;
  }
  return f;
}

/** Months [first, end) of window w. */
export function windowMonths(w: number): readonly [number, number] {
  const end = w + 1 < WINDOWS ? monthOf(WINDOW_STARTS[w + 1]! - 1) + 1 : MONTHS;
  return [monthOf(WINDOW_STARTS[w]!), end];
}

const businessHours = (t: number, h: number): number => {
  const d = new Date(Math.floor(t / DAY) * DAY + h * HOUR);
  if (d.getUTCDay() === 0) d.setUTCDate(d.getUTCDate() + 1);
  if (d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 2);
  return d.getTime();
};

export function supply(c: ErpContext): SupplyPlan {
  return perRun(c, 'erp:supply', () => {
    const s = salt(c);
    const P = c.count('products');
    const V = c.count('vendors');
    const demand = new Int32Array(P * MONTHS);
    const orders = c.count('orders');
    for (let o = 0; o < orders; o++) {
      const m = monthOf(orderHeader(c, o).at);
      for (const l of orderLines(c, o)) demand[l.product * MONTHS + m]! += l.qty;
    }
    const wd = (p: number, w: number): number => {
      const [a, b] = windowMonths(w);
      let n = 0;
      for (let m = a; m < b; m++) n += demand[p * MONTHS + m]!;
      return n;
    };
    const byVendor: number[][] = Array.from({ length: V }, () => []);
    for (let p = 0; p < P; p++) byVendor[productVendor(c, p)]!.push(p);
    const pos: PurchaseOrderPlan[] = [];
    const items: ItemPlan[] = [];
    const vendorPos = new Int32Array(V);
    const itemOf = new Int32Array(P * WINDOWS).fill(-1);
    for (let v = 0; v < V; v++) {
      const consignment = vendorFacts(c, v).consignment;
      for (let w = 0; w < WINDOWS; w++) {
        const need: { product: number; qty: number; sold: number }[] = [];
        for (const p of byVendor[v]!) {
          const r = hashedRng(s, L.SUPPLY, p * WINDOWS + w);
          if (w <= CURRENT_WINDOW) {
            const d = wd(p, w);
            if (d > 0) need.push({ product: p, qty: d + Math.ceil(d * r.uniform(0.03, 0.12)) + r.int(0, 2), sold: d });
          } else {
            const recent = wd(p, CURRENT_WINDOW) * 1.3 + wd(p, CURRENT_WINDOW - 1) * 0.3;
            if (recent > 0) need.push({ product: p, qty: Math.max(1, Math.round(recent * r.uniform(0.9, 1.2))), sold: 0 });
          }
        }
        if (need.length === 0) continue;
        const r = hashedRng(s, L.SUPPLY, -1 - (v * WINDOWS + w));
        // Bought four to five weeks ahead and received 7–12 days later, so the intake workflow
        // (at most 16 days) has released the batches before the window opens.
        const ordered = w <= CURRENT_WINDOW ? businessHours(WINDOW_STARTS[w]! - r.int(33, 40) * DAY, 15 + r.int(0, 7)) : businessHours(REF_MS - r.int(5, 30) * DAY, 15 + r.int(0, 7));
        const expected = ordered + r.int(7, 12) * DAY;
        const arrives = expected + Math.round(r.uniform(-0.5, 0.5) * DAY);
        const received = arrives <= REF_MS ? arrives : null;
        const firstItem = items.length;
        for (const n of need) {
          // Bought at 90–100% of the standard cost; shelf life one to two years from receipt.
          const r2 = hashedRng(s, L.SUPPLY + 100, n.product * WINDOWS + w);
          const costCents = Math.round(productFacts(c, n.product).costCents * r2.uniform(0.9, 1));
          itemOf[n.product * WINDOWS + w] = items.length;
          items.push({ product: n.product, window: w, po: pos.length, qty: n.qty, costCents, sold: n.sold, batch: -1, expires: received === null ? 0 : Math.floor((received + r2.int(365, 730) * DAY) / DAY) * DAY });
        }
        pos.push({ vendor: v, window: w, ordered, expected, received, consignment, firstItem, items: need.length });
        vendorPos[v]!++;
      }
    }
    const batchItem: number[] = [];
    for (const po of pos) {
      if (po.received === null) continue;
      for (let j = po.firstItem; j < po.firstItem + po.items; j++) {
        items[j]!.batch = batchItem.length;
        batchItem.push(j);
      }
    }
    return { pos, items, batchItem: Int32Array.from(batchItem), vendorPos, demand, itemOf };
  });
}

/** The item (and batch) that order lines of `product` at time t sell from. */
export function itemFor(c: ErpContext, product: number, t: number): ItemPlan {
  const sp = supply(c);
  let w = 0;
  while (w < CURRENT_WINDOW && WINDOW_STARTS[w + 1]! <= t) w++;
  return sp.items[sp.itemOf[product * WINDOWS + w]!]!;
}

/** Units on hand of an item's batch at the reference date, and what expired and was written off. */
export function onHand(it: ItemPlan): { units: number; writtenOff: number } {
  const left = it.batch < 0 ? 0 : it.qty - it.sold;
  return it.expires < REF_MS && left > 0 ? { units: 0, writtenOff: left } : { units: left, writtenOff: 0 };
}

/** Months of an item's window with sales, with the units sold in each. */
export function salesByMonth(c: ErpContext, it: ItemPlan): { month: number; units: number }[] {
  const sp = supply(c);
  const [a, b] = windowMonths(it.window);
  const out: { month: number; units: number }[] = [];
  if (it.window > CURRENT_WINDOW) return out;
  for (let m = a; m < b; m++) {
    const u = sp.demand[it.product * MONTHS + m]!;
    if (u > 0) out.push({ month: m, units: u });
  }
  return out;
}

export { monthStart };
