/**
 * A schema of 1,000 tables and 2,997 foreign keys on PostgreSQL 15 with its default settings
 * (max_locks_per_transaction 64): setting every constraint aside would need more locks than the
 * server has, so the sink picks a level that fits before it changes anything; the load completes
 * and every constraint is present and valid afterwards.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makePlan, type DatasetDef } from '../../../src/index.js';
import { PostgresSink } from '../../../stages/sinks/postgres/index.js';
import { renderCreateTables, renderForeignKeys } from '../../../stages/sinks/postgres/ddl.js';
import { runPlan } from '../../support/pipeline.js';
import { startTestPg15, type TestPostgres } from '../../support/postgres.js';
import { freshDatabase, runInfo, withClient } from './helpers.js';

const TABLES = 1_000;
const name = (i: number): string => `t${String(i).padStart(4, '0')}`;

function wide(): DatasetDef {
  const tables: DatasetDef['tables'] = {};
  for (let i = 0; i < TABLES; i++) {
    const columns: DatasetDef['tables'][string]['columns'] = { id: { type: 'bigint' } };
    // Up to three foreign keys to earlier tables (each parent has 3 rows with ids 1–3).
    for (const k of [1, 2, 3]) if (i - k * 7 >= 0) columns[`ref${k}_id`] = { type: 'bigint', references: name(i - k * 7), gen: (c) => (c.i % 3) + 1 };
    tables[name(i)] = { rows: 3, columns };
  }
  return { name: 'wide', seed: 1, refDate: '2025-01-01T00:00:00Z', tables } as DatasetDef;
}

let pg: TestPostgres;
before(async () => {
  pg = await startTestPg15();
});
after(async () => {
  await pg?.stop();
});

test('1,000 tables and ~3,000 foreign keys load on a default server; every constraint present and valid', async () => {
  const url = await freshDatabase(pg.url, 'wide');
  const plan = makePlan(wide(), {});
  const fks = plan.tables.reduce((n, t) => n + t.info.foreignKeys.length, 0);
  assert.ok(fks >= 2_900, `${fks} foreign keys`);
  const infos = plan.tables.map((t) => t.info);
  const ddl = [...renderCreateTables(infos), ...renderForeignKeys(infos)];
  await withClient(url, async (c) => {
    assert.equal((await c.query('SHOW max_locks_per_transaction')).rows[0].max_locks_per_transaction, '64');
    for (let i = 0; i < ddl.length; i += 100) await c.query(ddl.slice(i, i + 100).join('\n'));
  });
  const before = await withClient(url, async (c) => Number((await c.query(`SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace`)).rows[0].count));
  const lines: string[] = [];
  await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, yes: true, log: (l) => lines.push(l) })] });
  // Decided before anything changed, and said: fewer constraints set aside than on a small schema.
  assert.ok(lines.some((l) => /locks needed; the server's lock table holds about [\d,]+: keys.* stay in place during the load/.test(l)), lines.join('\n'));
  await withClient(url, async (c) => {
    assert.ok(before >= TABLES + fks, `${before} constraints before the load`);
    const r = (await c.query(`SELECT count(*) AS n, count(*) FILTER (WHERE NOT convalidated) AS invalid FROM pg_constraint WHERE connamespace = 'public'::regnamespace`)).rows[0];
    assert.equal(Number(r.n), before, 'the same constraints as before the load');
    assert.equal(Number(r.invalid), 0);
    const rows = Number((await c.query(`SELECT sum(n_live_tup) AS n FROM pg_stat_user_tables`)).rows[0].n);
    assert.ok(rows > 0);
    const last = (await c.query(`SELECT count(*)::int AS n FROM ${name(TABLES - 1)}`)).rows[0] as { n: number };
    assert.equal(last.n, 3);
    const orphans = (await c.query(`SELECT count(*)::int AS n FROM ${name(TABLES - 1)} c LEFT JOIN ${name(TABLES - 8)} p ON p.id = c.ref1_id WHERE p.id IS NULL`)).rows[0].n;
    assert.equal(orphans, 0);
  });
});
