/**
 * The vector sink undoes an aborted run, with the real SDKs: Pinecone (against the stand-in) deletes
 * the ids the run upserted; LanceDB puts each table back to its version before the run, or drops a
 * table the run created. A journal left by a process that no longer runs is undone by the next run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { LANCEDB_JOURNAL_DIR, LanceDbIndex, VectorSink, journalFileName, makeEmbedder, removeVectorLeftovers, vectorTarget, type EmbedSpec, type VectorIndex } from '../../../stages/sinks/vectors/index.js';
import { articleBatch, articlesTable, runInfo } from '../../../stages/sinks/vectors/fixtures.js';
import { startPineconeStandin } from '../../support/standins/pinecone.js';

const spec: EmbedSpec = { text: (r) => `${String(r.title)}\n${String(r.body)}`, metadata: (r) => ({ title: r.title }) };

function sinkOf(index: VectorIndex, warn?: (m: string) => void): VectorSink {
  return new VectorSink({ embedder: makeEmbedder('local'), index, specs: new Map([['articles', spec]]), ...(warn ? { warn } : {}) });
}

/** Writes `rows` articles; commits, or aborts after the last write has settled. */
async function load(sink: VectorSink, rows: number, end: 'commit' | 'abort'): Promise<void> {
  const info = articlesTable(rows);
  await sink.open(runInfo([info]));
  const w = await sink.table(info);
  for (let s = 0; s < rows; s += 256) await w.write(articleBatch(s, Math.min(256, rows - s)));
  const res = await w.close();
  if (end === 'commit') await sink.commit([res]);
  else await sink.abort(new Error('interrupted'));
}

/** The PID of a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

test('pinecone: an aborted run deletes the ids it upserted (in requests of ≤ 1,000 ids) and removes its journal', async () => {
  const pc = await startPineconeStandin();
  const state = await mkdtemp(join(tmpdir(), 'sp-undo-pc-'));
  try {
    const env = { PINECONE_API_KEY: pc.apiKey, PINECONE_CONTROLLER_HOST: pc.controllerHostUrl };
    const sink = sinkOf(vectorTarget('pinecone://test-index', env, { stateDir: state }));
    await load(sink, 2500, 'abort');
    assert.equal(pc.count('articles'), 0, 'no vector of the aborted run is left');
    assert.match(sink.undone ?? '', /^deleted the 2,500 vector\(s\) the run had upserted to pinecone:\/\/test-index \(namespace articles\)$/);
    const deletes = pc.requests.filter((r) => r.path === '/vectors/delete' && r.status === 200);
    assert.equal(deletes.length, 3);
    assert.deepEqual(await readdir(join(state, 'pinecone-test-index')), [], 'the journal is gone');

    // A committed run keeps its vectors and leaves no journal.
    await load(sinkOf(vectorTarget('pinecone://test-index', env, { stateDir: state })), 700, 'commit');
    assert.equal(pc.count('articles'), 700);
    assert.deepEqual(await readdir(join(state, 'pinecone-test-index')), []);
  } finally {
    await pc.close();
    await rm(state, { recursive: true, force: true });
  }
});

test('pinecone: the journal of a killed run is undone by the next run, which then writes exactly its own vectors', async () => {
  const pc = await startPineconeStandin();
  const state = await mkdtemp(join(tmpdir(), 'sp-undo-pc-'));
  try {
    const env = { PINECONE_API_KEY: pc.apiKey, PINECONE_CONTROLLER_HOST: pc.controllerHostUrl };
    // What a run killed after 1,200 upserts leaves: its vectors, and its journal.
    await load(sinkOf(vectorTarget('pinecone://test-index', env)), 1200, 'commit');
    const dir = join(state, 'pinecone-test-index');
    await mkdir(dir, { recursive: true });
    const pid = deadPid();
    const ids = Array.from({ length: 1200 }, (_, i) => `articles:${i + 1}`);
    await writeFile(join(dir, journalFileName(pid)), `{"ns":"articles","mark":{}}\n{"ns":"articles","ids":${JSON.stringify(ids)}}\n{"ns":"arti`);
    assert.equal(pc.count('articles'), 1200);

    const warnings: string[] = [];
    await load(sinkOf(vectorTarget('pinecone://test-index', env, { stateDir: state }), (m) => warnings.push(m)), 300, 'commit');
    assert.equal(pc.count('articles'), 300, 'exactly the vectors of the run that finished');
    assert.deepEqual(warnings, [`deleted the 1,200 vector(s) the run had upserted to pinecone://test-index (namespace articles), left by process ${pid} that no longer runs`]);
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await pc.close();
    await rm(state, { recursive: true, force: true });
  }
});

test('pinecone: two sinks of one process into one target keep a journal each; the second to open does not undo the first', async () => {
  const pc = await startPineconeStandin();
  const state = await mkdtemp(join(tmpdir(), 'sp-undo-pc-'));
  try {
    const env = { PINECONE_API_KEY: pc.apiKey, PINECONE_CONTROLLER_HOST: pc.controllerHostUrl };
    const dir = join(state, 'pinecone-test-index');
    const first = sinkOf(vectorTarget('pinecone://test-index', env, { stateDir: state }));
    const info = articlesTable(400);
    await first.open(runInfo([info]));
    const w = await first.table(info);
    await w.write(articleBatch(0, 400));
    const res = await w.close();
    assert.equal((await readdir(dir)).length, 1, 'the first run\'s journal');

    const warnings: string[] = [];
    const second = sinkOf(vectorTarget('pinecone://test-index', env, { stateDir: state }), (m) => warnings.push(m));
    await second.open(runInfo([articlesTable(0)]));
    assert.deepEqual(warnings, [], 'a run in progress in this process is not a leftover');
    assert.equal(pc.count('articles'), 400);
    await second.abort(new Error('interrupted'));
    assert.equal(second.undone, 'stopped the upserts to pinecone://test-index (none had been sent)');

    await first.commit([res]);
    assert.equal(pc.count('articles'), 400);
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await pc.close();
    await rm(state, { recursive: true, force: true });
  }
});

test('lancedb: an aborted run puts an existing table back to its version before the run, and drops a table it created', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sp-undo-lance-'));
  try {
    const created = sinkOf(new LanceDbIndex({ dir }));
    await load(created, 600, 'abort');
    assert.match(created.undone ?? '', /^rolled back lancedb:\/\/.*: dropped table articles \(created by the run\)$/);
    const db = await lancedb.connect(dir);
    assert.deepEqual(await db.tableNames(), []);

    await load(sinkOf(new LanceDbIndex({ dir })), 500, 'commit');
    const before = await db.openTable('articles');
    const version = await before.version();
    const ids = (await before.query().select(['id']).toArray()).map((r: { id: string }) => r.id).sort();
    before.close();

    const again = sinkOf(new LanceDbIndex({ dir }));
    await load(again, 1500, 'abort');
    assert.equal(again.undone, `rolled back lancedb://${dir}: table articles back to version ${version}`);
    assert.deepEqual(await db.tableNames(), ['articles'], 'the journal folder is not a table');
    const after = await db.openTable('articles');
    assert.equal(await after.countRows(), 500, 'the rows of the run before, no more');
    assert.deepEqual((await after.query().select(['id']).toArray()).map((r: { id: string }) => r.id).sort(), ids);
    assert.ok((await after.version()) > version, 'the restore is the newest version');
    after.close();
    assert.deepEqual(await readdir(join(dir, LANCEDB_JOURNAL_DIR)), [], 'no journal left');
    db.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('lancedb: a killed run\'s journal is undone by removeVectorLeftovers (what clean and the next run call); a running one is left alone', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sp-undo-lance-'));
  try {
    await load(sinkOf(new LanceDbIndex({ dir })), 300, 'commit');
    const db = await lancedb.connect(dir);
    const t = await db.openTable('articles');
    const version = await t.version();
    t.close();
    // A killed run: it had noted version `version`, then written more rows.
    await load(sinkOf(new LanceDbIndex({ dir })), 900, 'commit');
    const pid = deadPid();
    await writeFile(join(dir, LANCEDB_JOURNAL_DIR, journalFileName(pid)), `{"ns":"articles","mark":{"version":${version}}}\n`);
    await writeFile(join(dir, LANCEDB_JOURNAL_DIR, journalFileName(process.ppid)), `{"ns":"articles","mark":{"version":1}}\n`);

    const index = new LanceDbIndex({ dir });
    const report = await removeVectorLeftovers(index, -1);
    assert.deepEqual(report.removed, [`rolled back lancedb://${dir}: table articles back to version ${version}, left by process ${pid} that no longer runs`]);
    assert.equal(report.kept.length, 1);
    assert.match(report.kept[0]!, new RegExp(`of process ${process.ppid} on `));
    assert.equal(await index.count('articles'), 300);
    await index.close();
    db.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
