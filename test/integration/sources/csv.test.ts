/**
 * The CSV source over files on disk: a generated (or exported) folder read back through its manifest
 * passes the same bytes through, gzip and shard parts included; plain CSV files get their columns
 * from the header and inferred or declared types, and their values parsed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildRunInfo, loadDataset, makePlan, runPipeline, type RunInfo, type Source } from '../../../src/index.js';
import { verify } from '../../../src/verify.js';
import { CsvSink } from '../../../stages/sinks/csv/index.js';
import { openCsvSource } from '../../../stages/sources/csv/index.js';
import { standardEncoders } from '../../../stages/encoders/standard/index.js';
import { sampleTransform } from '../../../stages/transforms/sample/index.js';
import { runPlan } from '../../support/pipeline.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sp-csvsrc-'));
  const { def } = await loadDataset('chat');
  const plan = makePlan(def, { profile: 'light', scale: 0.1 });
  await runPlan({ plan, run: buildRunInfo(plan), sinks: [new CsvSink({ dir: join(dir, 'gen') }), new CsvSink({ dir: join(dir, 'gz'), gzip: true })] });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const runOf = (tables: readonly Source[]): RunInfo => ({
  dataset: 'files', seed: 0, profile: 'export', scale: 1, refDate: '2025-01-01T00:00:00.000Z', startedAt: new Date().toISOString(),
  versions: { seedpipe: 'test', faker: 'test', node: process.version }, tables: tables.map((t) => t.info),
});

test('a folder with a manifest: tables, order, types and rows from it; bytes pass straight through; gzip too', async () => {
  for (const from of ['gen', 'gz']) {
    const sources = await openCsvSource({ dir: join(dir, from) });
    assert.deepEqual(sources.tables.map((t) => t.info.name), ['users', 'reactions', 'channels', 'user_channels', 'messages', 'message_reactions'].filter((n) => sources.tables.some((t) => t.info.name === n)));
    const messages = sources.tables.find((t) => t.info.name === 'messages')!;
    assert.equal(messages.info.columns.find((c) => c.name === 'created_at')!.type, 'timestamptz');
    assert.ok(messages.info.foreignKeys.some((f) => f.table === 'channels'));
    const to = join(dir, `copy-${from}`);
    const out = await runPipeline({ run: runOf(sources.tables), sources, encoders: standardEncoders(), sinks: [new CsvSink({ dir: to })] });
    assert.equal(out.tables.find((t) => t.table === 'messages')!.rows, messages.rows);
    for (const t of ['users', 'messages', 'user_channels']) {
      const original = await readFile(join(dir, from, `${t}.csv${from === 'gz' ? '.gz' : ''}`));
      assert.ok((await readFile(join(to, `${t}.csv`))).equals(from === 'gz' ? gunzipSync(original) : original), `${from}/${t}`);
    }
    assert.equal((await verify(to)).ok, true);
  }
});

test('values are parsed when a transform needs them, and keep their types', async () => {
  const sources = await openCsvSource({ dir: join(dir, 'gen') });
  await runPipeline({ run: runOf(sources.tables), sources, encoders: standardEncoders(), transforms: [sampleTransform({ rate: 0.5 })], sinks: [new CsvSink({ dir: join(dir, 'jsonl'), format: 'jsonl' })] });
  const first = JSON.parse((await readFile(join(dir, 'jsonl', 'messages.jsonl'), 'utf8')).split('\n')[0]!) as Record<string, unknown>;
  assert.equal(typeof first.id, 'number');
  assert.match(String(first.created_at), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  assert.equal((await verify(join(dir, 'jsonl'))).ok, true);
});

test('plain CSV files: columns from the header, types inferred or declared, values parsed; a CRLF file with a BOM reads too', async () => {
  const plain = join(dir, 'plain');
  await rm(plain, { recursive: true, force: true });
  await (await import('node:fs/promises')).mkdir(plain);
  await writeFile(join(plain, 'orders.csv'), '\uFEFFid,total,placed,code\r\n1,9.5,2025-01-02,007\r\n2,,2025-01-03,"a,b"\r\n');
  const sources = await openCsvSource({ dir: plain, columns: { orders: { total: 'numeric(10,2)' } } });
  const t = sources.tables[0]!;
  assert.deepEqual(t.info.columns.map((c) => `${c.name}:${c.type}`), ['id:bigint', 'total:numeric(10,2)', 'placed:date', 'code:text']);
  assert.equal(t.encodes!(standardEncoders()[0]!, standardEncoders()[0]!.forTable(t.info)), false, 'files from elsewhere are re-encoded');
  const rows = [];
  for await (const b of t.batches({ batchRows: 10, rows: true, encode: [] })) rows.push(...b.rows!);
  assert.deepEqual(rows, [[1, '9.5', new Date('2025-01-02T00:00:00Z'), '007'], [2, null, new Date('2025-01-03T00:00:00Z'), 'a,b']]);
  await assert.rejects(openCsvSource({ dir: join(dir, 'nope') }), (e: Error & { code?: string }) => e.code === 'VERIFY_TARGET_NOT_FOUND');
});
