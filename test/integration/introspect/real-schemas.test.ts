/**
 * Real open-source schemas (test/fixtures/schemas/real/*, each with its SOURCE.md), on PostgreSQL 18
 * (embedded) and 15 (system): load the schema into a fresh database, introspect it with zero edits
 * to the written files, generate at a small scale, and load the rows with plain COPY into the real
 * tables with every constraint in place — so Postgres itself checks each CHECK, unique, partial
 * unique and foreign key. Then, independently of the generator: every constraint still valid, no
 * orphan, every table filled (bookkeeping tables untouched), ordered pairs in order, references
 * within one tenant, coordinates in range, and every column with a sequence default declares it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunInfo, loadDataset, makePlan, type ColumnInfo, type TableInfo } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import { startTestEmbedded, startTestPg15, type TestPostgres } from '../../support/postgres.js';
import { databaseWith, introspectInto } from './helpers.js';
import { copyLoad, fullCsvSink } from './copy-load.js';
import { badCoordinates, countOf, emptyTables, invalidConstraints, orphans, tenantMismatches, unorderedPairs, withDb } from './verify-real.js';

interface Fixture {
  name: string;
  schemas: string[];
  /** `--rows` for introspect (the 371-table schema runs at a tiny scale). */
  rows: number;
  /** The schema's tenant table (dataset key, and as Postgres prints it): references must stay within one tenant row. */
  tenant?: [string, string];
  /** Framework bookkeeping tables it has. */
  bookkeeping: string[];
  /** Kinds of constraints the fixture is here for (asserted present, so the test keeps meaning it). */
  expect: { partitions?: boolean; checks?: number; tables?: number };
}

const FIXTURES: Fixture[] = [
  { name: 'lago', schemas: ['public'], rows: 20, tenant: ['organizations', 'organizations'], bookkeeping: ['schema_migrations', 'ar_internal_metadata'], expect: { partitions: true, checks: 25, tables: 130 } },
  { name: 'openstreetmap', schemas: ['public'], rows: 30, bookkeeping: ['schema_migrations', 'ar_internal_metadata'], expect: { tables: 50 } },
  { name: 'pagila', schemas: ['public'], rows: 40, bookkeeping: [], expect: { partitions: true, tables: 15 } },
  { name: 'musicbrainz', schemas: ['musicbrainz'], rows: 4, bookkeeping: [], expect: { checks: 600, tables: 300 } },
  { name: 'hoppscotch', schemas: ['public'], rows: 30, tenant: ['team', '"Team"'], bookkeeping: [], expect: { tables: 20 } },
  { name: 'danbooru', schemas: ['public'], rows: 30, bookkeeping: ['schema_migrations', 'ar_internal_metadata'], expect: { tables: 60 } },
];

const SERVERS: { name: string; start: () => Promise<TestPostgres> }[] = [
  { name: 'PostgreSQL 18 (embedded)', start: startTestEmbedded },
  { name: 'PostgreSQL 15 (system)', start: startTestPg15 },
];

for (const server of SERVERS) {
  describe(`real schemas on ${server.name}`, () => {
    let pg: TestPostgres;
    before(async () => {
      pg = await server.start();
    });
    after(async () => {
      await pg?.stop();
    });

    for (const fx of FIXTURES) {
      test(`${fx.name}: introspected with zero edits, every constraint held by Postgres, plausible`, async (t) => {
        const url = await databaseWith(pg.url, `real_${fx.name}`, new URL(`../../fixtures/schemas/real/${fx.name}/schema.sql`, import.meta.url));
        const before = await withDb(url, async (c) => ({
          invalid: await invalidConstraints(c, fx.schemas),
          bookkeeping: Object.fromEntries(await Promise.all(fx.bookkeeping.map(async (b) => [b, await countOf(c, `${fx.schemas[0]}.${b}`)] as const))),
        }));
        const r = await introspectInto(url, { rows: fx.rows, schemas: fx.schemas, everyType: true });
        if (fx.expect.tables) assert.ok(r.catalog.tables.length >= fx.expect.tables, `${r.catalog.tables.length} tables`);
        if (fx.expect.checks) assert.ok(r.catalog.tables.reduce((a, x) => a + x.checks.length, 0) >= fx.expect.checks);
        if (fx.expect.partitions) assert.ok(r.catalog.tables.some((x) => x.partitioning), 'has a partitioned table');
        // "0 errors": everything below must then hold.
        assert.deepEqual(r.dataset.findings.filter((f) => f.severity === 'error'), []);
        assert.deepEqual(r.dataset.untouched.map((u) => u.table).sort(), [...fx.bookkeeping].sort());
        assert.equal(r.dataset.tenant, fx.tenant?.[0] ?? null);

        const { def } = await loadDataset(r.files.dataset);
        const plan = makePlan(def);
        // Sequences used by column defaults (serial, identity, shared ones) are declared for the sink.
        for (const table of r.catalog.tables) {
          const info: TableInfo | undefined = plan.tables.find((p) => (p.info.sqlName ?? p.info.name) === table.name)?.info;
          if (!info) continue;
          for (const col of table.columns.filter((c) => c.sequence)) {
            const declared: ColumnInfo | undefined = info.columns.find((x) => (x.sqlName ?? x.name) === col.name);
            assert.deepEqual(declared?.sequence, col.sequence, `${table.name}.${col.name} declares its sequence`);
          }
        }
        const sink = await fullCsvSink();
        const started = process.hrtime.bigint();
        const outcome = await runPlan({ plan, run: buildRunInfo(plan), sinks: [sink] });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const rows = outcome.tables.reduce((a, x) => a + x.rows, 0);
        t.diagnostic(`${fx.name}: ${plan.tables.length} tables, ${rows} rows generated in ${seconds.toFixed(2)} s`);
        const setAside = r.dataset.findings.some((f) => /cycle of NOT NULL/.test(f.problem));
        const loaded = await copyLoad(url, plan, sink, { setAsideForeignKeys: setAside });
        assert.equal(Object.values(loaded.rows).reduce((a, b) => a + b, 0), rows, 'every generated row loaded');

        await withDb(url, async (c) => {
          assert.deepEqual(await invalidConstraints(c, fx.schemas), before.invalid, 'constraints valid after the load');
          assert.deepEqual(await orphans(c, fx.schemas), []);
          assert.deepEqual(await emptyTables(c, fx.schemas, fx.bookkeeping), []);
          for (const [b, n] of Object.entries(before.bookkeeping)) assert.equal(await countOf(c, `${fx.schemas[0]}.${b}`), n, `${b} untouched`);
          assert.deepEqual(await unorderedPairs(c, fx.schemas), []);
          assert.deepEqual(await badCoordinates(c, fx.schemas), []);
          const tenancy = await tenantMismatches(c, fx.schemas);
          if (fx.tenant) {
            assert.equal(tenancy.tenant?.replace(/^public\./, ''), fx.tenant[1]);
            assert.ok(tenancy.checked > 0);
          }
          assert.deepEqual(tenancy.problems, []);
        });
      });
    }
  });
}
