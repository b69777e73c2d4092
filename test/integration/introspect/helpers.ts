/** Shared steps of the introspect integration tests: schemas from .sql files, introspect, load, validate. */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { withClient } from '../postgres/helpers.js';
import { buildRunInfo, loadDataset, makePlan, type RunOutcome } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import type { DatasetDef } from '../../../src/dataset/types.js';
import { introspect, type IntrospectResult } from '../../../src/introspect/index.js';
import { canLoadColumn, PostgresSink, validateDatabase, type ValidationReport } from '../../../stages/sinks/postgres/index.js';

export const FIXTURES = new URL('../../fixtures/schemas/', import.meta.url);
export const CHINOOK = '/work/shared/schemas/chinook.sql';

export function dbUrl(serverUrl: string, db: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${db}`;
  return u.toString();
}

export { withClient };

/** SQL of a schema file without psql meta-commands (lines starting with a backslash). */
export function schemaSql(path: string | URL): string {
  return readFileSync(path, 'utf8').split('\n').filter((l) => !/^\s*\\/.test(l)).join('\n');
}

/** A new database holding the schema of `sqlFile`; returns its URL. */
export async function databaseWith(serverUrl: string, db: string, sqlFile: string | URL): Promise<string> {
  await withClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${db}"`);
  });
  const url = dbUrl(serverUrl, db);
  await withClient(url, (c) => c.query(schemaSql(sqlFile)));
  return url;
}

/**
 * Introspects `url` into a new folder. By default columns are limited to what the Postgres sink
 * loads today (as the CLI does); `everyType` generates every column (arrays, inet, … as text
 * literals), for loads that do not go through that sink.
 */
export async function introspectInto(url: string, opts: { rows?: number; outDir?: string; schemas?: string[]; everyType?: boolean } = {}): Promise<IntrospectResult> {
  const outDir = opts.outDir ?? (await mkdtemp(join(tmpdir(), 'seedpipe-introspect-')));
  return withClient(url, (client) =>
    introspect({ client, outDir, source: 'test database', ...(opts.everyType ? {} : { canLoad: canLoadColumn }), ...(opts.rows ? { rows: opts.rows } : {}), ...(opts.schemas ? { schemas: opts.schemas } : {}) }),
  );
}

export interface Loaded {
  def: DatasetDef;
  outcome: RunOutcome;
  report: ValidationReport;
}

/** Loads the dataset in `dir` into the existing tables of `url` with the Postgres sink, then validates. */
export async function loadInto(dir: string, url: string): Promise<Loaded> {
  const { def } = await loadDataset(dir);
  const plan = makePlan(def);
  const outcome = await runPlan({ plan, run: buildRunInfo(plan), sinks: [new PostgresSink({ url, mode: 'replace', yes: true })] });
  const report = await validateDatabase({ url, plan, checks: def.checks ?? [] });
  return { def, outcome, report };
}

export async function tableCounts(url: string, tables: readonly string[]): Promise<Record<string, number>> {
  return withClient(url, async (c) => {
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = Number((await c.query(`SELECT count(*) AS n FROM "${t}"`)).rows[0].n);
    return out;
  });
}

/** Every column of every table is in the dataset, or the report says what happens to it instead. */
export function assertEveryColumnAccountedFor(r: IntrospectResult, def: DatasetDef): void {
  for (const t of r.catalog.tables) {
    const dt = def.tables[t.name];
    assert.ok(dt, `table ${t.name} is in the dataset`);
    for (const c of t.columns) {
      if (dt.columns[c.name] && !dt.columns[c.name]!.virtual) continue;
      const f = r.dataset.findings.find((x) => x.table === t.name && (x.column ?? '').split(', ').includes(c.name));
      assert.ok(f, `${t.name}.${c.name} is neither generated nor in the report`);
    }
  }
}

export function failedChecks(report: ValidationReport): string[] {
  return report.items.filter((i) => !i.ok).map((i) => `${i.name}: ${JSON.stringify(i)}`);
}
