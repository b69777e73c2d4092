/**
 * erp order-to-cash and the books: pricing overrides, orders and their items, invoices and lines,
 * payments, journal entries with balanced ledger lines, and the bank transactions behind cash.
 */
import { DAY, HOUR, type CountContext, type GenContext, type Row, type TableDef } from '../../src/index.js';
import { AP, AR, CASH, COGS, EXPENSE_CATEGORIES, INVENTORY, JOURNALS, REF_DAY, REF_MS, REVENUE, accountId, type JournalCode } from './catalogs.js';
import { batchTime, clientFacts, discounted, perRun, productFacts, dueDate, lineCount, money, orderHeader, paymentAmounts, paymentSchedule, tierDiscount, type Installment, type OrderHeader } from './rules.js';
import { pickUser } from './tables-core.js';

const cents = (x: unknown): number => Math.round((x as number) * 100);
const ms = (d: unknown): number => (d as Date).getTime();

/**
 * Unit price of `product` for the order's client at order time: the client's override when one
 * applies, else list price less the profile's volume-tier discount and any category promotion.
 */
function unitPrice(c: GenContext, h: OrderHeader, product: number, qty: number): number {
  for (const o of overridesOf(c, h.client)) if (o.product === product && o.from <= h.at) return o.cents;
  const p = productFacts(c, product);
  const profile = clientFacts(c, h.client).profile;
  let pct = tierDiscount(profile, qty);
  for (const r of rulesOf(c, profile)) {
    if (r.category === p.category && r.from <= h.at && r.to > h.at) pct += r.pct;
  }
  return discounted(p.priceCents, pct);
}

/** A client's negotiated prices (a handful at most), kept per run. */
function overridesOf(c: GenContext, client: number): { product: number; from: number; cents: number }[] {
  const all = perRun(c, 'overrides', () => new Map<number, { product: number; from: number; cents: number }[]>());
  let list = all.get(client);
  if (!list) {
    list = c.children('client_pricing_overrides', client).map((o) => ({ product: (o.product_id as number) - 1, from: ms(o.valid_from), cents: o.cents as number }));
    all.set(client, list);
  }
  return list;
}

/** A pricing profile's category promotions, kept per run. */
function rulesOf(c: GenContext, profile: number): { category: number; from: number; to: number; pct: number }[] {
  return perRun(c, `rules:${profile}`, () =>
    c.children('pricing_rules', profile).map((r) => ({ category: r.category_id as number, from: ms(r.valid_from), to: r.valid_to === null ? Infinity : ms(r.valid_to), pct: r.adjustment_pct as number })),
  );
}

/** The latest batch of `product` made by `at`, or null (batch times increase within a product). */
function batchFor(c: GenContext, product: number, at: number): number | null {
  const starts = perRun(c, 'batchStarts', () => {
    const n = c.count('products');
    const a = new Float64Array(n + 1);
    for (let p = 0; p <= n; p++) a[p] = c.groupStart('batches', p);
    return a;
  });
  const start = starts[product]!;
  const n = starts[product + 1]! - start;
  for (let k = n - 1; k >= 0; k--) if (batchTime(c, start + k, k, n) <= at) return start + k + 1;
  return null;
}

interface Line {
  account: string;
  debit: number;
  credit: number;
}

interface Posting {
  at: number;
  memo: string;
  source: string;
  sourceId: number;
  lines: Line[];
  /** Bank side of a cash posting: bank account, signed cents, days to clear. */
  cash: { bank: number; cents: number; clearMs: number } | null;
}

const CLEAR_DAYS = { check: 3, ACH: 1, wire: 0 } as const;

/** What journal entry k of journal j posts, recomputed from its source document. */
function posting(c: GenContext, code: JournalCode, k: number): Posting {
  switch (code) {
    case 'SJ': {
      const inv = c.lookup('invoices', k);
      const total = cents(inv.total);
      const cogs = inv.cogs as number;
      return {
        at: ms(inv.issued_at), memo: `Invoice ${inv.invoice_number}`, source: 'invoice_id', sourceId: k + 1, cash: null,
        lines: [{ account: AR, debit: total, credit: 0 }, { account: REVENUE, debit: 0, credit: total }, { account: COGS, debit: cogs, credit: 0 }, { account: INVENTORY, debit: 0, credit: cogs }],
      };
    }
    case 'CRJ': {
      const p = c.lookup('payments', k);
      const amt = cents(p.amount);
      const bank = p.bank_account_id as number;
      const bankGl = c.lookup('bank_accounts', bank - 1).account_id as number;
      return {
        at: ms(p.paid_at), memo: `Payment ${p.reference}`, source: 'payment_id', sourceId: k + 1,
        cash: { bank, cents: amt, clearMs: CLEAR_DAYS[p.method as keyof typeof CLEAR_DAYS] * DAY },
        lines: [{ account: glCode(c, bankGl), debit: amt, credit: 0 }, { account: AR, debit: 0, credit: amt }],
      };
    }
    case 'PJ': {
      const r = c.lookup('po_receipts', k);
      const amt = cents(r.amount);
      return {
        at: ms(r.received_at), memo: `Receipt of PO ${r.purchase_order_id}`, source: 'po_receipt_id', sourceId: k + 1, cash: null,
        lines: [{ account: INVENTORY, debit: amt, credit: 0 }, { account: AP, debit: 0, credit: amt }],
      };
    }
    case 'CDJ': {
      const v = c.lookup('vendor_payments', k);
      const amt = cents(v.amount);
      return {
        at: ms(v.paid_at), memo: `Vendor payment ${v.reference}`, source: 'vendor_payment_id', sourceId: k + 1,
        cash: { bank: v.bank_account_id as number, cents: -amt, clearMs: CLEAR_DAYS[v.method as keyof typeof CLEAR_DAYS] * DAY },
        lines: [{ account: AP, debit: amt, credit: 0 }, { account: CASH, debit: 0, credit: amt }],
      };
    }
    case 'GJ': {
      const e = c.lookup('expenses', k);
      const amt = e.cents as number;
      const bank = e.bank_account_id as number;
      return {
        at: ms(e.incurred_at), memo: e.description as string, source: 'expense_id', sourceId: k + 1,
        cash: { bank, cents: -amt, clearMs: DAY },
        lines: [{ account: EXPENSE_CATEGORIES[e.category as number]!.code, debit: amt, credit: 0 }, { account: glCode(c, c.lookup('bank_accounts', bank - 1).account_id as number), debit: 0, credit: amt }],
      };
    }
  }
}

const CASH_JOURNALS: ReadonlySet<JournalCode> = new Set(['CRJ', 'CDJ', 'GJ']);
/** Journal of journal entry i: entries are grouped by journal, one per source document. */
function journalOf(c: CountContext, i: number): JournalCode {
  let end = 0;
  for (const j of JOURNALS) {
    end += c.count(j.source);
    if (i < end) return j.code;
  }
  return JOURNALS[JOURNALS.length - 1]!.code;
}

const glCode = (c: GenContext, accountKey: number): string => c.lookup('accounts', accountKey - 1).code as string;
const SOURCE_COLUMNS = ['invoice_id', 'payment_id', 'po_receipt_id', 'vendor_payment_id', 'expense_id'] as const;
const SOURCE_TABLES = { invoice_id: 'invoices', payment_id: 'payments', po_receipt_id: 'po_receipts', vendor_payment_id: 'vendor_payments', expense_id: 'expenses' } as const;

export const salesTables: Record<string, TableDef> = {
  client_pricing_overrides: {
    junction: { parent: 'clients', target: 'products', count: (c) => (c.rng.chance(0.7) ? 0 : c.rng.int(1, 4)) },
    primaryKey: ['client_id', 'product_id'],
    description: 'Negotiated prices of a product for one client, from a date on.',
    columns: {
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.partner + 1 },
      cents: { type: 'bigint', virtual: true, gen: (c) => Math.round(productFacts(c, c.partner).priceCents * c.rng.uniform(0.78, 0.95)) },
      price: { type: 'numeric(12,2)', gen: (c) => money(c.row.cents as number) },
      valid_from: { type: 'timestamptz', gen: (c) => c.t.between(Math.max(ms(c.parent.created_at), Date.parse('2024-01-01')), REF_MS - 30 * DAY) },
      approved_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'manager', 'admin') },
    },
  },
  orders: {
    rows: 4_400,
    description: 'Sales orders; every order is invoiced (invoices share its index).',
    checks: ['shipped_at >= ordered_at', 'delivered_at IS NULL OR delivered_at >= shipped_at'],
    columns: {
      id: { type: 'bigint' },
      header: { type: 'jsonb', virtual: true, gen: (c) => orderHeader(c, c.i) },
      order_number: { type: 'text', unique: true, gen: (c) => `SO-${String(c.i + 1).padStart(7, '0')}` },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => (c.row.header as OrderHeader).client + 1 },
      sales_rep_id: { type: 'bigint', references: 'users', gen: (c) => c.lookup('clients', (c.row.header as OrderHeader).client).sales_rep_id },
      channel: { type: { enum: ['sales_rep', 'portal', 'phone', 'email'] }, gen: (c) => c.rng.weighted({ sales_rep: 45, portal: 30, phone: 15, email: 10 }) },
      ordered_at: { type: 'timestamptz', gen: (c) => new Date((c.row.header as OrderHeader).at) },
      shipped_at: { type: 'timestamptz', gen: (c) => new Date(Math.min(REF_MS, (c.row.header as OrderHeader).at + c.rng.int(18, 72) * HOUR)) },
      delivered_at: {
        type: 'timestamptz',
        nullable: true,
        gen: (c) => {
          const t = ms(c.row.shipped_at) + c.rng.int(20, 96) * HOUR;
          return t <= REF_MS ? new Date(t) : null;
        },
      },
      status: { type: { enum: ['shipped', 'delivered'] }, gen: (c) => (c.row.delivered_at === null ? 'shipped' : 'delivered') },
      total: { type: 'numeric(14,2)', gen: (c) => money(c.children('order_items', c.i).reduce((s, l) => s + (l.cents as number), 0)) },
    },
  },
  order_items: {
    junction: {
      parent: 'orders',
      target: 'products',
      count: (c) => lineCount(c, c.parentIndex),
      // Best sellers: one line usually comes from the head of a Zipf over the catalogue.
      first: (c) => (c.rng.chance(0.6) ? [c.rng.zipf(c.count('products'), 1.1)] : []),
    },
    primaryKey: ['order_id', 'product_id'],
    checks: ['line_total = round(quantity * unit_price, 2)'],
    columns: {
      order_id: { type: 'bigint', references: 'orders', gen: (c) => c.parentIndex + 1 },
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.partner + 1 },
      header: { type: 'jsonb', virtual: true, gen: (c) => orderHeader(c, c.parentIndex) },
      batch_id: { type: 'bigint', nullable: true, references: 'batches', gen: (c) => batchFor(c, c.partner, (c.row.header as OrderHeader).at) },
      quantity: {
        type: 'int',
        check: 'quantity > 0',
        gen: (c) => {
          const lb = productFacts(c, c.partner).unit === 'lb';
          return Math.max(1, Math.round(c.rng.lognormal(Math.log(lb ? 4 : 14), 0.85)));
        },
      },
      price: { type: 'bigint', virtual: true, gen: (c) => unitPrice(c, c.row.header as OrderHeader, c.partner, c.row.quantity as number) },
      unit_price: { type: 'numeric(12,2)', gen: (c) => money(c.row.price as number) },
      cents: { type: 'bigint', virtual: true, gen: (c) => (c.row.price as number) * (c.row.quantity as number) },
      line_total: { type: 'numeric(14,2)', gen: (c) => money(c.row.cents as number) },
    },
  },
  invoices: {
    per: { parent: 'orders', count: 1 },
    description: 'One invoice per order; total = sum of its lines; paid by instalments according to the client’s credit behaviour.',
    checks: ['amount_paid <= total', 'balance = total - amount_paid', "due_date >= (issued_at AT TIME ZONE 'UTC')::date"],
    columns: {
      id: { type: 'bigint' },
      order_id: { type: 'bigint', unique: true, references: 'orders', gen: (c) => c.parentIndex + 1 },
      header: { type: 'jsonb', virtual: true, gen: (c) => orderHeader(c, c.parentIndex) },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => (c.row.header as OrderHeader).client + 1 },
      invoice_number: { type: 'text', unique: true, gen: (c) => `INV-${new Date((c.row.header as OrderHeader).at).getUTCFullYear()}-${String(c.i + 1).padStart(6, '0')}` },
      issued_at: { type: 'timestamptz', gen: (c) => new Date((c.row.header as OrderHeader).issued) },
      client: { type: 'jsonb', virtual: true, gen: (c) => c.lookup('clients', (c.row.header as OrderHeader).client) },
      due_date: { type: 'date', gen: (c) => new Date(dueDate((c.row.header as OrderHeader).issued, (c.row.client as Row).payment_terms_days as number)) },
      // Recomputes the lines (a `per` group of this invoice) to total them.
      lines: { type: 'jsonb', virtual: true, gen: (c) => c.children('invoice_lines', c.i) },
      total_cents: { type: 'bigint', virtual: true, gen: (c) => (c.row.lines as Row[]).reduce((s, l) => s + (l.cents as number), 0) },
      total: { type: 'numeric(14,2)', gen: (c) => money(c.row.total_cents as number) },
      cogs: { type: 'bigint', virtual: true, gen: (c) => (c.row.lines as Row[]).reduce((s, l) => s + (l.cost as number) * (l.quantity as number), 0) },
      schedule: { type: 'jsonb', virtual: true, gen: (c) => paymentSchedule(c, c.parentIndex) },
      amounts: { type: 'jsonb', virtual: true, gen: (c) => paymentAmounts(c.row.total_cents as number, c.row.schedule as Installment[]) },
      paid_cents: { type: 'bigint', virtual: true, gen: (c) => (c.row.amounts as number[]).reduce((s, x) => s + x, 0) },
      amount_paid: { type: 'numeric(14,2)', gen: (c) => money(c.row.paid_cents as number) },
      balance: { type: 'numeric(14,2)', gen: (c) => money((c.row.total_cents as number) - (c.row.paid_cents as number)) },
      status: {
        type: { enum: ['open', 'partial', 'paid', 'overdue'] },
        gen: (c) => {
          const paid = c.row.paid_cents as number;
          if (paid === c.row.total_cents) return 'paid';
          if (ms(c.row.due_date) < REF_DAY) return 'overdue';
          return paid > 0 ? 'partial' : 'open';
        },
      },
      paid_at: { type: 'timestamptz', nullable: true, gen: (c) => (c.row.status === 'paid' ? new Date((c.row.schedule as Installment[]).at(-1)!.at) : null) },
    },
  },
  invoice_lines: {
    per: { parent: 'invoices', count: (c) => lineCount(c, c.parentIndex) },
    uniques: [['invoice_id', 'line_number']],
    checks: ['line_total = round(quantity * unit_price, 2)'],
    columns: {
      id: { type: 'bigint' },
      invoice_id: { type: 'bigint', references: 'invoices', gen: (c) => c.parentIndex + 1 },
      line_number: { type: 'smallint', gen: (c) => c.k + 1 },
      item: { type: 'jsonb', virtual: true, gen: (c) => c.children('order_items', c.parentIndex)[c.k] },
      product_id: { type: 'bigint', references: 'products', gen: (c) => (c.row.item as Row).product_id },
      description: { type: 'text', gen: (c) => productFacts(c, ((c.row.item as Row).product_id as number) - 1).name },
      quantity: { type: 'int', gen: (c) => (c.row.item as Row).quantity },
      unit_price: { type: 'numeric(12,2)', gen: (c) => (c.row.item as Row).unit_price },
      cents: { type: 'bigint', virtual: true, gen: (c) => (c.row.item as Row).cents },
      line_total: { type: 'numeric(14,2)', gen: (c) => (c.row.item as Row).line_total },
      cost: { type: 'bigint', virtual: true, gen: (c) => productFacts(c, ((c.row.item as Row).product_id as number) - 1).costCents },
    },
  },
  payments: {
    // The schedule is recomputed from the invoice index: counting payments needs no invoice lines.
    per: { parent: 'invoices', count: (c) => paymentSchedule(c, c.parentIndex).length },
    description: 'Customer payments (check, wire, ACH); several per invoice when paid in instalments.',
    checks: ['amount > 0'],
    columns: {
      id: { type: 'bigint' },
      invoice_id: { type: 'bigint', references: 'invoices', gen: (c) => c.parentIndex + 1 },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parent.client_id },
      amount: { type: 'numeric(14,2)', gen: (c) => money((c.parent.amounts as number[])[c.k]!) },
      paid_at: { type: 'timestamptz', gen: (c) => new Date((c.parent.schedule as Installment[])[c.k]!.at) },
      method: { type: { enum: ['check', 'wire', 'ACH'] }, gen: (c) => (c.parent.schedule as Installment[])[c.k]!.method },
      reference: { type: 'text', unique: true, gen: (c) => `${c.row.method === 'check' ? 'CHK' : c.row.method === 'wire' ? 'WIRE' : 'ACH'}-${String(c.i + 1).padStart(7, '0')}` },
      bank_account_id: { type: 'bigint', references: 'bank_accounts', gen: (c) => (c.rng.chance(0.04) ? 3 : 1) },
      received_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'accounting') },
    },
  },
  journal_entries: {
    per: { parent: 'journals', count: (c) => c.count(JOURNALS[c.parentIndex]!.source) },
    description: 'One entry per source document (invoice, payment, receipt, vendor payment, expense).',
    checks: [`num_nonnulls(${SOURCE_COLUMNS.join(', ')}) = 1`],
    columns: {
      id: { type: 'bigint' },
      journal_id: { type: 'bigint', references: 'journals', gen: (c) => c.parentIndex + 1 },
      posting: { type: 'jsonb', virtual: true, gen: (c) => posting(c, JOURNALS[c.parentIndex]!.code, c.k) },
      entry_number: { type: 'text', unique: true, gen: (c) => `${JOURNALS[c.parentIndex]!.code}-${String(c.k + 1).padStart(7, '0')}` },
      entry_date: { type: 'timestamptz', gen: (c) => new Date((c.row.posting as Posting).at) },
      memo: { type: 'text', gen: (c) => (c.row.posting as Posting).memo },
      ...Object.fromEntries(
        SOURCE_COLUMNS.map((col) => [col, { type: 'bigint', nullable: true, references: SOURCE_TABLES[col], gen: (c: GenContext) => ((c.row.posting as Posting).source === col ? (c.row.posting as Posting).sourceId : null) }]),
      ),
      posted_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'accounting') },
    },
  },
  ledger_entries: {
    // Sales postings have four lines (AR/revenue, COGS/inventory), the others two.
    per: { parent: 'journal_entries', count: (c) => (journalOf(c, c.parentIndex) === 'SJ' ? 4 : 2) },
    uniques: [['journal_entry_id', 'line_number']],
    checks: ['(debit > 0 AND credit = 0) OR (credit > 0 AND debit = 0) OR (debit = 0 AND credit = 0)', 'debit >= 0 AND credit >= 0'],
    columns: {
      id: { type: 'bigint' },
      journal_entry_id: { type: 'bigint', references: 'journal_entries', gen: (c) => c.parentIndex + 1 },
      line_number: { type: 'smallint', gen: (c) => c.k + 1 },
      line: { type: 'jsonb', virtual: true, gen: (c) => (c.parent.posting as Posting).lines[c.k] },
      account_id: { type: 'bigint', references: 'accounts', gen: (c) => accountId((c.row.line as Line).account) },
      debit: { type: 'numeric(14,2)', gen: (c) => money((c.row.line as Line).debit) },
      credit: { type: 'numeric(14,2)', gen: (c) => money((c.row.line as Line).credit) },
      entry_date: { type: 'timestamptz', gen: (c) => c.parent.entry_date },
    },
  },
  bank_transactions: {
    per: {
      parent: 'journal_entries',
      // Sales and purchase postings never touch the bank: counted from the entry index alone.
      count: (c) => (CASH_JOURNALS.has(journalOf(c, c.parentIndex)) ? 1 : 0),
    },
    description: 'Bank lines behind every cash posting (deposits positive, withdrawals negative); pending until cleared.',
    columns: {
      id: { type: 'bigint' },
      bank_account_id: { type: 'bigint', references: 'bank_accounts', gen: (c) => (c.parent.posting as Posting).cash!.bank },
      journal_entry_id: { type: 'bigint', unique: true, references: 'journal_entries', gen: (c) => c.parentIndex + 1 },
      initiated_at: { type: 'timestamptz', gen: (c) => new Date((c.parent.posting as Posting).at) },
      cleared: { type: 'bigint', virtual: true, gen: (c) => (c.parent.posting as Posting).at + (c.parent.posting as Posting).cash!.clearMs },
      status: { type: { enum: ['pending', 'cleared'] }, gen: (c) => ((c.row.cleared as number) <= REF_MS ? 'cleared' : 'pending') },
      cleared_at: { type: 'timestamptz', nullable: true, gen: (c) => (c.row.status === 'cleared' ? new Date(c.row.cleared as number) : null) },
      amount: { type: 'numeric(14,2)', check: 'amount <> 0', gen: (c) => money((c.parent.posting as Posting).cash!.cents) },
      type: { type: { enum: ['deposit', 'withdrawal'] }, gen: (c) => ((c.parent.posting as Posting).cash!.cents > 0 ? 'deposit' : 'withdrawal') },
      description: { type: 'text', gen: (c) => c.parent.memo },
      reconciled: { type: 'boolean', gen: (c) => c.row.status === 'cleared' && ((c.row.cleared as number) < REF_MS - 20 * DAY || c.rng.chance(0.3)) },
    },
  },
};
