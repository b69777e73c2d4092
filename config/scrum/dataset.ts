/**
 * scrum — a Jira-like project tracker rebuilt after data loss: one organization and workspace,
 * six known users who can log in, 10–20 domain projects with their workflow configuration,
 * timeline-aware sprints and 500–1000 issues with comments and links. Every rule below holds by
 * construction and is also a `validate` check.
 */
import { defineDataset, DAY, HOUR, MINUTE, Rng, type CountContext, type GenContext } from '../../src/index.js';
import { BUG_SYMPTOMS, COMMENTS, DOMAINS, EPIC_SUFFIXES, IMPROVEMENT_ASPECTS, TASK_VERBS, type Domain } from './domains.js';
import { hashPassword, makeSalt } from '../shared/password.js';

const REF = '2025-06-25T00:00:00Z';
const REF_MS = Date.parse(REF);
/** The reference day as a SQL literal (sprint states are relative to it). */
const REF_DAY = REF.slice(0, 10);
const SPRINT_DAYS = 14;
/** A completed project closes on its last day at 15:00 UTC or later. */
const CLOSE_HOUR = 15 * HOUR;
export const PASSWORD = 'Pass123';

export const USERS = [
  { email: 'owner@example.com', full_name: 'Morgan Reyes', job_title: 'Head of Product' },
  { email: 'alex.chen@example.com', full_name: 'Alex Chen', job_title: 'Scrum Master' },
  { email: 'priya.patel@example.com', full_name: 'Priya Patel', job_title: 'Senior Software Engineer' },
  { email: 'samuel.okafor@example.com', full_name: 'Samuel Okafor', job_title: 'Software Engineer' },
  { email: 'jordan.lee@example.com', full_name: 'Jordan Lee', job_title: 'QA Engineer' },
  { email: 'maria.garcia@example.com', full_name: 'María García', job_title: 'Product Designer' },
] as const;

/** Issue types of every project, in `issue_types` order. */
const TYPES = [
  { code: 'story', name: 'Story', icon: 'bookmark', level: 0, description: 'A user-facing capability, written from the user\'s point of view.' },
  { code: 'task', name: 'Task', icon: 'check-square', level: 0, description: 'A piece of technical or operational work.' },
  { code: 'bug', name: 'Bug', icon: 'bug', level: 0, description: 'A defect: behaviour that differs from what was specified.' },
  { code: 'epic', name: 'Epic', icon: 'zap', level: 1, description: 'A large body of work broken down into stories and tasks.' },
  { code: 'improvement', name: 'Improvement', icon: 'trending-up', level: 0, description: 'An enhancement of an existing feature.' },
  { code: 'subtask', name: 'Sub-task', icon: 'git-branch', level: -1, description: 'A step of a larger issue.' },
] as const;
type TypeCode = (typeof TYPES)[number]['code'];

/** Workflow statuses of every project, in `workflow_statuses` order. */
const STATUSES = [
  { code: 'todo', name: 'To Do', category: 'todo', color: '#42526E' },
  { code: 'in_progress', name: 'In Progress', category: 'in_progress', color: '#0052CC' },
  { code: 'in_review', name: 'In Review', category: 'in_progress', color: '#6554C0' },
  { code: 'done', name: 'Done', category: 'done', color: '#36B37E' },
] as const;
type StatusCode = (typeof STATUSES)[number]['code'];

/** Allowed moves between the statuses above (indexes into STATUSES). */
const TRANSITIONS = [
  { from: 0, to: 1, name: 'Start progress' },
  { from: 1, to: 2, name: 'Request review' },
  { from: 2, to: 3, name: 'Approve' },
  { from: 2, to: 1, name: 'Request changes' },
  { from: 1, to: 0, name: 'Stop progress' },
  { from: 3, to: 1, name: 'Reopen' },
] as const;

/**
 * Mixes as slot lists: every block of consecutive issues of a project gets a shuffled copy, so the
 * proportions are exact per block instead of only on average (a 20-issue block has exactly 10
 * stories, 5 tasks, 3 bugs, 1 epic and 1 improvement).
 */
const slots = <T>(spec: readonly (readonly [T, number])[]): readonly T[] => spec.flatMap(([v, n]) => Array<T>(n).fill(v));
const TYPE_SLOTS = slots<TypeCode>([['story', 10], ['task', 5], ['bug', 3], ['epic', 1], ['improvement', 1]]);
const STATUS_SLOTS: Readonly<Record<string, readonly StatusCode[]>> = {
  active: slots<StatusCode>([['todo', 2], ['in_progress', 4], ['in_review', 3], ['done', 1]]),
  completed: slots<StatusCode>([['done', 1]]),
  planning: slots<StatusCode>([['todo', 9], ['in_progress', 1]]),
};
/** 60% of issues have comments, 10% have a link. */
const COMMENT_SLOTS = slots<boolean>([[true, 3], [false, 2]]);
const LINK_SLOTS = slots<boolean>([[true, 1], [false, 9]]);

const mixRng = new Rng();
/** Slot `k` of the shuffled block `floor(k / slots.length)`, keyed by a seeded salt and a label. */
function stratified<T>(salt: number, label: number, k: number, list: readonly T[]): T {
  const b = list.length;
  mixRng.reset(Uint32Array.of(salt >>> 0, label, 0x5bd1e995, 0x27d4eb2f), Math.floor(k / b));
  return mixRng.shuffle(list)[k % b]!;
}

// Ten-project cycles: 6 active, 2 completed, 2 planning; kanban at positions 3, 6 and 9.
const STATUS_CYCLE = ['active', 'active', 'completed', 'active', 'planning', 'active', 'completed', 'active', 'planning', 'active'] as const;
const KANBAN_AT = new Set([3, 6, 9]);
/** Relative issue volume by project status (a planning project has a thin backlog). */
const STATUS_WEIGHT: Readonly<Record<string, number>> = { active: 1.25, completed: 1, planning: 0.35 };

const domainOf = (projectIndex: number): Domain => DOMAINS[projectIndex % DOMAINS.length]!;
const dayStart = (ms: number): number => Math.floor(ms / DAY) * DAY;
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A project's timeline, computed once with the project row (all instants in ms). */
interface Plan {
  sprints: number;
  /** Start day of sprint 0 (scrum). */
  firstSprint: number;
  start: number;
  /** Last day of work (completed projects), else null. */
  end: number | null;
  created: number;
}

function projectPlan(c: GenContext): Plan {
  const status = c.row.status as string;
  const scrum = c.row.methodology === 'scrum';
  const n = scrum ? c.rng.int(3, 8) : 0;
  const refDay = dayStart(REF_MS);
  let start: number;
  let firstSprint = 0;
  let end: number | null = null;
  if (status === 'active') {
    start = refDay - c.rng.int(90, 170) * DAY;
    if (scrum) {
      // The current sprint contains the reference day; up to two planned sprints follow it.
      const future = Math.min(c.rng.int(0, 2), n - 2);
      const current = n - 1 - future;
      const currentStart = refDay - c.rng.int(1, SPRINT_DAYS - 1) * DAY;
      firstSprint = currentStart - current * SPRINT_DAYS * DAY;
      start = Math.min(start, firstSprint - c.rng.int(0, 14) * DAY);
    }
  } else if (status === 'completed') {
    start = refDay - c.rng.int(150, 170) * DAY;
    if (scrum) {
      firstSprint = start + c.rng.int(0, 7) * DAY;
      end = firstSprint + (n * SPRINT_DAYS - 1) * DAY;
    } else end = start + c.rng.int(60, 120) * DAY;
  } else {
    start = refDay + c.rng.int(7, 21) * DAY;
    firstSprint = start;
  }
  const createdDay = status === 'planning' ? refDay - c.rng.int(5, 30) * DAY : start - c.rng.int(2, 10) * DAY;
  return { sprints: n, firstSprint, start, end, created: createdDay + c.rng.int(9 * 60, 17 * 60) * MINUTE };
}

type SprintState = 'planned' | 'active' | 'completed';
/** Sprint `j` of a project: consecutive fixed-length sprints, state from the reference day. */
function sprintWindow(plan: Plan, j: number): { start: number; last: number; endExcl: number; state: SprintState } {
  const start = plan.firstSprint + j * SPRINT_DAYS * DAY;
  const last = start + (SPRINT_DAYS - 1) * DAY;
  const refDay = dayStart(REF_MS);
  const state: SprintState = last < refDay ? 'completed' : start > refDay ? 'planned' : 'active';
  return { start, last, endExcl: last + DAY, state };
}

/** The project's sprint an issue belongs to (index within the project), or -1 for backlog/kanban. */
function chooseSprint(c: GenContext): number {
  const p = c.parent;
  if (p.methodology !== 'scrum') return -1;
  const plan = p.plan as Plan;
  const state = c.row.state as StatusCode;
  const n = plan.sprints;
  if (p.status === 'completed') return c.rng.int(0, n - 1);
  if (p.status === 'planning') return state === 'todo' && c.rng.chance(0.6) ? c.rng.int(0, Math.min(1, n - 1)) : -1;
  const current = Math.floor((dayStart(REF_MS) - plan.firstSprint) / (SPRINT_DAYS * DAY));
  if (state === 'done') return current - Math.floor(Math.pow(c.rng.float(), 1.5) * (current + 1));
  if (state !== 'todo') return current;
  const u = c.rng.float();
  if (u < 0.5) return current;
  if (u < 0.75 && current < n - 1) return c.rng.int(current + 1, n - 1);
  return -1;
}

/** Created/resolved/updated instants of an issue, consistent with its sprint and project. */
function issueTimes(c: GenContext): { created: number; resolved: number | null; updated: number } {
  const p = c.parent;
  const plan = p.plan as Plan;
  const sprint = c.row.sprint as number;
  if (c.row.state === 'done') {
    const w = sprint >= 0 ? sprintWindow(plan, sprint) : undefined;
    // Resolved inside its sprint, before the reference date, and before a completed project closed;
    // created during the three weeks before its sprint started, or any time (kanban).
    const closed = p.status === 'completed' ? plan.end! + CLOSE_HOUR : REF_MS;
    const hi = Math.min(w ? w.endExcl : REF_MS, closed, REF_MS);
    const lo = w ? w.start : plan.created;
    const created = w
      ? c.t.between(Math.max(plan.created, w.start - 21 * DAY), hi - 2 * HOUR).getTime()
      : c.t.recent(plan.created, hi - 2 * HOUR, 2.5).getTime();
    const resolved = c.t.between(Math.max(created + HOUR, lo), hi).getTime();
    return { created, resolved, updated: resolved };
  }
  const created = c.t.recent(plan.created, REF_MS - HOUR, 2.5).getTime();
  return { created, resolved: null, updated: c.t.recent(created + 30 * MINUTE, REF_MS, 2).getTime() };
}

/** What an issue is about: a product area of its domain and, for stories, a persona's need. */
interface Topic {
  feature: string;
  persona: string;
  action: string;
}

const STORY_QUALIFIERS = ['', '', '', ' on mobile', ' from an email link', ' with a screen reader', ' in under a minute', ' in my own language'] as const;

function issueTopic(c: GenContext): Topic {
  const d = domainOf(c.parentIndex);
  const [persona, action] = c.rng.pick(d.stories);
  return { feature: c.rng.pick(d.features), persona, action: action + c.rng.pick(STORY_QUALIFIERS) };
}

function issueTitle(c: GenContext, kind: TypeCode, t: Topic): string {
  switch (kind) {
    case 'story':
      return `As a ${t.persona}, I want to ${t.action}`;
    case 'task':
      return `${c.rng.pick(TASK_VERBS)} ${t.feature}`;
    case 'bug':
      return `${cap(t.feature)} ${c.rng.pick(BUG_SYMPTOMS)}`;
    case 'epic':
      return `${cap(t.feature)} ${c.rng.pick(EPIC_SUFFIXES)}`;
    default:
      return `Improve ${c.rng.pick(IMPROVEMENT_ASPECTS)} of ${t.feature}`;
  }
}

function issueDescription(c: GenContext, d: Domain, kind: TypeCode, t: Topic): string {
  switch (kind) {
    case 'story':
      return `Acceptance criteria: a ${t.persona} can ${t.action} on desktop and mobile; errors are explained in plain language; covered by automated tests.`;
    case 'bug':
      return `Steps to reproduce: open the ${t.feature} as a ${c.rng.pick(d.personas)} and repeat the action. Expected: the ${t.feature} behaves as specified. Seen in ${c.rng.pick(['production', 'staging', 'QA'])}.`;
    case 'epic':
      return `Groups the work on the ${t.feature} for the ${d.purpose}. Success metric: ${c.rng.pick(['adoption', 'task completion time', 'support tickets', 'conversion'])} improves for ${c.rng.pick(d.personas)}s.`;
    default:
      return `The ${t.feature} needs this before the next release; ${c.rng.pick(d.personas)}s asked for it in the last review.`;
  }
}

/** Project members (user keys) of project `projectIndex`. */
function membersOf(c: GenContext, projectIndex: number): number[] {
  return c.children('project_members', projectIndex).map((m) => m.user_id as number);
}

/**
 * Issues per project: the `issues` parameter split over projects by status weight and project
 * size with largest remainders, so the total is exactly `issues`. Computed once per run.
 */
const shares = new WeakMap<object, number[]>();
function issueCount(c: CountContext): number {
  let s = shares.get(c.params);
  if (!s) {
    const n = c.count('projects');
    const total = c.params.issues as number;
    const w = Array.from({ length: n }, (_, j) => {
      const p = c.lookup('projects', j);
      return STATUS_WEIGHT[p.status as string]! * (p.size as number);
    });
    const sum = w.reduce((a, b) => a + b, 0);
    const exact = w.map((x) => (total * x) / sum);
    s = exact.map(Math.floor);
    const rest = total - s.reduce((a, b) => a + b, 0);
    const order = exact.map((x, j) => [x - Math.floor(x), j] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (let r = 0; r < rest; r++) s[order[r]![1]]! += 1;
    shares.set(c.params, s);
  }
  return s[c.parentIndex]!;
}

const at = (ms: number): Date => new Date(ms);

export default defineDataset({
  name: 'scrum',
  description: 'A project tracker restored after data loss: organization, six users who can log in, domain projects with workflows, boards, sprints, issues, comments and links.',
  seed: 7,
  refDate: REF,
  params: { issues: 800 },
  profiles: {
    light: { rows: { projects: 10 }, params: { issues: 600 } },
    medium: { rows: { projects: 15 }, params: { issues: 800 } },
    heavy: { rows: { projects: 20 }, params: { issues: 1000 } },
  },
  tables: {
    users: {
      rows: USERS.length,
      fixed: USERS,
      description: 'The owner and five team members; every password is Pass123.',
      columns: {
        id: { type: 'bigint' },
        email: { type: 'text', unique: true, gen: (c) => `user${c.i + 1}@example.com` },
        full_name: { type: 'text', gen: (c) => c.faker.person.fullName() },
        job_title: { type: 'text', gen: (c) => c.faker.person.jobTitle() },
        password_hash: { type: 'text', export: false, gen: (c) => hashPassword(PASSWORD, makeSalt(() => c.rng.float())) },
        is_active: { type: 'boolean', gen: () => true },
        created_at: { type: 'timestamptz', gen: (c) => at(REF_MS - (400 - c.i * 3) * DAY + c.rng.int(9 * 60, 17 * 60) * MINUTE) },
        last_login_at: { type: 'timestamptz', gen: (c) => c.t.recent(REF_MS - 3 * DAY, REF_MS, 1) },
      },
    },
    organizations: {
      rows: 1,
      fixed: [{ name: 'Acme Software', slug: 'acme-software' }],
      columns: {
        id: { type: 'bigint' },
        name: { type: 'text', gen: (c) => c.faker.company.name() },
        slug: { type: 'text', unique: true, gen: (c) => `org-${c.i + 1}` },
        owner_id: { type: 'bigint', references: 'users', gen: (c) => c.key('users', 0) },
        created_at: { type: 'timestamptz', gen: (c) => c.lookup('users', 0).created_at },
      },
    },
    organization_members: {
      export: false,
      junction: { parent: 'organizations', target: 'users', count: (c) => c.count('users'), first: () => [0] },
      primaryKey: ['organization_id', 'user_id'],
      columns: {
        organization_id: { type: 'bigint', references: 'organizations', gen: (c) => c.key('organizations', c.parentIndex) },
        user_id: { type: 'bigint', references: 'users', gen: (c) => c.key('users', c.partner) },
        role: { type: { enum: ['owner', 'admin', 'member'] }, gen: (c) => (c.partner === 0 ? 'owner' : c.partner === 1 ? 'admin' : 'member') },
        joined_at: { type: 'timestamptz', gen: (c) => c.lookup('users', c.partner).created_at },
      },
    },
    workspaces: {
      rows: 1,
      fixed: [{ name: 'Product Delivery', slug: 'product-delivery' }],
      columns: {
        id: { type: 'bigint' },
        organization_id: { type: 'bigint', references: 'organizations', gen: (c) => c.key('organizations', 0) },
        name: { type: 'text', gen: (c) => `Workspace ${c.i + 1}` },
        slug: { type: 'text', unique: true, gen: (c) => `workspace-${c.i + 1}` },
        created_at: { type: 'timestamptz', gen: (c) => at((c.lookup('organizations', 0).created_at as Date).getTime() + HOUR) },
      },
    },
    projects: {
      rows: 15,
      description: 'Projects from domain templates; statuses and methodologies in fixed ten-project cycles.',
      columns: {
        id: { type: 'bigint' },
        workspace_id: { type: 'bigint', references: 'workspaces', gen: (c) => c.key('workspaces', 0) },
        salt: { type: 'bigint', virtual: true, gen: (c) => c.rng.u32() },
        size: { type: 'double precision', virtual: true, gen: (c) => c.rng.uniform(0.75, 1.25) },
        domain: { type: 'text', gen: (c) => domainOf(c.i).name },
        key: { type: 'varchar(12)', unique: true, check: "key ~ '^[A-Z]+[0-9]+$'", gen: (c) => `${domainOf(c.i).prefix}${Math.floor(c.i / DOMAINS.length) + 1}` },
        name: {
          type: 'text',
          gen: (c) => {
            const d = domainOf(c.i);
            const ord = Math.floor(c.i / DOMAINS.length);
            return d.projects[ord % d.projects.length]! + (ord >= d.projects.length ? ` ${Math.floor(ord / d.projects.length) + 1}` : '');
          },
        },
        description: { type: 'text', gen: (c) => { const d = domainOf(c.i); return `${c.row.name}: part of the ${d.purpose}, built for ${d.personas[0]}s and ${d.personas[1]}s.`; } },
        methodology: { type: { enum: ['scrum', 'kanban'] }, gen: (c) => (KANBAN_AT.has(c.i % 10) ? 'kanban' : 'scrum') },
        status: { type: { enum: ['planning', 'active', 'completed'] }, gen: (c) => STATUS_CYCLE[c.i % 10]! },
        priority: { type: { enum: ['low', 'medium', 'high', 'critical'] }, gen: (c) => c.rng.weighted({ low: 0.15, medium: 0.45, high: 0.3, critical: 0.1 }) },
        lead_id: { type: 'bigint', references: 'users', gen: (c) => c.key('users', c.rng.int(0, USERS.length - 1)) },
        plan: { type: 'jsonb', virtual: true, gen: projectPlan },
        start_date: { type: 'date', gen: (c) => at((c.row.plan as Plan).start) },
        end_date: { type: 'date', nullable: true, gen: (c) => { const e = (c.row.plan as Plan).end; return e === null ? null : at(e); } },
        completed_at: { type: 'timestamptz', nullable: true, gen: (c) => { const e = (c.row.plan as Plan).end; return e === null ? null : at(e + CLOSE_HOUR + c.rng.int(0, 180) * MINUTE); } },
        created_at: { type: 'timestamptz', gen: (c) => at((c.row.plan as Plan).created) },
        updated_at: {
          type: 'timestamptz',
          gen: (c) => (c.row.completed_at ? c.row.completed_at : c.t.recent((c.row.plan as Plan).created, REF_MS, 3)),
        },
      },
      embed: {
        text: (r) => `${r.name} (${r.key}): ${r.description}`,
        metadata: (r) => ({ key: r.key as string, domain: r.domain as string, methodology: r.methodology as string, status: r.status as string }),
      },
    },
    project_members: {
      export: false,
      junction: { parent: 'projects', target: 'users', count: (c) => c.rng.int(3, USERS.length), first: (c) => [(c.parent.lead_id as number) - 1] },
      primaryKey: ['project_id', 'user_id'],
      columns: {
        project_id: { type: 'bigint', references: 'projects', gen: (c) => c.key('projects', c.parentIndex) },
        user_id: { type: 'bigint', references: 'users', gen: (c) => c.key('users', c.partner) },
        role: { type: { enum: ['lead', 'developer', 'qa', 'designer'] }, gen: (c) => (c.k === 0 ? 'lead' : c.rng.weighted({ developer: 0.6, qa: 0.25, designer: 0.15 })) },
        joined_at: { type: 'timestamptz', gen: (c) => at((c.parent.plan as Plan).created + c.k * MINUTE) },
      },
    },
    issue_types: {
      export: false,
      per: { parent: 'projects', count: TYPES.length },
      uniques: [['project_id', 'name']],
      columns: {
        id: { type: 'bigint' },
        project_id: { type: 'bigint', references: 'projects', gen: (c) => c.key('projects', c.parentIndex) },
        name: { type: 'text', gen: (c) => TYPES[c.k]!.name },
        icon: { type: 'text', gen: (c) => TYPES[c.k]!.icon },
        hierarchy_level: { type: 'smallint', gen: (c) => TYPES[c.k]!.level },
        description: { type: 'text', gen: (c) => TYPES[c.k]!.description },
      },
    },
    workflow_statuses: {
      export: false,
      per: { parent: 'projects', count: STATUSES.length },
      uniques: [['project_id', 'name'], ['project_id', 'position']],
      columns: {
        id: { type: 'bigint' },
        project_id: { type: 'bigint', references: 'projects', gen: (c) => c.key('projects', c.parentIndex) },
        name: { type: 'text', gen: (c) => STATUSES[c.k]!.name },
        category: { type: { enum: ['todo', 'in_progress', 'done'] }, gen: (c) => STATUSES[c.k]!.category },
        position: { type: 'smallint', gen: (c) => c.k + 1 },
        color: { type: 'text', gen: (c) => STATUSES[c.k]!.color },
      },
    },
    workflow_transitions: {
      export: false,
      per: { parent: 'projects', count: TRANSITIONS.length },
      uniques: [['from_status_id', 'to_status_id']],
      checks: ['from_status_id <> to_status_id'],
      columns: {
        id: { type: 'bigint' },
        project_id: { type: 'bigint', references: 'projects', gen: (c) => c.key('projects', c.parentIndex) },
        name: { type: 'text', gen: (c) => TRANSITIONS[c.k]!.name },
        from_status_id: { type: 'bigint', references: 'workflow_statuses', gen: (c) => c.key('workflow_statuses', c.groupStart('workflow_statuses', c.parentIndex) + TRANSITIONS[c.k]!.from) },
        to_status_id: { type: 'bigint', references: 'workflow_statuses', gen: (c) => c.key('workflow_statuses', c.groupStart('workflow_statuses', c.parentIndex) + TRANSITIONS[c.k]!.to) },
      },
    },
    project_configurations: {
      export: false,
      per: { parent: 'projects', count: 1 },
      columns: {
        id: { type: 'bigint' },
        project_id: { type: 'bigint', unique: true, references: 'projects', gen: (c) => c.key('projects', c.parentIndex) },
        default_issue_type_id: {
          type: 'bigint',
          references: 'issue_types',
          gen: (c) => c.key('issue_types', c.groupStart('issue_types', c.parentIndex) + (c.parent.methodology === 'scrum' ? 0 : 1)),
        },
        default_status_id: { type: 'bigint', references: 'workflow_statuses', gen: (c) => c.key('workflow_statuses', c.groupStart('workflow_statuses', c.parentIndex)) },
        estimation: { type: { enum: ['story_points', 'issue_count'] }, gen: (c) => (c.parent.methodology === 'scrum' ? 'story_points' : 'issue_count') },
        sprint_length_days: { type: 'smallint', nullable: true, gen: (c) => (c.parent.methodology === 'scrum' ? SPRINT_DAYS : null) },
        wip_limits_enabled: { type: 'boolean', gen: (c) => c.parent.methodology === 'kanban' },
        created_at: { type: 'timestamptz', gen: (c) => c.parent.created_at },
      },
    },
    boards: {
      export: false,
      per: { parent: 'projects', count: 1 },
      columns: {
        id: { type: 'bigint' },
        project_id: { type: 'bigint', unique: true, references: 'projects', gen: (c) => c.key('projects', c.parentIndex) },
        name: { type: 'text', gen: (c) => `${c.parent.key} board` },
        board_type: { type: { enum: ['scrum', 'kanban'] }, gen: (c) => c.parent.methodology },
        created_at: { type: 'timestamptz', gen: (c) => c.parent.created_at },
      },
    },
    board_columns: {
      export: false,
      per: { parent: 'boards', count: STATUSES.length },
      uniques: [['board_id', 'position'], ['board_id', 'status_id']],
      columns: {
        id: { type: 'bigint' },
        board_id: { type: 'bigint', references: 'boards', gen: (c) => c.key('boards', c.parentIndex) },
        status_id: {
          type: 'bigint',
          references: 'workflow_statuses',
          gen: (c) => c.key('workflow_statuses', c.groupStart('workflow_statuses', (c.parent.project_id as number) - 1) + c.k),
        },
        name: { type: 'text', gen: (c) => STATUSES[c.k]!.name },
        position: { type: 'smallint', gen: (c) => c.k + 1 },
        wip_limit: { type: 'smallint', nullable: true, gen: (c) => (c.parent.board_type === 'kanban' && (c.k === 1 || c.k === 2) ? c.rng.int(3, 6) : null) },
      },
    },
    sprints: {
      per: { parent: 'projects', count: (c) => (c.parent.plan as Plan).sprints },
      uniques: [['project_id', 'sequence']],
      checks: ['start_date <= end_date'],
      columns: {
        id: { type: 'bigint' },
        project_id: { type: 'bigint', references: 'projects', gen: (c) => c.key('projects', c.parentIndex) },
        window: { type: 'jsonb', virtual: true, gen: (c) => sprintWindow(c.parent.plan as Plan, c.k) },
        sequence: { type: 'smallint', gen: (c) => c.k + 1 },
        name: { type: 'text', gen: (c) => `${c.parent.key} Sprint ${c.k + 1}` },
        goal: {
          type: 'text',
          gen: (c) => `${c.rng.pick(['Ship', 'Stabilise', 'Finish', 'Pilot', 'Harden'])} the ${c.rng.pick(domainOf(c.parentIndex).features)}`,
        },
        state: { type: { enum: ['planned', 'active', 'completed'] }, gen: (c) => (c.row.window as ReturnType<typeof sprintWindow>).state },
        start_date: { type: 'date', gen: (c) => at((c.row.window as ReturnType<typeof sprintWindow>).start) },
        end_date: { type: 'date', gen: (c) => at((c.row.window as ReturnType<typeof sprintWindow>).last) },
        completed_at: {
          type: 'timestamptz',
          nullable: true,
          gen: (c) => { const w = c.row.window as ReturnType<typeof sprintWindow>; return w.state === 'completed' ? at(w.last + c.rng.int(15, 18) * HOUR) : null; },
        },
        created_at: {
          type: 'timestamptz',
          gen: (c) => {
            const w = c.row.window as ReturnType<typeof sprintWindow>;
            const created = (c.parent.plan as Plan).created;
            return at(Math.min(REF_MS - HOUR, Math.max(created + HOUR, w.start - c.rng.int(1, 7) * DAY + c.rng.int(9, 17) * HOUR)));
          },
        },
      },
    },
    issues: {
      per: { parent: 'projects', count: issueCount },
      checks: ['created_at <= updated_at', 'resolved_at IS NULL OR resolved_at >= created_at'],
      columns: {
        id: { type: 'bigint' },
        project_id: { type: 'bigint', references: 'projects', gen: (c) => c.key('projects', c.parentIndex) },
        salt: { type: 'bigint', virtual: true, gen: (c) => c.parent.salt },
        pos: { type: 'int', virtual: true, gen: (c) => c.k },
        key: { type: 'varchar(20)', unique: true, gen: (c) => `${c.parent.key}-${c.k + 1}` },
        kind: { type: 'text', virtual: true, gen: (c) => stratified(c.parent.salt as number, 1, c.k, TYPE_SLOTS) },
        state: { type: 'text', virtual: true, gen: (c) => stratified(c.parent.salt as number, 2, c.k, STATUS_SLOTS[c.parent.status as string]!) },
        issue_type_id: {
          type: 'bigint',
          references: 'issue_types',
          gen: (c) => c.key('issue_types', c.groupStart('issue_types', c.parentIndex) + TYPES.findIndex((t) => t.code === c.row.kind)),
        },
        status_id: {
          type: 'bigint',
          references: 'workflow_statuses',
          gen: (c) => c.key('workflow_statuses', c.groupStart('workflow_statuses', c.parentIndex) + STATUSES.findIndex((s) => s.code === c.row.state)),
        },
        sprint: { type: 'int', virtual: true, gen: chooseSprint },
        sprint_id: {
          type: 'bigint',
          nullable: true,
          references: 'sprints',
          gen: (c) => ((c.row.sprint as number) < 0 ? null : c.key('sprints', c.groupStart('sprints', c.parentIndex) + (c.row.sprint as number))),
        },
        topic: { type: 'jsonb', virtual: true, gen: issueTopic },
        title: { type: 'text', gen: (c) => issueTitle(c, c.row.kind as TypeCode, c.row.topic as Topic) },
        description: { type: 'text', gen: (c) => issueDescription(c, domainOf(c.parentIndex), c.row.kind as TypeCode, c.row.topic as Topic) },
        priority: {
          type: { enum: ['lowest', 'low', 'medium', 'high', 'highest'] },
          gen: (c) =>
            c.row.kind === 'bug'
              ? c.rng.weighted({ lowest: 0.02, low: 0.1, medium: 0.35, high: 0.35, highest: 0.18 })
              : c.rng.weighted({ lowest: 0.05, low: 0.2, medium: 0.5, high: 0.2, highest: 0.05 }),
        },
        story_points: {
          type: 'smallint',
          nullable: true,
          gen: (c) => (c.row.kind === 'epic' ? null : c.row.kind === 'bug' ? (c.rng.chance(0.5) ? c.rng.pick([1, 2, 3]) : null) : c.rng.weighted([[1, 1], [2, 3], [3, 4], [5, 3], [8, 2], [13, 1]])),
        },
        reporter_id: { type: 'bigint', references: 'users', gen: (c) => c.rng.pick(membersOf(c, c.parentIndex)) },
        assignee_id: {
          type: 'bigint',
          nullable: true,
          references: 'users',
          gen: (c) => (c.row.state === 'todo' && c.rng.chance(0.5) ? null : c.rng.pick(membersOf(c, c.parentIndex))),
        },
        times: { type: 'jsonb', virtual: true, gen: issueTimes },
        created_at: { type: 'timestamptz', gen: (c) => at((c.row.times as ReturnType<typeof issueTimes>).created) },
        updated_at: { type: 'timestamptz', gen: (c) => at((c.row.times as ReturnType<typeof issueTimes>).updated) },
        resolved_at: { type: 'timestamptz', nullable: true, gen: (c) => { const r = (c.row.times as ReturnType<typeof issueTimes>).resolved; return r === null ? null : at(r); } },
      },
      embed: {
        text: (r) => `${r.key}: ${r.title}. ${r.description}`,
        metadata: (r) => ({ key: r.key as string, project_id: r.project_id as number, priority: r.priority as string }),
      },
    },
    comments: {
      per: { parent: 'issues', count: (c) => (stratified(c.parent.salt as number, 3, c.parent.pos as number, COMMENT_SLOTS) ? c.rng.int(1, 5) : 0) },
      checks: ['created_at <= updated_at'],
      columns: {
        id: { type: 'bigint' },
        issue_id: { type: 'bigint', references: 'issues', gen: (c) => c.key('issues', c.parentIndex) },
        author_id: { type: 'bigint', references: 'users', gen: (c) => c.rng.pick(membersOf(c, (c.parent.project_id as number) - 1)) },
        body: { type: 'text', gen: (c) => c.rng.pick(COMMENTS).replaceAll('{f}', (c.parent.topic as Topic).feature) },
        // Spread over the issue's life in order, at least a minute after it was created.
        created_at: {
          type: 'timestamptz',
          gen: (c) => {
            const from = (c.parent.created_at as Date).getTime() + MINUTE;
            const span = Math.max(0, (c.parent.updated_at as Date).getTime() - from);
            return at(from + Math.floor((span * (c.k + c.rng.float())) / c.n));
          },
        },
        updated_at: { type: 'timestamptz', gen: (c) => (c.rng.chance(0.1) ? c.t.after(c.row.created_at as Date, DAY) : c.row.created_at) },
      },
      embed: {
        text: (r) => r.body as string,
        metadata: (r) => ({ issue_id: r.issue_id as number, author_id: r.author_id as number }),
      },
    },
    issue_links: {
      per: { parent: 'issues', count: (c) => (stratified(c.parent.salt as number, 4, c.parent.pos as number, LINK_SLOTS) ? 1 : 0) },
      uniques: [['source_issue_id', 'target_issue_id', 'link_type']],
      checks: ['source_issue_id <> target_issue_id'],
      columns: {
        id: { type: 'bigint' },
        source_issue_id: { type: 'bigint', references: 'issues', gen: (c) => c.key('issues', c.parentIndex) },
        target: {
          type: 'bigint',
          virtual: true,
          gen: (c) => {
            // Another issue of the same project: a draw over the project's other issues.
            const project = (c.parent.project_id as number) - 1;
            const first = c.groupStart('issues', project);
            const n = c.groupStart('issues', project + 1) - first;
            const pos = c.parent.pos as number;
            const r = c.rng.int(0, n - 2);
            return first + (r >= pos ? r + 1 : r);
          },
        },
        target_issue_id: { type: 'bigint', references: 'issues', gen: (c) => c.key('issues', c.row.target as number) },
        link_type: { type: { enum: ['blocks', 'relates_to', 'duplicates', 'clones'] }, gen: (c) => c.rng.weighted({ blocks: 0.35, relates_to: 0.45, duplicates: 0.12, clones: 0.08 }) },
        created_by: { type: 'bigint', references: 'users', gen: (c) => c.rng.pick(membersOf(c, (c.parent.project_id as number) - 1)) },
        created_at: {
          type: 'timestamptz',
          gen: (c) => {
            const other = c.lookup('issues', c.row.target as number);
            const from = Math.max((c.parent.created_at as Date).getTime(), (other.created_at as Date).getTime()) + MINUTE;
            return c.t.between(from, Math.max(from + MINUTE, REF_MS));
          },
        },
      },
    },
  },
  checks: [
    // People and access
    { name: 'owner_exists', sql: `SELECT 1 AS missing WHERE NOT EXISTS (SELECT 1 FROM users WHERE email = 'owner@example.com')`, description: 'The owner account owner@example.com exists.' },
    { name: 'exactly_six_users', sql: `SELECT count(*) AS users FROM users HAVING count(*) <> 6`, description: 'Six users: the owner and five team members.' },
    {
      name: 'password_hash_format',
      sql: `SELECT id FROM users WHERE password_hash !~ '^pbkdf2_sha256\\$[0-9]+\\$[A-Za-z0-9]+\\$[A-Za-z0-9+/]+=*$'`,
      description: 'Every password is a PBKDF2-SHA256 hash in Django format (pbkdf2_sha256$iterations$salt$hash).',
    },
    { name: 'every_user_in_organization', sql: `SELECT u.id FROM users u CROSS JOIN organizations o WHERE NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.user_id = u.id AND m.organization_id = o.id)`, description: 'All users are members of the organization.' },
    { name: 'organization_owner_is_owner_member', sql: `SELECT o.id FROM organizations o WHERE NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = o.id AND m.user_id = o.owner_id AND m.role = 'owner')` },
    { name: 'one_organization_one_workspace', sql: `SELECT 'organizations' AS t WHERE (SELECT count(*) FROM organizations) <> 1 UNION ALL SELECT 'workspaces' WHERE (SELECT count(*) FROM workspaces) <> 1` },
    // Projects and their configuration
    { name: 'project_count_10_to_20', sql: `SELECT count(*) AS projects FROM projects HAVING count(*) NOT BETWEEN 10 AND 20` },
    { name: 'project_key_format', sql: `SELECT id, key FROM projects WHERE key !~ '^[A-Z]+[0-9]+$'` },
    { name: 'project_lead_is_member', sql: `SELECT p.id FROM projects p WHERE NOT EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = p.lead_id AND m.role = 'lead')` },
    { name: 'six_issue_types_per_project', sql: `SELECT p.id FROM projects p LEFT JOIN issue_types t ON t.project_id = p.id GROUP BY p.id HAVING count(t.id) <> 6` },
    { name: 'four_statuses_per_project', sql: `SELECT p.id FROM projects p LEFT JOIN workflow_statuses s ON s.project_id = p.id GROUP BY p.id HAVING count(s.id) <> 4` },
    {
      name: 'transitions_within_project',
      sql: `SELECT t.id FROM workflow_transitions t JOIN workflow_statuses a ON a.id = t.from_status_id JOIN workflow_statuses b ON b.id = t.to_status_id WHERE a.project_id <> t.project_id OR b.project_id <> t.project_id OR t.from_status_id = t.to_status_id`,
    },
    { name: 'one_configuration_and_board_per_project', sql: `SELECT p.id FROM projects p WHERE (SELECT count(*) FROM project_configurations c WHERE c.project_id = p.id) <> 1 OR (SELECT count(*) FROM boards b WHERE b.project_id = p.id) <> 1` },
    {
      name: 'configuration_defaults_within_project',
      sql: `SELECT c.id FROM project_configurations c JOIN issue_types t ON t.id = c.default_issue_type_id JOIN workflow_statuses s ON s.id = c.default_status_id WHERE t.project_id <> c.project_id OR s.project_id <> c.project_id`,
    },
    { name: 'board_type_matches_methodology', sql: `SELECT b.id FROM boards b JOIN projects p ON p.id = b.project_id WHERE b.board_type::text <> p.methodology::text` },
    {
      name: 'board_columns_map_project_statuses',
      sql: `SELECT b.id FROM boards b LEFT JOIN board_columns bc ON bc.board_id = b.id LEFT JOIN workflow_statuses s ON s.id = bc.status_id AND s.project_id = b.project_id GROUP BY b.id HAVING count(bc.id) <> 4 OR count(s.id) <> 4`,
    },
    // Sprints
    {
      name: 'sprint_count_by_methodology',
      sql: `SELECT p.id FROM projects p LEFT JOIN sprints s ON s.project_id = p.id GROUP BY p.id, p.methodology HAVING (p.methodology = 'scrum' AND count(s.id) NOT BETWEEN 3 AND 8) OR (p.methodology = 'kanban' AND count(s.id) <> 0)`,
      description: 'Scrum projects have 3–8 sprints, kanban projects none.',
    },
    { name: 'sprints_do_not_overlap', sql: `SELECT a.id, b.id AS other FROM sprints a JOIN sprints b ON b.project_id = a.project_id AND b.id <> a.id WHERE a.start_date <= b.end_date AND b.start_date <= a.end_date` },
    {
      name: 'sprints_consecutive',
      sql: `SELECT a.id FROM sprints a JOIN sprints b ON b.project_id = a.project_id AND b.sequence = a.sequence + 1 WHERE b.start_date <> a.end_date + 1`,
      description: 'Each sprint starts the day after the previous one ends.',
    },
    {
      name: 'sprint_state_matches_timeline',
      sql: `SELECT id FROM sprints WHERE state::text <> CASE WHEN end_date < DATE '${REF_DAY}' THEN 'completed' WHEN start_date > DATE '${REF_DAY}' THEN 'planned' ELSE 'active' END OR (state = 'completed') <> (completed_at IS NOT NULL)`,
      description: 'Past sprints are completed, the one containing the reference day is active, later ones planned.',
    },
    {
      name: 'sprints_follow_project_status',
      sql: `SELECT p.id FROM projects p WHERE p.methodology = 'scrum' AND (
          (p.status = 'active' AND (SELECT count(*) FROM sprints s WHERE s.project_id = p.id AND s.state = 'active') <> 1)
          OR (p.status = 'completed' AND EXISTS (SELECT 1 FROM sprints s WHERE s.project_id = p.id AND s.state <> 'completed'))
          OR (p.status = 'planning' AND EXISTS (SELECT 1 FROM sprints s WHERE s.project_id = p.id AND s.state <> 'planned')))`,
      description: 'An active scrum project has exactly one active sprint; completed projects only completed sprints; planning projects only planned ones.',
    },
    { name: 'sprints_within_project_dates', sql: `SELECT s.id FROM sprints s JOIN projects p ON p.id = s.project_id WHERE s.start_date < p.start_date OR (p.end_date IS NOT NULL AND s.end_date > p.end_date)` },
    {
      name: 'project_status_matches_dates',
      sql: `SELECT id FROM projects WHERE (status = 'completed') <> (end_date IS NOT NULL AND completed_at IS NOT NULL) OR (status = 'completed' AND end_date >= DATE '${REF_DAY}') OR (status = 'planning' AND start_date <= DATE '${REF_DAY}') OR (status = 'active' AND start_date > DATE '${REF_DAY}')`,
    },
    // Issues
    { name: 'issue_total_500_to_1000', sql: `SELECT count(*) AS issues FROM issues HAVING count(*) NOT BETWEEN 500 AND 1000` },
    { name: 'issue_sprint_of_same_project', sql: `SELECT i.id FROM issues i JOIN sprints s ON s.id = i.sprint_id WHERE s.project_id <> i.project_id` },
    { name: 'kanban_issues_have_no_sprint', sql: `SELECT i.id FROM issues i JOIN projects p ON p.id = i.project_id WHERE p.methodology = 'kanban' AND i.sprint_id IS NOT NULL` },
    { name: 'issue_type_of_same_project', sql: `SELECT i.id FROM issues i JOIN issue_types t ON t.id = i.issue_type_id WHERE t.project_id <> i.project_id` },
    { name: 'issue_status_of_same_project', sql: `SELECT i.id FROM issues i JOIN workflow_statuses s ON s.id = i.status_id WHERE s.project_id <> i.project_id` },
    { name: 'issue_created_before_updated', sql: `SELECT id FROM issues WHERE created_at > updated_at` },
    {
      name: 'issue_resolved_iff_done',
      sql: `SELECT i.id FROM issues i JOIN workflow_statuses s ON s.id = i.status_id WHERE (s.category = 'done') <> (i.resolved_at IS NOT NULL) OR i.resolved_at < i.created_at`,
    },
    { name: 'completed_project_issues_done', sql: `SELECT i.id FROM issues i JOIN projects p ON p.id = i.project_id JOIN workflow_statuses s ON s.id = i.status_id WHERE p.status = 'completed' AND (s.category <> 'done' OR i.resolved_at > p.completed_at)` },
    {
      name: 'completed_sprint_issues_done',
      sql: `SELECT i.id FROM issues i JOIN sprints sp ON sp.id = i.sprint_id JOIN workflow_statuses s ON s.id = i.status_id WHERE sp.state = 'completed' AND s.category <> 'done'`,
      description: 'Unfinished work never stays in a closed sprint.',
    },
    {
      name: 'issue_resolved_within_sprint',
      sql: `SELECT i.id FROM issues i JOIN sprints sp ON sp.id = i.sprint_id WHERE i.resolved_at IS NOT NULL AND (i.resolved_at < sp.start_date::timestamp AT TIME ZONE 'UTC' OR i.resolved_at >= (sp.end_date + 1)::timestamp AT TIME ZONE 'UTC')`,
    },
    { name: 'issue_created_after_project', sql: `SELECT i.id FROM issues i JOIN projects p ON p.id = i.project_id WHERE i.created_at < p.created_at` },
    {
      name: 'issue_history_within_six_months',
      sql: `SELECT id FROM issues WHERE created_at < TIMESTAMPTZ '${REF}' - INTERVAL '6 months' OR updated_at > TIMESTAMPTZ '${REF}' OR resolved_at > TIMESTAMPTZ '${REF}'`,
    },
    { name: 'issue_people_are_project_members', sql: `SELECT i.id FROM issues i WHERE NOT EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = i.project_id AND m.user_id = i.reporter_id) OR (i.assignee_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = i.project_id AND m.user_id = i.assignee_id))` },
    // Comments and links
    { name: 'comment_by_project_member', sql: `SELECT c.id FROM comments c JOIN issues i ON i.id = c.issue_id WHERE NOT EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = i.project_id AND m.user_id = c.author_id)` },
    { name: 'comment_after_issue_created', sql: `SELECT c.id FROM comments c JOIN issues i ON i.id = c.issue_id WHERE c.created_at <= i.created_at OR c.created_at > c.updated_at OR c.updated_at > TIMESTAMPTZ '${REF}'` },
    { name: 'comments_per_issue_1_to_5', sql: `SELECT issue_id FROM comments GROUP BY issue_id HAVING count(*) > 5` },
    { name: 'link_not_to_itself', sql: `SELECT id FROM issue_links WHERE source_issue_id = target_issue_id` },
    { name: 'link_within_project_after_both_issues', sql: `SELECT l.id FROM issue_links l JOIN issues a ON a.id = l.source_issue_id JOIN issues b ON b.id = l.target_issue_id WHERE a.project_id <> b.project_id OR l.created_at < a.created_at OR l.created_at < b.created_at` },
  ],
});
