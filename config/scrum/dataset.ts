/**
 * scrum — a Jira-like project tracker rebuilt after data loss: one organization and workspace, the
 * known users who can log in (a parameter), 10–20 domain projects with their workflow
 * configuration, timeline-aware sprints and 500–1000 issues with chronological keys, distinct
 * titles, comments that follow each issue's life, and links. Every rule holds by construction and
 * is also a `validate` check (checks.ts); every exported entity declares embedding text.
 */
import { defineDataset, jsonb, DAY, HOUR, MINUTE, SeedpipeError, type GenContext } from '../../src/index.js';
import { parseLogins, type Login } from '../shared/logins.js';
import { hashPassword, makeSalt } from '../shared/password.js';
import { scrumChecks } from './checks.js';
import { DOMAINS } from './domains.js';
import {
  CLOSE_HOUR, COMMENT_SLOTS, KANBAN_AT, LINK_SLOTS, REF, REF_MS, SPRINT_DAYS, STATUS_CYCLE, STATUSES, TRANSITIONS, TYPES, at, domainOf, issueCount, issuePlans, membersOf, projectPlan,
  sprintWindow, stratified, type IssuePlan, type Plan, type SprintWindow, type Topic,
} from './model.js';
import { COMMENTS, GOALS, commentStage, commentVars, issueDescription } from './text.js';

/** The default known logins: all on example.com (reserved for documentation). */
export const DEFAULT_LOGINS = 'Morgan Reyes <owner@example.com>, Alex Chen <alex.chen@example.com>, Priya Patel <priya.patel@example.com>, Samuel Okafor <samuel.okafor@example.com>, Jordan Lee <jordan.lee@example.com>, María García <maria.garcia@example.com>';
const JOB_TITLES = ['Head of Product', 'Scrum Master', 'Senior Software Engineer', 'Software Engineer', 'QA Engineer', 'Product Designer'] as const;

/** User i's login: the i-th known login (the first is the owner); the list may not be longer than the users table. */
function loginOf(c: GenContext): Login {
  const logins = parseLogins(c.params.logins);
  if (logins.length > c.n) {
    throw new SeedpipeError('DATASET_PARAM_INVALID', `parameter logins lists ${logins.length} accounts but users has ${c.n} rows; add --set users.rows=${logins.length}`, { disposition: 'usage', data: { param: 'logins' } });
  }
  return logins[c.i] ?? { email: `member${c.i + 1}@example.com`, name: `Team Member ${c.i + 1}` };
}

export default defineDataset({
  name: 'scrum',
  description: 'A project tracker restored after data loss: organization, the known users who can log in, domain projects with workflows, boards, sprints, issues, comments and links.',
  seed: 7,
  refDate: REF,
  params: {
    issues: 800,
    /** Known login accounts (`Name <email>` or emails, comma-separated), users 1…n; the first owns the organization. */
    logins: DEFAULT_LOGINS,
    /** Password of every known login (PBKDF2-SHA256 in Django's format; never exported). */
    loginPassword: 'Pass123',
  },
  profiles: {
    light: { rows: { projects: 10 }, params: { issues: 600 } },
    medium: { rows: { projects: 15 }, params: { issues: 800 } },
    heavy: { rows: { projects: 20 }, params: { issues: 1000 } },
  },
  tables: {
    users: {
      rows: 6,
      description: 'The known logins (parameter `logins`): the owner and five team members, all with the password `loginPassword`.',
      columns: {
        id: { type: 'bigint' },
        login: { type: jsonb<Login>(), virtual: true, gen: loginOf },
        email: { type: 'text', unique: true, gen: (c) => c.row.login.email },
        full_name: { type: 'text', gen: (c) => c.row.login.name },
        job_title: { type: 'text', gen: (c) => JOB_TITLES[c.i % JOB_TITLES.length]! },
        password_hash: { type: 'text', export: false, gen: (c) => hashPassword(String(c.params.loginPassword), makeSalt(() => c.rng.float())) },
        is_active: { type: 'boolean', gen: () => true },
        created_at: { type: 'timestamptz', gen: (c) => at(REF_MS - (400 - c.i * 3) * DAY + c.rng.int(9 * 60, 17 * 60) * MINUTE) },
        last_login_at: { type: 'timestamptz', gen: (c) => c.t.recent(REF_MS - 3 * DAY, REF_MS, 1) },
      },
      embed: { text: (r) => `${r.full_name}, ${r.job_title}`, metadata: (r) => ({ email: r.email, job_title: r.job_title }) },
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
      embed: { text: (r) => `${r.name}: the organization that owns the product delivery workspace`, metadata: (r) => ({ slug: r.slug }) },
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
        created_at: { type: 'timestamptz', gen: (c) => at(c.lookup('organizations', 0).created_at.getTime() + HOUR) },
      },
      embed: { text: (r) => `${r.name} workspace: every project, board and sprint of the organization`, metadata: (r) => ({ slug: r.slug }) },
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
        lead_id: { type: 'bigint', references: 'users', gen: (c) => c.key('users', c.rng.int(0, c.count('users') - 1)) },
        plan: { type: jsonb<Plan>(), virtual: true, gen: projectPlan },
        start_date: { type: 'date', gen: (c) => at(c.row.plan.start) },
        end_date: { type: 'date', nullable: true, gen: (c) => { const e = c.row.plan.end; return e === null ? null : at(e); } },
        completed_at: { type: 'timestamptz', nullable: true, gen: (c) => { const e = c.row.plan.end; return e === null ? null : at(e + CLOSE_HOUR + c.rng.int(0, 180) * MINUTE); } },
        created_at: { type: 'timestamptz', gen: (c) => at(c.row.plan.created) },
        updated_at: {
          type: 'timestamptz',
          gen: (c) => (c.row.completed_at ? c.row.completed_at : c.t.recent(c.row.plan.created, REF_MS, 3)),
        },
      },
      embed: {
        text: (r) => `${r.name} (${r.key}): ${r.description}`,
        metadata: (r) => ({ key: r.key, domain: r.domain, methodology: r.methodology, status: r.status }),
      },
    },
    project_members: {
      export: false,
      junction: { parent: 'projects', target: 'users', count: (c) => c.rng.int(Math.min(3, c.count('users')), c.count('users')), first: (c) => [c.parent.lead_id - 1] },
      primaryKey: ['project_id', 'user_id'],
      columns: {
        project_id: { type: 'bigint', references: 'projects', gen: (c) => c.key('projects', c.parentIndex) },
        user_id: { type: 'bigint', references: 'users', gen: (c) => c.key('users', c.partner) },
        role: { type: { enum: ['lead', 'developer', 'qa', 'designer'] }, gen: (c) => (c.k === 0 ? 'lead' : c.rng.weighted({ developer: 0.6, qa: 0.25, designer: 0.15 })) },
        joined_at: { type: 'timestamptz', gen: (c) => at(c.parent.plan.created + c.k * MINUTE) },
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
          gen: (c) => c.key('workflow_statuses', c.groupStart('workflow_statuses', c.parent.project_id - 1) + c.k),
        },
        name: { type: 'text', gen: (c) => STATUSES[c.k]!.name },
        position: { type: 'smallint', gen: (c) => c.k + 1 },
        wip_limit: { type: 'smallint', nullable: true, gen: (c) => (c.parent.board_type === 'kanban' && (c.k === 1 || c.k === 2) ? c.rng.int(3, 6) : null) },
      },
    },
    sprints: {
      per: { parent: 'projects', count: (c) => c.parent.plan.sprints },
      uniques: [['project_id', 'sequence']],
      checks: ['start_date <= end_date'],
      columns: {
        id: { type: 'bigint' },
        project_id: { type: 'bigint', references: 'projects', gen: (c) => c.key('projects', c.parentIndex) },
        window: { type: jsonb<SprintWindow>(), virtual: true, gen: (c) => sprintWindow(c.parent.plan, c.k) },
        sequence: { type: 'smallint', gen: (c) => c.k + 1 },
        name: { type: 'text', gen: (c) => `${c.parent.key} Sprint ${c.k + 1}` },
        goal: { type: 'text', gen: (c) => c.text.say(GOALS, { feature: domainOf(c.parentIndex).features }) },
        state: { type: { enum: ['planned', 'active', 'completed'] }, gen: (c) => c.row.window.state },
        start_date: { type: 'date', gen: (c) => at(c.row.window.start) },
        end_date: { type: 'date', gen: (c) => at(c.row.window.last) },
        completed_at: {
          type: 'timestamptz',
          nullable: true,
          gen: (c) => { const w = c.row.window; return w.state === 'completed' ? at(w.last + c.rng.int(15, 18) * HOUR) : null; },
        },
        created_at: {
          type: 'timestamptz',
          gen: (c) => {
            const w = c.row.window;
            const created = c.parent.plan.created;
            return at(Math.min(REF_MS - HOUR, Math.max(created + HOUR, w.start - c.rng.int(1, 7) * DAY + c.rng.int(9, 17) * HOUR)));
          },
        },
      },
      embed: {
        text: (r) => `${r.name} (${r.state}, ${r.start_date.toISOString().slice(0, 10)} – ${r.end_date.toISOString().slice(0, 10)}): ${r.goal}`,
        metadata: (r) => ({ project_id: r.project_id, state: r.state }),
      },
    },
    issues: {
      per: { parent: 'projects', count: (c) => issueCount(c, c.parentIndex) },
      uniques: [['project_id', 'title']],
      checks: ['created_at <= updated_at', 'resolved_at IS NULL OR resolved_at >= created_at'],
      columns: {
        id: { type: 'bigint' },
        project_id: { type: 'bigint', references: 'projects', gen: (c) => c.key('projects', c.parentIndex) },
        salt: { type: 'bigint', virtual: true, gen: (c) => c.parent.salt },
        pos: { type: 'int', virtual: true, gen: (c) => c.k },
        // The project's plan, ordered by creation: key number k + 1 is chronological.
        plan: { type: jsonb<IssuePlan>(), virtual: true, gen: (c) => issuePlans(c, c.parentIndex)[c.k] },
        key: { type: 'varchar(20)', unique: true, gen: (c) => `${c.parent.key}-${c.k + 1}` },
        kind: { type: { enum: TYPES.map((t) => t.code) }, virtual: true, gen: (c) => c.row.plan.kind },
        state: { type: { enum: STATUSES.map((t) => t.code) }, virtual: true, gen: (c) => c.row.plan.state },
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
        sprint_id: {
          type: 'bigint',
          nullable: true,
          references: 'sprints',
          gen: (c) => { const s = c.row.plan.sprint; return s < 0 ? null : c.key('sprints', c.groupStart('sprints', c.parentIndex) + s); },
        },
        topic: { type: jsonb<Topic>(), virtual: true, gen: (c) => c.row.plan.topic },
        title: { type: 'text', gen: (c) => c.row.plan.title },
        description: { type: 'text', gen: (c) => issueDescription(c.rng, domainOf(c.parentIndex), c.row.kind, c.row.topic) },
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
        created_at: { type: 'timestamptz', gen: (c) => at(c.row.plan.created) },
        updated_at: { type: 'timestamptz', gen: (c) => at(c.row.plan.updated) },
        resolved_at: { type: 'timestamptz', nullable: true, gen: (c) => { const r = c.row.plan.resolved; return r === null ? null : at(r); } },
      },
      embed: {
        text: (r) => `${r.key}: ${r.title}. ${r.description}`,
        metadata: (r) => ({ key: r.key, project_id: r.project_id, priority: r.priority }),
      },
    },
    comments: {
      per: { parent: 'issues', count: (c) => (stratified(c.parent.salt, 3, c.parent.pos, COMMENT_SLOTS) ? c.rng.int(1, 5) : 0) },
      checks: ['created_at <= updated_at'],
      columns: {
        id: { type: 'bigint' },
        issue_id: { type: 'bigint', references: 'issues', gen: (c) => c.key('issues', c.parentIndex) },
        author_id: { type: 'bigint', references: 'users', gen: (c) => c.rng.pick(membersOf(c, c.parent.project_id - 1)) },
        // Written at a stage of the issue no later than its status, about the issue's own subject.
        body: {
          type: 'text',
          gen: (c) => {
            const kind = c.parent.kind;
            const stage = commentStage(c.parent.state, c.k, c.n);
            return c.text.say(COMMENTS, commentVars(kind, c.parent.topic), `s${stage}_${kind}`);
          },
        },
        // Spread over the issue's life in order, at least a minute after it was created.
        created_at: {
          type: 'timestamptz',
          gen: (c) => {
            const from = c.parent.created_at.getTime() + MINUTE;
            const span = Math.max(0, c.parent.updated_at.getTime() - from);
            return at(from + Math.floor((span * (c.k + c.rng.float())) / c.n));
          },
        },
        updated_at: { type: 'timestamptz', gen: (c) => (c.rng.chance(0.1) ? c.t.after(c.row.created_at, DAY) : c.row.created_at) },
      },
      embed: {
        text: (r) => r.body,
        metadata: (r) => ({ issue_id: r.issue_id, author_id: r.author_id }),
      },
    },
    issue_links: {
      per: { parent: 'issues', count: (c) => (stratified(c.parent.salt, 4, c.parent.pos, LINK_SLOTS) ? 1 : 0) },
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
            const project = c.parent.project_id - 1;
            const first = c.groupStart('issues', project);
            const n = c.groupStart('issues', project + 1) - first;
            const pos = c.parent.pos;
            const r = c.rng.int(0, n - 2);
            return first + (r >= pos ? r + 1 : r);
          },
        },
        target_issue_id: { type: 'bigint', references: 'issues', gen: (c) => c.key('issues', c.row.target) },
        link_type: { type: { enum: ['blocks', 'relates_to', 'duplicates', 'clones'] }, gen: (c) => c.rng.weighted({ blocks: 0.35, relates_to: 0.45, duplicates: 0.12, clones: 0.08 }) },
        created_by: { type: 'bigint', references: 'users', gen: (c) => c.rng.pick(membersOf(c, c.parent.project_id - 1)) },
        created_at: {
          type: 'timestamptz',
          gen: (c) => {
            const other = c.lookup('issues', c.row.target);
            const from = Math.max(c.parent.created_at.getTime(), other.created_at.getTime()) + MINUTE;
            return c.t.between(from, Math.max(from + MINUTE, REF_MS));
          },
        },
      },
      embed: {
        text: (r) => `Issue ${r.source_issue_id} ${String(r.link_type).replace('_', ' ')} issue ${r.target_issue_id}`,
        metadata: (r) => ({ source_issue_id: r.source_issue_id, target_issue_id: r.target_issue_id, link_type: r.link_type }),
      },
    },
  },
  checks: scrumChecks,
});
