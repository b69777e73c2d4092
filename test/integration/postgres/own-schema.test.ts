/**
 * The Postgres sink on schemas the user made, not seedpipe: tables in non-public schemas with foreign
 * keys across them, views and materialized views over keys (never dropped, never CASCADE), sequences
 * not owned by their column, framework bookkeeping tables (never emptied), `append` on uuid, text and
 * composite keys, `missing` with unique conflicts (skips reported per constraint, no foreign key
 * failure), validate on partial unique indexes, coverage of inheritance parents.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defineDataset, isSeedpipeError, makePlan, type DatasetDef } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import { appendOffsets, coverage, formatValidationTable, PostgresSink, resetTables, validateDatabase, type PostgresSinkOptions } from '../../../stages/sinks/postgres/index.js';
import type { TestPostgres } from '../../support/postgres.js';
import { SERVERS, freshDatabase, runInfo, withClient } from './helpers.js';

const base = { seed: 5, refDate: '2025-01-01T00:00:00Z' } as const;

/** Users in schema `app`, invoices in schema `billing` referencing them, a shared sequence, bookkeeping. */
const crossSchema = defineDataset({
  ...base,
  name: 'cross',
  schema: 'app',
  untouched: [{ table: 'schema_migrations', reason: 'Rails migration bookkeeping' }],
  tables: {
    users: {
      rows: 30,
      sqlName: 'Users',
      columns: {
        id: { type: 'bigint' },
        email: { type: 'text', unique: true, sqlName: 'emailAddress', gen: (c) => `u${c.i + 1}@example.com` },
      },
    },
    invoices: {
      schema: 'billing',
      per: { parent: 'users', count: 2 },
      columns: {
        id: { type: 'bigint', sequence: { schema: 'billing', name: 'doc_numbers', owned: false } },
        user_id: { type: 'bigint', references: 'users', gen: (c) => c.parent!.id as number },
        total: { type: 'int', gen: (c) => c.i * 3 },
      },
    },
  },
});

const CROSS_SQL = `
  CREATE SCHEMA app; CREATE SCHEMA billing;
  CREATE TABLE app."Users" (id bigserial PRIMARY KEY, "emailAddress" text NOT NULL UNIQUE);
  CREATE SEQUENCE billing.doc_numbers;
  CREATE TABLE billing.invoices (id bigint PRIMARY KEY DEFAULT nextval('billing.doc_numbers'), user_id bigint NOT NULL REFERENCES app."Users"(id), total int NOT NULL);
  CREATE TABLE billing.credit_notes (id bigint PRIMARY KEY DEFAULT nextval('billing.doc_numbers'), invoice_id bigint REFERENCES billing.invoices(id));
  CREATE TABLE app.schema_migrations (version text PRIMARY KEY);
  INSERT INTO app.schema_migrations VALUES ('20240101000000'), ('20240202000000');
  -- A view whose GROUP BY relies on the primary key, and a materialized view over it.
  CREATE VIEW app.user_totals AS SELECT u.id, u."emailAddress", sum(i.total) AS total FROM app."Users" u JOIN billing.invoices i ON i.user_id = u.id GROUP BY u.id;
  CREATE MATERIALIZED VIEW billing.big_spenders AS SELECT * FROM app.user_totals WHERE total > 10;
  CREATE UNIQUE INDEX big_spenders_id ON billing.big_spenders (id);`;

async function load(def: DatasetDef, url: string, o: Partial<PostgresSinkOptions> = {}, planOptions: Parameters<typeof makePlan>[1] = {}) {
  const plan = makePlan(def, planOptions);
  const lines: string[] = [];
  const untouched = (def.untouched ?? []).map((u) => ({ schema: u.schema ?? def.schema ?? 'public', table: u.table }));
  const outcome = await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, yes: true, schema: def.schema ?? 'public', untouched, log: (l) => lines.push(l), ...o })] });
  return { plan, outcome, lines };
}

async function scalar(url: string, sql: string): Promise<unknown> {
  return withClient(url, async (c) => Object.values((await c.query(sql)).rows[0] ?? {})[0]);
}

for (const server of SERVERS) {
  describe(`postgres sink on a schema it did not create, ${server.name}`, () => {
    let pg: TestPostgres;
    before(async () => {
      pg = await server.start();
    });
    after(async () => {
      await pg?.stop();
    });

    test('two schemas, quoted names, views over keys kept, a shared sequence moved, bookkeeping untouched', async () => {
      const url = await freshDatabase(pg.url, 'cross');
      await withClient(url, (c) => c.query(CROSS_SQL));
      for (let round = 0; round < 2; round++) {
        const { plan, lines } = await load(crossSchema, url);
        assert.ok(lines.some((l) => /kept key Users_pkey on app\."Users".*view app\.user_totals/.test(l)), lines.join('\n'));
        const report = await validateDatabase({ url, plan, checks: [], schema: 'app' });
        assert.equal(report.ok, true, formatValidationTable(report));
      }
      assert.equal(await scalar(url, `SELECT count(*)::int FROM billing.invoices i JOIN app."Users" u ON u.id = i.user_id`), 60);
      assert.equal(await scalar(url, `SELECT count(*)::int FROM app.schema_migrations`), 2);
      assert.equal(await scalar(url, `SELECT count(*)::int FROM pg_constraint WHERE NOT convalidated AND connamespace IN ('app'::regnamespace, 'billing'::regnamespace)`), 0);
      // The application inserts without ids: the serial and the shared, unowned sequence are past the keys.
      await withClient(url, async (c) => {
        await c.query(`INSERT INTO app."Users" ("emailAddress") VALUES ('new@example.com')`);
        await c.query(`INSERT INTO billing.invoices (user_id, total) VALUES (1, 5)`);
        await c.query(`INSERT INTO billing.credit_notes (invoice_id) VALUES (1)`);
        await c.query(`REFRESH MATERIALIZED VIEW billing.big_spenders`);
      });
      // reset empties the dataset's tables, never the bookkeeping; credit_notes (outside the dataset,
      // referencing invoices) only with cascade, and it is listed.
      const infos = makePlan(crossSchema).tables.map((t) => t.info);
      const untouched = [{ schema: 'app', table: 'schema_migrations' }];
      await assert.rejects(resetTables(url, infos, async () => true, { schema: 'app', untouched }), (e: unknown) => {
        assert.ok(isSeedpipeError(e) && e.code === 'RESET_NEEDS_CASCADE');
        assert.match(e.message, /billing\.credit_notes.*--cascade/);
        return true;
      });
      assert.equal(await scalar(url, `SELECT count(*)::int FROM billing.credit_notes`), 1);
      const r = await resetTables(url, infos, async () => true, { schema: 'app', untouched, cascade: true });
      assert.deepEqual(r, { existing: ['users', 'invoices'], beyond: ['billing.credit_notes'], emptied: true });
      assert.equal(await scalar(url, `SELECT count(*)::int FROM billing.credit_notes`), 0);
      assert.equal(await scalar(url, `SELECT count(*)::int FROM app.schema_migrations`), 2);
    });

    test('tables in another schema than the run’s: the error names --schema, never --create-tables into public', async () => {
      const url = await freshDatabase(pg.url, 'elsewhere');
      await withClient(url, (c) => c.query(CROSS_SQL));
      const { schema: _s, ...publicDef } = crossSchema;
      const tables = { users: crossSchema.tables.users!, invoices: { ...crossSchema.tables.invoices!, schema: 'billing' } };
      await assert.rejects(load({ ...publicDef, tables, untouched: [] } as DatasetDef, url, { schema: 'public' }), (e: unknown) => {
        assert.ok(isSeedpipeError(e) && e.code === 'SCHEMA_MISMATCH');
        assert.match(e.message, /table users: missing in schema public, but schema app has it \(run with --schema app\)/);
        assert.match(e.message, /point the run at it with --schema NAME/);
        assert.doesNotMatch(e.message, /--create-tables/);
        return true;
      });
    });

    test('a second view over the same key: the key stays, a failing load never suggests CASCADE', async () => {
      const url = await freshDatabase(pg.url, 'views');
      await withClient(url, (c) => c.query(`${CROSS_SQL}
        CREATE VIEW app.by_user AS SELECT u.id, count(*) AS n FROM app."Users" u GROUP BY u.id;`));
      // A generator that breaks the unique email: the load fails at commit, and says so without CASCADE.
      const users = crossSchema.tables.users!;
      const broken: DatasetDef = { ...crossSchema, tables: { ...crossSchema.tables, users: { ...users, columns: { ...users.columns, email: { ...users.columns.email!, gen: () => 'same@example.com' } } } } };
      await assert.rejects(load(broken, url), (e: unknown) => {
        assert.ok(isSeedpipeError(e));
        assert.doesNotMatch(e.message, /CASCADE/);
        return true;
      });
      assert.equal(await scalar(url, `SELECT count(*)::int FROM pg_views WHERE schemaname = 'app'`), 2);
    });

    test('append: uuid, text and composite keys continue after the rows there; missing: skips counted per constraint', async () => {
      const url = await freshDatabase(pg.url, 'keys');
      await withClient(url, (c) => c.query(`
        CREATE TABLE accounts (id uuid PRIMARY KEY, handle text NOT NULL UNIQUE);
        CREATE TABLE tags (slug text PRIMARY KEY, account_id uuid NOT NULL REFERENCES accounts(id));
        CREATE TABLE memberships (account_id uuid NOT NULL REFERENCES accounts(id), team int NOT NULL, PRIMARY KEY (account_id, team));`));
      const uuid = (i: number): string => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
      const keys = defineDataset({
        ...base,
        name: 'keys',
        tables: {
          accounts: { rows: 20, columns: { id: { type: 'uuid', gen: (c) => uuid(c.i + 1) }, handle: { type: 'text', unique: true, gen: (c) => `h${c.i + 1}` } } },
          tags: { rows: 20, columns: { slug: { type: 'text', gen: (c) => `tag-${c.i + 1}` }, account_id: { type: 'uuid', references: 'accounts', gen: (c) => uuid((c.i % 20) + 1) } } },
          memberships: { rows: 10, primaryKey: ['account_id', 'team'], columns: { account_id: { type: 'uuid', references: 'accounts', gen: (c) => uuid((c.i % 20) + 1) }, team: { type: 'int', gen: (c) => c.i } } },
        },
      });
      await load(keys, url);
      const offsets = await appendOffsets(url, makePlan(keys));
      assert.deepEqual(offsets, { accounts: 20, tags: 20, memberships: 10 });
      await load(keys, url, { mode: 'append' }, { offsets });
      assert.deepEqual(await scalar(url, `SELECT array[(SELECT count(*) FROM accounts), (SELECT count(*) FROM tags), (SELECT count(*) FROM memberships)]::int[]`), [40, 40, 20]);
      // missing: an existing account holds the handle of a new one (unique conflict on handle); its
      // tag and membership are skipped, not an orphan, and the reasons are counted.
      await withClient(url, (c) => c.query(`DELETE FROM memberships WHERE account_id = '${uuid(3)}'; DELETE FROM tags WHERE account_id = '${uuid(3)}'; DELETE FROM accounts WHERE id = '${uuid(3)}';
        INSERT INTO accounts VALUES ('${uuid(999)}', 'h3')`));
      const { outcome } = await load(keys, url, { mode: 'missing' });
      const byTable = Object.fromEntries(outcome.sinks[0]!.tables.map((t) => [t.table, t.details?.skipped]));
      assert.deepEqual(byTable.accounts, { accounts_pkey: 19, accounts_handle_key: 1 });
      assert.deepEqual(byTable.tags, { 'parent missing: tags(account_id) → accounts': 1, tags_pkey: 19 });
      assert.equal(await scalar(url, `SELECT count(*)::int FROM tags t WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.account_id)`), 0);
    });

    test('validate honours a partial unique index; coverage counts an inheritance parent’s own rows only', async () => {
      const url = await freshDatabase(pg.url, 'partial');
      await withClient(url, (c) => c.query(`
        CREATE TABLE people (id bigint PRIMARY KEY, email text NOT NULL, deleted_at timestamptz);
        CREATE UNIQUE INDEX people_live_email ON people (email) WHERE deleted_at IS NULL;
        CREATE TABLE staff () INHERITS (people);`));
      const people = defineDataset({
        ...base,
        name: 'people',
        tables: {
          people: {
            rows: 10,
            columns: {
              id: { type: 'bigint' },
              // Two rows per email, one of them deleted: the index holds, a plain unique would not.
              email: { type: 'text', gen: (c) => `p${Math.floor(c.i / 2)}@example.com` },
              deleted_at: { type: 'timestamptz', nullable: true, gen: (c) => (c.i % 2 ? new Date('2024-06-01T00:00:00Z') : null) },
            },
          },
        },
      });
      const { plan } = await load(people, url);
      const report = await validateDatabase({ url, plan, checks: [] });
      assert.equal(report.ok, true, formatValidationTable(report));
      assert.ok(report.items.some((i) => /people_live_email WHERE/.test(i.name)));
      await withClient(url, (c) => c.query(`INSERT INTO staff VALUES (100, 'x@example.com', NULL), (101, 'y@example.com', NULL)`));
      const cov = await coverage(url, ['people'], ['public']);
      assert.deepEqual(cov.tables.map((t) => [t.table, t.rows]), [['people', 10], ['staff', 2]]);
    });
  });
}
