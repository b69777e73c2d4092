/**
 * erp order to cash: quotes, orders and their lines (each from the batch bought for its window),
 * shipments, invoices and their lines, the sales records behind cost of goods, returns and credit
 * memos, payments and the invoice balance history. Every value comes from invoicing.ts, so orders,
 * invoices, sales, credits, payments and the books agree by construction.
 */
import { defineTables, jsonb, DAY, HOUR, type RowsIn } from '../../src/index.js';
import type { params } from './params.js';
import type { partyTables } from './tables-parties.js';
import { REF_MS } from './catalogs.js';
import { CARRIERS } from './catalogs-ops.js';
import { invoiceNumber, paymentReference } from './books.js';
import { indexIn, invoiceFacts, invoiceStatus, paymentOf, returnedInvoices, unitPrice, type InvoiceFacts, type PricedLine } from './invoicing.js';
import { L, clientFacts, dueDate, groupStarts, hashedRng, money, orderHeader, orderLines, paymentSchedule, perRun, productFacts, salt, type ErpContext, type ErpGenContext, type ErpRows } from './rules.js';
import { accountant, pickUser } from './tables-core.js';

const facts = (c: ErpContext, p: number): InvoiceFacts => invoiceFacts(c, p);
const line = (c: ErpGenContext): PricedLine => facts(c, c.parentIndex).lines[c.k]!;

/** A client's orders by index (one pass over the order headers, kept per run: an int per order). */
export function ordersOf(c: ErpContext, client: number): readonly number[] {
  const all = perRun(c, 'erp:ordersByClient', () => {
    const out: number[][] = Array.from({ length: c.count('clients') }, () => []);
    const at = new Float64Array(c.count('orders'));
    for (let p = 0; p < at.length; p++) {
      const h = orderHeader(c, p);
      at[p] = h.at;
      out[h.client]!.push(p);
    }
    for (const list of out) list.sort((a, b) => at[a]! - at[b]! || a - b);
    return out;
  });
  return all[client]!;
}

/** Quote k of a client: the first `accepted` became orders (spread over the client's orders); the rest did not. */
function quotePlan(c: ErpGenContext): { order: number | null; at: number; status: 'accepted' | 'sent' | 'expired' | 'declined' } {
  const orders = ordersOf(c, c.parentIndex);
  const accepted = Math.min(3, Math.floor(orders.length / 6));
  if (c.k < accepted) {
    const o = orders[Math.floor(((c.k + 1) * orders.length) / (accepted + 1))]!;
    return { order: o, at: orderHeader(c, o).at - c.rng.int(1, 10) * DAY - c.rng.int(1, 8) * HOUR, status: 'accepted' };
  }
  const from = Math.max(clientFacts(c, c.parentIndex).created, Date.parse('2024-01-01'));
  const at = from + Math.floor(c.rng.float() * (REF_MS - DAY - from));
  return { order: null, at, status: at > REF_MS - 30 * DAY ? 'sent' : c.rng.chance(0.6) ? 'expired' : 'declined' };
}

const ORDER_CHANNELS = { sales_rep: 45, portal: 30, phone: 15, email: 10 } as const;

export const salesTables = defineTables<ErpRows & RowsIn<typeof partyTables>, typeof params>()({
  quotes: {
    per: { parent: 'clients', count: (c) => Math.min(3, Math.floor(ordersOf(c, c.parentIndex).length / 6)) + Math.min(4, c.rng.poisson(1)) },
    description: 'Price quotes to clients; accepted ones became the order they name.',
    columns: {
      id: { type: 'bigint' },
      quote_number: { type: 'text', unique: true, gen: (c) => `QT-${String(c.i + 1).padStart(6, '0')}` },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      plan: { type: jsonb<ReturnType<typeof quotePlan>>(), virtual: true, gen: quotePlan },
      order_id: { type: 'bigint', nullable: true, unique: true, references: 'orders', gen: (c) => { const o = c.row.plan.order; return o === null ? null : o + 1; } },
      prepared_by: { type: 'bigint', references: 'users', gen: (c) => c.parent.sales_rep_id },
      status: { type: { enum: ['accepted', 'sent', 'expired', 'declined'] }, gen: (c) => c.row.plan.status },
      sent_at: { type: 'timestamptz', gen: (c) => new Date(c.row.plan.at) },
      valid_until: { type: 'date', gen: (c) => new Date(Math.floor((c.row.plan.at + 30 * DAY) / DAY) * DAY) },
    },
  },
  quote_lines: {
    per: { parent: 'quotes', count: (c) => { const o = c.parent.plan.order; return o === null ? c.rng.int(1, 4) : facts(c, o).lines.length; } },
    uniques: [['quote_id', 'product_id']],
    columns: {
      id: { type: 'bigint' },
      quote_id: { type: 'bigint', references: 'quotes', gen: (c) => c.parentIndex + 1 },
      src: {
        type: jsonb<{ product: number; qty: number; price: number }>(),
        virtual: true,
        gen: (c) => {
          const o = c.parent.plan.order;
          if (o !== null) return facts(c, o).lines[c.k];
          // Not accepted: distinct products by a stride from a per-quote start, at the price the client would have paid.
          const n = c.count('products');
          const product = (hashedRng(salt(c), L.ORDER + 50, c.parentIndex).int(0, n - 1) + c.k * 7919) % n;
          const qty = c.rng.int(2, 30);
          const at = c.parent.sent_at.getTime();
          const h = { client: c.parent.client_id - 1, at, issued: at, shipped: at, delivered: null };
          return { product, qty, price: unitPrice(c, h, product, qty) };
        },
      },
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.row.src.product + 1 },
      quantity: { type: 'int', gen: (c) => c.row.src.qty },
      unit_price: { type: 'numeric(12,2)', gen: (c) => money(c.row.src.price) },
    },
  },
  orders: {
    rows: 4_400,
    description: 'Sales orders; every order is invoiced (invoices share its index).',
    checks: ['shipped_at >= ordered_at', 'delivered_at IS NULL OR delivered_at >= shipped_at'],
    columns: {
      id: { type: 'bigint' },
      order_number: { type: 'text', unique: true, gen: (c) => `SO-${String(c.i + 1).padStart(7, '0')}` },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => orderHeader(c, c.i).client + 1 },
      sales_rep_id: { type: 'bigint', references: 'users', gen: (c) => clientFacts(c, orderHeader(c, c.i).client).rep },
      channel: { type: { enum: ['sales_rep', 'portal', 'phone', 'email'] }, gen: (c) => c.rng.weighted(ORDER_CHANNELS) },
      ship_to_address_id: { type: 'bigint', references: 'client_addresses', gen: (c) => groupStarts(c, 'client_addresses', c.count('clients'))[orderHeader(c, c.i).client + 1]! },
      ordered_at: { type: 'timestamptz', gen: (c) => new Date(orderHeader(c, c.i).at) },
      shipped_at: { type: 'timestamptz', gen: (c) => new Date(orderHeader(c, c.i).shipped) },
      delivered_at: { type: 'timestamptz', nullable: true, gen: (c) => { const d = orderHeader(c, c.i).delivered; return d === null ? null : new Date(d); } },
      status: { type: { enum: ['shipped', 'delivered'] }, gen: (c) => (c.row.delivered_at === null ? 'shipped' : 'delivered') },
      total: { type: 'numeric(14,2)', gen: (c) => money(facts(c, c.i).total) },
    },
  },
  order_items: {
    per: { parent: 'orders', count: (c) => orderLines(c, c.parentIndex).length },
    primaryKey: ['order_id', 'product_id'],
    checks: ['line_total = round(quantity * unit_price, 2)'],
    columns: {
      order_id: { type: 'bigint', references: 'orders', gen: (c) => c.parentIndex + 1 },
      product_id: { type: 'bigint', references: 'products', gen: (c) => line(c).product + 1 },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => line(c).batch + 1 },
      quantity: { type: 'int', check: 'quantity > 0', gen: (c) => line(c).qty },
      unit_price: { type: 'numeric(12,2)', gen: (c) => money(line(c).price) },
      line_total: { type: 'numeric(14,2)', gen: (c) => money(line(c).cents) },
    },
  },
  sales: {
    per: { parent: 'orders', count: (c) => orderLines(c, c.parentIndex).length },
    uniques: [['order_id', 'product_id']],
    description: 'What each order line sold from which batch, at what cost (the cost-of-goods record).',
    columns: {
      id: { type: 'bigint' },
      order_id: { type: 'bigint', references: 'orders', gen: (c) => c.parentIndex + 1 },
      product_id: { type: 'bigint', references: 'products', gen: (c) => line(c).product + 1 },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => line(c).batch + 1 },
      quantity: { type: 'int', gen: (c) => line(c).qty },
      revenue: { type: 'numeric(14,2)', gen: (c) => money(line(c).cents) },
      cogs: { type: 'numeric(14,2)', gen: (c) => money(line(c).cost) },
      ownership: { type: { enum: ['owned', 'consignment'] }, gen: (c) => (line(c).consignment ? 'consignment' : 'owned') },
      sold_at: { type: 'timestamptz', gen: (c) => new Date(facts(c, c.parentIndex).header.at) },
    },
  },
  shipments: {
    per: { parent: 'orders', count: 1 },
    columns: {
      id: { type: 'bigint' },
      order_id: { type: 'bigint', unique: true, references: 'orders', gen: (c) => c.parentIndex + 1 },
      carrier_id: { type: 'bigint', references: 'carriers', gen: (c) => c.rng.weighted([[1, 45], [2, 20], [3, 15], [4, 10], [5, 10]]) },
      tracking_number: { type: 'text', unique: true, gen: (c) => `${CARRIERS[c.row.carrier_id - 1]!.tracking}${String(c.i + 1).padStart(9, '0')}` },
      address_id: { type: 'bigint', references: 'client_addresses', gen: (c) => c.parent.ship_to_address_id },
      shipped_at: { type: 'timestamptz', gen: (c) => c.parent.shipped_at },
      delivered_at: { type: 'timestamptz', nullable: true, gen: (c) => c.parent.delivered_at },
      status: { type: { enum: ['in_transit', 'delivered'] }, gen: (c) => (c.parent.delivered_at === null ? 'in_transit' : 'delivered') },
    },
  },
  invoices: {
    per: { parent: 'orders', count: 1 },
    description: 'One invoice per order; total = its lines; credits and payments never exceed it.',
    checks: ['amount_paid + credited <= total', 'balance = total - credited - amount_paid', "due_date >= (issued_at AT TIME ZONE 'UTC')::date"],
    columns: {
      id: { type: 'bigint' },
      order_id: { type: 'bigint', unique: true, references: 'orders', gen: (c) => c.parentIndex + 1 },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => facts(c, c.i).header.client + 1 },
      invoice_number: { type: 'text', unique: true, gen: (c) => invoiceNumber(facts(c, c.i).header.at, c.i) },
      issued_at: { type: 'timestamptz', gen: (c) => new Date(facts(c, c.i).header.issued) },
      due: { type: 'bigint', virtual: true, gen: (c) => dueDate(facts(c, c.i).header.issued, clientFacts(c, facts(c, c.i).header.client).terms) },
      due_date: { type: 'date', gen: (c) => new Date(c.row.due) },
      total: { type: 'numeric(14,2)', gen: (c) => money(facts(c, c.i).total) },
      credited: { type: 'numeric(14,2)', gen: (c) => money(facts(c, c.i).credit?.cents ?? 0) },
      amount_paid: { type: 'numeric(14,2)', gen: (c) => money(facts(c, c.i).paid) },
      balance: { type: 'numeric(14,2)', gen: (c) => money(facts(c, c.i).balance) },
      status: { type: { enum: ['open', 'partial', 'paid', 'overdue'] }, gen: (c) => invoiceStatus(facts(c, c.i).balance, facts(c, c.i).paid, c.row.due, REF_MS) },
      paid_at: { type: 'timestamptz', nullable: true, gen: (c) => (c.row.status === 'paid' ? new Date(facts(c, c.i).schedule.at(-1)!.at) : null) },
    },
  },
  invoice_lines: {
    per: { parent: 'invoices', count: (c) => orderLines(c, c.parentIndex).length },
    uniques: [['invoice_id', 'line_number']],
    checks: ['line_total = round(quantity * unit_price, 2)'],
    columns: {
      id: { type: 'bigint' },
      invoice_id: { type: 'bigint', references: 'invoices', gen: (c) => c.parentIndex + 1 },
      line_number: { type: 'smallint', gen: (c) => c.k + 1 },
      product_id: { type: 'bigint', references: 'products', gen: (c) => line(c).product + 1 },
      description: { type: 'text', gen: (c) => productFacts(c, line(c).product).name },
      quantity: { type: 'int', gen: (c) => line(c).qty },
      unit_price: { type: 'numeric(12,2)', gen: (c) => money(line(c).price) },
      line_total: { type: 'numeric(14,2)', gen: (c) => money(line(c).cents) },
    },
  },
  returns: {
    per: { parent: 'orders', count: (c) => (facts(c, c.parentIndex).credit?.kind === 'return' ? 1 : 0) },
    description: 'Partial returns (0.5% of orders): quarantined and destroyed; credited to the invoice.',
    columns: {
      id: { type: 'bigint' },
      return_number: { type: 'text', unique: true, gen: (c) => `RMA-${String(c.i + 1).padStart(5, '0')}` },
      order_id: { type: 'bigint', unique: true, references: 'orders', gen: (c) => c.parentIndex + 1 },
      reason: { type: { enum: ['damaged', 'quality', 'wrong_item', 'expired_on_arrival'] }, gen: (c) => c.rng.weighted({ quality: 45, damaged: 30, wrong_item: 15, expired_on_arrival: 10 }) },
      requested_at: { type: 'timestamptz', gen: (c) => new Date(facts(c, c.parentIndex).credit!.at - c.rng.int(2, 20) * HOUR) },
      credited_at: { type: 'timestamptz', gen: (c) => new Date(facts(c, c.parentIndex).credit!.at) },
      disposition: { type: { enum: ['destroyed'] }, gen: () => 'destroyed' },
    },
  },
  return_items: {
    per: { parent: 'returns', count: (c) => facts(c, c.parent.order_id - 1).lines.filter((l) => l.returned > 0).length },
    primaryKey: ['return_id', 'product_id'],
    columns: {
      return_id: { type: 'bigint', references: 'returns', gen: (c) => c.parentIndex + 1 },
      ln: { type: jsonb<PricedLine>(), virtual: true, gen: (c) => facts(c, c.parent.order_id - 1).lines.filter((l) => l.returned > 0)[c.k] },
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.row.ln.product + 1 },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.row.ln.batch + 1 },
      quantity: { type: 'int', check: 'quantity > 0', gen: (c) => c.row.ln.returned },
      unit_price: { type: 'numeric(12,2)', gen: (c) => money(c.row.ln.price) },
      credit: { type: 'numeric(14,2)', gen: (c) => money(c.row.ln.price * c.row.ln.returned) },
    },
  },
  refunds: {
    per: { parent: 'invoices', count: (c) => (facts(c, c.parentIndex).credit ? 1 : 0) },
    description: 'Credit memos: return credits and 5% quality allowances (5% of orders), before any payment; posted against AR.',
    columns: {
      id: { type: 'bigint' },
      credit_memo_number: { type: 'text', unique: true, gen: (c) => `CM-${String(c.i + 1).padStart(6, '0')}` },
      invoice_id: { type: 'bigint', unique: true, references: 'invoices', gen: (c) => c.parentIndex + 1 },
      return_id: { type: 'bigint', nullable: true, unique: true, references: 'returns', gen: (c) => (facts(c, c.parentIndex).credit!.kind === 'return' ? indexIn(returnedInvoices(c), c.parentIndex) + 1 : null) },
      kind: { type: { enum: ['return', 'allowance'] }, gen: (c) => facts(c, c.parentIndex).credit!.kind },
      amount: { type: 'numeric(14,2)', check: 'amount > 0', gen: (c) => money(facts(c, c.parentIndex).credit!.cents) },
      issued_at: { type: 'timestamptz', gen: (c) => new Date(facts(c, c.parentIndex).credit!.at) },
      approved_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'manager', 'accounting') },
    },
  },
  payments: {
    per: { parent: 'invoices', count: (c) => paymentSchedule(c, c.parentIndex).length },
    description: 'Customer payments (check, wire, ACH); several per invoice when paid in instalments.',
    checks: ['amount > 0'],
    columns: {
      id: { type: 'bigint' },
      invoice_id: { type: 'bigint', references: 'invoices', gen: (c) => c.parentIndex + 1 },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parent.client_id },
      amount: { type: 'numeric(14,2)', gen: (c) => money(facts(c, c.parentIndex).amounts[c.k]!) },
      paid_at: { type: 'timestamptz', gen: (c) => new Date(facts(c, c.parentIndex).schedule[c.k]!.at) },
      method: { type: { enum: ['check', 'wire', 'ACH'] }, gen: (c) => facts(c, c.parentIndex).schedule[c.k]!.method },
      reference: { type: 'text', unique: true, gen: (c) => paymentReference(c.row.method, c.i) },
      bank_account_id: { type: 'bigint', references: 'bank_accounts', gen: () => 1 },
      received_by: { type: 'bigint', references: 'users', gen: (c) => accountant(c, c.i) },
    },
  },
  payment_history: {
    per: { parent: 'payments', count: 1 },
    description: 'An invoice’s balance and status before and after each payment.',
    checks: ['balance_after = balance_before - amount', 'balance_after >= 0'],
    columns: {
      id: { type: 'bigint' },
      payment_id: { type: 'bigint', unique: true, references: 'payments', gen: (c) => c.parentIndex + 1 },
      invoice_id: { type: 'bigint', references: 'invoices', gen: (c) => c.parent.invoice_id },
      step: {
        type: jsonb<{ from: number; to: number; paidBefore: number; paidAfter: number; due: number; at: number }>(),
        virtual: true,
        gen: (c) => {
          const { invoice: inv, j: k } = paymentOf(c, c.parentIndex);
          const f = facts(c, inv);
          const owed = f.total - (f.credit?.cents ?? 0);
          let before = 0;
          for (let j = 0; j < k; j++) before += f.amounts[j]!;
          const due = dueDate(f.header.issued, clientFacts(c, f.header.client).terms);
          const at = f.schedule[k]!.at;
          return { from: owed - before, to: owed - before - f.amounts[k]!, paidBefore: before, paidAfter: before + f.amounts[k]!, due, at };
        },
      },
      amount: { type: 'numeric(14,2)', gen: (c) => c.parent.amount },
      balance_before: { type: 'numeric(14,2)', gen: (c) => money(c.row.step.from) },
      balance_after: { type: 'numeric(14,2)', gen: (c) => money(c.row.step.to) },
      status_before: { type: { enum: ['open', 'partial', 'paid', 'overdue'] }, gen: (c) => { const s = c.row.step; return invoiceStatus(s.from, s.paidBefore, s.due, s.at); } },
      status_after: { type: { enum: ['open', 'partial', 'paid', 'overdue'] }, gen: (c) => { const s = c.row.step; return invoiceStatus(s.to, s.paidAfter, s.due, s.at); } },
      changed_at: { type: 'timestamptz', gen: (c) => c.parent.paid_at },
    },
  },
});
