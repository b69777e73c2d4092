/**
 * The scrum dataset at its light profile: the plan, then one CSV run read back with csv-parse:
 * the issue type and status mixes, comments and links shares, sprint timelines, and the users'
 * password hashes verified with node:crypto.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { buildRunInfo, loadDataset, makePlan, type DatasetDef, type Plan } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import { World } from '../../../src/generate/world.js';
import { CsvSink } from '../../../stages/sinks/csv/index.js';

type Rec = Record<string, string>;

const REF = '2025-06-25';
const EXPORTED = ['organizations', 'workspaces', 'users', 'projects', 'sprints', 'issues', 'comments', 'issue_links'];
const INTERNAL = ['organization_members', 'project_members', 'issue_types', 'workflow_statuses', 'workflow_transitions', 'project_configurations', 'boards', 'board_columns'];

let def: DatasetDef;
let plan: Plan;
let world: World;
let dir: string;
const csv: Record<string, Rec[]> = {};

const share = (n: number, total: number): number => n / total;
const near = (actual: number, expected: number, tolerance: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${(actual * 100).toFixed(1)}% (expected ${(expected * 100).toFixed(0)}% ± ${(tolerance * 100).toFixed(0)})`);

before(async () => {
  def = (await loadDataset('scrum')).def;
  plan = makePlan(def, { profile: 'light' });
  world = new World(plan.resolved);
  dir = await mkdtemp(join(tmpdir(), 'seedpipe-scrum-'));
  await runPlan({ plan, run: buildRunInfo(plan), sinks: [new CsvSink({ dir })] });
  for (const t of EXPORTED) csv[t] = parse(await readFile(join(dir, `${t}.csv`)), { columns: true }) as Rec[];
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Name of the workflow status / issue type behind an id (internal tables, recomputed). */
const statusName = (id: string): string => world.table('workflow_statuses').rowAt(Number(id) - 1).name as string;
const typeName = (id: string): string => world.table('issue_types').rowAt(Number(id) - 1).name as string;

describe('scrum plan (light)', () => {
  test('has the expected tables and counts', () => {
    const total = Object.fromEntries(plan.tables.map((t) => [t.name, t.total]));
    assert.deepEqual(Object.keys(total).sort(), [...EXPORTED, ...INTERNAL].sort());
    assert.equal(total.users, 6);
    assert.equal(total.organizations, 1);
    assert.equal(total.workspaces, 1);
    assert.equal(total.organization_members, 6);
    assert.equal(total.projects, 10);
    assert.equal(total.issue_types, 60);
    assert.equal(total.workflow_statuses, 40);
    assert.equal(total.workflow_transitions, 60);
    assert.equal(total.project_configurations, 10);
    assert.equal(total.boards, 10);
    assert.equal(total.board_columns, 40);
    assert.equal(total.issues, 600);
  });

  test('file exports carry exactly the eight public tables', () => {
    assert.deepEqual(plan.tables.filter((t) => t.info.exported).map((t) => t.name).sort(), [...EXPORTED].sort());
    const users = plan.tables.find((t) => t.name === 'users')!.info;
    assert.equal(users.columns.find((c) => c.name === 'password_hash')!.exported, false);
  });

  test('every profile keeps 10–20 projects and 500–1000 issues', () => {
    for (const profile of ['light', 'medium', 'heavy']) {
      const p = makePlan(def, { profile });
      const n = (t: string): number => p.tables.find((x) => x.name === t)!.total;
      assert.ok(n('projects') >= 10 && n('projects') <= 20, `${profile}: ${n('projects')} projects`);
      assert.ok(n('issues') >= 500 && n('issues') <= 1000, `${profile}: ${n('issues')} issues`);
    }
  });
});

describe('scrum data (light)', () => {
  test('users: the owner and five members; the CSV has no password column', () => {
    const users = csv.users!;
    assert.equal(users.length, 6);
    assert.equal(users[0]!.email, 'owner@example.com');
    assert.ok(!('password_hash' in users[0]!));
  });

  test('every password hash verifies Pass123 with node:crypto (Django pbkdf2_sha256 format)', () => {
    const users = world.table('users');
    for (let i = 0; i < 6; i++) {
      const encoded = users.rowAt(i).password_hash as string;
      const m = /^pbkdf2_sha256\$(\d+)\$([A-Za-z0-9]+)\$([A-Za-z0-9+/]+=*)$/.exec(encoded);
      assert.ok(m, encoded);
      const [, iterations, salt, hash] = m;
      assert.ok(Number(iterations) >= 100_000);
      const expected = Buffer.from(hash!, 'base64');
      assert.equal(expected.length, 32);
      assert.ok(timingSafeEqual(pbkdf2Sync('Pass123', salt!, Number(iterations), 32, 'sha256'), expected), `user ${i + 1}`);
      assert.ok(!timingSafeEqual(pbkdf2Sync('pass123', salt!, Number(iterations), 32, 'sha256'), expected));
    }
    const salts = new Set(Array.from({ length: 6 }, (_, i) => (users.rowAt(i).password_hash as string).split('$')[2]));
    assert.equal(salts.size, 6, 'each user has its own salt');
  });

  test('projects: unique keys like HEAL1, both methodologies, every status', () => {
    const projects = csv.projects!;
    assert.equal(new Set(projects.map((p) => p.key)).size, projects.length);
    for (const p of projects) assert.match(p.key!, /^[A-Z]+[0-9]+$/);
    assert.deepEqual(new Set(projects.map((p) => p.methodology)), new Set(['scrum', 'kanban']));
    assert.deepEqual(new Set(projects.map((p) => p.status)), new Set(['planning', 'active', 'completed']));
    assert.ok(new Set(projects.map((p) => p.domain)).size >= 6);
  });

  test('issue type mix: 50% story, 25% task, 15% bug, 10% epic/improvement', () => {
    const issues = csv.issues!;
    const by = new Map<string, number>();
    for (const i of issues) by.set(typeName(i.issue_type_id!), (by.get(typeName(i.issue_type_id!)) ?? 0) + 1);
    const n = issues.length;
    near(share(by.get('Story') ?? 0, n), 0.5, 0.03, 'stories');
    near(share(by.get('Task') ?? 0, n), 0.25, 0.03, 'tasks');
    near(share(by.get('Bug') ?? 0, n), 0.15, 0.03, 'bugs');
    near(share((by.get('Epic') ?? 0) + (by.get('Improvement') ?? 0), n), 0.1, 0.02, 'epics and improvements');
  });

  test('status mix follows the project status', () => {
    const status = new Map(csv.projects!.map((p) => [p.id!, p.status!]));
    const count = (projectStatus: string): Map<string, number> => {
      const m = new Map<string, number>();
      for (const i of csv.issues!) if (status.get(i.project_id!) === projectStatus) m.set(statusName(i.status_id!), (m.get(statusName(i.status_id!)) ?? 0) + 1);
      return m;
    };
    const active = count('active');
    const n = [...active.values()].reduce((a, b) => a + b, 0);
    near(share(active.get('To Do') ?? 0, n), 0.2, 0.04, 'active: to do');
    near(share(active.get('In Progress') ?? 0, n), 0.4, 0.04, 'active: in progress');
    near(share(active.get('In Review') ?? 0, n), 0.3, 0.04, 'active: in review');
    near(share(active.get('Done') ?? 0, n), 0.1, 0.04, 'active: done');
    const completed = count('completed');
    assert.deepEqual([...completed.keys()], ['Done']);
    const planning = count('planning');
    const p = [...planning.values()].reduce((a, b) => a + b, 0);
    assert.ok(share(planning.get('To Do') ?? 0, p) >= 0.8, 'planning projects are mostly to do');
    for (const i of csv.issues!) assert.equal(i.resolved_at !== '', statusName(i.status_id!) === 'Done', `issue ${i.key}: resolved iff done`);
  });

  test('issues: timestamps ordered, history 3–6 months back and concentrated in recent weeks', () => {
    const ref = Date.parse(`${REF}T00:00:00Z`);
    const ages: number[] = [];
    for (const i of csv.issues!) {
      const created = Date.parse(i.created_at!);
      assert.ok(created <= Date.parse(i.updated_at!), `issue ${i.key}: created ≤ updated`);
      assert.ok(Date.parse(i.updated_at!) <= ref);
      ages.push((ref - created) / 86_400_000);
    }
    ages.sort((a, b) => a - b);
    const oldest = ages[ages.length - 1]!;
    assert.ok(oldest >= 90 && oldest <= 183, `oldest issue ${oldest.toFixed(0)} days`);
    // Four weeks are 15% of six months; recent-skewed creation puts far more issues there.
    const recent = ages.filter((a) => a < 28).length / ages.length;
    assert.ok(recent >= 0.3, `${(recent * 100).toFixed(0)}% of issues created in the last four weeks`);
  });

  test('sprints: 3–8 per scrum project, none for kanban, consecutive, states from the timeline', () => {
    const byProject = new Map<string, Rec[]>();
    for (const s of csv.sprints!) byProject.set(s.project_id!, [...(byProject.get(s.project_id!) ?? []), s]);
    for (const p of csv.projects!) {
      const sprints = (byProject.get(p.id!) ?? []).sort((a, b) => Number(a.sequence) - Number(b.sequence));
      if (p.methodology === 'kanban') {
        assert.equal(sprints.length, 0, `${p.key}: kanban has no sprints`);
        continue;
      }
      assert.ok(sprints.length >= 3 && sprints.length <= 8, `${p.key}: ${sprints.length} sprints`);
      for (let j = 0; j < sprints.length; j++) {
        const s = sprints[j]!;
        const want = s.end_date! < REF ? 'completed' : s.start_date! > REF ? 'planned' : 'active';
        assert.equal(s.state, want, `${s.name}`);
        if (j > 0) assert.equal(Date.parse(s.start_date!) - Date.parse(sprints[j - 1]!.end_date!), 86_400_000, `${s.name} starts the day after the previous one ends`);
      }
      const active = sprints.filter((s) => s.state === 'active').length;
      assert.equal(active, p.status === 'active' ? 1 : 0, `${p.key} (${p.status}) active sprints`);
    }
  });

  test('issues sit in sprints of their own project; kanban issues in none', () => {
    const sprintProject = new Map(csv.sprints!.map((s) => [s.id!, s.project_id!]));
    const methodology = new Map(csv.projects!.map((p) => [p.id!, p.methodology!]));
    let inSprint = 0;
    for (const i of csv.issues!) {
      if (methodology.get(i.project_id!) === 'kanban') assert.equal(i.sprint_id, '', `${i.key}`);
      if (i.sprint_id) {
        inSprint++;
        assert.equal(sprintProject.get(i.sprint_id), i.project_id, `${i.key}: sprint of its project`);
      }
    }
    assert.ok(inSprint > csv.issues!.length / 3);
  });

  test('comments on 60% of issues (1–5 each, after the issue); links on 10%, never to itself', () => {
    const issues = new Map(csv.issues!.map((i) => [i.id!, i]));
    const perIssue = new Map<string, number>();
    for (const c of csv.comments!) {
      perIssue.set(c.issue_id!, (perIssue.get(c.issue_id!) ?? 0) + 1);
      assert.ok(Date.parse(c.created_at!) > Date.parse(issues.get(c.issue_id!)!.created_at!));
    }
    near(share(perIssue.size, issues.size), 0.6, 0.03, 'issues with comments');
    assert.ok([...perIssue.values()].every((n) => n >= 1 && n <= 5));
    const linked = new Set(csv.issue_links!.map((l) => l.source_issue_id));
    near(share(linked.size, issues.size), 0.1, 0.02, 'issues with links');
    for (const l of csv.issue_links!) {
      assert.notEqual(l.source_issue_id, l.target_issue_id);
      assert.equal(issues.get(l.source_issue_id!)!.project_id, issues.get(l.target_issue_id!)!.project_id);
    }
  });

  test('titles fit the project domain', () => {
    const domain = new Map(csv.projects!.map((p) => [p.id!, p.domain!]));
    const healthcare = csv.issues!.filter((i) => domain.get(i.project_id!) === 'healthcare').map((i) => i.title).join(' ');
    assert.match(healthcare, /patient|lab results|prescription|insurance|HIPAA|visit/i);
    assert.doesNotMatch(healthcare, /shipment|checkout|ledger/i);
  });

  test('issue keys are chronological per project and titles distinct, with the right article', () => {
    const byProject = new Map<string, Rec[]>();
    for (const i of csv.issues!) byProject.set(i.project_id!, [...(byProject.get(i.project_id!) ?? []), i]);
    for (const [project, issues] of byProject) {
      issues.sort((a, b) => Number(a.key!.split('-')[1]) - Number(b.key!.split('-')[1]));
      for (let j = 1; j < issues.length; j++) assert.ok(issues[j]!.created_at! >= issues[j - 1]!.created_at!, `${issues[j]!.key} created after ${issues[j - 1]!.key}`);
      assert.equal(new Set(issues.map((i) => i.title)).size, issues.length, `project ${project}: every title distinct`);
    }
    for (const i of csv.issues!) assert.doesNotMatch(i.title!, /^As a [aeio]|^As an [^aeiou]/i, i.title);
    assert.ok(csv.issues!.some((i) => i.title!.startsWith('As an ')), 'stories for accountants, administrators … use "an"');
  });

  test("comments follow their issue: its own subject, and nothing deployed or reviewed before its status says so", () => {
    const issues = new Map(csv.issues!.map((i) => [i.id!, i]));
    let checked = 0;
    for (const c of csv.comments!) {
      const issue = issues.get(c.issue_id!)!;
      const status = statusName(issue.status_id!);
      const kind = typeName(issue.issue_type_id!);
      if (status !== 'Done') assert.doesNotMatch(c.body!, /deployed|released|verified in production|closing|accepted by|shipped/i, `${issue.key} (${status}): ${c.body}`);
      if (status === 'To Do') assert.doesNotMatch(c.body!, /PR is up|review comments|QA is|started on|root cause/i, `${issue.key} (To Do): ${c.body}`);
      // A comment that names a feature names its issue's own (stories speak of their persona and goal).
      const feature = / the ([a-z0-9 '-]+?)(?: is| yet|;|,| since| on| works|\.| behind| before| after| are| from)/i.exec(c.body!)?.[1];
      if (kind !== 'Story' && feature && issue.title!.toLowerCase().includes(feature.toLowerCase())) checked++;
      if (kind === 'Story') assert.doesNotMatch(c.body!, /\bthe (appointment|checkout|ledger|gradebook|route|flight|video|meter)\b/i, `${issue.key}: ${c.body}`);
    }
    assert.ok(checked > csv.comments!.length * 0.2, `${checked} comments name their issue's feature`);
  });

  test('every exported entity declares embedding text (the document syncs all of them)', () => {
    const embedded = Object.entries(def.tables).filter(([, t]) => t.embed).map(([name]) => name).sort();
    assert.deepEqual(embedded, [...EXPORTED].sort());
    for (const t of EXPORTED) {
      const text = def.tables[t]!.embed!.text(world.table(t).rowAt(0));
      assert.ok(text.length > 10 && !text.includes('undefined'), `${t}: ${text}`);
    }
  });

  test('known logins are a parameter; more than the users table holds is a clear error', () => {
    const custom = makePlan(def, { profile: 'light', set: ['logins=Ana Silva <ana@acme.test>, ops@acme.test', 'loginPassword=S3cret!'] });
    const users = new World(custom.resolved).table('users');
    assert.deepEqual([0, 1, 2].map((i) => users.rowAt(i).email), ['ana@acme.test', 'ops@acme.test', 'member3@example.com']);
    const m = /^pbkdf2_sha256\$(\d+)\$([A-Za-z0-9]+)\$(.+)$/.exec(users.rowAt(0).password_hash as string)!;
    assert.ok(timingSafeEqual(pbkdf2Sync('S3cret!', m[2]!, Number(m[1]), 32, 'sha256'), Buffer.from(m[3]!, 'base64')));
    const seven = Array.from({ length: 7 }, (_, j) => `u${j}@example.com`).join(',');
    assert.throws(() => new World(makePlan(def, { profile: 'light', set: [`logins=${seven}`] }).resolved).table('users').rowAt(0).email, /lists 7 accounts but users has 6 rows; add --set users.rows=7/);
  });
});
