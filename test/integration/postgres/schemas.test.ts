/**
 * The Postgres sink on small datasets, against the embedded PostgreSQL 18 and the system PostgreSQL 15:
 * a foreign key cycle, identity and serial columns, constraint violations (rolled back, named), and an
 * existing schema that does not fit.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeedpipeError, loadDataset, makePlan } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import { finalizeShardedLoad, PostgresSink, prepareShardedLoad, ShardLoadSink, validateDatabase, formatValidationTable } from '../../../stages/sinks/postgres/index.js';
import type { TestPostgres } from '../../support/postgres.js';
import { badCheck, badForeignKey, cycle, duplicateUnique, tickets } from '../../fixtures/postgres/datasets.js';
import { SERVERS, counts, freshDatabase, runInfo, withClient } from './helpers.js';

for (const server of SERVERS) {
  describe(`postgres sink, schemas and failures, ${server.name}`, () => {
    let pgServer: TestPostgres;

    before(async () => {
      pgServer = await server.start();
    });
    after(async () => {
      await pgServer?.stop();
    });

    test('a cycle broken at a nullable key loads; the deferred values are set in the same transaction', async () => {
      const url = await freshDatabase(pgServer.url, 'cycle');
      const plan = makePlan(cycle);
      assert.deepEqual([...plan.deferred], ['a.b_id']);
      const sink = new PostgresSink({ url, createTables: true });
      assert.equal(sink.input(plan.tables.find((t) => t.name === 'a')!.info).rows, true);
      assert.equal(sink.input(plan.tables.find((t) => t.name === 'b')!.info).rows, false);
      await runPlan({ plan, run: runInfo(plan), sinks: [sink] });
      await withClient(url, async (c) => {
        const r = await c.query<{ set: string; nulls: string }>(`SELECT count(b_id)::text AS set, count(*) FILTER (WHERE b_id IS NULL)::text AS nulls FROM a`);
        assert.deepEqual(r.rows[0], { set: '40', nulls: '20' });
        const fk = await c.query(`SELECT 1 FROM pg_constraint WHERE conname = 'a_b_id_fkey' AND convalidated`);
        assert.equal(fk.rowCount, 1);
      });
      const report = await validateDatabase({ url, plan, checks: cycle.checks ?? [] });
      assert.equal(report.ok, true, formatValidationTable(report));
      // missing mode: nothing new, and the deferred values of existing rows are left alone.
      await withClient(url, (c) => c.query(`UPDATE a SET b_id = 1 WHERE id = 2`));
      const again = await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, mode: 'missing' })] });
      assert.equal(again.sinks[0]!.extra!.rowsInserted, 0);
      await withClient(url, async (c) => assert.equal((await c.query(`SELECT b_id FROM a WHERE id = 2`)).rows[0].b_id, '1'));
      // Deleted rows come back with their deferred values.
      await withClient(url, (c) => c.query(`ALTER TABLE b DROP CONSTRAINT b_a_id_fkey; DELETE FROM a WHERE id > 50`));
      const refill = await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, mode: 'missing' })] });
      assert.equal(refill.sinks[0]!.extra!.rowsInserted, 10);
      await withClient(url, async (c) => {
        const r = await c.query(`SELECT id FROM a WHERE id > 50 AND b_id IS DISTINCT FROM CASE WHEN (id - 1) % 3 = 0 THEN NULL ELSE ((id - 1) * 7) % 40 + 1 END`);
        assert.equal(r.rowCount, 0);
      });
    });

    test('a primary key a view groups by stays through the replace fast path; the other keys are rebuilt', async () => {
      const url = await freshDatabase(pgServer.url, 'view_key');
      await withClient(url, (c) => c.query(`
        CREATE TABLE tickets (id bigint PRIMARY KEY, number int NOT NULL UNIQUE, title text NOT NULL);
        CREATE VIEW ticket_titles AS SELECT t.id, t.title, count(*) AS n FROM tickets t GROUP BY t.id`));
      const plan = makePlan(tickets);
      for (let round = 0; round < 2; round++) await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, yes: true })] });
      await withClient(url, async (c) => {
        assert.equal((await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ticket_titles`)).rows[0]!.n, '250');
        const keys = await c.query<{ conname: string }>(`SELECT conname FROM pg_constraint WHERE conrelid = 'tickets'::regclass AND contype IN ('p', 'u') ORDER BY 1`);
        assert.deepEqual(keys.rows.map((r) => r.conname), ['tickets_number_key', 'tickets_pkey']);
      });
    });

    test('identity (GENERATED ALWAYS) and serial columns: loaded as given, sequences moved past the keys', async () => {
      const url = await freshDatabase(pgServer.url, 'identity');
      await withClient(url, (c) => c.query(`
        CREATE TABLE tickets (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          number serial NOT NULL UNIQUE,
          title text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          note text
        )`));
      const plan = makePlan(tickets);
      await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url })] });
      await withClient(url, async (c) => {
        const r = await c.query<{ id: string; number: number }>(`INSERT INTO tickets (title) VALUES ('by the app') RETURNING id::text, number`);
        assert.deepEqual(r.rows[0], { id: '251', number: 251 });
        await c.query(`DELETE FROM tickets WHERE id > 200`);
      });
      // missing mode inserts into the ALWAYS identity column too (OVERRIDING SYSTEM VALUE).
      const out = await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, mode: 'missing' })] });
      assert.equal(out.sinks[0]!.extra!.rowsInserted, 50);
      await withClient(url, async (c) => {
        // A sequence is only moved forward: 251 was handed out (and deleted) before, so the next is 252.
        const r = await c.query<{ id: string }>(`INSERT INTO tickets (title) VALUES ('again') RETURNING id::text`);
        assert.equal(r.rows[0]!.id, '252');
      });
    });

    test('a partitioned table: its dropped index and referencing foreign key come back on every partition', async () => {
      const url = await freshDatabase(pgServer.url, 'partitioned');
      await withClient(url, (c) => c.query(`
        CREATE TABLE tickets (id bigint PRIMARY KEY, number int NOT NULL, title text NOT NULL) PARTITION BY RANGE (id);
        CREATE TABLE tickets_low PARTITION OF tickets FOR VALUES FROM (MINVALUE) TO (100);
        CREATE TABLE tickets_high PARTITION OF tickets FOR VALUES FROM (100) TO (MAXVALUE);
        CREATE INDEX tickets_title_idx ON tickets (title);
        CREATE TABLE watchers (id int PRIMARY KEY, ticket_id bigint REFERENCES tickets (id))`));
      const plan = makePlan(tickets);
      const lines: string[] = [];
      await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, log: (l) => lines.push(l) })] });
      assert.ok(lines.some((l) => /fast path: 1 foreign key\(s\), 1 primary\/unique key\(s\) and 1 index\(es\)/.test(l)), lines.join('\n'));
      assert.deepEqual(await counts(url, ['tickets', 'tickets_low', 'tickets_high']), { tickets: 250, tickets_low: 99, tickets_high: 151 });
      await withClient(url, async (c) => {
        const ix = await c.query<{ tablename: string; valid: boolean }>(
          `SELECT i.tablename, x.indisvalid AS valid FROM pg_indexes i JOIN pg_index x ON x.indexrelid = (quote_ident(i.indexname))::regclass
            WHERE i.indexdef LIKE '%(title)%' ORDER BY 1`);
        assert.deepEqual(ix.rows, [{ tablename: 'tickets', valid: true }, { tablename: 'tickets_high', valid: true }, { tablename: 'tickets_low', valid: true }]);
        assert.equal((await c.query(`SELECT 1 FROM pg_constraint WHERE conname = 'watchers_ticket_id_fkey' AND conparentid = 0`)).rowCount, 1);
      });
    });

    test('a partitioned table through a sharded load (prepare, 2 shards, finalize): the index and the referencing foreign key come back on every partition', async () => {
      const url = await freshDatabase(pgServer.url, 'partitioned_shards');
      await withClient(url, (c) => c.query(`
        CREATE TABLE tickets (id bigint PRIMARY KEY, number int NOT NULL, title text NOT NULL) PARTITION BY RANGE (id);
        CREATE TABLE tickets_low PARTITION OF tickets FOR VALUES FROM (MINVALUE) TO (100);
        CREATE TABLE tickets_high PARTITION OF tickets FOR VALUES FROM (100) TO (MAXVALUE);
        CREATE INDEX tickets_title_idx ON tickets (title);
        CREATE TABLE watchers (id int PRIMARY KEY, ticket_id bigint REFERENCES tickets (id))`));
      const whole = makePlan(tickets);
      const prepared = await prepareShardedLoad({ url, dataset: tickets.name, tables: whole.tables.map((t) => t.info), yes: true });
      assert.deepEqual({ fk: prepared.foreignKeys, ix: prepared.indexes }, { fk: 1, ix: 1 }, 'the parent index and the parent foreign key, not their partition clones');
      for (const index of [0, 1]) {
        const plan = makePlan(tickets, { shard: { index, count: 2 } });
        await runPlan({ plan, run: runInfo(plan), sinks: [new ShardLoadSink({ url })] });
      }
      await finalizeShardedLoad({ url, dataset: tickets.name, tables: whole.tables.map((t) => t.info) });
      assert.deepEqual(await counts(url, ['tickets', 'tickets_low', 'tickets_high']), { tickets: 250, tickets_low: 99, tickets_high: 151 });
      await withClient(url, async (c) => {
        const ix = await c.query<{ tablename: string; valid: boolean }>(
          `SELECT i.tablename, x.indisvalid AS valid FROM pg_indexes i JOIN pg_index x ON x.indexrelid = (quote_ident(i.indexname))::regclass
            WHERE i.indexdef LIKE '%(title)%' ORDER BY 1`);
        assert.deepEqual(ix.rows, [{ tablename: 'tickets', valid: true }, { tablename: 'tickets_high', valid: true }, { tablename: 'tickets_low', valid: true }]);
        assert.equal((await c.query(`SELECT 1 FROM pg_constraint WHERE conname = 'watchers_ticket_id_fkey' AND conparentid = 0`)).rowCount, 1);
      });
    });

    test('a check constraint broken by a generator: rolled back, error names table, column and constraint', async () => {
      const url = await freshDatabase(pgServer.url, 'badcheck');
      const plan = makePlan(badCheck);
      await assert.rejects(runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, createTables: true })] }), (e: unknown) => {
        assert.ok(isSeedpipeError(e), String(e));
        assert.equal(e.code, 'CONSTRAINT_VIOLATION');
        assert.equal(e.disposition, 'data-quality');
        assert.match(e.message, /check constraint items_qty_check on table items, column qty \(CHECK \(\(qty > 0\)\)\)/);
        assert.deepEqual({ table: e.data.table, columns: e.data.columns, constraint: e.data.constraint }, { table: 'items', columns: ['qty'], constraint: 'items_qty_check' });
        assert.match(e.message, /rolled back/);
        return true;
      });
      // The tables were created inside the same transaction: they are gone too.
      assert.deepEqual(await counts(url, ['items']), { items: -1 });
    });

    test('a duplicate in a unique column: caught when the key is rebuilt at commit (replace), or by the COPY (keys kept)', async () => {
      const url = await freshDatabase(pgServer.url, 'dupunique');
      const plan = makePlan(duplicateUnique);
      await withClient(url, (c) => c.query(`CREATE TABLE people (id bigint PRIMARY KEY, email text NOT NULL CONSTRAINT people_email_key UNIQUE, joined date DEFAULT current_date)`));
      await assert.rejects(runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url })] }), (e: unknown) => {
        assert.ok(isSeedpipeError(e));
        assert.equal(e.code, 'CONSTRAINT_VIOLATION');
        assert.match(e.message, /unique constraint people_email_key on table people, column email/);
        assert.match(e.message, /Key \(email\)=\(p3@example\.com\) is duplicated/);
        return true;
      });
      await assert.rejects(runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, dropConstraints: false })] }), (e: unknown) => {
        assert.ok(isSeedpipeError(e));
        assert.equal(e.code, 'CONSTRAINT_VIOLATION');
        assert.match(e.message, /unique constraint people_email_key on table people, column email/);
        assert.match(e.message, /Key \(email\)=\(p3@example\.com\) already exists \(line 13 of this table's COPY\)/);
        return true;
      });
      assert.deepEqual(await counts(url, ['people']), { people: 0 });
      await withClient(url, async (c) => {
        const keys = await c.query(`SELECT conname FROM pg_constraint WHERE conrelid = 'people'::regclass AND contype IN ('p', 'u') ORDER BY 1`);
        assert.deepEqual(keys.rows.map((r) => r.conname), ['people_email_key', 'people_pkey']);
      });
    });

    test('a foreign key broken by a generator is caught when the key is re-created at commit, and rolled back', async () => {
      const url = await freshDatabase(pgServer.url, 'badfk');
      const plan = makePlan(badForeignKey);
      // Rows from before the run must survive the failed replace.
      const first = makePlan(badForeignKey, { set: ['children.rows=10'] });
      await runPlan({ plan: first, run: runInfo(first), sinks: [new PostgresSink({ url, createTables: true })] });
      await assert.rejects(runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, yes: true })] }), (e: unknown) => {
        assert.ok(isSeedpipeError(e));
        assert.equal(e.code, 'CONSTRAINT_VIOLATION');
        assert.match(e.message, /foreign key constraint children_parent_id_fkey on table children, column parent_id/);
        assert.match(e.message, /Key \(parent_id\)=\(999\) is not present in table "parents"/);
        return true;
      });
      assert.deepEqual(await counts(url, ['parents', 'children']), { parents: 10, children: 10 });
      await withClient(url, async (c) => {
        assert.equal((await c.query(`SELECT 1 FROM pg_constraint WHERE conname = 'children_parent_id_fkey'`)).rowCount, 1);
        assert.equal((await c.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'children_parent_id_idx'`)).rowCount, 1);
      });
    });

    test('replace asks before emptying, and keeps the rows of a table outside the dataset that references it', async () => {
      const url = await freshDatabase(pgServer.url, 'cascade');
      const small = makePlan(badForeignKey, { set: ['children.rows=10'] });
      await runPlan({ plan: small, run: runInfo(small), sinks: [new PostgresSink({ url, createTables: true })] });
      await withClient(url, (c) => c.query(`CREATE TABLE notes (id int PRIMARY KEY, parent_id bigint REFERENCES parents(id)); INSERT INTO notes VALUES (1, 3)`));
      const asked: string[][] = [];
      const refuse = new PostgresSink({ url, confirm: async (t) => { asked.push(t); return false; } });
      await assert.rejects(runPlan({ plan: small, run: runInfo(small), sinks: [refuse] }), { code: 'TRUNCATE_NOT_CONFIRMED' });
      assert.deepEqual(asked, [['parents', 'children']]);
      assert.deepEqual(await counts(url, ['parents', 'children', 'notes']), { parents: 10, children: 10, notes: 1 });
      // Accepted: the dataset's tables are replaced (same keys), the outside table keeps its row and its
      // foreign key is re-created and validated against the new rows.
      const accept = new PostgresSink({ url, confirm: async () => true });
      await runPlan({ plan: small, run: runInfo(small), sinks: [accept] });
      assert.deepEqual(await counts(url, ['parents', 'children', 'notes']), { parents: 10, children: 10, notes: 1 });
      await withClient(url, async (c) => {
        assert.equal((await c.query(`SELECT 1 FROM pg_constraint WHERE conname = 'notes_parent_id_fkey' AND convalidated`)).rowCount, 1);
      });
      // A replacement that no longer has the row the outside table points at: rolled back at commit.
      const fewer = makePlan(badForeignKey, { set: ['children.rows=10', 'parents.rows=2'] });
      await assert.rejects(runPlan({ plan: fewer, run: runInfo(fewer), sinks: [new PostgresSink({ url, yes: true })] }), { code: 'CONSTRAINT_VIOLATION' });
      assert.deepEqual(await counts(url, ['parents', 'notes']), { parents: 10, notes: 1 });
      // --create-tables in replace mode would drop parents, which notes references: refused, nothing changed.
      await assert.rejects(runPlan({ plan: small, run: runInfo(small), sinks: [new PostgresSink({ url, createTables: true, yes: true })] }), (e: unknown) => {
        assert.ok(isSeedpipeError(e));
        assert.equal(e.code, 'CREATE_TABLES_BLOCKED');
        assert.match(e.message, /notes/);
        return true;
      });
    });

    test('an existing schema that does not fit: one SCHEMA_MISMATCH listing every problem, nothing written', async () => {
      const url = await freshDatabase(pgServer.url, 'mismatch');
      const { def } = await loadDataset('chat');
      const plan = makePlan(def, { profile: 'light' });
      await runPlan({ plan: makePlan(def, { profile: 'light', set: ['users.rows=5', 'channels.rows=0'] }), run: runInfo(plan), sinks: [new PostgresSink({ url, createTables: true })] });
      await withClient(url, (c) => c.query(`
        DROP TABLE message_reactions;
        ALTER TABLE users DROP COLUMN picture;
        ALTER TABLE users ALTER COLUMN is_active TYPE integer USING is_active::int;
        ALTER TABLE messages ADD COLUMN tenant_id bigint NOT NULL;
        ALTER TABLE messages ADD COLUMN edited boolean NOT NULL DEFAULT false;
        ALTER TABLE messages ADD COLUMN note text`));
      const before = await counts(url, ['users', 'channels', 'messages']);
      await assert.rejects(runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, yes: true })] }), (e: unknown) => {
        assert.ok(isSeedpipeError(e));
        assert.equal(e.code, 'SCHEMA_MISMATCH');
        const problems = e.data.problems as string[];
        assert.equal(problems.length, 4, problems.join('\n'));
        assert.match(e.message, /table users, column picture: missing in the database/);
        assert.match(e.message, /table users, column is_active: type integer in the database is incompatible with the dataset's boolean/);
        assert.match(e.message, /table messages, column tenant_id: NOT NULL without a default/);
        assert.match(e.message, /table message_reactions: missing in schema public/);
        return true;
      });
      assert.deepEqual(await counts(url, ['users', 'channels', 'messages']), before);
      assert.equal(before.users, 5);
    });
  });
}
