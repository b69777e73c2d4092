/**
 * The scrum dataset at its light profile, loaded into a throwaway embedded PostgreSQL with table
 * creation and, in the same pass, exported to CSV: `validate` passes (keys, counts, uniques and
 * every business rule), the owner can log in, the export holds exactly the public tables, and a
 * broken rule is caught.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildRunInfo, loadDataset, makePlan, type DatasetDef, type Plan } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import { CsvSink } from '../../../stages/sinks/csv/index.js';
import { PostgresSink, formatValidationTable, validateDatabase } from '../../../stages/sinks/postgres/index.js';
import { sqlRows, startTestEmbedded, type TestPostgres } from '../../support/postgres.js';

const EXPORT_FILES = ['comments.csv', 'issue_links.csv', 'issues.csv', 'metadata.csv', 'organizations.csv', 'projects.csv', 'sprints.csv', 'users.csv', 'workspaces.csv'];

let server: TestPostgres;
let def: DatasetDef;
let plan: Plan;
let dir: string;

function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  return sqlRows<T>(server.url, sql);
}

before(async () => {
  server = await startTestEmbedded();
  def = (await loadDataset('scrum')).def;
  plan = makePlan(def, { profile: 'light' });
  dir = await mkdtemp(join(tmpdir(), 'seedpipe-scrum-export-'));
  await runPlan({ plan, run: buildRunInfo(plan), sinks: [new PostgresSink({ url: server.url, createTables: true, yes: true }), new CsvSink({ dir })] });
});

after(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('scrum dataset in PostgreSQL (light)', () => {
  test('validate passes: foreign keys, row counts, uniques and every dataset check', async () => {
    const report = await validateDatabase({ url: server.url, plan, checks: def.checks ?? [] });
    assert.equal(report.ok, true, formatValidationTable(report));
    assert.equal(report.items.filter((i) => i.kind === 'check').length, def.checks!.length);
    assert.equal(report.items.filter((i) => i.kind === 'rows').length, plan.tables.length);
  });

  test('the owner logs in with Pass123 (hash read back from the database)', async () => {
    const [row] = await query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE email = 'owner@example.com'`);
    const [, algorithm, iterations, salt, hash] = /^(pbkdf2_sha256)\$(\d+)\$([^$]+)\$(.+)$/.exec(row!.password_hash) ?? [];
    assert.equal(algorithm, 'pbkdf2_sha256');
    const expected = Buffer.from(hash!, 'base64');
    assert.ok(timingSafeEqual(pbkdf2Sync('Pass123', salt!, Number(iterations), expected.length, 'sha256'), expected));
  });

  test('the CSV export holds exactly the nine files, and no password', async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.csv')).sort();
    assert.deepEqual(files, EXPORT_FILES);
    assert.deepEqual((await readdir(dir)).filter((f) => !f.endsWith('.csv')), ['manifest.json']);
    const users = await readFile(join(dir, 'users.csv'), 'utf8');
    assert.doesNotMatch(users, /password|pbkdf2/);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { files: { table: string }[] };
    assert.deepEqual(manifest.files.map((f) => f.table).sort(), EXPORT_FILES.filter((f) => f !== 'metadata.csv').map((f) => f.replace('.csv', '')));
  });

  test('a broken rule is reported: overlapping sprints and an issue in another project\'s sprint', async () => {
    const [a] = await query<{ id: string }>(`SELECT id FROM sprints WHERE sequence = 2 AND state = 'completed' ORDER BY id LIMIT 1`);
    // An unresolved issue of a current sprint, moved to the current sprint of another project.
    const [issue] = await query<{ id: string; sprint_id: string; project_id: string }>(
      `SELECT i.id, i.sprint_id, i.project_id FROM issues i JOIN sprints s ON s.id = i.sprint_id WHERE s.state = 'active' AND i.resolved_at IS NULL ORDER BY i.id LIMIT 1`);
    const [other] = await query<{ id: string }>(`SELECT id FROM sprints WHERE state = 'active' AND project_id <> ${issue!.project_id} ORDER BY id LIMIT 1`);
    await query(`UPDATE sprints SET start_date = start_date - 3 WHERE id = ${a!.id}`);
    await query(`UPDATE issues SET sprint_id = ${other!.id} WHERE id = ${issue!.id}`);
    try {
      const report = await validateDatabase({ url: server.url, plan, checks: def.checks ?? [] });
      const failed = report.items.filter((i) => !i.ok).map((i) => i.name).sort();
      assert.deepEqual(failed, ['issue_sprint_of_same_project', 'sprints_consecutive', 'sprints_do_not_overlap']);
    } finally {
      await query(`UPDATE sprints SET start_date = start_date + 3 WHERE id = ${a!.id}`);
      await query(`UPDATE issues SET sprint_id = ${issue!.sprint_id} WHERE id = ${issue!.id}`);
    }
  });
});
