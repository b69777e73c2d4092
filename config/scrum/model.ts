/**
 * The scrum model: workflow catalogs, project timelines, sprints, and each project's issue plan —
 * type, status, sprint, times and title of every issue, computed once per project and ordered by
 * creation time, so issue keys (HEAL1-1, HEAL1-2, …) are chronological within a project and titles
 * are distinct by construction.
 */
import { DAY, HOUR, MINUTE, Rng, fmix32, type TypedCountContext, type TypedGenContext } from '../../src/index.js';
import { permute } from '../shared/permute.js';
import { BUG_SYMPTOMS, DOMAINS, EPIC_SUFFIXES, IMPROVEMENT_ASPECTS, STORY_QUALIFIERS, TASK_VERBS, type Domain } from './domains.js';
import { storyTitle } from './text.js';

export const REF = '2025-06-25T00:00:00Z';
export const REF_MS = Date.parse(REF);
/** The reference day as a SQL literal (sprint states are relative to it). */
export const REF_DAY = REF.slice(0, 10);
export const SPRINT_DAYS = 14;
/** A completed project closes on its last day at 15:00 UTC or later. */
export const CLOSE_HOUR = 15 * HOUR;

/** Issue types of every project, in `issue_types` order. */
export const TYPES = [
  { code: 'story', name: 'Story', icon: 'bookmark', level: 0, description: 'A user-facing capability, written from the user\'s point of view.' },
  { code: 'task', name: 'Task', icon: 'check-square', level: 0, description: 'A piece of technical or operational work.' },
  { code: 'bug', name: 'Bug', icon: 'bug', level: 0, description: 'A defect: behaviour that differs from what was specified.' },
  { code: 'epic', name: 'Epic', icon: 'zap', level: 1, description: 'A large body of work broken down into stories and tasks.' },
  { code: 'improvement', name: 'Improvement', icon: 'trending-up', level: 0, description: 'An enhancement of an existing feature.' },
  { code: 'subtask', name: 'Sub-task', icon: 'git-branch', level: -1, description: 'A step of a larger issue.' },
] as const;
export type TypeCode = (typeof TYPES)[number]['code'];

/** Workflow statuses of every project, in `workflow_statuses` order. */
export const STATUSES = [
  { code: 'todo', name: 'To Do', category: 'todo', color: '#42526E' },
  { code: 'in_progress', name: 'In Progress', category: 'in_progress', color: '#0052CC' },
  { code: 'in_review', name: 'In Review', category: 'in_progress', color: '#6554C0' },
  { code: 'done', name: 'Done', category: 'done', color: '#36B37E' },
] as const;
export type StatusCode = (typeof STATUSES)[number]['code'];

/** Allowed moves between the statuses above (indexes into STATUSES). */
export const TRANSITIONS = [
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
export const COMMENT_SLOTS = slots<boolean>([[true, 3], [false, 2]]);
export const LINK_SLOTS = slots<boolean>([[true, 1], [false, 9]]);

/** A stream keyed by (salt, label) at coordinate x: the same numbers wherever it is recomputed. */
function keyedRng(salt: number, label: number, x: number): Rng {
  const a = fmix32((salt >>> 0) ^ Math.imul(label, 0x9e3779b1));
  return new Rng().reset(Uint32Array.of(a, fmix32(a + 0x7f4a7c15), 0x5bd1e995 ^ label, 0x27d4eb2f), x);
}

/** Slot `k` of the shuffled block `floor(k / slots.length)`, keyed by a seeded salt and a label. */
export function stratified<T>(salt: number, label: number, k: number, list: readonly T[]): T {
  const b = list.length;
  return keyedRng(salt, label, Math.floor(k / b)).shuffle(list)[k % b]!;
}

// Ten-project cycles: 6 active, 2 completed, 2 planning; kanban at positions 3, 6 and 9.
export const STATUS_CYCLE = ['active', 'active', 'completed', 'active', 'planning', 'active', 'completed', 'active', 'planning', 'active'] as const;
export const KANBAN_AT = new Set([3, 6, 9]);
/** Relative issue volume by project status (a planning project has a thin backlog). */
const STATUS_WEIGHT: Readonly<Record<string, number>> = { active: 1.25, completed: 1, planning: 0.35 };

export const domainOf = (projectIndex: number): Domain => DOMAINS[projectIndex % DOMAINS.length]!;
const dayStart = (ms: number): number => Math.floor(ms / DAY) * DAY;
export const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
export const at = (ms: number): Date => new Date(ms);

/** A project's timeline, computed once with the project row (all instants in ms). */
export interface Plan {
  sprints: number;
  /** Start day of sprint 0 (scrum). */
  firstSprint: number;
  start: number;
  /** Last day of work (completed projects), else null. */
  end: number | null;
  created: number;
}

export function projectPlan(c: TypedGenContext<object, { readonly status: string; readonly methodology: string }>): Plan {
  const status = c.row.status;
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

export type SprintState = 'planned' | 'active' | 'completed';
export interface SprintWindow {
  start: number;
  last: number;
  endExcl: number;
  state: SprintState;
}
/** Sprint `j` of a project: consecutive fixed-length sprints, state from the reference day. */
export function sprintWindow(plan: Plan, j: number): SprintWindow {
  const start = plan.firstSprint + j * SPRINT_DAYS * DAY;
  const last = start + (SPRINT_DAYS - 1) * DAY;
  const refDay = dayStart(REF_MS);
  const state: SprintState = last < refDay ? 'completed' : start > refDay ? 'planned' : 'active';
  return { start, last, endExcl: last + DAY, state };
}

interface ProjectFacts {
  plan: Plan;
  status: string;
  scrum: boolean;
  salt: number;
}

/** The project's sprint an issue belongs to (index within the project), or -1 for backlog/kanban. */
function chooseSprint(r: Rng, p: ProjectFacts, state: StatusCode): number {
  if (!p.scrum) return -1;
  const n = p.plan.sprints;
  if (p.status === 'completed') return r.int(0, n - 1);
  if (p.status === 'planning') return state === 'todo' && r.chance(0.6) ? r.int(0, Math.min(1, n - 1)) : -1;
  const current = Math.floor((dayStart(REF_MS) - p.plan.firstSprint) / (SPRINT_DAYS * DAY));
  if (state === 'done') return current - Math.floor(Math.pow(r.float(), 1.5) * (current + 1));
  if (state !== 'todo') return current;
  const u = r.float();
  if (u < 0.5) return current;
  if (u < 0.75 && current < n - 1) return r.int(current + 1, n - 1);
  return -1;
}

const between = (r: Rng, a: number, b: number): number => a + Math.floor(r.float() * Math.max(0, b - a));
/** In [a, b), skewed towards b: skew 1 is uniform, 2.5 puts ≈ 40% of six months in the last four weeks. */
const recent = (r: Rng, a: number, b: number, skew: number): number => b - 1 - Math.floor(Math.pow(r.float(), skew) * Math.max(0, b - a));

/** Created/resolved/updated instants of an issue, consistent with its sprint and project. */
function issueTimes(r: Rng, p: ProjectFacts, state: StatusCode, sprint: number): { created: number; resolved: number | null; updated: number } {
  const plan = p.plan;
  if (state === 'done') {
    const w = sprint >= 0 ? sprintWindow(plan, sprint) : undefined;
    // Resolved inside its sprint, before the reference date, and before a completed project closed;
    // created during the three weeks before its sprint started, or any time (kanban).
    const closed = p.status === 'completed' ? plan.end! + CLOSE_HOUR : REF_MS;
    const hi = Math.min(w ? w.endExcl : REF_MS, closed, REF_MS);
    const lo = w ? w.start : plan.created;
    const created = w ? between(r, Math.max(plan.created, w.start - 21 * DAY), hi - 2 * HOUR) : recent(r, plan.created, hi - 2 * HOUR, 2.5);
    const resolved = between(r, Math.max(created + HOUR, lo), hi);
    return { created, resolved, updated: resolved };
  }
  const created = recent(r, plan.created, REF_MS - HOUR, 2.5);
  return { created, resolved: null, updated: recent(r, created + 30 * MINUTE, REF_MS, 2) };
}

/** What an issue is about: a product area of its domain, or a persona's need for stories. */
export interface Topic {
  feature: string;
  persona: string;
  action: string;
}

/** One issue of a project's plan (position k = its key number − 1). */
export interface IssuePlan {
  kind: TypeCode;
  state: StatusCode;
  sprint: number;
  created: number;
  resolved: number | null;
  updated: number;
  title: string;
  topic: Topic;
}

/**
 * Title and topic of the m-th issue of `kind` in a project: a bijection of m into the kind's
 * combinations of domain vocabulary (stories: persona need × qualifier, qualifier-free first), so
 * titles never repeat within a project; past the combinations a part number keeps them distinct.
 */
function titled(d: Domain, kind: TypeCode, m: number, salt: number): { title: string; topic: Topic } {
  const F = d.features.length;
  const part = (round: number): string => (round > 0 ? ` (part ${round + 1})` : '');
  if (kind === 'story') {
    const S = d.stories.length;
    const Q = STORY_QUALIFIERS.length;
    const [persona, action] = d.stories[permute(m % S, S, salt)]!;
    const full = action + STORY_QUALIFIERS[Math.floor(m / S) % Q]!;
    return { title: storyTitle(persona, full) + part(Math.floor(m / (S * Q))), topic: { feature: '', persona, action: full } };
  }
  const words: readonly string[] = kind === 'task' ? TASK_VERBS : kind === 'bug' ? BUG_SYMPTOMS : kind === 'epic' ? EPIC_SUFFIXES : IMPROVEMENT_ASPECTS;
  const n = words.length * F;
  const j = permute(m % n, n, salt);
  const word = words[j % words.length]!;
  const feature = d.features[Math.floor(j / words.length)]!;
  const title = kind === 'task' ? `${word} ${feature}` : kind === 'improvement' ? `Improve ${word} of ${feature}` : `${cap(feature)} ${word}`;
  return { title: title + part(Math.floor(m / n)), topic: { feature, persona: d.personas[0]!, action: '' } };
}

/** What the issue planners read of a project row. */
interface ProjectRow {
  readonly plan: Plan;
  readonly status: string;
  readonly methodology: string;
  readonly salt: number;
  readonly size: number;
}
/** The context the issue planners need: the projects and the `issues` parameter. */
type Projects = TypedCountContext<{ projects: ProjectRow }, unknown, { readonly issues: number }>;

/**
 * A project's issues, planned once per run: natural issue j gets its type and status from the
 * stratified mixes and its sprint and times from a stream keyed by (project salt, j); the list is
 * then sorted by creation time, so position k (key number k + 1) is chronological.
 */
export function issuePlans(c: Projects, projectIndex: number): readonly IssuePlan[] {
  return c.memo(`scrum:issues:${projectIndex}`, () => {
    const p = c.lookup('projects', projectIndex);
    const facts: ProjectFacts = { plan: p.plan, status: p.status, scrum: p.methodology === 'scrum', salt: p.salt };
    const n = issueCount(c, projectIndex);
    const natural = Array.from({ length: n }, (_, j) => {
      const kind = stratified(facts.salt, 1, j, TYPE_SLOTS);
      const state = stratified(facts.salt, 2, j, STATUS_SLOTS[facts.status]!);
      const r = keyedRng(facts.salt, 5, j);
      const sprint = chooseSprint(r, facts, state);
      return { j, kind, state, sprint, ...issueTimes(r, facts, state, sprint) };
    });
    natural.sort((a, b) => a.created - b.created || a.j - b.j);
    const seen = new Map<TypeCode, number>();
    const d = domainOf(projectIndex);
    return natural.map((x) => {
      const m = seen.get(x.kind) ?? 0;
      seen.set(x.kind, m + 1);
      return { kind: x.kind, state: x.state, sprint: x.sprint, created: x.created, resolved: x.resolved, updated: x.updated, ...titled(d, x.kind, m, fmix32(facts.salt + TYPES.findIndex((t) => t.code === x.kind) * 0x9e3779b1)) };
    });
  });
}

/**
 * Issues per project: the `issues` parameter split over projects by status weight and project
 * size with largest remainders, so the total is exactly `issues`. Computed once per run.
 */
export function issueCount(c: Projects, projectIndex: number): number {
  const s = c.memo('scrum:issueShares', () => {
    const n = c.count('projects');
    const total = c.params.issues;
    const w = Array.from({ length: n }, (_, j) => {
      const p = c.lookup('projects', j);
      return STATUS_WEIGHT[p.status]! * p.size;
    });
    const sum = w.reduce((a, b) => a + b, 0);
    const exact = w.map((x) => (total * x) / sum);
    const out = exact.map(Math.floor);
    const rest = total - out.reduce((a, b) => a + b, 0);
    const order = exact.map((x, j) => [x - Math.floor(x), j] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (let r = 0; r < rest; r++) out[order[r]![1]]! += 1;
    return out;
  });
  return s[projectIndex]!;
}

/** Project members (user keys) of project `projectIndex`. */
export function membersOf(c: TypedCountContext<{ project_members: { readonly user_id: number } }>, projectIndex: number): number[] {
  return c.children('project_members', projectIndex).map((m) => m.user_id);
}
