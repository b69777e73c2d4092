/**
 * The Postgres sink against a fake client that speaks just enough of pg's COPY protocol (the calls pg makes on a
 * pg-copy-streams stream): the order of statements, what is COPYed, abort semantics. No I/O.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunInfo, TableInfo } from '../../../src/contracts.js';
import { isSeedpipeError } from '../../../src/errors.js';
import { PostgresSink } from '../../../stages/sinks/postgres/index.js';
import type { PgClientLike } from '../../../stages/sinks/postgres/client.js';
import { FakePg } from './fake-pg.js';
import { streamFor } from '../../support/streams.js';

const info: TableInfo = {
  name: 't',
  columns: [
    { name: 'id', type: 'bigint', nullable: false, exported: true, deferred: false },
    { name: 'name', type: 'text', nullable: true, exported: true, deferred: false },
  ],
  primaryKey: ['id'], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 2, firstRow: 0,
};
const run: RunInfo = {
  dataset: 'unit', seed: 1, profile: 'p', scale: 1, refDate: '2025-01-01T00:00:00Z', startedAt: '2025-01-01T00:00:00Z',
  versions: { seedpipe: '0', faker: '0', node: process.version }, tables: [info],
};
const URL = 'postgres://me:pa55word-secret@127.0.0.1:5432/app';

const batch = (csv: string) => ({ table: 't', start: 0, count: csv.split('\n').length - 1, rows: undefined, bytes: Buffer.from(csv) });

test('one transaction: BEGIN, TRUNCATE, COPY FREEZE of the batches as given, ANALYZE, COMMIT; abort after commit does nothing', async () => {
  const fake = new FakePg();
  const sink = new PostgresSink({ url: URL, copyFormat: 'text', connect: async () => fake.client() });
  await sink.open(run);
  const w = await sink.table(info, streamFor(sink, info));
  await w.write(batch('1,a\n'));
  await w.write(batch('2,"b,c"\n'));
  const result = await w.close();
  assert.deepEqual(result, { table: 't', rows: 2, bytes: 12, details: { mode: 'replace', copied: 2, generated: 2 } });
  const summary = await sink.commit([result]);
  assert.equal(Buffer.concat(fake.copied).toString(), '1,a\n2,"b,c"\n');
  assert.deepEqual(summary, { sink: 'postgres', location: 'postgres://127.0.0.1:5432/app', tables: [result], extra: { mode: 'replace', rowsInserted: 2 } });
  const statements = fake.queries.map((q) => q.split(' ').slice(0, 2).join(' '));
  assert.equal(statements[0], 'BEGIN');
  assert.ok(statements.indexOf('TRUNCATE "public"."t"') < fake.queries.indexOf('COPY "public"."t" ("id", "name") FROM STDIN WITH (FORMAT csv, FREEZE)'));
  assert.ok(fake.queries.includes('TRUNCATE "public"."t"'));
  assert.deepEqual(fake.queries.slice(-2), ['ANALYZE "public"."t"', 'COMMIT']);
  const before = fake.queries.length;
  await sink.abort(new Error('late'));
  assert.equal(fake.queries.length, before);
  assert.equal(fake.ends, 1);
});

test('after open, a table whose columns have the dataset\'s types is asked for in copy-binary and COPYed in binary; copyFormat text keeps CSV', async () => {
  for (const copyFormat of [undefined, 'text'] as const) {
    const fake = new FakePg();
    const sink = new PostgresSink({ url: URL, connect: async () => fake.client(), ...(copyFormat ? { copyFormat } : {}) });
    assert.equal(sink.input(info).format, 'copy-csv', 'before open: nothing known');
    await sink.open(run);
    const binary = copyFormat === undefined;
    assert.deepEqual(sink.input(info), binary ? { format: 'copy-binary', orElse: 'copy-csv', rows: false } : { format: 'copy-csv', rows: false });
    const w = await sink.table(info, streamFor(sink, info));
    await w.write(batch('1,a\n'));
    await w.close();
    await sink.commit([]);
    assert.ok(fake.queries.includes(`COPY "public"."t" ("id", "name") FROM STDIN WITH (FORMAT ${binary ? 'binary' : 'csv'}, FREEZE)`), fake.queries.join('\n'));
    if (binary) assert.ok(Buffer.concat(fake.copied).subarray(0, 11).equals(Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')), 'the PGCOPY header first');
  }
});

test('abort mid-COPY sends CopyFail, then ROLLBACK, once, however often it is called', async () => {
  const fake = new FakePg();
  const sink = new PostgresSink({ url: URL, connect: async () => fake.client() });
  await sink.open(run);
  const w = await sink.table(info, streamFor(sink, info));
  await w.write(batch('1,a\n'));
  await Promise.all([sink.abort(new Error('boom')), sink.abort(new Error('boom again'))]);
  await sink.abort(new Error('and again'));
  assert.equal(fake.copyFails, 1);
  assert.equal(fake.queries.filter((q) => q === 'ROLLBACK').length, 1);
  assert.ok(!fake.queries.includes('COMMIT'));
  assert.equal(fake.ends, 1);
  await assert.rejects(sink.commit([]), { code: 'POSTGRES_NOT_OPEN' });
});

test('a dropped connection: the next call fails with DB_CONNECTION_LOST, and abort only closes', async () => {
  const fake = new FakePg();
  const sink = new PostgresSink({ url: URL, connect: async () => fake.client() });
  await sink.open(run);
  fake.fail(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
  await assert.rejects(sink.table(info, streamFor(sink, info)), (e: unknown) => {
    assert.ok(isSeedpipeError(e));
    assert.equal(e.code, 'DB_CONNECTION_LOST');
    assert.equal(e.disposition, 'retriable');
    assert.match(e.message, /was terminated/);
    assert.doesNotMatch(e.message, /pa55word/);
    return true;
  });
  await sink.abort(new Error('x'));
  assert.ok(!fake.queries.includes('ROLLBACK'));
  assert.equal(fake.ends, 1);
});

test('non-empty tables are not emptied without confirmation; nothing is written', async () => {
  const fake = new FakePg();
  fake.nonEmpty = true;
  const asked: string[][] = [];
  const sink = new PostgresSink({ url: URL, connect: async () => fake.client(), confirm: async (t) => { asked.push(t); return false; } });
  await assert.rejects(sink.open(run), { code: 'TRUNCATE_NOT_CONFIRMED' });
  assert.deepEqual(asked, [['t']]);
  assert.ok(!fake.queries.some((q) => /^(TRUNCATE|COPY|ALTER|DROP|CREATE)/.test(q)), fake.queries.join('\n'));
  assert.equal(fake.queries.at(-1), 'ROLLBACK');
  // --yes skips the question.
  const yes = new FakePg();
  yes.nonEmpty = true;
  const s2 = new PostgresSink({ url: URL, yes: true, connect: async () => yes.client(), confirm: async () => assert.fail('not asked with yes') });
  await s2.open(run);
  assert.ok(yes.queries.includes('TRUNCATE "public"."t"'));
  await s2.abort(new Error('done'));
});

test('another run holding the lock of the dataset and schema: RUN_IN_PROGRESS naming it, before anything is emptied', async () => {
  const fake = new FakePg();
  fake.nonEmpty = true;
  fake.lockHolder = { pid: 4242, app: 'seedpipe pid=977@loader-1', addr: '10.0.0.7', since: '2025-06-01T08:00:00.000Z' };
  const sink = new PostgresSink({ url: URL, yes: true, connect: async () => fake.client() });
  await assert.rejects(sink.open(run), (e: unknown) => {
    assert.ok(isSeedpipeError(e) && e.code === 'RUN_IN_PROGRESS');
    assert.match(e.message, /dataset unit into schema public/);
    assert.match(e.message, /"seedpipe pid=977@loader-1" \(backend pid 4242, client 10\.0\.0\.7, connected since 2025-06-01T08:00:00\.000Z\)/);
    assert.match(e.message, /pg_terminate_backend\(4242\)/);
    assert.doesNotMatch(e.message, /pa55word/);
    return true;
  });
  assert.ok(!fake.queries.some((q) => /^(TRUNCATE|COPY|ALTER|DROP|CREATE)/.test(q)), fake.queries.join('\n'));
  assert.equal(fake.ends, 1);
  assert.ok(fake.queries.some((q) => /set_config\('application_name'/.test(q)), 'the session names its process and host');
});

test('a remote database is refused before connecting unless confirmed', async () => {
  let connected = 0;
  const fake = new FakePg();
  const connect = async (): Promise<PgClientLike> => { connected++; return fake.client(); };
  const remote = 'postgres://me:pa55word-secret@db.example.com:5432/prod';
  await assert.rejects(new PostgresSink({ url: remote, connect }).open(run), (e: unknown) => {
    assert.ok(isSeedpipeError(e));
    assert.equal(e.code, 'PRODUCTION_NOT_CONFIRMED');
    assert.doesNotMatch(e.message, /pa55word/);
    return true;
  });
  assert.equal(connected, 0);
  const ok = new PostgresSink({ url: remote, connect, confirmProduction: true });
  await ok.open(run);
  assert.equal(connected, 1);
  await ok.abort(new Error('done'));
});

test('copy-csv for every table, row values only for tables with deferred (cycle-breaking) columns; unknown modes are refused', () => {
  const sink = new PostgresSink({ url: URL });
  assert.deepEqual(sink.input(info), { format: 'copy-csv', rows: false });
  assert.deepEqual(sink.input({ ...info, columns: [...info.columns, { name: 'b_id', type: 'bigint', nullable: true, exported: true, deferred: true }] }), { format: 'copy-csv', rows: true });
  assert.throws(() => new PostgresSink({ url: URL, mode: 'upsert' as never }), { code: 'POSTGRES_MODE_INVALID' });
});
