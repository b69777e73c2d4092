/**
 * What the wholesaler's staff write: client notes and communications, comments on orders, clients
 * and events, notes and their comments, tasks and to-do items, expense descriptions, vendor notes,
 * intake remarks. Template grammars over the business's own vocabulary, filled with the row's real
 * subject (the client's name, the order number, the product), so a note reads like a note about
 * that client and not like filler.
 */
import { grammar } from '../../src/index.js';

const common = {
  when: ['this week', 'next week', 'before Friday', 'by end of month', 'tomorrow', 'on Monday'],
  product: ['flower', 'pre-rolls', 'vape carts', 'concentrates', 'edibles', 'tinctures', 'smalls'],
  issue: ['a short-shipped case', 'a label misprint', 'a late delivery', 'a damaged carton', 'a COA question', 'a pricing question'],
};

/** Notes on a client (`$client`). */
export const CLIENT_NOTES = grammar({
  ...common,
  start: [
    '{$client} wants to increase {product} volume {when}; send the updated price list.',
    'Buyer at {$client} prefers deliveries before noon; dock closes at 3 pm.',
    '{$client} raised {issue} on the last order; resolved with a credit.',
    'Met the new purchasing manager at {$client}. They are reviewing suppliers for Q{$q}.',
    '{$client} asked about net 45 terms; needs manager approval.',
    '{$client} is opening a second location and will need a separate ship-to address.',
    'Sample drop-off at {$client} went well; they liked the {product}.',
    'AP at {$client} asked for statements by email instead of paper.',
    '{$client} pays reliably but always a few days after the due date.',
    'Follow up with {$client} {when} about the {product} promotion.',
  ],
});

/** Vendor notes (`$vendor`). */
export const VENDOR_NOTES = grammar({
  ...common,
  start: [
    '{$vendor} can ship partial orders if we confirm {when}.', 'Lead time from {$vendor} is running about ten days this quarter.',
    '{$vendor} sent {issue} on the last delivery; they will credit it on the next bill.', 'Negotiated a 3% discount with {$vendor} on orders over 50 units.',
    'COAs from {$vendor} now come with every lot; keep them on file.', '{$vendor} is switching carriers; expect new tracking numbers.',
    'Quality from {$vendor} has been consistent; candidate for a larger allocation.', 'Call {$vendor} {when} about the consignment settlement.',
  ],
});

/** Comments on an order (`$order`, `$client`), a client or an event (`$event`). */
export const ORDER_COMMENTS = grammar({
  ...common,
  start: [
    'Confirmed delivery window with {$client} for {$order}.', '{$order} picked and packed; waiting for the driver.', 'Client asked to add two cases to {$order}; created a follow-up order.',
    'Invoice for {$order} sent to AP at {$client}.', '{$client} reported {issue} on {$order}; photos attached.', 'Substituted one SKU on {$order} with the client\'s approval.',
    'Payment for {$order} expected {when}.', 'Delivered {$order}; signed by the receiving manager.',
  ],
});
export const CLIENT_COMMENTS = grammar({
  ...common,
  start: ['Credit review for {$client} is due {when}.', '{$client} asked for a sample pack of new {product}.', 'Updated the buyer contact for {$client}.', '{$client} moved to the preferred pricing profile after the last review.', 'Reminder: {$client} closes early on Fridays.'],
});
export const EVENT_COMMENTS = grammar({
  ...common,
  start: ['Agenda for {$event} is in the shared folder.', 'Notes from {$event}: follow-ups assigned in the task list.', 'Moved {$event} by thirty minutes to avoid the delivery window.', 'Please bring the latest sales numbers to {$event}.', 'Can someone book the showroom for {$event}?'],
});

/** Client timeline touches (`$client`) by type. */
export const ACTIVITIES = grammar({
  ...common,
  call: ['Called {$client} about their reorder.', 'Call with the buyer at {$client}: reviewed open invoices.', 'Called {$client} to confirm the delivery slot.'],
  email: ['Emailed {$client} the new price list.', 'Sent {$client} the monthly statement.', 'Emailed {$client} about {issue}.'],
  meeting: ['Met {$client} at their store to review the shelf mix.', 'Quarterly review with {$client}.'],
  quote_sent: ['Sent a quote for {product} to {$client}.', 'Sent {$client} a volume quote.'],
  sample_dropoff: ['Dropped off {product} samples at {$client}.'],
  note: ['{$client} asked to be contacted by email only.', '{$client} will place a larger order {when}.'],
});

export const COMMUNICATIONS = grammar({
  ...common,
  subject: ['Reorder for {when}', 'Open invoices', 'New {product} arrivals', 'Delivery schedule', 'Price list update', 'Follow-up on {issue}', 'Credit terms', 'Sample request'],
  outcome: ['Client will reorder {when}.', 'Agreed on a delivery slot.', 'Sent the requested documents.', 'Escalated to the account manager.', 'No answer; will try again {when}.', 'Resolved on the call.'],
});

/** Expense descriptions (`$vendor` may be empty) by category name. */
export const EXPENSES = grammar({
  Rent: ['Warehouse rent, {$month}', 'Showroom lease, {$month}'],
  Utilities: ['Electricity and water, {$month}', 'Internet and phones, {$month}', 'HVAC for the vaults, {$month}'],
  'Lab testing': ['Potency and pesticide panel, {$lots} lots', 'Microbial retest for one lot', 'Terpene profile for a new strain'],
  'Packaging supplies': ['Child-resistant mylar bags', 'Case labels and compliance stickers', 'Shipping cartons and tape', 'Glass jars for top-shelf flower'],
  'Freight & delivery': ['Fuel for the delivery van', 'Courier run to the valley route', 'Freight for an inbound pallet', 'Van maintenance'],
  Marketing: ['Trade show booth deposit', 'Printed sell sheets', 'Sample packs for buyers', 'Product photography'],
  'Software & subscriptions': ['Inventory tracking subscription', 'Accounting software, {$month}', 'Route planning tool, {$month}'],
  Insurance: ['General liability premium', 'Cargo insurance premium', 'Product liability premium'],
  'Licenses & compliance': ['State license renewal fee', 'Compliance consultant, {$month}', 'Local permit fee'],
  Security: ['Alarm monitoring, {$month}', 'Security guard service, {$month}', 'Camera system maintenance'],
  Travel: ['Client visits: mileage and parking', 'Hotel for the trade show', 'Flights to the vendor site visit'],
});

/** Tasks (`$subject` is the related record) and to-do items. */
export const TASKS = grammar({
  ...common,
  client: ['Call {$subject} about the overdue balance', 'Send {$subject} the updated price list', 'Schedule a visit with {$subject}', 'Review credit limit for {$subject}', 'Collect the signed terms from {$subject}'],
  order: ['Confirm delivery of {$subject}', 'Fix the label issue on {$subject}', 'Send proof of delivery for {$subject}'],
  purchase_order: ['Chase the shipping date for {$subject}', 'Check the receiving count of {$subject}', 'Match the bill for {$subject}'],
  product: ['Reorder {$subject}', 'Update photos of {$subject}', 'Review the price of {$subject}'],
});
export const TODOS = grammar({
  ...common,
  start: [
    'Count the vault {when}', 'Update the {product} price list', 'Prepare the month-end AR report', 'Book the showroom for the buyer day', 'Renew the delivery van registration',
    'Order more shipping cartons', 'Train the new warehouse associate on intake', 'Review the slow-moving {product}', 'Send statements to late payers', 'Check COAs of this week\'s lots',
    'Plan the {product} promotion', 'Confirm next week\'s delivery routes', 'Clean up duplicate client contacts', 'Reconcile the reserve account',
  ],
});

/** Freeform notes: title and body; comments on them; scratch-pad lines. */
export const NOTE_TITLES = grammar({ ...common, start: ['Ideas for the {product} launch', 'Buyer day checklist', 'Pricing notes for Q{$q}', 'Vendor shortlist', 'Intake process changes', 'Route planning notes', 'Things to ask the accountant', 'Trade show follow-ups'] });
export const NOTE_BODIES = grammar({
  ...common,
  start: ['{line} {line}', '{line} {line} {line}'],
  line: [
    'Top accounts want more {product}.', 'Bundle slow movers with best sellers.', 'Ask vendors for longer consignment terms.', 'Move testing earlier in the intake.',
    'Check the margin on B-grade flower.', 'Group deliveries by region {when}.', 'Follow up with everyone who visited the booth.', 'Keep the vault counts weekly in December.',
  ],
});
export const NOTE_COMMENTS = grammar({ ...common, start: ['Agreed, let\'s try it {when}.', 'I can take this one.', 'Added the numbers from last quarter.', 'Can we discuss this in the all-hands?', 'Done, see the updated list.', 'Good idea, the buyers asked for the same.'] });
export const SCRATCH = grammar({ ...common, start: ['Call back re {issue}', 'Vault count at 3 pm', 'Ask about {product} allocation', 'Parking code for the showroom: ask reception', 'Bring samples {when}', 'Invoice questions from AP'] });

/** Intake remarks on a workflow step, and a webinar's topic. */
export const INTAKE_NOTES = grammar({ start: ['Weights match the manifest.', 'Samples sent to the lab.', 'COA received and attached.', 'Relabelled for compliance.', 'Two cartons damaged; photos attached.', 'Moisture within range.'] });
export const WEBINARS = grammar({ ...common, start: ['What buyers want from {product} this season', 'Compliance updates for wholesale partners', 'Merchandising {product} at the counter', 'Inventory planning for the holidays'] });
export const NEEDS = grammar({ ...common, start: ['Looking for {product} at a good price', 'Needs steady {product} supply for a new store', 'Wants B-grade {product} for extraction', 'Seasonal {product} for a promotion'] });
