/**
 * Binary COPY loads exactly what text COPY loads, on PostgreSQL 18 and 15: the every-type fixture
 * (every column type, NULLs, edge values, a cycle-breaking column) is loaded once with
 * `copyFormat: 'text'` and once with `'binary'`, and every table's contents are compared as the
 * server prints them (numeric scales, float digits, timestamps in a half-hour time zone, jsonb).
 * A table whose database columns have other types than the dataset's is loaded as CSV under `auto`
 * and refused under `binary`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { isSeedpipeError, loadDataset, makePlan, type Plan } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import { PostgresSink } from '../../../stages/sinks/postgres/index.js';
import type { TestPostgres } from '../../support/postgres.js';
import { SERVERS, freshDatabase, recordingConnect, runInfo, withClient } from './helpers.js';

const DATASET = fileURLToPath(new URL('../../fixtures/datasets/every-type.ts', import.meta.url));

/** A connection that records the COPY statements it runs. */
/** The table loads (not the COPY of deferred values into their temp table, always CSV). */
const recording = (copies: string[]) => recordingConnect(copies, (text) => text.startsWith('COPY ') && !text.includes('seedpipe_'));

/** Every row of every table as the server prints it, in key order. */
async function contents(url: string): Promise<Record<string, string[]>> {
  return withClient(url, async (c) => {
    await c.query(`SET TimeZone = 'America/St_Johns'`);
    await c.query(`SET extra_float_digits = 3`);
    const out: Record<string, string[]> = {};
    for (const t of ['things', 'others']) out[t] = (await c.query<{ r: string }>(`SELECT row_value::text AS r FROM "${t}" row_value ORDER BY id`)).rows.map((r) => r.r);
    return out;
  });
}

for (const server of SERVERS) {
  describe(`binary COPY round trip, ${server.name}`, () => {
    let pgServer: TestPostgres;
    let plan: Plan;

    before(async () => {
      pgServer = await server.start();
      plan = makePlan((await loadDataset(DATASET)).def, {});
    });
    after(async () => {
      await pgServer?.stop();
    });

    test('text and binary COPY load identical contents, every type and edge value', async () => {
      const loaded: Record<string, Record<string, string[]>> = {};
      for (const format of ['text', 'binary'] as const) {
        const url = await freshDatabase(pgServer.url, `rt_${format}`);
        const copies: string[] = [];
        await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, createTables: true, copyFormat: format, connect: recording(copies) })] });
        assert.equal(copies.length, 2, copies.join('\n'));
        for (const c of copies) assert.match(c, format === 'binary' ? /FORMAT binary/ : /FORMAT csv/);
        loaded[format] = await contents(url);
      }
      assert.equal(loaded.text!.things!.length, 300);
      assert.equal(loaded.text!.others!.length, 40);
      assert.deepEqual(loaded.binary, loaded.text);
      // The values themselves, not only their agreement: a few the fixture puts in known rows.
      const things = loaded.binary!.things!;
      assert.match(things[3]!, /^\(4,9223372036854775807,/);
      assert.match(things[4]!, /^\(5,-9223372036854775808,/);
      assert.ok(things.some((r) => r.includes(',1000000000000000000000.0000,')), 'toFixed exponent form');
      assert.ok(things.some((r) => r.includes('"ünïcödé 🎉"')));
      // The deferred column was set after the load.
      assert.ok(things.filter((r) => /,\d+\)$/.test(r)).length > 200);
    });

    test('timestamp(0) without time zone (a precision, as Rails declares it) takes binary and rounds exactly as text COPY does', async () => {
      const url = await freshDatabase(pgServer.url, 'rt_precision');
      await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, createTables: true })] });
      await withClient(url, (c) => c.query(`ALTER TABLE things ALTER COLUMN ts TYPE timestamp(0) without time zone`));
      const read = (): Promise<string[]> => withClient(url, async (c) => (await c.query<{ ts: string | null }>(`SELECT ts::text AS ts FROM things ORDER BY id`)).rows.map((r) => String(r.ts)));
      const copies: string[] = [];
      await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, yes: true, connect: recording(copies) })] });
      assert.match(copies.find((c) => c.includes('"things"'))!, /FORMAT binary/);
      const binary = await read();
      await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, yes: true, copyFormat: 'text' })] });
      assert.deepEqual(binary, await read());
      assert.ok(binary.every((t) => t === 'null' || /:\d\d$/.test(t)), 'whole seconds');
    });

    test('auto: binary for tables with the dataset\'s types, CSV for one whose column types differ; binary refuses that table', async () => {
      const url = await freshDatabase(pgServer.url, 'rt_mixed');
      // `things.ts` as timestamp still takes binary; `others.label` as character(50) does not take binary text.
      const setup = new PostgresSink({ url, createTables: true });
      await runPlan({ plan, run: runInfo(plan), sinks: [setup] });
      await withClient(url, (c) => c.query(`ALTER TABLE others ALTER COLUMN label TYPE character(50); ALTER TABLE things ALTER COLUMN ts TYPE timestamp without time zone`));
      const copies: string[] = [];
      const lines: string[] = [];
      await runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, yes: true, connect: recording(copies), log: (l) => lines.push(l) })] });
      assert.equal(copies.length, 2);
      assert.match(copies.find((c) => c.includes('"things"'))!, /FORMAT binary/);
      assert.match(copies.find((c) => c.includes('"others"'))!, /FORMAT csv/);
      assert.ok(lines.some((l) => /^others: loaded with text COPY .*column label: character\(50\) in the database, text in the dataset/.test(l)), lines.join('\n'));
      // timestamp without time zone: the UTC wall time, as text COPY of `…Z` gives
      const ts = await withClient(url, (c) => c.query<{ ts: string }>(`SELECT ts::text AS ts FROM things WHERE id = 9`));
      assert.equal(ts.rows[0]!.ts, '9999-12-31 23:59:59.999');

      await assert.rejects(
        runPlan({ plan, run: runInfo(plan), sinks: [new PostgresSink({ url, yes: true, copyFormat: 'binary' })] }),
        (e: unknown) => {
          assert.ok(isSeedpipeError(e));
          assert.equal(e.code, 'COPY_BINARY_UNSUITED');
          assert.match(e.message, /table others: column label: character\(50\) in the database, text in the dataset/);
          assert.match(e.message, /--copy-format auto/);
          return true;
        },
      );
      // Refused before any row: the previous load is still there.
      const n = await withClient(url, (c) => c.query<{ n: string }>('SELECT count(*) AS n FROM things'));
      assert.equal(Number(n.rows[0]!.n), 300);
    });
  });
}
