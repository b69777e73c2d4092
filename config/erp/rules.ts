/**
 * Business rules of the erp dataset as pure functions: the Pareto choice of clients, order
 * headers, line counts, pricing, payment behaviour by credit rating, workflow progress. Each is
 * recomputable from a row index, so a child table can derive what its parent derived without
 * reading the parent row (a parent whose total sums its children cannot be read by them).
 */
import { DAY, HOUR, Rng, fmix32, type CountContext } from '../../src/index.js';
import { PRICING_PROFILES, REF_MS, START, WORKFLOW_STAGES } from './catalogs.js';

/**
 * A per-seed salt: a generated value of a catalog row, so helpers keyed by it change with `--seed`
 * like every other column does.
 */
export function salt(c: CountContext): number {
  return c.lookup('journals', 0).salt as number;
}

/** A fresh stream keyed by (salt, label) at coordinate x: the same numbers wherever it is recomputed. */
export function hashedRng(s: number, label: number, x: number): Rng {
  const a = fmix32(s ^ Math.imul(label, 0x9e3779b1));
  const key = Uint32Array.of(a, fmix32(a + 0x7f4a7c15), fmix32(a ^ 0x85ebca6b), fmix32(a + label));
  return new Rng().reset(key, x);
}

/** A value computed once per run and shared by every row (`c.memo`). */
export function perRun<T>(c: CountContext, key: string, build: () => T): T {
  return c.memo(key, build);
}

export interface ClientFacts {
  created: number;
  rating: Rating;
  terms: number;
  creditLimit: number;
  profile: number;
}

/**
 * The few client attributes order headers, pricing and payment schedules read, kept per run
 * (one small record per client; clients are a catalogue, not a stream). Recomputing a client row
 * runs faker, and the row cache is smaller than the client list.
 */
export function clientFacts(c: CountContext, i: number): ClientFacts {
  const list = perRun(c, 'clientFacts', (): (ClientFacts | undefined)[] => []);
  let f = list[i];
  if (!f) {
    const r = c.lookup('clients', i);
    f = { created: (r.created_at as Date).getTime(), rating: r.credit_rating as Rating, terms: r.payment_terms_days as number, creditLimit: r.credit_limit as number, profile: (r.pricing_profile_id as number) - 1 };
    list[i] = f;
  }
  return f;
}

export interface ProductFacts {
  name: string;
  unit: string;
  category: number;
  costCents: number;
  priceCents: number;
}

/** The product attributes order lines, invoice lines and purchases read, kept per run (a catalogue). */
export function productFacts(c: CountContext, i: number): ProductFacts {
  const list = perRun(c, 'productFacts', (): (ProductFacts | undefined)[] => []);
  let f = list[i];
  if (!f) {
    const r = c.lookup('products', i);
    f = { name: r.name as string, unit: r.unit as string, category: r.category_id as number, costCents: r.cost_cents as number, priceCents: r.price_cents as number };
    list[i] = f;
  }
  return f;
}

const LABEL_LINES = 1;
const LABEL_ORDER = 2;
const LABEL_BATCH = 3;
const LABEL_PAY = 4;

/** Lines on order p (and on its invoice): 1–8, most orders have 1–4. */
export function lineCount(c: CountContext, order: number): number {
  return hashedRng(salt(c), LABEL_LINES, order).weighted([[1, 20], [2, 22], [3, 18], [4, 14], [5, 10], [6, 7], [7, 5], [8, 4]]);
}

/** A stride coprime with n, so r ↦ (r·stride + 11) mod n is a bijection of [0, n). */
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
  const rank = rng.zipf(n, s);
  return (rank * strideFor(n) + 11) % n;
}

export interface OrderHeader {
  client: number;
  at: number;
  /** When the order's invoice is issued (a few hours to two days later). */
  issued: number;
}

/**
 * Client and time of order p. Orders grow over the window (recent months busier), fall on
 * weekdays in business hours, and never precede the client's creation.
 */
export function orderHeader(c: CountContext, p: number): OrderHeader {
  const rng = hashedRng(salt(c), LABEL_ORDER, p);
  const client = paretoClient(rng, c.count('clients'), c.params.clientZipf as number);
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
  return { client, at, issued: Math.min(REF_MS, at + rng.int(1, 48) * HOUR) };
}

/**
 * When batch k (of n) of a product is made: the first before the window (opening stock), the
 * others spread over it in order, so "the latest batch made by t" is found without reading rows.
 */
export function batchTime(c: CountContext, globalIndex: number, k: number, n: number): number {
  const u = hashedRng(salt(c), LABEL_BATCH, globalIndex).float();
  if (k === 0) return START - 75 * DAY + Math.floor(u * 68 * DAY);
  // Denser towards the reference date (the business grows), still in order within the product.
  const span = REF_MS - HOUR - START;
  return START + Math.floor(span * Math.pow((k - 1 + u) / (n - 1), 1 / 1.2));
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

export type Rating = 'A' | 'B' | 'C' | 'D';
export type Method = 'check' | 'wire' | 'ACH';

export interface Installment {
  at: number;
  /** Share of the balance still open that this instalment pays (1 = all of it). */
  share: number;
  method: Method;
}

/** Due date (midnight UTC) of an invoice issued at `issued` on `terms` days. */
export const dueDate = (issued: number, terms: number): number => Math.floor(issued / DAY) * DAY + terms * DAY;

/**
 * The payments invoice p receives up to the reference date (times, shares, methods; amounts
 * follow from the total with `paymentAmounts`). Credit rating drives behaviour: A pays around the
 * due date, B a week late, C weeks late in instalments, D (chronically late) months late and often
 * stalls after a first part-payment. Recomputable from the index alone, so counting payments does
 * not need the invoice's lines.
 */
export function paymentSchedule(c: CountContext, p: number): Installment[] {
  const h = orderHeader(c, p);
  const client = clientFacts(c, h.client);
  const rating = client.rating;
  const due = dueDate(h.issued, client.terms);
  const rng = hashedRng(salt(c), LABEL_PAY, p);
  let delay: number;
  let parts: number;
  let stall = rng.chance(0.03);
  switch (rating) {
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

/** Cents of each instalment of `total`: a share of what is still open, the last one the rest. */
export function paymentAmounts(total: number, schedule: readonly Installment[]): number[] {
  let left = total;
  return schedule.map((x) => {
    const cents = x.share >= 1 ? left : Math.max(1, Math.round(left * x.share));
    left -= cents;
    return cents;
  });
}

/** Times the item entered each stage (0 = receiving); stages not reached by the reference date are absent. */
export function workflowTimes(rng: Rng, received: number): number[] {
  const out = [received];
  let t = received;
  for (let s = 1; s < WORKFLOW_STAGES.length; s++) {
    // Intake waits for a dock slot, testing on the lab; packaging and shipping are quicker.
    const hours = s === 1 ? rng.uniform(24, 96) : s === 2 ? rng.uniform(48, 192) : s === 3 ? rng.uniform(24, 96) : rng.uniform(12, 72);
    t += Math.round(hours * HOUR);
    if (t > REF_MS) break;
    out.push(t);
  }
  return out;
}

/** Lots are received in index order (monotone times), so "lots received by t" is a prefix of the table. */
const LOTS_FROM = START - 90 * DAY;
const LOTS_TO = REF_MS - 5 * DAY;
export const lotReceivedAt = (i: number, n: number, u: number): number => LOTS_FROM + Math.floor(((LOTS_TO - LOTS_FROM) * (i + u)) / n);
/** How many lots (a prefix) were certainly received before `t`. */
export const lotsBefore = (t: number, n: number): number => Math.max(0, Math.min(n, Math.floor(((t - LOTS_FROM) / (LOTS_TO - LOTS_FROM)) * n) - 1));

const slugRe = /[^a-z0-9]+/g;
export const slug = (s: string): string => s.toLowerCase().normalize('NFKD').replace(slugRe, '');

/** Cents as a number with two decimals (numeric(…, 2) columns). */
export const money = (cents: number): number => cents / 100;
