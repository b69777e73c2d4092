/**
 * Unique indexes of the real schemas at realistic volumes. A partial unique index is kept by a gate
 * (only some rows may meet its predicate, with unique values), and a gate that another rule
 * overrides — the tenancy deciding a row's organization_id, a shape deciding a partner — breaks only
 * once tables hold many rows per tenant. So: introspect at --rows 2500 (1,000 where no gate is
 * involved), generate the tables that have a partial unique index or a unique key over a foreign key,
 * with every table they reference, COPY them into the real schema with every index built, then have Postgres confirm
 * each unique index is present, valid, and — by a query of its own — holds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunInfo, loadDataset, makePlan } from '../../../src/index.js';
import type { CatalogTable } from '../../../src/introspect/catalog-types.js';
import { runPlan } from '../../support/pipeline.js';
import { startTestEmbedded, type TestPostgres } from '../../support/postgres.js';
import { databaseWith, introspectInto } from './helpers.js';
import { copyLoad, fullCsvSink } from './copy-load.js';
import { duplicateKeys, indexStates, orphans, uniqueIndexes, withDb } from './verify-real.js';

interface Fixture {
  name: string;
  schema: string;
  /** `--rows`: 2,500 where a gate keeps a partial index (the volume that broke tenant gates), less where every unique holds by construction. */
  rows: number;
  /** Which tables are generated (with every table they reference): those with a partial unique index, with a unique key over a foreign key (1:1, junctions), or both. */
  tables: 'partial' | 'unique keys' | 'both';
  /** Partial unique indexes the fixture has at least (asserted, so the test keeps meaning it). */
  partial: number;
}

// Every real fixture with partial unique indexes or unique keys over foreign keys.
const FIXTURES: Fixture[] = [
  { name: 'lago', schema: 'public', rows: 2500, tables: 'partial', partial: 70 },
  { name: 'danbooru', schema: 'public', rows: 2500, tables: 'partial', partial: 4 },
  { name: 'musicbrainz', schema: 'musicbrainz', rows: 1000, tables: 'partial', partial: 15 },
  { name: 'hoppscotch', schema: 'public', rows: 2500, tables: 'unique keys', partial: 0 },
  { name: 'openstreetmap', schema: 'public', rows: 1000, tables: 'unique keys', partial: 0 },
  { name: 'pagila', schema: 'public', rows: 1000, tables: 'unique keys', partial: 0 },
];

/** The tables of `pick` and every table they reference, transitively. */
function withParents(tables: readonly CatalogTable[], pick: (t: CatalogTable) => boolean): Set<string> {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const out = new Set<string>();
  const stack = tables.filter(pick).map((t) => t.name);
  while (stack.length) {
    const t = stack.pop()!;
    if (out.has(t)) continue;
    out.add(t);
    for (const f of byName.get(t)?.foreignKeys ?? []) if (byName.has(f.refTable)) stack.push(f.refTable);
  }
  return out;
}

describe('unique indexes of the real schemas at volume on PostgreSQL 18 (embedded)', () => {
  let pg: TestPostgres;
  before(async () => {
    pg = await startTestEmbedded();
  });
  after(async () => {
    await pg?.stop();
  });

  for (const fx of FIXTURES) {
    test(`${fx.name}: every unique index, partial or not, present, valid and held`, async (t) => {
      const url = await databaseWith(pg.url, `uniq_${fx.name}`, new URL(`../../fixtures/schemas/real/${fx.name}/schema.sql`, import.meta.url));
      const indexesBefore = await withDb(url, (c) => uniqueIndexes(c, [fx.schema]));
      assert.ok(indexesBefore.filter((x) => x.pred).length >= fx.partial, `${fx.name} has partial unique indexes`);
      const r = await introspectInto(url, { rows: fx.rows, schemas: [fx.schema], everyType: true });
      assert.deepEqual(r.dataset.findings.filter((f) => f.severity === 'error'), []);

      const partial = (x: CatalogTable): boolean => x.uniques.some((u) => u.predicate !== null);
      const uniqueFk = (x: CatalogTable): boolean => x.uniques.some((u) => u.predicate === null && x.foreignKeys.some((f) => f.columns.every((c) => u.columns.includes(c))));
      const chosen = withParents(r.catalog.tables, (x) => (fx.tables !== 'unique keys' && partial(x)) || (fx.tables !== 'partial' && uniqueFk(x)));
      assert.ok(chosen.size > 0);
      const { def } = await loadDataset(r.files.dataset);
      const keys = new Map(r.dataset.tables.map((x) => [x.sqlName, x.table]));
      const plan = makePlan(def, { only: [...chosen].map((x) => keys.get(x)!).filter(Boolean) });
      const sink = await fullCsvSink();
      const t0 = Date.now();
      const outcome = await runPlan({ plan, run: buildRunInfo(plan), sinks: [sink] });
      const generated = outcome.tables.reduce((a, x) => a + x.rows, 0);
      t.diagnostic(`${fx.name}: ${plan.tables.length} tables, ${generated} rows`);
      // Postgres checks every unique index (and key and check) row by row as it loads; foreign keys
      // are set aside for speed (this file is about uniques) and checked by anti-joins afterwards.
      const t1 = Date.now();
      await copyLoad(url, plan, sink, { setAsideForeignKeys: true });
      t.diagnostic(`generated in ${((t1 - t0) / 1000).toFixed(1)} s, loaded in ${((Date.now() - t1) / 1000).toFixed(1)} s`);

      await withDb(url, async (c) => {
        const now = await uniqueIndexes(c, [fx.schema]);
        assert.deepEqual(now.map((x) => x.name), indexesBefore.map((x) => x.name), 'the same unique indexes as before the load');
        assert.deepEqual((await indexStates(c, [fx.schema])).invalid, [], 'every index valid');
        const loaded = now.filter((x) => chosen.has(x.table));
        assert.ok(loaded.filter((x) => x.pred).length >= fx.partial, 'the partial indexes are among the loaded tables');
        assert.deepEqual(await duplicateKeys(c, loaded), [], 'no key twice among the rows an index covers');
        assert.deepEqual(await orphans(c, [fx.schema]), []);
      });
      // The bug this file is for: a tenant-column gate meets its predicate once per tenant at most.
      if (fx.name === 'lago') {
        const gate = r.dataset.findings.find((f) => f.problem.includes('index_unique_applied_to_organization_per_organization'));
        assert.match(gate?.chosen ?? '', /in each tenant, only its first row may meet the predicate/);
        const held = await withDb(url, async (c) => (await c.query(`SELECT count(*) AS n, count(DISTINCT organization_id) AS orgs FROM dunning_campaigns WHERE applied_to_organization AND deleted_at IS NULL`)).rows[0]);
        assert.ok(Number(held.n) > 1 && Number(held.n) === Number(held.orgs), `${held.n} campaigns applied to their organization, in ${held.orgs} organizations`);
      }
    });
  }
});
