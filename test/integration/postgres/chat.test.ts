/**
 * The Postgres sink driven by the real engine on the chat dataset, against the embedded PostgreSQL 18
 * and the system PostgreSQL 15: create and load, validate, the load modes, confirmation, and a
 * connection killed mid-COPY.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeedpipeError, loadDataset, makePlan, type Plan } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import type { DatasetDef, Sink } from '../../../src/index.js';
import { PostgresSink, appendOffsets, formatValidationTable, validateDatabase } from '../../../stages/sinks/postgres/index.js';
import type { TestPostgres } from '../../support/postgres.js';
import { SERVERS, counts, freshDatabase, planned, runInfo, withClient } from './helpers.js';

const TABLES = ['users', 'reactions', 'channels', 'user_channels', 'messages', 'message_reactions'];

for (const server of SERVERS) {
  describe(`postgres sink, chat dataset, ${server.name}`, () => {
    let pgServer: TestPostgres;
    let url: string;
    let def: DatasetDef;
    let plan: Plan;

    before(async () => {
      pgServer = await server.start();
      url = await freshDatabase(pgServer.url, 'chat');
      def = (await loadDataset('chat')).def;
      plan = makePlan(def, { profile: 'light' });
    });
    after(async () => {
      await pgServer?.stop();
    });

    test('--create-tables loads the light profile in one transaction; counts match the plan and validate passes', async () => {
      const lines: string[] = [];
      const sink = new PostgresSink({ url, createTables: true, log: (l) => lines.push(l) });
      const out = await runPlan({ plan, run: runInfo(plan), sinks: [sink] });
      assert.deepEqual(await counts(url, TABLES), planned(plan));
      const summary = out.sinks[0]!;
      assert.equal(summary.sink, 'postgres');
      assert.match(summary.location, /^postgres:\/\/127\.0\.0\.1:\d+\/chat$/);
      assert.deepEqual(summary.extra, { mode: 'replace', rowsInserted: plan.tables.reduce((s, t) => s + t.total, 0) });
      for (const r of summary.tables) {
        assert.equal(r.rows, planned(plan)[r.table]);
        assert.ok(r.bytes > 0);
      }
      assert.ok(lines.some((l) => /fast path: 9 foreign key\(s\), 11 primary\/unique key\(s\) and 7 index\(es\)/.test(l)), lines.join('\n'));
      assert.doesNotMatch(lines.join('\n'), /seedpipe@/);

      const report = await validateDatabase({ url, plan, checks: def.checks ?? [] });
      assert.equal(report.ok, true, formatValidationTable(report));
      assert.equal(report.items.filter((i) => i.kind === 'check').length, def.checks!.length);
      assert.equal(report.items.filter((i) => i.kind === 'rows').length, TABLES.length);
      assert.equal(report.items.filter((i) => i.kind === 'fk').length, 9);
      assert.ok(report.items.filter((i) => i.kind === 'unique').length >= 10);
      const table = formatValidationTable(report);
      assert.match(table, /^status\s+kind\s+table\s+check\s+count\s+detail$/m);
      assert.match(table, /checks, 0 failed/);
    });

    test('foreign keys and indexes dropped for the load exist again, validated, after it', async () => {
      await withClient(url, async (c) => {
        const fks = await c.query<{ conname: string; convalidated: boolean }>(`SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1`);
        assert.deepEqual(fks.rows.map((r) => r.conname), [
          'channels_owner_id_fkey', 'message_reactions_message_id_fkey', 'message_reactions_reaction_id_fkey', 'message_reactions_user_id_fkey',
          'messages_channel_id_fkey', 'messages_parent_id_fkey', 'messages_user_id_fkey', 'user_channels_channel_id_fkey', 'user_channels_user_id_fkey',
        ]);
        assert.ok(fks.rows.every((r) => r.convalidated));
        const ix = await c.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`);
        for (const name of ['messages_user_id_idx', 'messages_channel_id_idx', 'messages_parent_id_idx', 'channels_owner_id_idx', 'user_channels_channel_id_idx',
          'message_reactions_reaction_id_idx', 'message_reactions_user_id_idx', 'users_pkey', 'users_email_key', 'user_channels_pkey']) {
          assert.ok(ix.rows.some((r) => r.indexname === name), `index ${name} exists`);
        }
        const analyzed = await c.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_user_tables WHERE relname = ANY($1) AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)`, [TABLES]);
        assert.equal(Number(analyzed.rows[0]!.n), TABLES.length);
      });
    });

    test('replace writes the rows frozen (COPY FREEZE): pages are all-visible right after the run', async () => {
      const allVisible = (): Promise<{ relname: string; relpages: number; relallvisible: number; used: number }[]> =>
        withClient(url, async (c) => {
          const rels = (await c.query<{ relname: string; relpages: number; relallvisible: number }>(
            `SELECT relname, relpages, relallvisible FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname = ANY($1) ORDER BY 1`, [TABLES])).rows;
          // Pages that hold rows: PostgreSQL 16+ extends a table by several pages at a time during COPY,
          // and the empty pages left over at its end are never all-visible.
          const used = async (t: string): Promise<number> => Number((await c.query<{ n: string }>(`SELECT count(DISTINCT (ctid::text::point)[0]) AS n FROM "${t}"`)).rows[0]!.n);
          return Promise.all(rels.map(async (r) => ({ ...r, used: await used(r.relname) })));
        });
      await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, yes: true })] });
      const rels = await allVisible();
      assert.equal(rels.length, TABLES.length);
      // COPY FREEZE marks the pages it starts empty; a page a later batch of rows continues is left for
      // VACUUM. Without FREEZE no page is all-visible before the first VACUUM.
      for (const r of rels) assert.ok(r.relallvisible >= 0.8 * r.used, `${r.relname}: ${r.relallvisible} of ${r.used} pages with rows all-visible (${r.relpages} pages)`);
      assert.ok(rels.find((r) => r.relname === 'messages')!.relpages > 10);
    });

    test('--mode missing with the same seed adds no rows', async () => {
      const sink = new PostgresSink({ url, mode: 'missing' });
      const out = await runPlan({ plan, run: runInfo(plan), sinks: [sink] });
      assert.deepEqual(out.sinks[0]!.extra, { mode: 'missing', rowsInserted: 0 });
      assert.ok(out.sinks[0]!.tables.every((t) => t.rows === 0 && t.bytes > 0));
      assert.deepEqual(await counts(url, TABLES), planned(plan));
    });

    test('replace refuses to empty tables that hold rows unless confirmed, and changes nothing', async () => {
      const asked: string[][] = [];
      const sink = new PostgresSink({ url, confirm: async (tables) => { asked.push(tables); return false; } });
      await assert.rejects(runPlan({ plan, run: runInfo(plan), sinks: [sink] }), (e: unknown) => {
        assert.ok(isSeedpipeError(e));
        assert.equal(e.code, 'TRUNCATE_NOT_CONFIRMED');
        assert.match(e.message, /--yes/);
        return true;
      });
      assert.deepEqual(asked, [TABLES]);
      // Without a confirm callback (non-interactive) the answer is no as well.
      await assert.rejects(runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url })] }), { code: 'TRUNCATE_NOT_CONFIRMED' });
      assert.deepEqual(await counts(url, TABLES), planned(plan));
    });

    test('a connection terminated mid-COPY fails the run with that reason and leaves the previous data intact', async () => {
      const before = await counts(url, TABLES);
      // Enough messages that the COPY is still streaming when the backend is killed.
      const big = makePlan(def, { profile: 'light', set: ['messagesPerChannel=3000'] });
      let kill: Promise<number> | undefined;
      const sink = new PostgresSink({ url, yes: true, applicationName: 'seedpipe-fault-test' });
      await assert.rejects(
        runPlan({
          plan: big, run: runInfo(big), sinks: [sink],
          onProgress: (e) => {
            if (kill || e.table !== 'messages' || e.rows < 40_000) return;
            kill = withClient(url, async (c) => {
              const r = await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'seedpipe-fault-test%' AND query LIKE 'COPY%'`);
              return r.rowCount ?? 0;
            });
          },
        }),
        (e: unknown) => {
          assert.ok(isSeedpipeError(e), String(e));
          assert.equal(e.code, 'DB_CONNECTION_LOST', e.message);
          assert.match(e.message, /terminat/);
          assert.match(e.message, /messages/);
          assert.doesNotMatch(e.message, /seedpipe@/);
          return true;
        },
      );
      assert.equal(await kill, 1, 'the COPY backend was found and terminated');
      assert.deepEqual(await counts(url, TABLES), before);
      await sink.abort(new Error('again')); // idempotent
      // The dropped foreign keys came back with the rollback.
      await withClient(url, async (c) => {
        const n = await c.query<{ n: string }>(`SELECT count(*) AS n FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`);
        assert.equal(Number(n.rows[0]!.n), 9);
      });
    });

    test('another sink failing mid-COPY: the COPY is cancelled (CopyFail), rolled back, and the connection closed', async () => {
      const before = await counts(url, TABLES);
      let batches = 0;
      const failing: Sink = {
        name: 'failing',
        input: () => ({}),
        open: async () => undefined,
        table: async () => ({
          write: async () => {
            if (++batches === 8) throw new Error('disk full in the other sink');
          },
          close: async () => ({ table: '', rows: 0, bytes: 0 }),
        }),
        commit: async () => ({ sink: 'failing', location: '-', tables: [] }),
        abort: async () => undefined,
      };
      const sink = new PostgresSink({ url, yes: true, applicationName: 'seedpipe-copyfail-test' });
      await assert.rejects(runPlan({ plan, run: runInfo(plan), sinks: [sink, failing] }), /disk full in the other sink/);
      assert.deepEqual(await counts(url, TABLES), before);
      await withClient(url, async (c) => {
        const r = await c.query(`SELECT 1 FROM pg_stat_activity WHERE application_name LIKE 'seedpipe-copyfail-test%'`);
        assert.equal(r.rowCount, 0, 'the sink closed its connection');
      });
    });

    test('--mode append continues keys after the current maximum; validate passes on the grown database', async () => {
      const offsets = await appendOffsets(url, plan);
      assert.deepEqual(offsets, { users: 1000, reactions: 12, channels: 100 });
      const more = makePlan(def, { profile: 'light', offsets });
      const sink = new PostgresSink({ url, mode: 'append' });
      const out = await runPlan({ plan: more, run: runInfo(more), sinks: [sink] });
      const added = more.tables.reduce((s, t) => s + (t.end - t.start), 0);
      assert.ok(added > 0);
      assert.equal(out.sinks[0]!.extra!.rowsInserted, added);
      assert.deepEqual(await counts(url, TABLES), planned(more));
      await withClient(url, async (c) => {
        const r = await c.query<{ min: string; max: string }>(`SELECT min(id)::text AS min, max(id)::text AS max FROM users WHERE id > 1000`);
        assert.deepEqual(r.rows[0], { min: '1001', max: '2000' });
      });
      const report = await validateDatabase({ url, plan: more, checks: def.checks ?? [] });
      assert.equal(report.ok, true, formatValidationTable(report));
      // Appending with the old plan again would reuse keys: refused before anything is written.
      await assert.rejects(runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, mode: 'append' })] }), { code: 'APPEND_KEY_OVERLAP' });
      assert.deepEqual(await counts(url, TABLES), planned(more));
    });

    test('validate reports orphans, wrong counts, duplicates and broken rules', async () => {
      await withClient(url, async (c) => {
        await c.query('ALTER TABLE messages DROP CONSTRAINT messages_user_id_fkey');
        await c.query('ALTER TABLE users DROP CONSTRAINT users_email_key');
        await c.query(`UPDATE messages SET user_id = 999999 WHERE id IN (1, 2)`);
        await c.query(`UPDATE users SET email = 'same@example.com' WHERE id IN (5, 6)`);
      });
      const report = await validateDatabase({ url, plan, checks: [...(def.checks ?? []), { name: 'broken_sql', sql: 'SELECT * FROM no_such_table' }] });
      assert.equal(report.ok, false);
      const failed = report.items.filter((i) => !i.ok);
      const find = (kind: string, re: RegExp) => failed.find((i) => i.kind === kind && re.test(i.name));
      assert.equal(find('fk', /messages\(user_id\) → users\(id\)/)?.count, 2);
      assert.equal(find('unique', /users\(email\)/)?.count, 1);
      assert.ok(find('rows', /users rows/), 'the grown table no longer matches the light plan');
      assert.ok(find('check', /message_author_is_member_after_joining/));
      assert.match(find('check', /broken_sql/)!.detail, /could not run: relation "no_such_table" does not exist/);
      assert.match(formatValidationTable(report), /^FAIL/m);
    });
  });
}
