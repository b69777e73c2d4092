/**
 * erp books and cash: operating expenses, payroll runs, bank transfers, journal entries with their
 * balanced ledger lines, bank transactions behind every cash posting, monthly analytics snapshots
 * that reconcile with the ledger, and sales targets against what each rep's clients were invoiced.
 */
import { defineTables, jsonb, DAY, type RowsIn } from '../../src/index.js';
import type { params } from './params.js';
import type { coreTables } from './tables-core.js';
import type { partyTables } from './tables-parties.js';
import type { salesTables } from './tables-sales.js';
import { AR, CASH, COGS, CONSIGNMENT_PAYABLE, EXPENSE_CATEGORIES, INVENTORY, JOURNALS, PAYROLL_CASH, REF_MS, RESERVE_CASH, RETURNS, REVENUE, START, accountId, type JournalCode } from './catalogs.js';
import { FIRST_SALES_MONTH, LAST_SALES_MONTH, PAYROLL_DATES, SWEEP_DATES, monthOf, monthStart } from './catalogs-ops.js';
import { journalSize, monthly, payrollAmount, posting, transfer, type Line, type Posting } from './books.js';
import { invoiceFacts } from './invoicing.js';
import { clientFacts, money, orderHeader, orderLines, perRun, productFacts, type ErpContext, type ErpRows } from './rules.js';
import { vendorFacts } from './supply.js';
import { pickUser, roleOf } from './tables-core.js';
import { EXPENSES } from './text.js';

/** First global entry index of each journal (entries are grouped by journal). */
function journalStarts(c: ErpContext): Int32Array {
  return perRun(c, 'erp:journalStarts', () => {
    const out = new Int32Array(JOURNALS.length + 1);
    for (let j = 0; j < JOURNALS.length; j++) out[j + 1] = out[j]! + journalSize(c, j);
    return out;
  });
}
function journalOf(c: ErpContext, i: number): { j: number; code: JournalCode; k: number } {
  const s = journalStarts(c);
  let j = 0;
  while (j + 1 < JOURNALS.length && s[j + 1]! <= i) j++;
  return { j, code: JOURNALS[j]!.code, k: i - s[j]! };
}

const CASH_LEGS: Partial<Record<JournalCode, number>> = { OBJ: 3, CRJ: 1, CDJ: 1, CSJ: 1, GJ: 1, PRJ: 1, TRJ: 2 };
/** Ledger lines of entry i without computing its amounts: sales postings split cost of goods by ownership. */
function lineCount(c: ErpContext, i: number): number {
  const { code, k } = journalOf(c, i);
  if (code === 'OBJ') return 4;
  if (code !== 'SJ') return 2;
  let owned = false;
  let consigned = false;
  for (const l of orderLines(c, k)) {
    if (vendorFacts(c, productFacts(c, l.product).vendor).consignment) consigned = true;
    else owned = true;
  }
  return 3 + (owned ? 1 : 0) + (consigned ? 1 : 0);
}

const BANK_OF: Readonly<Record<string, number>> = { [CASH]: 1, [PAYROLL_CASH]: 2, [RESERVE_CASH]: 3 };
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const monthName = (t: number): string => { const d = new Date(t); return `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()}`; };
const SNAPSHOT_MONTHS = LAST_SALES_MONTH - FIRST_SALES_MONTH + 1;

/** Cumulative balance (debit − credit) of account codes at the end of month m. */
function balanceAt(c: ErpContext, codes: readonly string[], m: number): number {
  const mm = monthly(c);
  let s = 0;
  for (const code of codes) {
    const a = mm.get(code);
    if (a) for (let j = 0; j <= m; j++) s += a[j]!;
  }
  return s;
}

/** Invoiced revenue (cents) per sales rep (user index) and month, and orders per month. */
function salesByRep(c: ErpContext): { rep: Map<number, Float64Array>; orders: Int32Array } {
  return perRun(c, 'erp:salesByRep', () => {
    const rep = new Map<number, Float64Array>();
    const orders = new Int32Array(64);
    for (let p = 0; p < c.count('orders'); p++) {
      const f = invoiceFacts(c, p);
      const r = clientFacts(c, f.header.client).rep - 1;
      let a = rep.get(r);
      if (!a) rep.set(r, (a = new Float64Array(64)));
      a[monthOf(f.header.issued)]! += f.total;
      orders[monthOf(orderHeader(c, p).at)]!++;
    }
    return { rep, orders };
  });
}

export const booksTables = defineTables<ErpRows & RowsIn<typeof coreTables> & RowsIn<typeof partyTables> & RowsIn<typeof salesTables>, typeof params>()({
  expenses: {
    rows: 1_800,
    description: 'Operating expenses paid from the operating account (general journal); payroll runs separately.',
    checks: ['amount > 0'],
    columns: {
      id: { type: 'bigint' },
      category: { type: 'int', virtual: true, gen: (c) => c.rng.weighted(EXPENSE_CATEGORIES.map((e, j) => [j, e.weight] as const)) },
      expense_category_id: { type: 'bigint', references: 'expense_categories', gen: (c) => c.row.category + 1 },
      vendor_id: { type: 'bigint', nullable: true, references: 'vendors', gen: (c) => (c.rng.chance(EXPENSE_CATEGORIES[c.row.category]!.vendorShare) ? c.ref('vendors') : null) },
      incurred_at: { type: 'timestamptz', gen: (c) => c.t.businessHours(c.t.between(START, REF_MS - DAY)) },
      description: {
        type: 'text',
        gen: (c) => c.text.say(EXPENSES, { month: monthName(c.row.incurred_at.getTime()), lots: String(c.rng.int(2, 9)) }, EXPENSE_CATEGORIES[c.row.category]!.name),
      },
      cents: { type: 'bigint', virtual: true, gen: (c) => Math.max(500, Math.round(c.rng.lognormal(Math.log(EXPENSE_CATEGORIES[c.row.category]!.median), 0.45) * 100)) },
      amount: { type: 'numeric(12,2)', gen: (c) => money(c.row.cents) },
      bank_account_id: { type: 'bigint', references: 'bank_accounts', gen: () => 1 },
      entered_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'accounting') },
    },
  },
  payroll_runs: {
    rows: PAYROLL_DATES.length,
    catalog: true,
    description: 'Semi-monthly payroll from the payroll account, funded by a transfer the day before.',
    columns: {
      id: { type: 'bigint' },
      pay_date: { type: 'timestamptz', gen: (c) => new Date(PAYROLL_DATES[c.i]!) },
      period_start: { type: 'date', gen: (c) => { const d = new Date(PAYROLL_DATES[c.i]!); return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() <= 15 ? 1 : 16)); } },
      period_end: { type: 'date', gen: (c) => { const d = new Date(PAYROLL_DATES[c.i]!); return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())); } },
      employees: { type: 'int', gen: (c) => c.count('users') },
      gross: { type: 'numeric(14,2)', gen: (c) => money(payrollAmount(c, c.i)) },
      bank_account_id: { type: 'bigint', references: 'bank_accounts', gen: () => 2 },
    },
  },
  bank_transfers: {
    rows: PAYROLL_DATES.length + SWEEP_DATES.length,
    catalog: true,
    description: 'Operating → payroll before every payroll run (its exact amount), and a monthly sweep into the reserve.',
    checks: ['from_bank_account_id <> to_bank_account_id', 'amount > 0'],
    columns: {
      id: { type: 'bigint' },
      t: { type: jsonb<ReturnType<typeof transfer>>(), virtual: true, gen: (c) => transfer(c, c.i) },
      from_bank_account_id: { type: 'bigint', references: 'bank_accounts', gen: () => 1 },
      to_bank_account_id: { type: 'bigint', references: 'bank_accounts', gen: (c) => BANK_OF[c.row.t.to]! },
      payroll_run_id: { type: 'bigint', nullable: true, unique: true, references: 'payroll_runs', gen: (c) => (c.i < PAYROLL_DATES.length ? c.i + 1 : null) },
      purpose: { type: { enum: ['payroll', 'reserve'] }, gen: (c) => c.row.t.purpose },
      amount: { type: 'numeric(14,2)', gen: (c) => money(c.row.t.cents) },
      transferred_at: { type: 'timestamptz', gen: (c) => new Date(c.row.t.at) },
    },
  },
  journal_entries: {
    per: { parent: 'journals', count: (c) => journalSize(c, c.parentIndex) },
    description: 'One entry per source document; the opening entry funds the bank accounts from owner capital.',
    checks: [`num_nonnulls(${JOURNALS.filter((j) => j.code !== 'OBJ').map((j) => j.column).join(', ')}) = CASE WHEN journal_id = 1 THEN 0 ELSE 1 END`],
    columns: {
      id: { type: 'bigint' },
      journal_id: { type: 'bigint', references: 'journals', gen: (c) => c.parentIndex + 1 },
      posting: { type: jsonb<Posting>(), virtual: true, gen: (c) => posting(c, JOURNALS[c.parentIndex]!.code, c.k) },
      entry_number: { type: 'text', unique: true, gen: (c) => `${JOURNALS[c.parentIndex]!.code}-${String(c.k + 1).padStart(7, '0')}` },
      entry_date: { type: 'timestamptz', gen: (c) => new Date(c.row.posting.at) },
      fiscal_period_id: { type: 'bigint', references: 'fiscal_periods', gen: (c) => monthOf(c.row.posting.at) + 1 },
      memo: { type: 'text', gen: (c) => c.row.posting.memo },
      ...Object.fromEntries(
        JOURNALS.filter((j) => j.code !== 'OBJ').map((j) => [j.column, { type: 'bigint', nullable: true, references: j.source, gen: (c: ErpContext & { parentIndex: number; k: number }) => (JOURNALS[c.parentIndex]!.column === j.column ? c.k + 1 : null) }]),
      ),
      posted_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'accounting') },
    },
  },
  ledger_entries: {
    per: { parent: 'journal_entries', count: (c) => lineCount(c, c.parentIndex) },
    uniques: [['journal_entry_id', 'line_number']],
    checks: ['(debit > 0 AND credit = 0) OR (credit > 0 AND debit = 0)'],
    columns: {
      id: { type: 'bigint' },
      journal_entry_id: { type: 'bigint', references: 'journal_entries', gen: (c) => c.parentIndex + 1 },
      line_number: { type: 'smallint', gen: (c) => c.k + 1 },
      line: { type: jsonb<Line>(), virtual: true, gen: (c) => c.parent.posting.lines[c.k] },
      account_id: { type: 'bigint', references: 'accounts', gen: (c) => accountId(c.row.line.account) },
      debit: { type: 'numeric(14,2)', gen: (c) => money(c.row.line.debit) },
      credit: { type: 'numeric(14,2)', gen: (c) => money(c.row.line.credit) },
      entry_date: { type: 'timestamptz', gen: (c) => c.parent.entry_date },
    },
  },
  bank_transactions: {
    per: { parent: 'journal_entries', count: (c) => CASH_LEGS[journalOf(c, c.parentIndex).code] ?? 0 },
    uniques: [['journal_entry_id', 'bank_account_id']],
    description: 'Bank lines behind every cash posting (deposits positive, withdrawals negative); pending until cleared.',
    columns: {
      id: { type: 'bigint' },
      leg: { type: jsonb<Posting['cash'][number]>(), virtual: true, gen: (c) => c.parent.posting.cash[c.k] },
      bank_account_id: { type: 'bigint', references: 'bank_accounts', gen: (c) => BANK_OF[c.row.leg.code]! },
      journal_entry_id: { type: 'bigint', references: 'journal_entries', gen: (c) => c.parentIndex + 1 },
      initiated_at: { type: 'timestamptz', gen: (c) => c.parent.entry_date },
      cleared: { type: 'bigint', virtual: true, gen: (c) => c.parent.posting.at + c.row.leg.clearMs },
      status: { type: { enum: ['pending', 'cleared'] }, gen: (c) => (c.row.cleared <= REF_MS ? 'cleared' : 'pending') },
      cleared_at: { type: 'timestamptz', nullable: true, gen: (c) => (c.row.status === 'cleared' ? new Date(c.row.cleared) : null) },
      amount: { type: 'numeric(14,2)', check: 'amount <> 0', gen: (c) => money(c.row.leg.cents) },
      type: { type: { enum: ['deposit', 'withdrawal'] }, gen: (c) => (c.row.leg.cents > 0 ? 'deposit' : 'withdrawal') },
      description: { type: 'text', gen: (c) => c.parent.memo },
      reconciled: { type: 'boolean', gen: (c) => c.row.status === 'cleared' && (c.row.cleared < REF_MS - 20 * DAY || c.rng.chance(0.3)) },
    },
  },
  analytics_snapshots: {
    rows: SNAPSHOT_MONTHS,
    catalog: true,
    description: 'Month-end figures for the dashboard, each equal to what the ledger says for that month.',
    columns: {
      id: { type: 'bigint' },
      m: { type: 'int', virtual: true, gen: (c) => FIRST_SALES_MONTH + c.i },
      month: { type: 'date', unique: true, gen: (c) => new Date(monthStart(c.row.m)) },
      revenue: { type: 'numeric(16,2)', gen: (c) => money(-(monthly(c).get(REVENUE)?.[c.row.m] ?? 0)) },
      returns_allowances: { type: 'numeric(16,2)', gen: (c) => money(monthly(c).get(RETURNS)?.[c.row.m] ?? 0) },
      cogs: { type: 'numeric(16,2)', gen: (c) => money(monthly(c).get(COGS)?.[c.row.m] ?? 0) },
      gross_profit: { type: 'numeric(16,2)', gen: (c) => Math.round((c.row.revenue - c.row.returns_allowances - c.row.cogs) * 100) / 100 },
      orders: { type: 'int', gen: (c) => salesByRep(c).orders[c.row.m]! },
      ar_balance: { type: 'numeric(16,2)', gen: (c) => money(balanceAt(c, [AR], c.row.m)) },
      inventory_value: { type: 'numeric(16,2)', gen: (c) => money(balanceAt(c, [INVENTORY], c.row.m)) },
      consignment_payable: { type: 'numeric(16,2)', gen: (c) => money(-balanceAt(c, [CONSIGNMENT_PAYABLE], c.row.m)) },
      cash_balance: { type: 'numeric(16,2)', gen: (c) => money(balanceAt(c, [CASH, PAYROLL_CASH, RESERVE_CASH], c.row.m)) },
      captured_at: { type: 'timestamptz', gen: (c) => new Date(Math.min(REF_MS, monthStart(c.row.m + 1) + 2 * 3_600_000)) },
    },
  },
  sales_targets: {
    per: { parent: 'users', count: (c) => (roleOf(c.parentIndex) === 'sales' ? SNAPSHOT_MONTHS : 0) },
    uniques: [['user_id', 'month']],
    description: 'Monthly quota per sales rep, and what their clients were invoiced that month.',
    columns: {
      id: { type: 'bigint' },
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.parentIndex + 1 },
      m: { type: 'int', virtual: true, gen: (c) => FIRST_SALES_MONTH + c.k },
      month: { type: 'date', gen: (c) => new Date(monthStart(c.row.m)) },
      achieved: { type: 'numeric(14,2)', gen: (c) => money(salesByRep(c).rep.get(c.parentIndex)?.[c.row.m] ?? 0) },
      target: {
        type: 'numeric(14,2)',
        gen: (c) => {
          const a = salesByRep(c).rep.get(c.parentIndex);
          let s = 0;
          if (a) for (let m = FIRST_SALES_MONTH; m <= LAST_SALES_MONTH; m++) s += a[m]!;
          const avg = s / SNAPSHOT_MONTHS / 100;
          // Quotas ramp with the business: 70% of the average early on, 130% by the end.
          return Math.max(5_000, Math.round((avg * (0.7 + (0.6 * c.k) / SNAPSHOT_MONTHS) * c.rng.uniform(0.95, 1.05)) / 1_000) * 1_000);
        },
      },
    },
  },
});
