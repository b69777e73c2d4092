/**
 * Reference data of the erp dataset: the chart of accounts, journals, workflow stages, recurring
 * meetings and the other small lists every profile shares.
 */

/** Reporting window: January 2024 to the reference date (end of October 2025). */
export const START = Date.parse('2024-01-01T00:00:00Z');
/** The books open before the first purchases for the window (opening balances, November 2023). */
export const BOOKS_OPEN = Date.parse('2023-11-01T00:00:00Z');
export const REF = '2025-10-31T23:59:59Z';
export const REF_MS = Date.parse(REF);
/** Midnight of the reference day: due dates before it are past due. */
export const REF_DAY = Date.parse('2025-10-31T00:00:00Z');
/** Events are scheduled up to three months past the reference date. */
export const HORIZON = Date.parse('2026-01-31T00:00:00Z');

export type AccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense';

export interface Account {
  code: string;
  name: string;
  type: AccountType;
}

/** Chart of accounts. The codes that carry the sub-ledgers are named below. */
export const ACCOUNTS: readonly Account[] = [
  { code: '1000', name: 'Cash - Operating', type: 'asset' },
  { code: '1010', name: 'Cash - Payroll', type: 'asset' },
  { code: '1020', name: 'Cash - Reserve', type: 'asset' },
  { code: '1100', name: 'Accounts Receivable', type: 'asset' },
  { code: '1200', name: 'Inventory', type: 'asset' },
  { code: '1300', name: 'Prepaid Expenses', type: 'asset' },
  { code: '1500', name: 'Equipment', type: 'asset' },
  { code: '1510', name: 'Accumulated Depreciation', type: 'asset' },
  { code: '2000', name: 'Accounts Payable', type: 'liability' },
  { code: '2010', name: 'Consignment Payable', type: 'liability' },
  { code: '2100', name: 'Accrued Liabilities', type: 'liability' },
  { code: '2200', name: 'Excise Tax Payable', type: 'liability' },
  { code: '3000', name: "Owner's Equity", type: 'equity' },
  { code: '3100', name: 'Retained Earnings', type: 'equity' },
  { code: '4000', name: 'Wholesale Revenue', type: 'revenue' },
  { code: '4100', name: 'Sales Returns & Allowances', type: 'revenue' },
  { code: '5000', name: 'Cost of Goods Sold', type: 'expense' },
  { code: '6000', name: 'Rent', type: 'expense' },
  { code: '6010', name: 'Utilities', type: 'expense' },
  { code: '6020', name: 'Payroll', type: 'expense' },
  { code: '6030', name: 'Lab Testing', type: 'expense' },
  { code: '6040', name: 'Packaging Supplies', type: 'expense' },
  { code: '6050', name: 'Freight & Delivery', type: 'expense' },
  { code: '6060', name: 'Marketing', type: 'expense' },
  { code: '6070', name: 'Software & Subscriptions', type: 'expense' },
  { code: '6080', name: 'Insurance', type: 'expense' },
  { code: '6090', name: 'Licenses & Compliance', type: 'expense' },
  { code: '6100', name: 'Security', type: 'expense' },
  { code: '6110', name: 'Travel', type: 'expense' },
  { code: '6200', name: 'Inventory Write-offs', type: 'expense' },
];

const accountIndex = new Map(ACCOUNTS.map((a, j) => [a.code, j]));
/** Key (id) of the account with `code`. */
export function accountId(code: string): number {
  const j = accountIndex.get(code);
  if (j === undefined) throw new Error(`unknown account code ${code}`);
  return j + 1;
}

export const CASH = '1000';
export const PAYROLL_CASH = '1010';
export const RESERVE_CASH = '1020';
export const AR = '1100';
export const INVENTORY = '1200';
export const AP = '2000';
export const CONSIGNMENT_PAYABLE = '2010';
export const EQUITY = '3000';
export const REVENUE = '4000';
export const RETURNS = '4100';
export const COGS = '5000';
export const PAYROLL_EXPENSE = '6020';
export const WRITE_OFFS = '6200';

/** Expense categories: name, GL account, typical amount (USD, median of a log-normal), share of expenses. Payroll runs separately. */
export const EXPENSE_CATEGORIES: readonly { name: string; code: string; median: number; weight: number; vendorShare: number }[] = [
  { name: 'Rent', code: '6000', median: 14_000, weight: 2, vendorShare: 1 },
  { name: 'Utilities', code: '6010', median: 2_200, weight: 3, vendorShare: 1 },
  { name: 'Lab testing', code: '6030', median: 900, weight: 10, vendorShare: 1 },
  { name: 'Packaging supplies', code: '6040', median: 1_400, weight: 9, vendorShare: 1 },
  { name: 'Freight & delivery', code: '6050', median: 450, weight: 16, vendorShare: 0.8 },
  { name: 'Marketing', code: '6060', median: 1_800, weight: 6, vendorShare: 0.6 },
  { name: 'Software & subscriptions', code: '6070', median: 350, weight: 5, vendorShare: 1 },
  { name: 'Insurance', code: '6080', median: 4_200, weight: 1, vendorShare: 1 },
  { name: 'Licenses & compliance', code: '6090', median: 1_200, weight: 2, vendorShare: 0.5 },
  { name: 'Security', code: '6100', median: 2_600, weight: 2, vendorShare: 1 },
  { name: 'Travel', code: '6110', median: 700, weight: 6, vendorShare: 0.3 },
];

/**
 * Journals: each posts one kind of source document (`column` is the journal entry's foreign key to
 * it). The opening-balance journal has a single entry, on the first fiscal period.
 */
export const JOURNALS = [
  { code: 'OBJ', name: 'Opening Balances', source: 'fiscal_periods', column: 'fiscal_period_id' },
  { code: 'SJ', name: 'Sales Journal', source: 'invoices', column: 'invoice_id' },
  { code: 'SRJ', name: 'Sales Returns & Allowances Journal', source: 'refunds', column: 'refund_id' },
  { code: 'CRJ', name: 'Cash Receipts Journal', source: 'payments', column: 'payment_id' },
  { code: 'PJ', name: 'Purchases Journal', source: 'bills', column: 'bill_id' },
  { code: 'CDJ', name: 'Cash Disbursements Journal', source: 'vendor_payments', column: 'vendor_payment_id' },
  { code: 'CSJ', name: 'Consignment Settlements Journal', source: 'consignment_settlements', column: 'consignment_settlement_id' },
  { code: 'GJ', name: 'General Journal', source: 'expenses', column: 'expense_id' },
  { code: 'PRJ', name: 'Payroll Journal', source: 'payroll_runs', column: 'payroll_run_id' },
  { code: 'TRJ', name: 'Bank Transfers Journal', source: 'bank_transfers', column: 'bank_transfer_id' },
  { code: 'IAJ', name: 'Inventory Adjustments Journal', source: 'inventory_adjustments', column: 'inventory_adjustment_id' },
] as const;
export type JournalCode = (typeof JOURNALS)[number]['code'];

export const LOCATIONS: readonly { name: string; kind: string }[] = [
  { name: 'Main Warehouse', kind: 'warehouse' },
  { name: 'Vault A', kind: 'vault' },
  { name: 'Vault B', kind: 'vault' },
  { name: 'Cold Storage', kind: 'warehouse' },
  { name: 'Packaging Room', kind: 'production' },
  { name: 'QA Lab', kind: 'lab' },
  { name: 'Shipping Dock', kind: 'dock' },
  { name: 'Showroom', kind: 'showroom' },
];

/** Product categories: name, unit, typical unit cost (USD). Strain-less categories have strain 0. */
export const CATEGORIES: readonly { name: string; unit: string; cost: number; strain: boolean; weight: number }[] = [
  { name: 'Flower', unit: 'lb', cost: 900, strain: true, weight: 30 },
  { name: 'Smalls', unit: 'lb', cost: 450, strain: true, weight: 8 },
  { name: 'Pre-Rolls', unit: 'case', cost: 120, strain: true, weight: 14 },
  { name: 'Vape Cartridges', unit: 'case', cost: 260, strain: true, weight: 14 },
  { name: 'Concentrates', unit: 'case', cost: 340, strain: true, weight: 10 },
  { name: 'Edibles', unit: 'case', cost: 95, strain: false, weight: 10 },
  { name: 'Tinctures', unit: 'case', cost: 140, strain: false, weight: 5 },
  { name: 'Topicals', unit: 'case', cost: 110, strain: false, weight: 4 },
  { name: 'Accessories', unit: 'case', cost: 60, strain: false, weight: 5 },
];

/** Quality grades with their price factor on the list price. */
export const GRADES: readonly { code: string; name: string; factor: number }[] = [
  { code: 'AAAA', name: 'Top shelf', factor: 1.45 },
  { code: 'AAA', name: 'Premium', factor: 1.2 },
  { code: 'AA', name: 'Standard', factor: 1 },
  { code: 'A', name: 'Value', factor: 0.82 },
  { code: 'B', name: 'Trim / extraction', factor: 0.6 },
];

export const TAGS: readonly string[] = [
  'best seller', 'new arrival', 'limited', 'seasonal', 'clearance', 'organic', 'indoor', 'greenhouse', 'sun grown',
  'craft', 'high THC', 'CBD rich', 'low odor', 'staff pick', 'back in stock', 'bulk deal', 'exclusive', 'key account',
  'net 15', 'prepay', 'credit hold', 'delivery only', 'pickup', 'multi-location', 'new client', 'win-back',
];

/** Pricing profiles (a client has one): volume tiers as [minimum quantity, discount %]. */
export const PRICING_PROFILES: readonly { name: string; description: string; weight: number; tiers: readonly (readonly [number, number])[] }[] = [
  { name: 'Standard', description: 'List price with modest volume breaks', weight: 30, tiers: [[1, 0], [10, 3], [50, 6]] },
  { name: 'New Account', description: 'First 90 days: small introductory break', weight: 8, tiers: [[1, 1], [10, 3], [50, 5]] },
  { name: 'Preferred', description: 'Loyal accounts: better breaks', weight: 14, tiers: [[1, 2], [10, 5], [50, 8], [100, 10]] },
  { name: 'Preferred Plus', description: 'Loyal accounts with steady volume', weight: 8, tiers: [[1, 3], [10, 6], [50, 9], [100, 11]] },
  { name: 'Distributor', description: 'Resellers buying in bulk', weight: 8, tiers: [[1, 5], [25, 9], [100, 13], [250, 16]] },
  { name: 'Regional Chain', description: 'Multi-location retailers', weight: 8, tiers: [[1, 4], [20, 7], [80, 10], [200, 12]] },
  { name: 'VIP', description: 'Top accounts, negotiated', weight: 6, tiers: [[1, 6], [10, 9], [50, 12], [100, 15]] },
  { name: 'Prepay', description: 'Pays on order: cash discount', weight: 6, tiers: [[1, 4], [10, 5], [50, 7]] },
  { name: 'Seasonal', description: 'Holiday and summer promotions', weight: 6, tiers: [[1, 0], [15, 4], [60, 8]] },
  { name: 'Clearance Buyer', description: 'Takes aged and B-grade stock', weight: 6, tiers: [[1, 8], [20, 12], [100, 18]] },
];

/**
 * Category promotions per profile: [profile, category (0-based), extra %, from, to | null]. A line
 * gets a promotion when the order falls inside its window; no two windows of one profile and
 * category overlap.
 */
export const PRICING_RULES: readonly (readonly [number, number, number, string, string | null])[] = [
  [0, 0, 2, '2024-03-01', '2024-05-01'], [0, 2, 3, '2024-11-15', '2025-01-05'], [0, 5, 4, '2025-06-01', '2025-08-15'],
  [1, 0, 3, '2024-01-01', null], [1, 3, 2, '2024-09-01', '2024-12-01'],
  [2, 0, 2, '2024-06-01', '2024-09-01'], [2, 1, 5, '2024-02-01', null], [2, 4, 3, '2025-01-15', '2025-04-15'],
  [3, 2, 4, '2024-04-20', '2024-05-20'], [3, 3, 3, '2025-02-01', '2025-05-01'],
  [4, 0, 3, '2024-01-15', null], [4, 3, 4, '2024-08-01', '2025-02-01'], [4, 6, 5, '2025-03-01', '2025-09-01'],
  [5, 1, 4, '2024-05-01', '2024-10-01'], [5, 5, 3, '2024-11-01', '2025-01-01'],
  [6, 0, 4, '2024-07-01', null], [6, 4, 5, '2025-04-01', '2025-07-01'],
  [7, 2, 3, '2024-03-15', '2024-06-15'], [7, 7, 4, '2025-05-01', null],
  [8, 5, 6, '2024-11-20', '2025-01-02'], [8, 2, 5, '2025-06-15', '2025-08-31'], [8, 0, 3, '2024-06-01', '2024-08-31'],
  [9, 1, 6, '2024-01-01', null], [9, 8, 5, '2024-09-01', '2025-03-01'],
];

/**
 * Stages of the intake queue a received batch goes through before it can be sold, in order; only
 * stage n → n + 1 is a valid move. `released` is terminal (available for sale).
 */
export const WORKFLOW_STAGES = ['receiving', 'testing', 'packaging', 'released'] as const;
export type WorkflowStage = (typeof WORKFLOW_STAGES)[number];

/** Recurring meetings: weekday-aligned series with a first date and a cadence in days (or monthly). */
export interface Series {
  title: string;
  kind: 'meeting' | 'inventory_count' | 'review';
  first: string;
  /** Days between occurrences; 0 means monthly on the same day of month. */
  everyDays: number;
  occurrences: number;
  minutes: number;
}
export const EVENT_SERIES: readonly Series[] = [
  { title: 'All-hands', kind: 'meeting', first: '2024-01-08T17:00:00Z', everyDays: 0, occurrences: 25, minutes: 60 },
  { title: 'Sales pipeline review', kind: 'review', first: '2024-01-03T16:00:00Z', everyDays: 14, occurrences: 54, minutes: 45 },
  { title: 'Vendor quality review', kind: 'review', first: '2024-01-17T15:00:00Z', everyDays: 0, occurrences: 24, minutes: 60 },
  { title: 'Quarterly business review', kind: 'review', first: '2024-01-25T15:00:00Z', everyDays: 91, occurrences: 9, minutes: 120 },
  { title: 'Monthly cycle count', kind: 'inventory_count', first: '2024-01-26T14:00:00Z', everyDays: 0, occurrences: 25, minutes: 180 },
];

export const ONE_OFF_KINDS: readonly (readonly [string, number])[] = [
  ['client_visit', 40], ['trade_show', 10], ['product_launch', 12], ['training', 16], ['webinar', 10], ['meeting', 12],
];

export const WIDGETS: readonly string[] = [
  'revenue_mtd', 'ar_aging', 'top_clients', 'open_orders', 'inventory_value', 'low_stock', 'cash_position',
  'upcoming_events', 'workflow_queue', 'recent_payments', 'sales_by_category', 'overdue_invoices',
];
