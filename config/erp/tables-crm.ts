/**
 * erp client relationships: notes, the activity timeline, communications, each client's statement
 * (every invoice, credit and payment with a running balance that ends at what the client owes),
 * what clients need and supply, the matchmaking between them and the catalogue, and vendor notes.
 */
import { defineTables, jsonb, DAY, MINUTE, type RowsIn } from '../../src/index.js';
import type { params } from './params.js';
import type { partyTables } from './tables-parties.js';
import { CATEGORIES, REF_MS, START } from './catalogs.js';
import { invoiceNumber } from './books.js';
import { creditedInvoices, indexIn, invoiceFacts, paymentStarts } from './invoicing.js';
import { groupStarts, money, perRun, productFacts, type ErpContext, type ErpRows } from './rules.js';
import { ordersOf } from './tables-sales.js';
import { pickUser } from './tables-core.js';
import { ACTIVITIES, CLIENT_NOTES, COMMUNICATIONS, NEEDS, VENDOR_NOTES } from './text.js';

const ms = (d: Date): number => d.getTime();
const since = (c: ErpContext<object, { readonly created_at: Date }>): number => Math.max(START, ms(c.parent.created_at));

interface StatementLine {
  at: number;
  kind: 'invoice' | 'credit' | 'payment';
  invoice: number;
  ref: number;
  cents: number;
  balance: number;
}

/** A client's statement in time order; the client being streamed is kept (a one-entry cache). */
function statement(c: ErpContext, client: number): readonly StatementLine[] {
  const last = perRun(c, 'erp:lastStatement', () => ({ client: -1, lines: [] as StatementLine[] }));
  if (last.client === client) return last.lines;
  const lines: StatementLine[] = [];
  for (const p of ordersOf(c, client)) {
    const f = invoiceFacts(c, p);
    lines.push({ at: f.header.issued, kind: 'invoice', invoice: p, ref: p, cents: f.total, balance: 0 });
    if (f.credit) lines.push({ at: f.credit.at, kind: 'credit', invoice: p, ref: indexIn(creditedInvoices(c), p), cents: -f.credit.cents, balance: 0 });
    const first = paymentStarts(c)[p]!;
    f.schedule.forEach((s, j) => lines.push({ at: s.at, kind: 'payment', invoice: p, ref: first + j, cents: -f.amounts[j]!, balance: 0 }));
  }
  lines.sort((a, b) => a.at - b.at || a.invoice - b.invoice);
  let bal = 0;
  for (const l of lines) l.balance = bal += l.cents;
  last.client = client;
  last.lines = lines;
  return lines;
}

/** Products of each category (a catalogue-sized index). */
function productsIn(c: ErpContext, category: number): readonly number[] {
  const all = perRun(c, 'erp:productsByCategory', () => {
    const out: number[][] = CATEGORIES.map(() => []);
    for (let p = 0; p < c.count('products'); p++) out[productFacts(c, p).category]!.push(p);
    return out;
  });
  return all[category]!;
}

export const crmTables = defineTables<ErpRows & RowsIn<typeof partyTables>, typeof params>()({
  client_notes: {
    per: { parent: 'clients', count: (c) => Math.min(12, c.rng.poisson(2.5)) },
    columns: {
      id: { type: 'bigint' },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      author_id: { type: 'bigint', references: 'users', gen: (c) => (c.rng.chance(0.7) ? c.parent.sales_rep_id : pickUser(c, 'accounting', 'manager')) },
      created_at: { type: 'timestamptz', gen: (c) => c.t.recent(since(c), REF_MS, 1.4) },
      body: { type: 'text', gen: (c) => c.text.say(CLIENT_NOTES, { client: c.parent.name, q: String(Math.floor(new Date(ms(c.row.created_at)).getUTCMonth() / 3) + 1) }) },
      pinned: { type: 'boolean', gen: (c) => c.rng.chance(0.1) },
    },
  },
  client_activities: {
    per: { parent: 'clients', count: (c) => c.rng.int(3, 30) },
    description: 'Timeline of touches per client, in time order.',
    columns: {
      id: { type: 'bigint' },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      // Spread over the client's life with jitter: increasing within a client by construction.
      ts: { type: 'bigint', virtual: true, gen: (c) => { const from = since(c); return from + Math.floor(((REF_MS - from) * (c.k + c.rng.float())) / c.n); } },
      user_id: { type: 'bigint', references: 'users', gen: (c) => (c.rng.chance(0.8) ? c.parent.sales_rep_id : pickUser(c, 'manager', 'accounting')) },
      type: { type: { enum: ['call', 'email', 'meeting', 'sample_dropoff', 'quote_sent', 'note'] }, gen: (c) => c.rng.weighted({ email: 35, call: 30, meeting: 10, quote_sent: 12, sample_dropoff: 6, note: 7 }) },
      summary: { type: 'text', gen: (c) => c.text.say(ACTIVITIES, { client: c.parent.name }, c.row.type) },
      occurred_at: { type: 'timestamptz', gen: (c) => new Date(c.row.ts) },
    },
  },
  client_communications: {
    per: { parent: 'clients', count: (c) => Math.min(15, c.rng.poisson(4)) },
    columns: {
      id: { type: 'bigint' },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      contact_id: { type: 'bigint', references: 'client_contacts', gen: (c) => groupStarts(c, 'client_contacts', c.count('clients'))[c.parentIndex]! + 1 },
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.parent.sales_rep_id },
      channel: { type: { enum: ['email', 'call', 'meeting', 'text'] }, gen: (c) => c.rng.weighted({ email: 45, call: 35, meeting: 10, text: 10 }) },
      direction: { type: { enum: ['inbound', 'outbound'] }, gen: (c) => (c.rng.chance(0.6) ? 'outbound' : 'inbound') },
      subject: { type: 'text', gen: (c) => c.text.say(COMMUNICATIONS, {}, 'subject') },
      outcome: { type: 'text', gen: (c) => c.text.say(COMMUNICATIONS, {}, 'outcome') },
      duration_minutes: { type: 'int', nullable: true, gen: (c) => (c.row.channel === 'call' ? c.rng.int(3, 40) : c.row.channel === 'meeting' ? c.rng.pick([30, 45, 60, 90]) : null) },
      occurred_at: { type: 'timestamptz', gen: (c) => c.t.businessHours(c.t.recent(since(c), REF_MS - DAY, 1.3)) },
    },
  },
  client_transactions: {
    per: { parent: 'clients', count: (c) => statement(c, c.parentIndex).length },
    description: 'The client statement: invoices, credits and payments in time order with the running balance (ends at what the client owes).',
    columns: {
      id: { type: 'bigint' },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      line: { type: jsonb<StatementLine>(), virtual: true, gen: (c) => statement(c, c.parentIndex)[c.k] },
      kind: { type: { enum: ['invoice', 'credit', 'payment'] }, gen: (c) => c.row.line.kind },
      invoice_id: { type: 'bigint', references: 'invoices', gen: (c) => c.row.line.invoice + 1 },
      refund_id: { type: 'bigint', nullable: true, references: 'refunds', gen: (c) => (c.row.line.kind === 'credit' ? c.row.line.ref + 1 : null) },
      payment_id: { type: 'bigint', nullable: true, references: 'payments', gen: (c) => (c.row.line.kind === 'payment' ? c.row.line.ref + 1 : null) },
      description: { type: 'text', gen: (c) => { const l = c.row.line; return `${l.kind === 'invoice' ? 'Invoice' : l.kind === 'credit' ? 'Credit on' : 'Payment on'} ${invoiceNumber(invoiceFacts(c, l.invoice).header.at, l.invoice)}`; } },
      amount: { type: 'numeric(14,2)', gen: (c) => money(c.row.line.cents) },
      balance_after: { type: 'numeric(14,2)', gen: (c) => money(c.row.line.balance) },
      occurred_at: { type: 'timestamptz', gen: (c) => new Date(c.row.line.at) },
    },
  },
  client_needs: {
    per: { parent: 'clients', count: (c) => Math.min(3, c.rng.poisson(0.8)) },
    description: 'What a client is looking for; matched when a suggestion was accepted, expired when its date passed without one.',
    columns: {
      id: { type: 'bigint' },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      category_id: { type: 'bigint', references: 'categories', gen: (c) => c.rng.weighted(CATEGORIES.map((k, j) => [j + 1, k.weight] as const)) },
      description: { type: 'text', gen: (c) => c.text.say(NEEDS, { product: CATEGORIES[c.row.category_id - 1]!.name.toLowerCase() }) },
      quantity: { type: 'int', gen: (c) => c.rng.int(5, 200) },
      max_unit_price: { type: 'numeric(12,2)', gen: (c) => Math.round(CATEGORIES[c.row.category_id - 1]!.cost * c.rng.uniform(1.2, 1.6)) },
      created_at: { type: 'timestamptz', gen: (c) => c.t.between(since(c), REF_MS - 7 * DAY) },
      needed_by: { type: 'date', gen: (c) => new Date(Math.floor((ms(c.row.created_at) + c.rng.int(14, 60) * DAY) / DAY) * DAY) },
      // Suggestions are distinct products of the need's category: never more than it has (small scales).
      matches: { type: 'int', virtual: true, gen: (c) => Math.min(c.rng.int(0, 3), productsIn(c, c.row.category_id - 1).length) },
      status: {
        type: { enum: ['open', 'matched', 'expired'] },
        gen: (c) => (c.row.matches > 0 && c.rng.chance(0.5) ? 'matched' : ms(c.row.needed_by) < REF_MS ? 'expired' : 'open'),
      },
    },
  },
  client_supplies: {
    per: { parent: 'clients', count: (c) => (c.parent.is_supplier ? c.rng.int(1, 3) : 0) },
    description: 'What clients that also grow or process have to offer.',
    columns: {
      id: { type: 'bigint' },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      category_id: { type: 'bigint', references: 'categories', gen: (c) => c.rng.weighted(CATEGORIES.map((k, j) => [j + 1, k.weight] as const)) },
      strain_id: { type: 'bigint', nullable: true, references: 'strains', gen: (c) => (CATEGORIES[c.row.category_id - 1]!.strain ? c.ref('strains') : null) },
      quantity: { type: 'int', gen: (c) => c.rng.int(10, 500) },
      asking_unit_price: { type: 'numeric(12,2)', gen: (c) => Math.round(CATEGORIES[c.row.category_id - 1]!.cost * c.rng.uniform(0.9, 1.3)) },
      available_from: { type: 'timestamptz', gen: (c) => c.t.between(since(c), REF_MS - DAY) },
      status: { type: { enum: ['available', 'sold', 'withdrawn'] }, gen: (c) => c.rng.weighted({ available: 60, sold: 30, withdrawn: 10 }) },
    },
  },
  matchmaking_results: {
    per: { parent: 'client_needs', count: (c) => c.parent.matches },
    uniques: [['client_need_id', 'product_id']],
    description: 'Catalogue products suggested for a need (same category), best first; the first is accepted when the need is matched.',
    columns: {
      id: { type: 'bigint' },
      client_need_id: { type: 'bigint', references: 'client_needs', gen: (c) => c.parentIndex + 1 },
      product_id: {
        type: 'bigint',
        references: 'products',
        gen: (c) => {
          const list = productsIn(c, c.parent.category_id - 1);
          const start = (c.parentIndex * 7919) % Math.max(1, list.length);
          return list.length === 0 ? 1 : list[(start + c.k) % list.length]! + 1;
        },
      },
      score: { type: 'numeric(4,3)', gen: (c) => Math.round((0.95 - c.k * 0.12 - c.rng.float() * 0.05) * 1000) / 1000 },
      status: { type: { enum: ['suggested', 'accepted', 'rejected'] }, gen: (c) => (c.parent.status === 'matched' ? (c.k === 0 ? 'accepted' : 'rejected') : c.parent.status === 'expired' ? 'rejected' : 'suggested') },
      suggested_at: { type: 'timestamptz', gen: (c) => new Date(ms(c.parent.created_at) + (c.k + 1) * 37 * MINUTE) },
    },
  },
  vendor_notes: {
    per: { parent: 'vendors', count: (c) => Math.min(8, c.rng.poisson(1.5)) },
    columns: {
      id: { type: 'bigint' },
      vendor_id: { type: 'bigint', references: 'vendors', gen: (c) => c.parentIndex + 1 },
      author_id: { type: 'bigint', references: 'users', gen: (c) => c.parent.buyer_id },
      body: { type: 'text', gen: (c) => c.text.say(VENDOR_NOTES, { vendor: c.parent.name }) },
      created_at: { type: 'timestamptz', gen: (c) => c.t.recent(Math.max(START, ms(c.parent.created_at)), REF_MS, 1.3) },
    },
  },
});
