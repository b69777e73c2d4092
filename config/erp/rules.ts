/**
 * Business rules of the erp dataset as pure functions: the Pareto choice of clients, order
 * headers and lines, list prices over time, pricing, payment behaviour by credit rating, workflow
 * progress. Each is recomputable from a row index (through a per-seed salt), so a table derives
 * what another derived without reading its rows — an order's lines, its invoice, the sales of a
 * batch and the books all come from the same `orderLines(p)`.
 */
import { DAY, HOUR, Rng, fmix32, type TypedCountContext, type TypedGenContext } from '../../src/index.js';
import type { ErpParams } from './params.js';
import { PRICING_PROFILES, REF_MS, START, WORKFLOW_STAGES } from './catalogs.js';

/**
 * What the helpers read of the dataset's rows (lookups, children) and the tables they count; every
 * table's context has these (`mergeTables` checks them against the tables declared).
 */
export interface ErpRows {
  readonly journals: { readonly salt: number };
  readonly clients: {
    readonly created_at: Date;
    readonly credit_rating: Rating;
    readonly payment_terms_days: number;
    readonly credit_limit: number;
    readonly pricing_profile_id: number;
    readonly sales_rep_id: number;
    readonly name: string;
  };
  readonly products: {
    readonly name: string;
    readonly unit: string;
    readonly category_id: number;
    readonly cost_cents: number;
    readonly vendor_id: number;
    readonly launch_cents: number;
    readonly created_at: Date;
  };
  readonly vendors: { readonly is_consignment: boolean; readonly payment_terms_days: number; readonly name: string };
  readonly users: { readonly salary_cents: number };
  readonly expenses: { readonly cents: number; readonly incurred_at: Date; readonly description: string; readonly category: number };
  readonly client_pricing_overrides: { readonly product_id: number; readonly valid_from: Date; readonly cents: number };
  // Counted only (journal sources, numbered documents).
  readonly orders: object;
  readonly invoices: object;
  readonly payments: object;
  readonly refunds: object;
  readonly bills: object;
  readonly vendor_payments: object;
  readonly consignment_settlements: object;
  readonly payroll_runs: object;
  readonly bank_transfers: object;
  readonly inventory_adjustments: object;
  readonly fiscal_periods: object;
  readonly purchase_orders: object;
  readonly quotes: object;
  readonly returns: object;
  readonly workflow_transitions: object;
}

/** The context the helpers take: every count or generator context of the dataset fits. */
export type ErpContext<Extra = object, Parent = unknown> = TypedCountContext<ErpRows & Extra, Parent, ErpParams>;
/** A generator context of the dataset, for helpers that read `c.k`, `c.row`, the parent or the column's stream. */
export type ErpGenContext<Parent = unknown, Row = unknown, Extra = object> = TypedGenContext<ErpRows & Extra, Row, Parent, ErpParams>;

/**
 * A per-seed salt: a generated value of a catalog row, so helpers keyed by it change with `--seed`
 * like every other column does.
 */
export function salt(c: ErpContext): number {
  return c.memo('erp:salt', () => c.lookup('journals', 0).salt);
}

/** A fresh stream keyed by (salt, label) at coordinate x: the same numbers wherever it is recomputed. */
export function hashedRng(s: number, label: number, x: number): Rng {
  return new Rng().reset(labelKey(s, label), x);
}

/** Stream keys of the current salt by label (labels are small integers), derived once instead of per call. */
let keysSalt = NaN;
let keysByLabel: (Uint32Array | undefined)[] = [];
function labelKey(s: number, label: number): Uint32Array {
  if (s !== keysSalt) {
    keysSalt = s;
    keysByLabel = [];
  }
  const small = label >= 0 && label < 1024 && Number.isInteger(label);
  const hit = small ? keysByLabel[label] : undefined;
  if (hit) return hit;
  const a = fmix32(s ^ Math.imul(label, 0x9e3779b1));
  const key = Uint32Array.of(a, fmix32(a + 0x7f4a7c15), fmix32(a ^ 0x85ebca6b), fmix32(a + label));
  if (small) keysByLabel[label] = key;
  return key;
}

/** A value computed once per run and shared by every row (`c.memo`). */
export function perRun<T>(c: ErpContext, key: string, build: () => T): T {
  return c.memo(key, build);
}

/**
 * A per-run cache of one fact per order, direct-mapped (slot = order mod size): an order is read by
 * its lines, invoice, sales, payments, the client's statement and the books — often interleaved with
 * other orders, and by several passes over every order — and recomputing it dominated generation.
 * Sized to the orders up to `ORDER_SLOTS`, so memory is bounded whatever the row count.
 */
export interface OrderCache<T> {
  readonly of: Float64Array;
  readonly value: (T | undefined)[];
  readonly mask: number;
}

const ORDER_SLOTS = 16_384;

export function orderCache<T>(c: ErpContext, key: string): OrderCache<T> {
  return perRun(c, key, () => {
    let size = 1;
    while (size < ORDER_SLOTS && size < c.count('orders')) size *= 2;
    return { of: new Float64Array(size).fill(-1), value: new Array<T | undefined>(size), mask: size - 1 };
  });
}

/**
 * First global row of each parent's group in a group table, for random access in O(1): one
 * sequential pass, kept per run (an int per parent). `size` recomputes a group's size cheaply when
 * the table's count has a pure form; otherwise the group is counted by materialising it once.
 */
export function groupStarts<T extends string>(c: ErpContext<{ readonly [N in T]: object }>, table: T, parents: number, size?: (p: number) => number): Int32Array {
  return perRun(c, `erp:starts:${table}`, () => {
    const out = new Int32Array(parents + 1);
    for (let p = 0; p < parents; p++) out[p + 1] = out[p]! + (size ? size(p) : c.children(table, p).length);
    return out;
  });
}

/** The group (parent index) holding global row i, by binary search over `starts`. */
export function groupOf(starts: Int32Array, i: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export const L = { LINES: 1, ORDER: 2, PAY: 4, VENDOR: 5, PRICE: 6, SUPPLY: 7, CREDIT: 8, RETURN: 9, SHIP: 10, TIMES: 11 } as const;

export type Rating = 'A' | 'B' | 'C' | 'D';
export type Method = 'check' | 'wire' | 'ACH';

export interface ClientFacts {
  created: number;
  rating: Rating;
  terms: number;
  creditLimit: number;
  profile: number;
  rep: number;
  name: string;
}

/** The client attributes orders, pricing and payments read, kept per run (clients are a catalogue). */
export function clientFacts(c: ErpContext, i: number): ClientFacts {
  const list = perRun(c, 'erp:clients', (): (ClientFacts | undefined)[] => []);
  let f = list[i];
  if (!f) {
    const r = c.lookup('clients', i);
    f = {
      created: r.created_at.getTime(), rating: r.credit_rating, terms: r.payment_terms_days, creditLimit: r.credit_limit,
      profile: r.pricing_profile_id - 1, rep: r.sales_rep_id, name: r.name,
    };
    list[i] = f;
  }
  return f;
}

export interface ProductFacts {
  name: string;
  unit: string;
  category: number;
  costCents: number;
  vendor: number;
  /** List price from each date on (ascending; the first is the price the product launched with). */
  prices: readonly { from: number; cents: number }[];
}

/** The product attributes lines, purchases and the books read, kept per run (a catalogue). */
export function productFacts(c: ErpContext, i: number): ProductFacts {
  const list = perRun(c, 'erp:products', (): (ProductFacts | undefined)[] => []);
  let f = list[i];
  if (!f) {
    const r = c.lookup('products', i);
    f = { name: r.name, unit: r.unit, category: r.category_id - 1, costCents: r.cost_cents, vendor: r.vendor_id - 1, prices: priceTimeline(c, i, r.launch_cents, r.created_at.getTime()) };
    list[i] = f;
  }
  return f;
}

/** List-price changes of product p: none (50%), one or two increases of 2–6% during the window. */
export function priceTimeline(c: ErpContext, p: number, launchCents: number, created: number): { from: number; cents: number }[] {
  const r = hashedRng(salt(c), L.PRICE, p);
  const n = r.weighted([[0, 50], [1, 35], [2, 15]]);
  const out = [{ from: created, cents: launchCents }];
  const times = Array.from({ length: n }, () => START + 30 * DAY + Math.floor(r.float() * (REF_MS - START - 60 * DAY))).sort((a, b) => a - b);
  for (const t of times) out.push({ from: Math.floor(t / DAY) * DAY + 14 * HOUR, cents: Math.round(out[out.length - 1]!.cents * (1 + r.int(2, 6) / 100)) });
  return out;
}

/** The list price of a product at time t. */
export function priceAt(f: ProductFacts, t: number): number {
  let cents = f.prices[0]!.cents;
  for (const x of f.prices) if (x.from <= t) cents = x.cents;
  return cents;
}

/** The product's supplier: a few big vendors supply many products (Zipf), spread over the id range. */
export function productVendor(c: ErpContext, p: number): number {
  const n = c.count('vendors');
  return (hashedRng(salt(c), L.VENDOR, p).zipf(n, 0.7) * strideFor(n) + 5) % n;
}

/**
 * Size rank of vendor v (0 = the vendor supplying most products): the inverse of the permutation
 * `productVendor` maps ranks through. Every tenth rank from the seventh is billed on receipt, the
 * others deliver on consignment — about 90% of intake by value, as the seeding plan says.
 */
export function vendorRank(c: ErpContext, v: number): number {
  return perRun(c, 'erp:vendorRank', () => {
    const n = c.count('vendors');
    const out = new Int32Array(n);
    for (let r = 0; r < n; r++) out[(r * strideFor(n) + 5) % n] = r;
    return out;
  })[v]!;
}

/** Lines on order p (and on its invoice): 1–8, most orders have 1–4. */
export function lineCount(c: ErpContext, order: number): number {
  return hashedRng(salt(c), L.LINES, order).weighted([[1, 20], [2, 22], [3, 18], [4, 14], [5, 10], [6, 7], [7, 5], [8, 4]]);
}

/** A stride coprime with n, so r ↦ (r·stride + b) mod n is a bijection of [0, n). */
function strideFor(n: number): number {
  for (const p of [7919, 104_729, 1_299_709, 15_485_863]) if (n % p !== 0) return p % n || 1;
  return 1;
}

/**
 * Client index for a new order: a Zipf rank (rank 0 the biggest account) mapped through a fixed
 * permutation, so the top accounts are spread over the id range. With s ≈ 1.1 the top 20% of
 * accounts place about 80% of the revenue.
 */
export function paretoClient(rng: Rng, n: number, s: number): number {
  return (rng.zipf(n, s) * strideFor(n) + 11) % n;
}

export interface OrderHeader {
  client: number;
  at: number;
  /** When the order's invoice is issued (a few hours to two days later). */
  issued: number;
  shipped: number;
  /** Delivered by the reference date, else null (in transit). */
  delivered: number | null;
}

/**
 * Client and times of order p. Orders grow over the window (recent months busier), fall on
 * weekdays in business hours, and never precede the client's creation.
 */
export function orderHeader(c: ErpContext, p: number): OrderHeader {
  const cache = orderCache<OrderHeader>(c, 'erp:headers');
  const slot = p & cache.mask;
  if (cache.of[slot] === p) return cache.value[slot]!;
  const h = computeHeader(c, p);
  cache.of[slot] = p;
  cache.value[slot] = h;
  return h;
}

function computeHeader(c: ErpContext, p: number): OrderHeader {
  const rng = hashedRng(salt(c), L.ORDER, p);
  const client = paretoClient(rng, c.count('clients'), c.params.clientZipf);
  const created = clientFacts(c, client).created;
  const from = Math.max(START, created + DAY);
  const to = REF_MS - 3 * DAY;
  const u = Math.pow(rng.float(), 1 / 1.2);
  const d = new Date(from + Math.floor(u * Math.max(0, to - from)));
  const dow = d.getUTCDay();
  if (dow === 0) d.setUTCDate(d.getUTCDate() + 1);
  if (dow === 6) d.setUTCDate(d.getUTCDate() - 1);
  d.setUTCHours(15 + rng.int(0, 8), rng.int(0, 59), rng.int(0, 59), 0);
  const at = Math.min(d.getTime(), to);
  const shipped = Math.min(REF_MS, at + rng.int(18, 72) * HOUR);
  const delivered = shipped + rng.int(20, 96) * HOUR;
  return { client, at, issued: Math.min(REF_MS, at + rng.int(1, 48) * HOUR), shipped, delivered: delivered <= REF_MS ? delivered : null };
}

export interface OrderLine {
  product: number;
  qty: number;
}

/**
 * The lines of order p: distinct products, the first a best seller (Zipf over the catalogue) 60% of
 * the time, quantities log-normal (pounds for flower, cases otherwise). Kept in an `orderCache`, so
 * line k costs O(1).
 */
export function orderLines(c: ErpContext, p: number): readonly OrderLine[] {
  const cache = orderCache<readonly OrderLine[]>(c, 'erp:lines');
  const slot = p & cache.mask;
  if (cache.of[slot] === p) return cache.value[slot]!;
  const r = hashedRng(salt(c), L.LINES, p);
  const n = r.weighted([[1, 20], [2, 22], [3, 18], [4, 14], [5, 10], [6, 7], [7, 5], [8, 4]]);
  const products = c.count('products');
  const lines: OrderLine[] = [];
  const used = new Set<number>();
  for (let k = 0; k < Math.min(n, products); k++) {
    let product = k === 0 && r.chance(0.6) ? r.zipf(products, 1.1) : Math.floor(r.float() * products);
    while (used.has(product)) product = (product + 1) % products;
    used.add(product);
    const lb = productFacts(c, product).unit === 'lb';
    lines.push({ product, qty: Math.max(1, Math.round(r.lognormal(Math.log(lb ? 4 : 14), 0.85))) });
  }
  cache.of[slot] = p;
  cache.value[slot] = lines;
  return lines;
}

/** Volume discount (whole percent) of pricing profile `profile` (0-based) for `qty` units. */
export function tierDiscount(profile: number, qty: number): number {
  let pct = 0;
  for (const [min, d] of PRICING_PROFILES[profile]!.tiers) if (qty >= min) pct = d;
  return pct;
}

/** `cents × (100 − pct) / 100`, rounded half up to a cent (what `round(numeric, 2)` does). */
export function discounted(cents: number, pct: number): number {
  return Math.floor((cents * (100 - pct) + 50) / 100);
}

export interface Installment {
  at: number;
  /** Share of the balance still open that this instalment pays (1 = all of it). */
  share: number;
  method: Method;
}

/** Due date (midnight UTC) of an invoice issued at `issued` on `terms` days. */
export const dueDate = (issued: number, terms: number): number => Math.floor(issued / DAY) * DAY + terms * DAY;

/**
 * The payments invoice p receives up to the reference date (times, shares, methods; amounts follow
 * from what is owed with `paymentAmounts`). Credit rating drives behaviour: A pays around the due
 * date, B a week late, C weeks late in instalments, D (chronically late) months late and often
 * stalls after a first part-payment.
 */
export function paymentSchedule(c: ErpContext, p: number): readonly Installment[] {
  const cache = orderCache<readonly Installment[]>(c, 'erp:schedules');
  const slot = p & cache.mask;
  if (cache.of[slot] === p) return cache.value[slot]!;
  const out = computeSchedule(c, p);
  cache.of[slot] = p;
  cache.value[slot] = out;
  return out;
}

function computeSchedule(c: ErpContext, p: number): Installment[] {
  const h = orderHeader(c, p);
  const client = clientFacts(c, h.client);
  const due = dueDate(h.issued, client.terms);
  const rng = hashedRng(salt(c), L.PAY, p);
  let delay: number;
  let parts: number;
  let stall = rng.chance(0.03);
  switch (client.rating) {
    case 'A':
      delay = rng.normal(-3, 4);
      parts = rng.chance(0.93) ? 1 : 2;
      break;
    case 'B':
      delay = rng.exponential(7) - 2;
      parts = rng.weighted([[1, 80], [2, 15], [3, 5]]);
      break;
    case 'C':
      delay = 6 + rng.exponential(22);
      parts = rng.weighted([[1, 55], [2, 30], [3, 15]]);
      break;
    default:
      delay = 28 + rng.exponential(50);
      parts = rng.weighted([[1, 30], [2, 40], [3, 30]]);
      stall = stall || rng.chance(0.22);
  }
  if (parts === 1) stall = false;
  // Big accounts wire; the rest mostly ACH or check.
  const big = client.creditLimit >= 150_000;
  const out: Installment[] = [];
  let at = Math.max(h.issued + DAY, due + delay * DAY);
  for (let j = 0; j < parts; j++) {
    if (at > REF_MS) break;
    const method: Method = big ? rng.weighted({ wire: 60, ACH: 35, check: 5 }) : rng.weighted({ ACH: 45, check: 38, wire: 17 });
    out.push({ at: Math.floor(at), share: j === parts - 1 ? 1 : rng.uniform(0.3, 0.6), method });
    if (stall) break;
    at += rng.uniform(7, 30) * DAY;
  }
  return out;
}

/** Cents of each instalment of `owed`: a share of what is still open, the last one the rest. */
export function paymentAmounts(owed: number, schedule: readonly Installment[]): number[] {
  let left = owed;
  return schedule.map((x) => {
    const cents = x.share >= 1 ? left : Math.max(1, Math.round(left * x.share));
    left -= cents;
    return cents;
  });
}

/** Hours each intake stage takes at most: receiving, testing (the lab), packaging. */
export const STAGE_HOURS: readonly (readonly [number, number])[] = [[24, 96], [48, 192], [24, 96]];

/** Times the batch entered each stage (0 = receiving); stages not reached by the reference date are absent. */
export function workflowTimes(rng: Rng, received: number): number[] {
  const out = [received];
  let t = received;
  for (let s = 1; s < WORKFLOW_STAGES.length; s++) {
    const [lo, hi] = STAGE_HOURS[s - 1]!;
    t += Math.round(rng.uniform(lo, hi) * HOUR);
    if (t > REF_MS) break;
    out.push(t);
  }
  return out;
}

const slugRe = /[^a-z0-9]+/g;
export const slug = (s: string): string => s.toLowerCase().normalize('NFKD').replace(slugRe, '');

/** Cents as a number with two decimals (numeric(…, 2) columns). */
export const money = (cents: number): number => cents / 100;
