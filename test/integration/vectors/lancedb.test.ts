/** The vector sink writing into a real LanceDB directory with the local embedder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LanceDbIndex, LocalEmbedder, VectorSink, makeEmbedder, vectorTarget, type EmbedSpec } from '../../../stages/sinks/vectors/index.js';
import { articleBatch, articleRow, articlesTable, runInfo } from '../../../stages/sinks/vectors/fixtures.js';
import type { TableResult } from '../../../src/contracts.js';

const spec: EmbedSpec = {
  text: (r) => `${String(r.title)}\n${String(r.body)}`,
  metadata: (r) => ({ title: r.title, author_id: r.author_id }),
};

async function load(sink: VectorSink, rows: number): Promise<TableResult> {
  const info = articlesTable(rows);
  await sink.open(runInfo([info]));
  const w = await sink.table(info);
  for (let s = 0; s < rows; s += 256) await w.write(articleBatch(s, Math.min(256, rows - s)));
  const res = await w.close();
  await sink.commit([res]);
  return res;
}

test('lancedb: upsert, re-upsert keeps the count, search by a row\'s own text finds it first', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'seedpipe-lancedb-'));
  try {
    const index = vectorTarget(`lancedb://${dir}/db`, {});
    assert.ok(index instanceof LanceDbIndex);
    assert.equal(index.location, `lancedb://${dir}/db`);
    const first = await load(new VectorSink({ embedder: makeEmbedder('local'), index, specs: new Map([['articles', spec]]) }), 1000);
    assert.equal(first.rows, 1000);
    assert.equal(await index.count('articles'), 1000);

    // A re-run (new sink, new index handle on the same directory) overwrites by id.
    const again = new LanceDbIndex({ dir: join(dir, 'db') });
    const second = await load(new VectorSink({ embedder: makeEmbedder('local'), index: again, specs: new Map([['articles', spec]]) }), 1000);
    assert.equal(second.rows, 1000);
    assert.equal(await again.count('articles'), 1000);

    const local = new LocalEmbedder();
    for (const i of [0, 5, 123, 999]) {
      const row = articleRow(i);
      const [q] = await local.embed([`${String(row[1])}\n${String(row[2])}`]) as [Float32Array];
      const hits = await again.search('articles', q, 3);
      assert.equal(hits[0]?.id, `articles:${String(row[0])}`);
      assert.ok((hits[0]?.distance ?? 1) < 1e-5, `own text at distance ${hits[0]?.distance}`);
      assert.deepEqual(hits[0]?.metadata, { title: row[1], author_id: row[4] });
    }
    assert.deepEqual(await again.search('nothing_here', new Float32Array(384), 3), []);
    assert.equal(await again.count('nothing_here'), 0);
    await index.close?.();
    await again.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('lancedb: a table of another dimension is refused with a clear error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'seedpipe-lancedb-'));
  try {
    const a = new LanceDbIndex({ dir });
    await a.upsert('ns', [{ id: 'x', values: new Float32Array(8).fill(0.5), metadata: {} }]);
    await a.close();
    const b = new LanceDbIndex({ dir });
    await assert.rejects(b.upsert('ns', [{ id: 'y', values: new Float32Array(16).fill(0.5), metadata: {} }]), { code: 'VECTORS_DIMENSION_MISMATCH' });
    await assert.rejects(b.upsert('bad name!', [{ id: 'y', values: new Float32Array(16).fill(0.5), metadata: {} }]), { code: 'VECTORS_NAMESPACE' });
    await b.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('lancedb: concurrent upserts into one namespace are serialised, none lost', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'seedpipe-lancedb-'));
  try {
    const idx = new LanceDbIndex({ dir });
    const local = new LocalEmbedder({ dimensions: 32 });
    await Promise.all(Array.from({ length: 8 }, async (_, b) => {
      const ids = Array.from({ length: 50 }, (_, i) => `t:${b * 50 + i}`);
      const vs = await local.embed(ids);
      await idx.upsert('many', ids.map((id, i) => ({ id, values: vs[i] as Float32Array, metadata: { b } })));
    }));
    assert.equal(await idx.count('many'), 400);
    await idx.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
