/**
 * erp supply chain: purchase orders and their items, receipts, lots with lab tests and COA files,
 * batches with their stock by location and monthly cost of goods, write-offs of expired stock, the
 * intake workflow (templates, queue, history, assignments), vendor bills and payments, and the
 * monthly consignment settlements. Everything follows the supply plan (supply.ts).
 */
import { defineTables, jsonb, type RowsIn } from '../../src/index.js';
import type { params } from './params.js';
import type { coreTables } from './tables-core.js';
import type { partyTables } from './tables-parties.js';
import { WORKFLOW_STAGES } from './catalogs.js';
import { CURRENT_WINDOW, WORKFLOW_TEMPLATES, monthStart, templateOf } from './catalogs-ops.js';
import { billedPos, consignment, paidPos, poNumber, poPayment, poTotal } from './books.js';
import { L, dueDate, groupOf, groupStarts, hashedRng, money, productFacts, salt, workflowTimes, type ErpContext, type ErpGenContext, type ErpRows } from './rules.js';
import { onHand, salesByMonth, supply, vendorFacts, type ItemPlan } from './supply.js';
import { pickUser, usersWith } from './tables-core.js';
import { INTAKE_NOTES } from './text.js';

const sp = (c: ErpContext) => supply(c);
/** Who recorded intake transition k (warehouse staff in rotation), recomputable without the row. */
export const intakeUser = (c: ErpContext, k: number): number => { const list = usersWith(c.count('users'), 'warehouse', 'manager'); return list[(k * 7) % list.length]! + 1; };
/** First transition of each workflow item (= batch), and the (batch, stage) of transition k. */
export const transitionStarts = (c: ErpContext): Int32Array => groupStarts(c, 'workflow_transitions', sp(c).batchItem.length, (b) => batchFlow(c, b).length);
export function transitionOf(c: ErpContext, k: number): { batch: number; stage: number } {
  const s = transitionStarts(c);
  const batch = groupOf(s, k);
  return { batch, stage: k - s[batch]! };
}
const itemOfBatch = (c: ErpContext, b: number): ItemPlan => sp(c).items[sp(c).batchItem[b]!]!;
/** Times the batch entered each intake stage (recomputed from the batch index). */
export const batchFlow = (c: ErpContext, b: number): number[] => workflowTimes(hashedRng(salt(c), L.TIMES, b), sp(c).pos[itemOfBatch(c, b).po]!.received!);

export const supplyTables = defineTables<ErpRows & RowsIn<typeof coreTables> & RowsIn<typeof partyTables>, typeof params>()({
  purchase_orders: {
    per: { parent: 'vendors', count: (c) => sp(c).vendorPos[c.parentIndex]! },
    description: 'One purchase order per vendor and replenishment window, placed four to five weeks before the window.',
    checks: ['expected_at > ordered_at'],
    columns: {
      id: { type: 'bigint' },
      po_number: { type: 'text', unique: true, gen: (c) => poNumber(c.i) },
      vendor_id: { type: 'bigint', references: 'vendors', gen: (c) => c.parentIndex + 1 },
      created_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'warehouse', 'manager') },
      ordered_at: { type: 'timestamptz', gen: (c) => new Date(sp(c).pos[c.i]!.ordered) },
      expected_at: { type: 'timestamptz', gen: (c) => new Date(sp(c).pos[c.i]!.expected) },
      is_consignment: { type: 'boolean', gen: (c) => sp(c).pos[c.i]!.consignment },
      status: {
        type: { enum: ['ordered', 'received', 'paid'] },
        gen: (c) => (sp(c).pos[c.i]!.received === null ? 'ordered' : poPayment(c, c.i).paidAt !== null ? 'paid' : 'received'),
      },
      total: { type: 'numeric(14,2)', gen: (c) => money(poTotal(c, sp(c).pos[c.i]!)) },
    },
  },
  purchase_order_items: {
    per: { parent: 'purchase_orders', count: (c) => sp(c).pos[c.parentIndex]!.items },
    uniques: [['purchase_order_id', 'product_id']],
    checks: ['line_total = round(quantity * unit_cost, 2)'],
    columns: {
      id: { type: 'bigint' },
      purchase_order_id: { type: 'bigint', references: 'purchase_orders', gen: (c) => c.parentIndex + 1 },
      product_id: { type: 'bigint', references: 'products', gen: (c) => sp(c).items[c.i]!.product + 1 },
      quantity: { type: 'int', check: 'quantity > 0', gen: (c) => sp(c).items[c.i]!.qty },
      unit_cost: { type: 'numeric(12,2)', gen: (c) => money(sp(c).items[c.i]!.costCents) },
      line_total: { type: 'numeric(14,2)', gen: (c) => money(sp(c).items[c.i]!.costCents * sp(c).items[c.i]!.qty) },
    },
  },
  po_receipts: {
    per: { parent: 'purchase_orders', count: (c) => (sp(c).pos[c.parentIndex]!.received === null ? 0 : 1) },
    description: 'Goods received against a purchase order (every item in full).',
    columns: {
      id: { type: 'bigint' },
      purchase_order_id: { type: 'bigint', unique: true, references: 'purchase_orders', gen: (c) => c.parentIndex + 1 },
      received_at: { type: 'timestamptz', gen: (c) => new Date(sp(c).pos[c.parentIndex]!.received!) },
      received_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'warehouse') },
      location_id: { type: 'bigint', references: 'locations', gen: () => 7 },
      amount: { type: 'numeric(14,2)', gen: (c) => c.parent.total },
    },
  },
  lots: {
    per: { parent: 'purchase_order_items', count: (c) => (sp(c).pos[sp(c).items[c.parentIndex]!.po]!.received === null ? 0 : 1) },
    description: 'Vendor intake: one lot per received purchase-order item.',
    columns: {
      id: { type: 'bigint' },
      lot_number: { type: 'text', unique: true, gen: (c) => `LOT-${String(c.i + 1).padStart(6, '0')}` },
      purchase_order_item_id: { type: 'bigint', unique: true, references: 'purchase_order_items', gen: (c) => c.parentIndex + 1 },
      vendor_id: { type: 'bigint', references: 'vendors', gen: (c) => sp(c).pos[itemOfBatch(c, c.i).po]!.vendor + 1 },
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.parent.product_id },
      ownership: { type: { enum: ['owned', 'consignment'] }, gen: (c) => (sp(c).pos[itemOfBatch(c, c.i).po]!.consignment ? 'consignment' : 'owned') },
      quantity: { type: 'int', check: 'quantity > 0', gen: (c) => c.parent.quantity },
      location_id: { type: 'bigint', references: 'locations', gen: (c) => c.rng.weighted([[1, 50], [2, 15], [3, 15], [4, 20]]) },
      // Passed once the batch left testing; pending while it is still in the lab.
      coa_status: { type: { enum: ['passed', 'pending'] }, gen: (c) => (batchFlow(c, c.i).length >= 3 ? 'passed' : 'pending') },
      received_at: { type: 'timestamptz', gen: (c) => new Date(sp(c).pos[itemOfBatch(c, c.i).po]!.received!) },
    },
  },
  lab_tests: {
    per: { parent: 'lots', count: (c) => (batchFlow(c, c.parentIndex).length >= 2 ? 1 : 0) },
    description: 'Potency and safety panel of a lot, sampled when it enters testing; results when it leaves.',
    columns: {
      id: { type: 'bigint' },
      lot_id: { type: 'bigint', unique: true, references: 'lots', gen: (c) => c.parentIndex + 1 },
      lab: { type: 'text', gen: (c) => c.rng.pick(['SC Labs', 'Steep Hill', 'CannaSafe', 'Anresco']) },
      sampled_at: { type: 'timestamptz', gen: (c) => new Date(batchFlow(c, c.parentIndex)[1]!) },
      completed_at: { type: 'timestamptz', nullable: true, gen: (c) => { const f = batchFlow(c, c.parentIndex); return f.length >= 3 ? new Date(f[2]!) : null; } },
      result: { type: { enum: ['pass', 'pending'] }, gen: (c) => (c.row.completed_at === null ? 'pending' : 'pass') },
      thc_pct: { type: 'numeric(4,1)', nullable: true, gen: (c) => (c.row.completed_at === null ? null : Math.round(c.rng.normal(22, 4) * 10) / 10) },
      pesticides: { type: 'text', nullable: true, gen: (c) => (c.row.completed_at === null ? null : 'none detected') },
    },
  },
  attachments: {
    per: { parent: 'lab_tests', count: (c) => (c.parent.completed_at === null ? 0 : 1) },
    description: 'Certificates of analysis as PDF files, one per completed lab test.',
    columns: {
      id: { type: 'bigint' },
      lab_test_id: { type: 'bigint', unique: true, references: 'lab_tests', gen: (c) => c.parentIndex + 1 },
      file_name: { type: 'text', gen: (c) => `COA-LOT-${String(c.parentIndex + 1).padStart(6, '0')}.pdf` },
      url: { type: 'text', unique: true, gen: (c) => `https://files.example.com/coa/${c.parentIndex + 1}.pdf` },
      bytes: { type: 'int', gen: (c) => c.rng.int(80_000, 900_000) },
      uploaded_at: {
        type: 'timestamptz',
        gen: (c) => {
          if (c.parent.completed_at === null) throw new RangeError('certificates are generated for completed lab tests only');
          return c.parent.completed_at;
        },
      },
    },
  },
  batches: {
    per: { parent: 'lots', count: 1 },
    description: 'Sellable stock from one lot, released by the intake workflow; sold only inside its window, never beyond its quantity.',
    checks: ['quantity_sold <= quantity', 'on_hand >= 0', 'on_hand <= quantity - quantity_sold'],
    columns: {
      id: { type: 'bigint' },
      item: { type: jsonb<ItemPlan>(), virtual: true, gen: (c) => itemOfBatch(c, c.i) },
      batch_number: { type: 'text', unique: true, gen: (c) => `B-${String(c.row.item.product + 1).padStart(5, '0')}-${c.row.item.window + 1}` },
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.row.item.product + 1 },
      lot_id: { type: 'bigint', unique: true, references: 'lots', gen: (c) => c.parentIndex + 1 },
      ownership: { type: { enum: ['owned', 'consignment'] }, gen: (c) => c.parent.ownership },
      quantity: { type: 'int', check: 'quantity > 0', gen: (c) => c.row.item.qty },
      unit_cost: { type: 'numeric(12,2)', gen: (c) => money(c.row.item.costCents) },
      quantity_sold: { type: 'int', gen: (c) => c.row.item.sold },
      on_hand: { type: 'int', gen: (c) => onHand(c.row.item).units },
      created_at: { type: 'timestamptz', gen: (c) => c.parent.received_at },
      released_at: { type: 'timestamptz', nullable: true, gen: (c) => { const f = batchFlow(c, c.i); return f.length === WORKFLOW_STAGES.length ? new Date(f.at(-1)!) : null; } },
      expires_at: { type: 'date', gen: (c) => new Date(c.row.item.expires) },
      status: {
        type: { enum: ['quarantine', 'available', 'sold_out', 'expired', 'returned'] },
        gen: (c) => {
          const it = c.row.item;
          if (c.row.released_at === null) return 'quarantine';
          if (onHand(it).writtenOff > 0) return c.parent.ownership === 'consignment' ? 'returned' : 'expired';
          return onHand(it).units > 0 ? 'available' : 'sold_out';
        },
      },
    },
  },
  batch_locations: {
    per: { parent: 'batches', count: (c) => { const u = c.parent.on_hand; return u === 0 ? 0 : u >= 10 ? 2 : 1; } },
    primaryKey: ['batch_id', 'location_id'],
    description: 'Where a batch’s units on hand are stored; they add up to batches.on_hand.',
    columns: {
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parentIndex + 1 },
      location_id: { type: 'bigint', references: 'locations', gen: (c) => (c.k === 0 ? [1, 2, 3, 4][c.parentIndex % 4]! : 8) },
      quantity: { type: 'int', check: 'quantity > 0', gen: (c) => { const u = c.parent.on_hand; return c.n === 1 ? u : c.k === 0 ? u - Math.floor(u * 0.2) : Math.floor(u * 0.2); } },
    },
  },
  cogs_history: {
    per: { parent: 'batches', count: (c) => salesByMonth(c, itemOfBatch(c, c.parentIndex)).length },
    uniques: [['batch_id', 'month']],
    description: 'Cost of goods sold from a batch per month (units × the batch’s cost).',
    columns: {
      id: { type: 'bigint' },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parentIndex + 1 },
      month: { type: 'date', gen: (c) => new Date(monthStart(salesByMonth(c, itemOfBatch(c, c.parentIndex))[c.k]!.month)) },
      units: { type: 'int', gen: (c) => salesByMonth(c, itemOfBatch(c, c.parentIndex))[c.k]!.units },
      unit_cost: { type: 'numeric(12,2)', gen: (c) => c.parent.unit_cost },
      cogs: { type: 'numeric(14,2)', gen: (c) => money(c.row.units * itemOfBatch(c, c.parentIndex).costCents) },
      ownership: { type: { enum: ['owned', 'consignment'] }, gen: (c) => c.parent.ownership },
    },
  },
  inventory_adjustments: {
    per: { parent: 'batches', count: (c) => (c.parent.status === 'expired' ? 1 : 0) },
    description: 'Owned stock left in a batch when it expired, written off (posts write-off expense against inventory).',
    columns: {
      id: { type: 'bigint' },
      batch_id: { type: 'bigint', unique: true, references: 'batches', gen: (c) => c.parentIndex + 1 },
      reason: { type: { enum: ['expired'] }, gen: () => 'expired' },
      quantity: { type: 'int', gen: (c) => -onHand(itemOfBatch(c, c.parentIndex)).writtenOff },
      value: { type: 'numeric(14,2)', gen: (c) => money(onHand(itemOfBatch(c, c.parentIndex)).writtenOff * itemOfBatch(c, c.parentIndex).costCents) },
      adjusted_at: { type: 'timestamptz', gen: (c) => new Date(itemOfBatch(c, c.parentIndex).expires) },
      approved_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'manager') },
    },
  },
  workflow_templates: {
    rows: WORKFLOW_TEMPLATES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => WORKFLOW_TEMPLATES[c.i]!.name },
      description: { type: 'text', gen: (c) => WORKFLOW_TEMPLATES[c.i]!.description },
      is_active: { type: 'boolean', gen: () => true },
    },
  },
  workflow_template_steps: {
    per: { parent: 'workflow_templates', count: WORKFLOW_STAGES.length },
    uniques: [['workflow_template_id', 'position']],
    columns: {
      id: { type: 'bigint' },
      workflow_template_id: { type: 'bigint', references: 'workflow_templates', gen: (c) => c.parentIndex + 1 },
      stage_id: { type: 'bigint', references: 'workflow_stages', gen: (c) => c.k + 1 },
      position: { type: 'smallint', gen: (c) => c.k + 1 },
      sla_hours: { type: 'int', gen: (c) => WORKFLOW_TEMPLATES[c.parentIndex]!.sla[c.k]! },
    },
  },
  workflow_items: {
    per: { parent: 'batches', count: 1 },
    description: 'The intake queue: each batch moves receiving → testing → packaging → released.',
    columns: {
      id: { type: 'bigint' },
      batch_id: { type: 'bigint', unique: true, references: 'batches', gen: (c) => c.parentIndex + 1 },
      workflow_template_id: { type: 'bigint', references: 'workflow_templates', gen: (c) => templateOf(productFacts(c, itemOfBatch(c, c.parentIndex).product).category) + 1 },
      flow: { type: jsonb<number[]>(), virtual: true, gen: (c) => batchFlow(c, c.parentIndex) },
      current_stage_id: { type: 'bigint', references: 'workflow_stages', gen: (c) => c.row.flow.length },
      priority: { type: { enum: ['low', 'normal', 'high', 'rush'] }, gen: (c) => (itemOfBatch(c, c.parentIndex).window > CURRENT_WINDOW ? c.rng.weighted({ high: 40, rush: 20, normal: 40 }) : c.rng.weighted({ normal: 70, high: 18, low: 8, rush: 4 })) },
      assigned_to: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'warehouse') },
      entered_at: { type: 'timestamptz', gen: (c) => new Date(c.row.flow[0]!) },
      updated_at: { type: 'timestamptz', gen: (c) => new Date(c.row.flow.at(-1)!) },
      is_done: { type: 'boolean', gen: (c) => c.row.flow.length === WORKFLOW_STAGES.length },
    },
  },
  workflow_transitions: {
    per: { parent: 'workflow_items', count: (c) => batchFlow(c, c.parentIndex).length },
    uniques: [['workflow_item_id', 'to_stage_id']],
    description: 'History: one row per stage an item entered, in time order (the first has no from-stage).',
    columns: {
      id: { type: 'bigint' },
      workflow_item_id: { type: 'bigint', references: 'workflow_items', gen: (c) => c.parentIndex + 1 },
      from_stage_id: { type: 'bigint', nullable: true, references: 'workflow_stages', gen: (c) => (c.k === 0 ? null : c.k) },
      to_stage_id: { type: 'bigint', references: 'workflow_stages', gen: (c) => c.k + 1 },
      transitioned_at: { type: 'timestamptz', gen: (c) => new Date(batchFlow(c, c.parentIndex)[c.k]!) },
      by_user_id: { type: 'bigint', references: 'users', gen: (c) => intakeUser(c, c.i) },
      note: { type: 'text', nullable: true, gen: (c) => (c.rng.chance(0.25) ? c.text.say(INTAKE_NOTES) : null) },
    },
  },
  workflow_assignments: {
    per: { parent: 'workflow_items', count: (c) => Math.min(batchFlow(c, c.parentIndex).length, WORKFLOW_STAGES.length - 1) },
    uniques: [['workflow_item_id', 'stage_id']],
    description: 'Who works each stage of an item: assigned when the stage starts, done when the next one starts.',
    columns: {
      id: { type: 'bigint' },
      workflow_item_id: { type: 'bigint', references: 'workflow_items', gen: (c) => c.parentIndex + 1 },
      stage_id: { type: 'bigint', references: 'workflow_stages', gen: (c) => c.k + 1 },
      user_id: { type: 'bigint', references: 'users', gen: (c) => (c.k === 1 ? pickUser(c, 'warehouse', 'manager') : pickUser(c, 'warehouse')) },
      assigned_at: { type: 'timestamptz', gen: (c) => new Date(batchFlow(c, c.parentIndex)[c.k]!) },
      completed_at: { type: 'timestamptz', nullable: true, gen: (c) => { const f = batchFlow(c, c.parentIndex); return f[c.k + 1] === undefined ? null : new Date(f[c.k + 1]!); } },
    },
  },
  bills: {
    per: { parent: 'po_receipts', count: (c) => (sp(c).pos[c.parent.purchase_order_id - 1]!.consignment ? 0 : 1) },
    description: 'Vendor bills for owned purchases, on receipt (consigned goods are settled when sold).',
    checks: ['amount_paid <= total', 'balance = total - amount_paid'],
    columns: {
      id: { type: 'bigint' },
      po: { type: 'int', virtual: true, gen: (c) => billedPos(c)[c.i]! },
      bill_number: { type: 'text', unique: true, gen: (c) => `BILL-${String(c.i + 1).padStart(6, '0')}` },
      vendor_id: { type: 'bigint', references: 'vendors', gen: (c) => sp(c).pos[c.row.po]!.vendor + 1 },
      purchase_order_id: { type: 'bigint', unique: true, references: 'purchase_orders', gen: (c) => c.row.po + 1 },
      billed_at: { type: 'timestamptz', gen: (c) => c.parent.received_at },
      due_date: { type: 'date', gen: (c) => new Date(dueDate(sp(c).pos[c.row.po]!.received!, vendorFacts(c, sp(c).pos[c.row.po]!.vendor).terms)) },
      total: { type: 'numeric(14,2)', gen: (c) => c.parent.amount },
      amount_paid: { type: 'numeric(14,2)', gen: (c) => (poPayment(c, c.row.po).paidAt === null ? 0 : c.row.total) },
      balance: { type: 'numeric(14,2)', gen: (c) => Math.round((c.row.total - c.row.amount_paid) * 100) / 100 },
      status: { type: { enum: ['open', 'paid'] }, gen: (c) => (c.row.balance === 0 ? 'paid' : 'open') },
    },
  },
  bill_line_items: {
    per: { parent: 'bills', count: (c) => sp(c).pos[c.parent.po]!.items },
    uniques: [['bill_id', 'line_number']],
    checks: ['line_total = round(quantity * unit_cost, 2)'],
    columns: {
      id: { type: 'bigint' },
      bill_id: { type: 'bigint', references: 'bills', gen: (c) => c.parentIndex + 1 },
      line_number: { type: 'smallint', gen: (c) => c.k + 1 },
      item: { type: jsonb<ItemPlan>(), virtual: true, gen: (c) => sp(c).items[sp(c).pos[c.parent.po]!.firstItem + c.k] },
      purchase_order_item_id: { type: 'bigint', references: 'purchase_order_items', gen: (c) => sp(c).pos[c.parent.po]!.firstItem + c.k + 1 },
      description: { type: 'text', gen: (c) => productFacts(c, c.row.item.product).name },
      quantity: { type: 'int', gen: (c) => c.row.item.qty },
      unit_cost: { type: 'numeric(12,2)', gen: (c) => money(c.row.item.costCents) },
      line_total: { type: 'numeric(14,2)', gen: (c) => money(c.row.item.costCents * c.row.item.qty) },
    },
  },
  vendor_payments: {
    per: { parent: 'bills', count: (c) => (poPayment(c, c.parent.po).paidAt === null ? 0 : 1) },
    description: 'Payments of vendor bills on their terms (posts AP and cash).',
    columns: {
      id: { type: 'bigint' },
      bill_id: { type: 'bigint', unique: true, references: 'bills', gen: (c) => c.parentIndex + 1 },
      paid_at: { type: 'timestamptz', gen: (c) => new Date(poPayment(c, c.parent.po).paidAt!) },
      amount: { type: 'numeric(14,2)', gen: (c) => c.parent.total },
      method: { type: { enum: ['check', 'wire', 'ACH'] }, gen: (c) => poPayment(c, c.parent.po).method },
      bank_account_id: { type: 'bigint', references: 'bank_accounts', gen: () => 1 },
      reference: { type: 'text', unique: true, gen: (c) => `VP-${String(c.i + 1).padStart(6, '0')}` },
      po: { type: 'int', virtual: true, gen: (c) => paidPos(c)[c.i]! },
    },
  },
  consignment_settlements: {
    per: { parent: 'consignment_agreements', count: (c) => consignment(c).settlements[c.parentIndex]!.length },
    uniques: [['consignment_agreement_id', 'month']],
    description: 'Monthly payment for the consigned goods sold the month before, at the agreed cost (posts consignment payable and cash).',
    columns: {
      id: { type: 'bigint' },
      consignment_agreement_id: { type: 'bigint', references: 'consignment_agreements', gen: (c) => c.parentIndex + 1 },
      vendor_id: { type: 'bigint', references: 'vendors', gen: (c) => c.parent.vendor_id },
      month: { type: 'date', gen: (c) => new Date(monthStart(settlement(c).month)) },
      units: { type: 'int', gen: (c) => settlement(c).units },
      amount: { type: 'numeric(14,2)', gen: (c) => money(settlement(c).cents) },
      paid_at: { type: 'timestamptz', gen: (c) => new Date(settlement(c).paidAt) },
    },
  },
});

const settlement = (c: ErpGenContext) => consignment(c).settlements[c.parentIndex]![c.k]!;
