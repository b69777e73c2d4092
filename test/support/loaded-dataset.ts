/**
 * A built-in dataset loaded into a throwaway embedded PostgreSQL with table creation, for the
 * dataset integration tests: registers `before`/`after` hooks and exposes the server, the dataset,
 * its plan, a query helper and the names of failing dataset checks.
 */
import { after, before } from 'node:test';
import pg from 'pg';
import { buildRunInfo, loadDataset, makePlan, type DatasetDef, type Plan, type Sink } from '../../src/index.js';
import { runPlan } from './pipeline.js';
import { PostgresSink, validateDatabase } from '../../stages/sinks/postgres/index.js';
import { startTestEmbedded, type TestPostgres } from './postgres.js';

export interface LoadedDataset {
  readonly server: TestPostgres;
  readonly def: DatasetDef;
  readonly plan: Plan;
  query<T extends pg.QueryResultRow>(sql: string): Promise<T[]>;
  /** Names of the dataset checks that fail on the database as it is now. */
  failedChecks(): Promise<string[]>;
}

export function useLoadedDataset(name: string, opts: { profile?: string; extraSinks?: () => Promise<Sink[]> | Sink[] } = {}): LoadedDataset {
  const state: { server?: TestPostgres; def?: DatasetDef; plan?: Plan } = {};
  const loaded: LoadedDataset = {
    get server() {
      return state.server!;
    },
    get def() {
      return state.def!;
    },
    get plan() {
      return state.plan!;
    },
    async query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
      const c = new pg.Client({ connectionString: state.server!.url });
      await c.connect();
      try {
        return (await c.query<T>(sql)).rows;
      } finally {
        await c.end();
      }
    },
    async failedChecks(): Promise<string[]> {
      const report = await validateDatabase({ url: state.server!.url, plan: state.plan!, checks: state.def!.checks ?? [] });
      return report.items.filter((i) => i.kind === 'check' && !i.ok).map((i) => i.name);
    },
  };
  before(async () => {
    state.server = await startTestEmbedded();
    state.def = (await loadDataset(name)).def;
    state.plan = makePlan(state.def, { profile: opts.profile ?? 'light' });
    const extra = opts.extraSinks ? await opts.extraSinks() : [];
    await runPlan({ plan: state.plan, run: buildRunInfo(state.plan), sinks: [new PostgresSink({ url: state.server.url, createTables: true, yes: true }), ...extra] });
  });
  after(async () => {
    await state.server?.stop();
  });
  return loaded;
}
