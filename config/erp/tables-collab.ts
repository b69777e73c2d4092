/**
 * erp calendar and collaboration: recurring meetings and one-offs with attendees, client
 * invitations and reminders; to-do lists with their items and shares; tasks and the inbox that
 * announces them; freeform notes with comments and their activity trail; scratch pads.
 */
import { defineTables, jsonb, DAY, HOUR, MINUTE, sampleDistinct, type RowsIn } from '../../src/index.js';
import type { params } from './params.js';
import type { coreTables } from './tables-core.js';
import type { partyTables } from './tables-parties.js';
import type { salesTables } from './tables-sales.js';
import { EVENT_SERIES, HORIZON, ONE_OFF_KINDS, REF_MS, START } from './catalogs.js';
import { poNumber } from './books.js';
import { orderHeader, paretoClient, productFacts, clientFacts, type ErpGenContext, type ErpRows } from './rules.js';
import { supply } from './supply.js';
import { pickUser } from './tables-core.js';
import { NOTE_BODIES, NOTE_COMMENTS, NOTE_TITLES, SCRATCH, TASKS, TODOS, WEBINARS } from './text.js';

const ms = (d: Date): number => d.getTime();

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

/** A note's history entry: created, commented on (by the comment's author) or edited. */
interface NoteEvent {
  action: 'created' | 'commented' | 'edited';
  at: number;
  by: number;
  comment: number | null;
}

/** What a task is about: a client, an order, a purchase order or a product, with the time it came to be. */
function taskSubject(c: ErpGenContext): { type: string; id: number; name: string; since: number } {
  const type = c.rng.weighted({ client: 40, order: 25, purchase_order: 15, product: 20 });
  if (type === 'client') {
    const i = paretoClient(c.rng, c.count('clients'), c.params.clientZipf);
    return { type, id: i + 1, name: clientFacts(c, i).name, since: Math.max(START, clientFacts(c, i).created) };
  }
  if (type === 'order') {
    const i = c.refIndex('orders', { dist: 'recent' });
    return { type, id: i + 1, name: `SO-${String(i + 1).padStart(7, '0')}`, since: orderHeader(c, i).at };
  }
  if (type === 'purchase_order') {
    const pos = supply(c).pos;
    const i = Math.floor(c.rng.float() * pos.length);
    return { type, id: i + 1, name: poNumber(i), since: pos[i]!.ordered };
  }
  const i = c.refIndex('products');
  return { type, id: i + 1, name: productFacts(c, i).name, since: START };
}

const PRIORITIES = { low: 20, medium: 45, high: 25, urgent: 10 } as const;

export const collabTables = defineTables<ErpRows & RowsIn<typeof coreTables> & RowsIn<typeof partyTables> & RowsIn<typeof salesTables>, typeof params>()({
  events: {
    rows: 250,
    description: 'Calendar: recurring meetings (series) first, then one-offs; past and up to three months ahead.',
    checks: ['ends_at > starts_at', 'created_at <= starts_at'],
    columns: {
      id: { type: 'bigint' },
      slot: { type: jsonb<ReturnType<typeof seriesOf>>(), virtual: true, gen: (c) => seriesOf(c.i) },
      series_id: { type: 'bigint', nullable: true, references: 'event_series', gen: (c) => (c.row.slot ? c.row.slot.series + 1 : null) },
      kind: {
        type: { enum: ['meeting', 'review', 'inventory_count', 'client_visit', 'trade_show', 'product_launch', 'training', 'webinar'] },
        gen: (c) => (c.row.slot ? EVENT_SERIES[c.row.slot.series]!.kind : c.rng.weighted(ONE_OFF_KINDS)),
      },
      client_id: { type: 'bigint', nullable: true, references: 'clients', gen: (c) => (c.row.kind === 'client_visit' ? paretoClient(c.rng, c.count('clients'), c.params.clientZipf) + 1 : null) },
      title: {
        type: 'text',
        gen: (c) => {
          const slot = c.row.slot;
          if (slot) return `${EVENT_SERIES[slot.series]!.title} #${slot.occ + 1}`;
          // Client visits are the events with a client.
          if (c.row.client_id !== null) return `Visit: ${c.lookup('clients', c.row.client_id - 1).name}`;
          switch (c.row.kind) {
            case 'trade_show': return `${c.faker.location.city()} Cannabis Expo`;
            case 'product_launch': return `Launch: ${c.lookup('products', c.refIndex('products')).name}`;
            case 'training': return `Training: ${c.rng.pick(['compliance', 'METRC', 'forklift safety', 'sales playbook', 'customer service', 'inventory system'])}`;
            case 'webinar': return `Webinar: ${c.text.say(WEBINARS)}`;
            default: return `${c.rng.pick(['Pricing', 'Packaging', 'Logistics', 'Marketing', 'Budget', 'Hiring'])} sync`;
          }
        },
      },
      starts_at: {
        type: 'timestamptz',
        gen: (c) => {
          const slot = c.row.slot;
          if (slot) return new Date(occurrenceStart(slot.series, slot.occ));
          const d = c.t.businessHours(c.t.between(START, HORIZON - 3 * DAY));
          d.setUTCMinutes(c.rng.pick([0, 30]), 0, 0);
          return d;
        },
      },
      ends_at: {
        type: 'timestamptz',
        gen: (c) => {
          const slot = c.row.slot;
          const minutes = slot ? EVENT_SERIES[slot.series]!.minutes : c.row.kind === 'trade_show' ? c.rng.int(1, 3) * 24 * 60 - 8 * 60 : c.rng.pick([30, 45, 60, 90, 120]);
          return new Date(ms(c.row.starts_at) + minutes * MINUTE);
        },
      },
      organizer_id: { type: 'bigint', references: 'users', gen: (c) => (c.row.client_id !== null ? c.lookup('clients', c.row.client_id - 1).sales_rep_id : pickUser(c, 'manager', 'admin', 'sales')) },
      location_id: { type: 'bigint', nullable: true, references: 'locations', gen: (c) => (c.row.kind === 'inventory_count' ? 1 : c.row.kind === 'product_launch' ? 8 : c.row.kind === 'meeting' || c.row.kind === 'review' ? c.rng.pick([1, 8]) : null) },
      is_virtual: { type: 'boolean', gen: (c) => c.row.kind === 'webinar' || ((c.row.kind === 'meeting' || c.row.kind === 'review') && c.rng.chance(0.4)) },
      status: { type: { enum: ['scheduled', 'completed', 'cancelled'] }, gen: (c) => (c.rng.chance(0.04) ? 'cancelled' : ms(c.row.ends_at) <= REF_MS ? 'completed' : 'scheduled') },
      created_at: {
        type: 'timestamptz',
        gen: (c) => {
          const slot = c.row.slot;
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
      first: (c) => [c.parent.organizer_id - 1],
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
        const r = INVITE_COUNTS[c.parent.kind];
        return r ? c.rng.int(r[0], r[1]) : 0;
      },
      first: (c) => (c.parent.client_id === null ? [] : [c.parent.client_id - 1]),
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
      remind_at: { type: 'timestamptz', gen: (c) => new Date(ms(c.parent.starts_at) - c.row.minutes_before * MINUTE) },
      channel: { type: { enum: ['email', 'push', 'sms'] }, gen: (c) => c.rng.weighted({ email: 55, push: 35, sms: 10 }) },
      sent: { type: 'boolean', gen: (c) => ms(c.row.remind_at) <= REF_MS },
    },
  },
  lists: {
    rows: 60,
    description: 'To-do lists owned by a user and shared with others.',
    columns: {
      id: { type: 'bigint' },
      owner_id: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'sales', 'manager', 'warehouse', 'accounting') },
      kind: { type: { enum: ['todo', 'checklist', 'follow_ups', 'reorder'] }, gen: (c) => c.rng.weighted({ todo: 45, checklist: 20, follow_ups: 25, reorder: 10 }) },
      name: { type: 'text', gen: (c) => `${c.rng.pick(['Weekly', 'Month-end', 'Warehouse', 'Sales', 'Q4', 'Buyer day', 'Holiday prep', 'My'])} ${String(c.row.kind).replace('_', '-')} ${c.i + 1}` },
      shares: {
        type: jsonb<number[]>(),
        virtual: true,
        gen: (c) => {
          const n = c.count('users');
          const owner = c.row.owner_id - 1;
          const k = Math.min(n - 1, c.rng.weighted([[0, 30], [1, 30], [2, 20], [3, 12], [5, 8]]));
          return sampleDistinct(c.rng, n - 1, k).map((x) => (x >= owner ? x + 1 : x) + 1);
        },
      },
      created_at: { type: 'timestamptz', gen: (c) => c.t.between(START, REF_MS - 14 * DAY) },
    },
  },
  list_items: {
    per: { parent: 'lists', count: (c) => c.rng.int(5, 25) },
    uniques: [['list_id', 'position']],
    checks: ['(is_completed) = (completed_at IS NOT NULL)', 'completed_at IS NULL OR completed_at >= added_at'],
    columns: {
      id: { type: 'bigint' },
      list_id: { type: 'bigint', references: 'lists', gen: (c) => c.parentIndex + 1 },
      position: { type: 'int', gen: (c) => c.k + 1 },
      title: { type: 'text', gen: (c) => c.text.say(TODOS) },
      priority: { type: { enum: ['low', 'medium', 'high', 'urgent'] }, gen: (c) => c.rng.weighted(PRIORITIES) },
      added_at: { type: 'timestamptz', gen: (c) => c.t.after(c.parent.created_at, 60 * DAY) },
      due_date: { type: 'date', nullable: true, gen: (c) => (c.rng.chance(0.8) ? new Date(Math.floor((ms(c.row.added_at) + c.rng.int(1, 30) * DAY) / DAY) * DAY) : null) },
      assignee_id: { type: 'bigint', nullable: true, references: 'users', gen: (c) => (c.rng.chance(0.6) ? c.parent.owner_id : null) },
      // Done when it fell due (mostly) or well before; open items are recent or overdue.
      done: { type: 'boolean', virtual: true, gen: (c) => { const due = c.row.due_date ? ms(c.row.due_date) : ms(c.row.added_at) + 14 * DAY; return c.rng.chance(due < REF_MS ? 0.85 : 0.25); } },
      is_completed: { type: 'boolean', gen: (c) => c.row.done },
      completed_at: {
        type: 'timestamptz',
        nullable: true,
        gen: (c) => { if (!c.row.done) return null; const from = ms(c.row.added_at); const due = c.row.due_date ? ms(c.row.due_date) + 17 * HOUR : from + 14 * DAY; return new Date(from + Math.floor(c.rng.float() * (Math.min(REF_MS, due + 2 * DAY) - from))); },
      },
    },
  },
  list_shares: {
    per: { parent: 'lists', count: (c) => c.parent.shares.length },
    primaryKey: ['list_id', 'user_id'],
    columns: {
      list_id: { type: 'bigint', references: 'lists', gen: (c) => c.parentIndex + 1 },
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.parent.shares[c.k] },
      permission: { type: { enum: ['view', 'edit'] }, gen: (c) => (c.rng.chance(0.7) ? 'view' : 'edit') },
      shared_at: { type: 'timestamptz', gen: (c) => c.t.after(c.parent.created_at, 30 * DAY) },
    },
  },
  tasks: {
    rows: 800,
    description: 'Assigned work about a client, order, purchase order or product, with priority, due date and completion.',
    checks: ["(status = 'done') = (completed_at IS NOT NULL)", 'completed_at IS NULL OR completed_at >= created_at', 'due_date >= (created_at AT TIME ZONE \'UTC\')::date'],
    columns: {
      id: { type: 'bigint' },
      subject: { type: jsonb<ReturnType<typeof taskSubject>>(), virtual: true, gen: taskSubject },
      related_type: { type: { enum: ['client', 'order', 'purchase_order', 'product'] }, gen: (c) => c.row.subject.type },
      related_id: { type: 'bigint', gen: (c) => c.row.subject.id },
      title: { type: 'text', gen: (c) => { const s = c.row.subject; return c.text.say(TASKS, { subject: s.name }, s.type); } },
      assigned_to: { type: 'bigint', references: 'users', gen: (c) => { const t = c.row.related_type; return t === 'purchase_order' || t === 'product' ? pickUser(c, 'warehouse', 'manager') : pickUser(c, 'sales', 'accounting'); } },
      created_by: { type: 'bigint', references: 'users', gen: (c) => pickUser(c, 'manager', 'admin', 'sales') },
      priority: { type: { enum: ['low', 'medium', 'high', 'urgent'] }, gen: (c) => c.rng.weighted(PRIORITIES) },
      created_at: {
        type: 'timestamptz',
        gen: (c) => {
          const since = Math.max(START, c.row.subject.since + HOUR);
          return new Date(Math.max(since, c.t.businessHours(c.t.recent(since, REF_MS - 2 * DAY, 1.3)).getTime()));
        },
      },
      due_date: { type: 'date', gen: (c) => new Date(Math.floor(ms(c.row.created_at) / DAY) * DAY + c.rng.int(1, 21) * DAY) },
      status: {
        type: { enum: ['open', 'in_progress', 'done'] },
        gen: (c) => (ms(c.row.due_date) < REF_MS - 7 * DAY ? c.rng.weighted({ done: 88, in_progress: 5, open: 7 }) : c.rng.weighted({ open: 45, in_progress: 30, done: 25 })),
      },
      completed_at: {
        type: 'timestamptz',
        nullable: true,
        gen: (c) => { if (c.row.status !== 'done') return null; const from = ms(c.row.created_at) + HOUR; return new Date(from + Math.floor(c.rng.float() * (Math.min(REF_MS, ms(c.row.due_date) + 3 * DAY) - from))); },
      },
    },
  },
  inbox_items: {
    per: { parent: 'tasks', count: 1 },
    description: 'The assignee’s inbox: one item per task assigned to them; read once they started it.',
    checks: ['read_at IS NULL OR read_at >= created_at'],
    columns: {
      id: { type: 'bigint' },
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.parent.assigned_to },
      task_id: { type: 'bigint', unique: true, references: 'tasks', gen: (c) => c.parentIndex + 1 },
      kind: { type: { enum: ['task_assigned'] }, gen: () => 'task_assigned' },
      title: { type: 'text', gen: (c) => `New task: ${c.parent.title}` },
      created_at: { type: 'timestamptz', gen: (c) => new Date(ms(c.parent.created_at) + MINUTE) },
      read_at: { type: 'timestamptz', nullable: true, gen: (c) => (c.parent.status === 'open' && c.rng.chance(0.5) ? null : c.t.after(ms(c.parent.created_at) + MINUTE, 2 * DAY, MINUTE)) },
    },
  },
  freeform_notes: {
    per: { parent: 'users', count: (c) => Math.min(6, c.rng.poisson(1.5)) },
    checks: ['updated_at >= created_at'],
    columns: {
      id: { type: 'bigint' },
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.parentIndex + 1 },
      created_at: { type: 'timestamptz', gen: (c) => c.t.businessHours(c.t.between(START, REF_MS - 20 * DAY)) },
      title: { type: 'text', gen: (c) => c.text.say(NOTE_TITLES, { q: String(Math.floor(new Date(ms(c.row.created_at)).getUTCMonth() / 3) + 1) }) },
      body: { type: 'text', gen: (c) => c.text.say(NOTE_BODIES) },
      pinned: { type: 'boolean', gen: (c) => c.rng.chance(0.2) },
      updated_at: { type: 'timestamptz', gen: (c) => (c.rng.chance(0.4) ? new Date(ms(c.row.created_at) + c.rng.int(2, 19) * DAY) : c.row.created_at) },
    },
  },
  note_comments: {
    per: { parent: 'freeform_notes', count: (c) => Math.min(4, c.rng.poisson(0.9)) },
    columns: {
      id: { type: 'bigint' },
      note_id: { type: 'bigint', references: 'freeform_notes', gen: (c) => c.parentIndex + 1 },
      author_id: { type: 'bigint', references: 'users', gen: (c) => c.ref('users') },
      body: { type: 'text', gen: (c) => c.text.say(NOTE_COMMENTS) },
      // In order over the note's first two weeks.
      created_at: { type: 'timestamptz', gen: (c) => new Date(ms(c.parent.created_at) + Math.floor((14 * DAY * (c.k + c.rng.float())) / c.n) + MINUTE) },
    },
  },
  note_activity: {
    per: { parent: 'freeform_notes', count: (c) => 1 + c.children('note_comments', c.parentIndex).length + (ms(c.parent.updated_at) > ms(c.parent.created_at) ? 1 : 0) },
    description: 'What happened to a note, in time order: created, each comment, an edit.',
    columns: {
      id: { type: 'bigint' },
      note_id: { type: 'bigint', references: 'freeform_notes', gen: (c) => c.parentIndex + 1 },
      ev: {
        type: jsonb<NoteEvent>(),
        virtual: true,
        gen: (c) => {
          const comments = c.children('note_comments', c.parentIndex);
          const first = c.groupStart('note_comments', c.parentIndex);
          const evs: NoteEvent[] = [{ action: 'created', at: ms(c.parent.created_at), by: c.parent.user_id, comment: null }];
          comments.forEach((m, j) => evs.push({ action: 'commented', at: ms(m.created_at), by: m.author_id, comment: first + j + 1 }));
          if (ms(c.parent.updated_at) > ms(c.parent.created_at)) evs.push({ action: 'edited', at: ms(c.parent.updated_at), by: c.parent.user_id, comment: null });
          evs.sort((a, b) => a.at - b.at);
          return evs[c.k];
        },
      },
      action: { type: { enum: ['created', 'commented', 'edited'] }, gen: (c) => c.row.ev.action },
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.row.ev.by },
      note_comment_id: { type: 'bigint', nullable: true, references: 'note_comments', gen: (c) => c.row.ev.comment },
      occurred_at: { type: 'timestamptz', gen: (c) => new Date(c.row.ev.at) },
    },
  },
  scratch_pad_notes: {
    per: { parent: 'users', count: (c) => Math.min(3, c.rng.poisson(1)) },
    columns: {
      id: { type: 'bigint' },
      user_id: { type: 'bigint', references: 'users', gen: (c) => c.parentIndex + 1 },
      body: { type: 'text', gen: (c) => c.text.say(SCRATCH) },
      is_done: { type: 'boolean', gen: (c) => c.rng.chance(0.4) },
      created_at: { type: 'timestamptz', gen: (c) => c.t.recent(REF_MS - 45 * DAY, REF_MS, 1.5) },
    },
  },
});
