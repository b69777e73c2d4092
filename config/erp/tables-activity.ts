/**
 * erp operations and collaboration: inventory batches and the fulfilment workflow, the calendar
 * (recurring meetings and one-offs with attendees, invitations and reminders), product lists and
 * shares, tags, client notes and activity timeline, polymorphic comments, dashboards, audit log.
 */
import { DAY, HOUR, MINUTE, sampleDistinct, type GenContext, type TableDef } from '../../src/index.js';
import { EVENT_SERIES, HORIZON, ONE_OFF_KINDS, REF_MS, START, WIDGETS, WORKFLOW_STAGES } from './catalogs.js';
import { batchTime, lotsBefore, orderHeader, paretoClient, workflowTimes } from './rules.js';
import { pickUser } from './tables-core.js';

const ms = (d: unknown): number => (d as Date).getTime();

/** Recurring occurrences come first in the events table: series s, occurrence j of event i. */
const SERIES_START: number[] = [];
{
  let s = 0;
  for (const x of EVENT_SERIES) {
    SERIES_START.push(s);
    s += x.occurrences;
  }
  SERIES_START.push(s);
}
export const RECURRING_EVENTS = SERIES_START.at(-1)!;

function seriesOf(i: number): { series: number; occ: number } | null {
  for (let s = 0; s < EVENT_SERIES.length; s++) if (i < SERIES_START[s + 1]!) return { series: s, occ: i - SERIES_START[s]! };
  return null;
}

function occurrenceStart(series: number, occ: number): number {
  const x = EVENT_SERIES[series]!;
  const d = new Date(x.first);
  if (x.everyDays === 0) d.setUTCMonth(d.getUTCMonth() + occ);
  else d.setUTCDate(d.getUTCDate() + occ * x.everyDays);
  return d.getTime();
}


const INVITE_COUNTS: Record<string, readonly [number, number]> = { client_visit: [1, 1], trade_show: [10, 40], product_launch: [15, 50], webinar: [20, 60] };
const REMINDER_MINUTES = [10_080, 1_440, 60, 15];

function targetTime(c: GenContext, type: string, id: number): number {
  if (type === 'order') return orderHeader(c, id - 1).at;
  if (type === 'client') return Math.max(START, ms(c.lookup('clients', id - 1).created_at));
  return ms(c.lookup('events', id - 1).created_at);
}

const ENTITY_TABLES = { order: 'orders', invoice: 'invoices', payment: 'payments', client: 'clients', product: 'products', purchase_order: 'purchase_orders', user: 'users' } as const;
type EntityType = keyof typeof ENTITY_TABLES;
/** When the audited record came to be: audit rows follow it. */
const ENTITY_TIME: Record<EntityType, string> = { order: 'ordered_at', invoice: 'issued_at', payment: 'paid_at', client: 'created_at', product: 'created_at', purchase_order: 'ordered_at', user: 'created_at' };
function entityTime(c: GenContext, type: EntityType, id: number): number {
  // Orders and invoices: their header is recomputed without the (expensive) row.
  if (type === 'order') return orderHeader(c, id - 1).at;
  if (type === 'invoice') return orderHeader(c, id - 1).issued;
  return Math.max(START, ms(c.lookup(ENTITY_TABLES[type], id - 1)[ENTITY_TIME[type]]));
}

export const activityTables: Record<string, TableDef> = {
  batches: {
    per: { parent: 'products', count: (c) => c.rng.int(1, 4) },
    description: 'Inventory batches of a product made from a received lot; each goes through the fulfilment workflow.',
    columns: {
      id: { type: 'bigint' },
      batch_number: { type: 'text', unique: true, gen: (c) => `B-${String(c.parentIndex + 1).padStart(5, '0')}-${c.k + 1}` },
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.parentIndex + 1 },
      created_at: { type: 'timestamptz', gen: (c) => new Date(batchTime(c, c.i, c.k, c.n)) },
      lot_id: {
        type: 'bigint',
        references: 'lots',
        // A lot received at least a day before the batch was made, usually a recent one.
        gen: (c) => {
          const have = Math.max(1, lotsBefore((c.row.created_at as Date).getTime() - DAY, c.count('lots')));
          return c.rng.int(Math.floor(have * 0.7), have - 1) + 1;
        },
      },
      quantity: { type: 'int', check: 'quantity > 0', gen: (c) => c.rng.int(20, 400) },
      expires_at: { type: 'date', gen: (c) => new Date(ms(c.row.created_at) + c.rng.int(365, 730) * DAY) },
      wf: { type: 'jsonb', virtual: true, gen: (c) => workflowTimes(c.rng, ms(c.row.created_at)) },
      status: { type: { enum: ['quarantine', 'available', 'shipped'] }, gen: (c) => { const n = (c.row.wf as number[]).length; return n <= 2 ? 'quarantine' : n < WORKFLOW_STAGES.length ? 'available' : 'shipped'; } },
    },
  },
  workflow_items: {
    per: { parent: 'batches', count: 1 },
    description: 'The fulfilment queue: each batch moves receiving → testing → packaging → shipping → shipped.',
    columns: {
      id: { type: 'bigint' },
      batch_id: { type: 'bigint', unique: true, references: 'batches', gen: (c) => c.parentIndex + 1 },
      current_stage_id: { type: 'bigint', references: 'workflow_stages', gen: (c) => (c.parent.wf as number[]).length },
      priority: { type: { enum: ['low', 'normal', 'high', 'rush'] }, gen: (c) => c.rng.weighted({ normal: 70, high: 18, low: 8, rush: 4 }) },
      assigned_to: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'warehouse') },
      entered_at: { type: 'timestamptz', gen: (c) => new Date((c.parent.wf as number[])[0]!) },
      updated_at: { type: 'timestamptz', gen: (c) => new Date((c.parent.wf as number[]).at(-1)!) },
      is_done: { type: 'boolean', gen: (c) => (c.parent.wf as number[]).length === WORKFLOW_STAGES.length },
    },
  },
  workflow_transitions: {
    per: { parent: 'workflow_items', count: (c) => (c.lookup('batches', c.parentIndex).wf as number[]).length },
    uniques: [['workflow_item_id', 'to_stage_id']],
    description: 'History: one row per stage an item entered, in time order (the first has no from-stage).',
    columns: {
      id: { type: 'bigint' },
      workflow_item_id: { type: 'bigint', references: 'workflow_items', gen: (c) => c.parentIndex + 1 },
      from_stage_id: { type: 'bigint', nullable: true, references: 'workflow_stages', gen: (c) => (c.k === 0 ? null : c.k) },
      to_stage_id: { type: 'bigint', references: 'workflow_stages', gen: (c) => c.k + 1 },
      transitioned_at: { type: 'timestamptz', gen: (c) => new Date((c.lookup('batches', c.parentIndex).wf as number[])[c.k]!) },
      by_user_id: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'warehouse', 'manager') },
      note: { type: 'text', nullable: true, gen: (c) => (c.rng.chance(0.2) ? c.text.sentence(3, 9) : null) },
    },
  },
  events: {
    rows: 250,
    description: 'Calendar: recurring meetings (series) first, then one-offs; past and up to three months ahead.',
    checks: ['ends_at > starts_at', 'created_at <= starts_at'],
    columns: {
      id: { type: 'bigint' },
      slot: { type: 'jsonb', virtual: true, gen: (c) => seriesOf(c.i) },
      series_id: { type: 'bigint', nullable: true, references: 'event_series', gen: (c) => (c.row.slot ? (c.row.slot as { series: number }).series + 1 : null) },
      kind: {
        type: { enum: ['meeting', 'review', 'inventory_count', 'client_visit', 'trade_show', 'product_launch', 'training', 'webinar'] },
        gen: (c) => (c.row.slot ? EVENT_SERIES[(c.row.slot as { series: number }).series]!.kind : c.rng.weighted(ONE_OFF_KINDS)),
      },
      client_id: { type: 'bigint', nullable: true, references: 'clients', gen: (c) => (c.row.kind === 'client_visit' ? paretoClient(c.rng, c.count('clients'), c.params.clientZipf as number) + 1 : null) },
      title: {
        type: 'text',
        gen: (c) => {
          const slot = c.row.slot as { series: number; occ: number } | null;
          if (slot) return `${EVENT_SERIES[slot.series]!.title} #${slot.occ + 1}`;
          switch (c.row.kind) {
            case 'client_visit': return `Visit: ${c.lookup('clients', (c.row.client_id as number) - 1).name}`;
            case 'trade_show': return `${c.faker.location.city()} Cannabis Expo`;
            case 'product_launch': return `Launch: ${c.lookup('products', c.refIndex('products')).name}`;
            case 'training': return `Training: ${c.rng.pick(['compliance', 'METRC', 'forklift safety', 'sales playbook', 'customer service', 'inventory system'])}`;
            case 'webinar': return `Webinar: ${c.text.sentence(3, 6).replace(/\.$/, '')}`;
            default: return `${c.rng.pick(['Pricing', 'Packaging', 'Logistics', 'Marketing', 'Budget', 'Hiring'])} sync`;
          }
        },
      },
      starts_at: {
        type: 'timestamptz',
        gen: (c) => {
          const slot = c.row.slot as { series: number; occ: number } | null;
          if (slot) return new Date(occurrenceStart(slot.series, slot.occ));
          const d = c.t.businessHours(c.t.between(START, HORIZON - 3 * DAY));
          d.setUTCMinutes(c.rng.pick([0, 30]), 0, 0);
          return d;
        },
      },
      ends_at: {
        type: 'timestamptz',
        gen: (c) => {
          const slot = c.row.slot as { series: number } | null;
          const minutes = slot ? EVENT_SERIES[slot.series]!.minutes : c.row.kind === 'trade_show' ? c.rng.int(1, 3) * 24 * 60 - 8 * 60 : c.rng.pick([30, 45, 60, 90, 120]);
          return new Date(ms(c.row.starts_at) + minutes * MINUTE);
        },
      },
      organizer_id: { type: 'bigint', references: 'users', gen: (c) => (c.row.kind === 'client_visit' ? c.lookup('clients', (c.row.client_id as number) - 1).sales_rep_id : pickUser(c, 'manager', 'admin', 'sales')) },
      location_id: { type: 'bigint', nullable: true, references: 'locations', gen: (c) => (c.row.kind === 'inventory_count' ? 1 : c.row.kind === 'product_launch' ? 8 : c.row.kind === 'meeting' || c.row.kind === 'review' ? c.rng.pick([1, 8]) : null) },
      is_virtual: { type: 'boolean', gen: (c) => c.row.kind === 'webinar' || ((c.row.kind === 'meeting' || c.row.kind === 'review') && c.rng.chance(0.4)) },
      status: { type: { enum: ['scheduled', 'completed', 'cancelled'] }, gen: (c) => (c.rng.chance(0.04) ? 'cancelled' : ms(c.row.ends_at) <= REF_MS ? 'completed' : 'scheduled') },
      created_at: {
        type: 'timestamptz',
        gen: (c) => {
          const slot = c.row.slot as { series: number } | null;
          const start = ms(c.row.starts_at);
          const at = slot ? Date.parse(EVENT_SERIES[slot.series]!.first) - 14 * DAY : start - c.rng.int(3, 60) * DAY;
          return new Date(Math.min(at, REF_MS - DAY, start));
        },
      },
    },
  },
  event_attendees: {
    junction: {
      parent: 'events',
      target: 'users',
      count: (c) => (c.parent.series_id === 1 ? c.count('users') : c.parent.kind === 'trade_show' ? c.rng.int(3, 6) : c.rng.int(2, 9)),
      first: (c) => [(c.parent.organizer_id as number) - 1],
    },
    primaryKey: ['event_id', 'user_id'],
    columns: {
      event_id: { type: 'bigint', references: 'events', gen: (c) => c.parentIndex + 1 },
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.partner + 1 },
      role: { type: { enum: ['organizer', 'required', 'optional'] }, gen: (c) => (c.k === 0 ? 'organizer' : c.rng.chance(0.7) ? 'required' : 'optional') },
      attended: { type: 'boolean', nullable: true, gen: (c) => (c.parent.status === 'completed' ? c.k === 0 || c.rng.chance(0.85) : null) },
    },
  },
  event_invitations: {
    junction: {
      parent: 'events',
      target: 'clients',
      count: (c) => {
        const r = INVITE_COUNTS[c.parent.kind as string];
        return r ? c.rng.int(r[0], r[1]) : 0;
      },
      first: (c) => (c.parent.client_id === null ? [] : [(c.parent.client_id as number) - 1]),
    },
    primaryKey: ['event_id', 'client_id'],
    description: 'Clients invited to visits, shows, launches and webinars; pending only while the event is ahead.',
    columns: {
      event_id: { type: 'bigint', references: 'events', gen: (c) => c.parentIndex + 1 },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.partner + 1 },
      invited_at: {
        type: 'timestamptz',
        gen: (c) => {
          const created = ms(c.parent.created_at);
          return new Date(Math.min(REF_MS - HOUR, created + Math.floor(c.rng.float() * Math.min(3 * DAY, (ms(c.parent.starts_at) - created) / 2))));
        },
      },
      status: {
        type: { enum: ['pending', 'accepted', 'declined'] },
        gen: (c) => {
          if (c.parent.kind === 'client_visit') return 'accepted';
          const ahead = ms(c.parent.starts_at) > REF_MS;
          return ahead ? c.rng.weighted({ pending: 45, accepted: 38, declined: 17 }) : c.rng.weighted({ accepted: 68, declined: 32 });
        },
      },
      responded_at: {
        type: 'timestamptz',
        nullable: true,
        gen: (c) => {
          if (c.row.status === 'pending') return null;
          const from = ms(c.row.invited_at);
          const to = Math.min(ms(c.parent.starts_at), REF_MS);
          return new Date(from + Math.floor(Math.pow(c.rng.float(), 2) * Math.max(0, to - from)));
        },
      },
    },
  },
  event_reminders: {
    per: { parent: 'events', count: (c) => (c.parent.status === 'cancelled' ? 0 : c.rng.int(1, 3)) },
    uniques: [['event_id', 'minutes_before']],
    columns: {
      id: { type: 'bigint' },
      event_id: { type: 'bigint', references: 'events', gen: (c) => c.parentIndex + 1 },
      minutes_before: { type: 'int', check: 'minutes_before > 0', gen: (c) => REMINDER_MINUTES[(c.parentIndex + c.k) % REMINDER_MINUTES.length]! },
      remind_at: { type: 'timestamptz', gen: (c) => new Date(ms(c.parent.starts_at) - (c.row.minutes_before as number) * MINUTE) },
      channel: { type: { enum: ['email', 'push', 'sms'] }, gen: (c) => c.rng.weighted({ email: 55, push: 35, sms: 10 }) },
      sent: { type: 'boolean', gen: (c) => ms(c.row.remind_at) <= REF_MS },
    },
  },
  lists: {
    rows: 60,
    description: 'Product lists (price lists, promotions, reorder lists) owned by a user and shared with others.',
    columns: {
      id: { type: 'bigint' },
      owner_id: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'sales', 'manager') },
      kind: { type: { enum: ['price_list', 'promotion', 'reorder', 'favorites'] }, gen: (c) => c.rng.weighted({ price_list: 30, promotion: 25, reorder: 25, favorites: 20 }) },
      name: { type: 'text', gen: (c) => `${c.rng.pick(['Q1', 'Q2', 'Q3', 'Q4', 'Summer', 'Holiday', 'Top', 'Key account', 'New'])} ${String(c.row.kind).replace('_', ' ')} ${c.i + 1}` },
      shares: {
        type: 'jsonb',
        virtual: true,
        gen: (c) => {
          const n = c.count('users');
          const owner = (c.row.owner_id as number) - 1;
          const k = Math.min(n - 1, c.rng.weighted([[0, 30], [1, 30], [2, 20], [3, 12], [5, 8]]));
          return sampleDistinct(c.rng, n - 1, k).map((x) => (x >= owner ? x + 1 : x) + 1);
        },
      },
      created_at: { type: 'timestamptz', gen: (c) => c.t.between(START, REF_MS - 14 * DAY) },
    },
  },
  list_items: {
    junction: { parent: 'lists', target: 'products', count: (c) => c.rng.int(5, 25) },
    primaryKey: ['list_id', 'product_id'],
    uniques: [['list_id', 'position']],
    columns: {
      list_id: { type: 'bigint', references: 'lists', gen: (c) => c.parentIndex + 1 },
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.partner + 1 },
      position: { type: 'int', gen: (c) => c.k + 1 },
      added_at: { type: 'timestamptz', gen: (c) => c.t.after(c.parent.created_at as Date, 10 * DAY) },
    },
  },
  list_shares: {
    per: { parent: 'lists', count: (c) => (c.parent.shares as number[]).length },
    primaryKey: ['list_id', 'user_id'],
    columns: {
      list_id: { type: 'bigint', references: 'lists', gen: (c) => c.parentIndex + 1 },
      user_id: { type: 'bigint', references: 'users', gen: (c) => (c.parent.shares as number[])[c.k] },
      permission: { type: { enum: ['view', 'edit'] }, gen: (c) => (c.rng.chance(0.7) ? 'view' : 'edit') },
      shared_at: { type: 'timestamptz', gen: (c) => c.t.after(c.parent.created_at as Date, 30 * DAY) },
    },
  },
  product_tags: {
    junction: { parent: 'products', target: 'tags', count: (c) => c.rng.weighted([[0, 35], [1, 35], [2, 20], [3, 10]]) },
    primaryKey: ['product_id', 'tag_id'],
    columns: {
      product_id: { type: 'bigint', references: 'products', gen: (c) => c.parentIndex + 1 },
      tag_id: { type: 'bigint', references: 'tags', gen: (c) => c.partner + 1 },
    },
  },
  client_tags: {
    junction: { parent: 'clients', target: 'tags', count: (c) => c.rng.weighted([[0, 50], [1, 35], [2, 15]]) },
    primaryKey: ['client_id', 'tag_id'],
    columns: {
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      tag_id: { type: 'bigint', references: 'tags', gen: (c) => c.partner + 1 },
    },
  },
  client_notes: {
    per: { parent: 'clients', count: (c) => Math.min(12, c.rng.poisson(2.5)) },
    columns: {
      id: { type: 'bigint' },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      author_id: { type: 'bigint', references: 'users', gen: (c) => (c.rng.chance(0.7) ? c.parent.sales_rep_id : pickUser(c, 'accounting', 'manager')) },
      body: { type: 'text', gen: (c) => c.text.paragraph(1, 3, 5, 14) },
      pinned: { type: 'boolean', gen: (c) => c.rng.chance(0.1) },
      created_at: { type: 'timestamptz', gen: (c) => c.t.recent(Math.max(START, ms(c.parent.created_at)), REF_MS, 1.4) },
    },
  },
  client_activities: {
    per: { parent: 'clients', count: (c) => c.rng.int(3, 30) },
    description: 'Timeline of touches per client, in time order.',
    columns: {
      id: { type: 'bigint' },
      client_id: { type: 'bigint', references: 'clients', gen: (c) => c.parentIndex + 1 },
      // Spread over the client's life with jitter: increasing within a client by construction.
      ts: {
        type: 'bigint',
        virtual: true,
        gen: (c) => {
          const from = Math.max(START, ms(c.parent.created_at));
          return from + Math.floor(((REF_MS - from) * (c.k + c.rng.float())) / c.n);
        },
      },
      user_id: { type: 'bigint', references: 'users', gen: (c) => (c.rng.chance(0.8) ? c.parent.sales_rep_id : pickUser(c, 'manager', 'accounting')) },
      type: { type: { enum: ['call', 'email', 'meeting', 'sample_dropoff', 'quote_sent', 'note'] }, gen: (c) => c.rng.weighted({ email: 35, call: 30, meeting: 10, quote_sent: 12, sample_dropoff: 6, note: 7 }) },
      summary: { type: 'text', gen: (c) => c.text.sentence(4, 12) },
      occurred_at: { type: 'timestamptz', gen: (c) => new Date(c.row.ts as number) },
    },
  },
  comments: {
    rows: 3_000,
    description: 'Polymorphic comments on orders, clients and events (target_type + target_id).',
    indexes: [['target_type', 'target_id']],
    columns: {
      id: { type: 'bigint' },
      target_type: { type: { enum: ['order', 'client', 'event'] }, gen: (c) => c.rng.weighted({ order: 55, client: 30, event: 15 }) },
      target_id: {
        type: 'bigint',
        gen: (c) => {
          if (c.row.target_type === 'order') return c.refIndex('orders', { dist: 'recent' }) + 1;
          if (c.row.target_type === 'client') return paretoClient(c.rng, c.count('clients'), c.params.clientZipf as number) + 1;
          return c.refIndex('events') + 1;
        },
      },
      author_id: { type: 'bigint', references: 'users', gen: (c) => c.ref('users') },
      body: { type: 'text', gen: (c) => (c.rng.chance(0.7) ? c.text.sentence(3, 14) : c.text.paragraph(2, 3, 4, 10)) },
      created_at: { type: 'timestamptz', gen: (c) => c.t.after(targetTime(c, c.row.target_type as string, c.row.target_id as number), 20 * DAY, MINUTE) },
    },
  },
  dashboard_widgets: {
    per: { parent: 'users', count: (c) => c.rng.int(3, 8) },
    uniques: [['user_id', 'widget_type']],
    description: 'Saved dashboard layout per user: a 12-column grid, two 6-wide widgets per row, no overlaps.',
    checks: ['x >= 0 AND w > 0 AND x + w <= 12', 'y >= 0 AND h > 0'],
    columns: {
      id: { type: 'bigint' },
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.parentIndex + 1 },
      widget_type: { type: 'text', gen: (c) => WIDGETS[(Math.imul(c.parentIndex + 1, 7) + c.k) % WIDGETS.length]! },
      x: { type: 'smallint', gen: (c) => (c.k % 2) * 6 },
      y: { type: 'smallint', gen: (c) => Math.floor(c.k / 2) * 4 },
      w: { type: 'smallint', gen: () => 6 },
      h: { type: 'smallint', gen: (c) => (c.rng.chance(0.3) ? 3 : 4) },
      settings: { type: 'jsonb', gen: (c) => ({ range: c.rng.pick(['7d', '30d', '90d', 'ytd']), compare: c.rng.chance(0.4) }) },
    },
  },
  audit_log: {
    rows: 6_000,
    description: 'Who did what to which record (entity_type + entity_id, always an existing row).',
    indexes: [['entity_type', 'entity_id']],
    columns: {
      id: { type: 'bigint' },
      actor_id: { type: 'bigint', references: 'users', gen: (c) => c.ref('users', { dist: 'zipf' }) },
      entity_type: {
        type: { enum: Object.keys(ENTITY_TABLES) as [string, ...string[]] },
        gen: (c) => c.rng.weighted({ order: 30, invoice: 20, payment: 12, client: 14, product: 10, purchase_order: 8, user: 6 }),
      },
      action: {
        type: { enum: ['create', 'update', 'approve', 'export', 'login', 'archive'] },
        gen: (c) => (c.row.entity_type === 'user' ? 'login' : c.rng.weighted({ update: 50, create: 30, approve: 10, export: 6, archive: 4 })),
      },
      entity_id: {
        type: 'bigint',
        gen: (c) => (c.row.entity_type === 'user' ? c.row.actor_id : c.refIndex(ENTITY_TABLES[c.row.entity_type as keyof typeof ENTITY_TABLES], { dist: 'recent' }) + 1),
      },
      at: { type: 'timestamptz', gen: (c) => c.t.after(entityTime(c, c.row.entity_type as EntityType, c.row.entity_id as number), 90 * DAY, MINUTE) },
      ip: { type: 'text', gen: (c) => `10.${c.rng.int(0, 3)}.${c.rng.int(0, 255)}.${c.rng.int(2, 254)}` },
      changes: { type: 'jsonb', nullable: true, gen: (c) => (c.row.action === 'update' ? { field: c.rng.pick(['status', 'notes', 'price', 'quantity', 'terms', 'address']), from: c.faker.word.sample(), to: c.faker.word.sample() } : null) },
    },
  },
};

