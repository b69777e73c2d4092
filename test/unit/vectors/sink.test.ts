import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VectorSink, vectorId } from '../../../stages/sinks/vectors/sink.js';
import type { Embedder } from '../../../stages/sinks/vectors/embedders/types.js';
import type { VectorIndex, VectorRecord } from '../../../stages/sinks/vectors/indexes/types.js';
import type { EmbedSpec } from '../../../stages/sinks/vectors/options.js';
import { SeedpipeError } from '../../../src/errors.js';
import { articleBatch, articlesTable, auditTable, batchOf, membershipsTable, runInfo } from '../../../stages/sinks/vectors/fixtures.js';

/** Embedder whose calls stay pending until released, so tests can observe what is in flight. */
function gatedEmbedder(dims = 4): Embedder & { calls: string[][]; active: number; maxActive: number; release(): void; fail?: Error } {
  let gates: (() => void)[] = [];
  const e = {
    id: 'fake:gated',
    dimensions: dims,
    calls: [] as string[][],
    active: 0,
    maxActive: 0,
    fail: undefined as Error | undefined,
    release() {
      const g = gates;
      gates = [];
      g.forEach((f) => f());
    },
    async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
      e.calls.push(texts);
      e.active++;
      e.maxActive = Math.max(e.maxActive, e.active);
      try {
        await new Promise<void>((resolve, reject) => {
          gates.push(resolve);
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
        if (e.fail) throw e.fail;
        return texts.map((t) => Float32Array.from({ length: dims }, (_, i) => (i === 0 ? t.length : 0.5)));
      } finally {
        e.active--;
      }
    },
  };
  return e;
}

function instantEmbedder(dims = 4): Embedder {
  return {
    id: 'fake:instant',
    dimensions: dims,
    async embed(texts) {
      return texts.map((t) => Float32Array.from({ length: dims }, (_, i) => (i === 0 ? t.length : 0.5)));
    },
  };
}

function memoryIndex(maxMetadataBytes?: number): VectorIndex & { records: Map<string, VectorRecord & { namespace: string }>; calls: number; prepared: number[] } {
  const records = new Map<string, VectorRecord & { namespace: string }>();
  const idx = {
    location: 'memory://test',
    records,
    calls: 0,
    prepared: [] as number[],
    ...(maxMetadataBytes !== undefined ? { maxMetadataBytes } : {}),
    async prepare({ dimensions }: { dimensions: number }) { idx.prepared.push(dimensions); },
    async upsert(namespace: string, recs: VectorRecord[]) {
      idx.calls++;
      for (const r of recs) records.set(`${namespace}/${r.id}`, { ...r, namespace });
    },
    async count(namespace: string) {
      return [...records.values()].filter((r) => r.namespace === namespace).length;
    },
  };
  return idx;
}

const articleSpec: EmbedSpec = {
  text: (r) => `${String(r.title)}\n${String(r.body)}`,
  metadata: (r) => ({ title: r.title, tags: r.tags, author_id: r.author_id }),
};

test('vectorId: table and primary key, composite keys joined with ":"', () => {
  assert.equal(vectorId('articles', [42]), 'articles:42');
  assert.equal(vectorId('memberships', [3, 17]), 'memberships:3:17');
  assert.equal(vectorId('t', [10n, 'a-b']), 't:10:a-b');
});

test('sink: every row embedded and upserted once with id, values and metadata; result rows = vectors', async () => {
  const index = memoryIndex();
  const sink = new VectorSink({ embedder: instantEmbedder(), index, specs: new Map([['articles', articleSpec]]), batchVectors: 7 });
  const info = articlesTable(250);
  await sink.open(runInfo([info]));
  assert.deepEqual(index.prepared, [4]);
  const w = await sink.table(info);
  await w.write(articleBatch(0, 100));
  await w.write(articleBatch(100, 150));
  const res = await w.close();
  assert.equal(res.rows, 250);
  assert.equal(index.records.size, 250);
  // One embedding group across both writes (groups are sized to the embedder, not the index); upserts of 7.
  assert.equal(index.calls, Math.ceil(250 / 7));
  const r = index.records.get('articles/articles:4');
  assert.ok(r);
  const row = articleBatch(3, 1).rows![0] as unknown[];
  assert.equal(r.values[0], `${String(row[1])}\n${String(row[2])}`.length);
  assert.deepEqual(r.metadata, { title: row[1], author_id: row[4] }, 'null tags dropped');
  const summary = await sink.commit([res]);
  assert.equal(summary.location, 'memory://test');
  assert.equal(summary.extra?.vectors, 250);
});

test('sink: composite primary key ids, custom namespace, tables without a spec are ignored', async () => {
  const index = memoryIndex();
  const sink = new VectorSink({
    embedder: instantEmbedder(),
    index,
    specs: new Map<string, EmbedSpec>([['memberships', { text: (r) => String(r.role), namespace: 'people' }]]),
  });
  await sink.open(runInfo([membershipsTable(2), articlesTable(5)]));
  const m = await sink.table(membershipsTable(2));
  await m.write(batchOf('memberships', 0, [[1, 10, 'owner'], [1, 11, 'viewer']]));
  const a = await sink.table(articlesTable(5));
  await a.write(articleBatch(0, 5));
  assert.equal((await m.close()).rows, 2);
  assert.equal((await a.close()).rows, 0);
  assert.deepEqual([...index.records.keys()].sort(), ['people/memberships:1:10', 'people/memberships:1:11']);
});

test('sink: a table without a primary key uses the global row index', async () => {
  const index = memoryIndex();
  const sink = new VectorSink({ embedder: instantEmbedder(), index, specs: new Map([['audit_log', { text: (r: Record<string, unknown>) => String(r.message) }]]) });
  await sink.open(runInfo([auditTable(2)]));
  const w = await sink.table(auditTable(2));
  await w.write(batchOf('audit_log', 500, [['2025-01-01', 'a'], ['2025-01-02', 'b']]));
  await w.close();
  assert.deepEqual([...index.records.keys()].sort(), ['audit_log/audit_log:500', 'audit_log/audit_log:501']);
});

test('sink: backpressure — write resolves only when its groups have a slot; at most two embedding groups in flight', async () => {
  const embedder = gatedEmbedder();
  const index = memoryIndex();
  const sink = new VectorSink({ embedder, index, specs: new Map([['articles', articleSpec]]), concurrency: 2, batchVectors: 10, embedBatch: 10 });
  await sink.open(runInfo([articlesTable(40)]));
  const w = await sink.table(articlesTable(40));
  let resolved = false;
  const p = w.write(articleBatch(0, 40)).then(() => { resolved = true; });
  await new Promise((r) => setImmediate(r));
  assert.equal(embedder.active, 2);
  assert.equal(resolved, false, 'write waits while the 3rd and 4th batches have no slot');
  for (let i = 0; i < 10 && !resolved; i++) {
    embedder.release();
    await new Promise((r) => setImmediate(r));
  }
  await p;
  assert.ok(embedder.maxActive <= 2);
  const closing = w.close();
  for (let i = 0; i < 10; i++) {
    embedder.release();
    await new Promise((r) => setImmediate(r));
  }
  assert.equal((await closing).rows, 40);
  assert.equal(embedder.maxActive, 2);
});

test('sink: upserts in flight are bounded by `concurrency` across all tables of the sink', async () => {
  let active = 0;
  let maxActive = 0;
  let gates: (() => void)[] = [];
  const index = memoryIndex();
  const inner = index.upsert.bind(index);
  index.upsert = async (ns, recs) => {
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise<void>((r) => gates.push(r));
    active--;
    await inner(ns, recs);
  };
  const release = async (): Promise<void> => {
    const g = gates;
    gates = [];
    g.forEach((f) => f());
    await new Promise((r) => setImmediate(r));
  };
  const specs = new Map<string, EmbedSpec>([['articles', articleSpec], ['memberships', { text: (r) => String(r.role) }]]);
  const sink = new VectorSink({ embedder: instantEmbedder(), index, specs, concurrency: 3, batchVectors: 1, embedBatch: 4 });
  await sink.open(runInfo([articlesTable(5)]));
  const a = await sink.table(articlesTable(5));
  const m = await sink.table(membershipsTable(5));
  const wa = a.write(articleBatch(0, 5));
  const wm = m.write(batchOf('memberships', 0, [[1, 1, 'a'], [1, 2, 'b'], [1, 3, 'c'], [1, 4, 'd']]));
  await new Promise((r) => setImmediate(r));
  assert.equal(active, 3, 'three upserts at once, from both tables');
  const closing = Promise.all([wa, wm]).then(() => Promise.all([a.close(), m.close()]));
  let done = false;
  void closing.then(() => { done = true; });
  for (let i = 0; i < 50 && !done; i++) await release();
  const [ra, rm] = await closing;
  assert.equal(ra.rows + rm.rows, 9);
  assert.equal(maxActive, 3);
});

test('sink: the first failure stops everything; writes and close reject with it; nothing claims success', async () => {
  const embedder = gatedEmbedder();
  const index = memoryIndex();
  const sink = new VectorSink({ embedder, index, specs: new Map([['articles', articleSpec]]), concurrency: 2, batchVectors: 5, embedBatch: 5 });
  await sink.open(runInfo([articlesTable(100)]));
  const w = await sink.table(articlesTable(100));
  const writing = w.write(articleBatch(0, 100));
  await new Promise((r) => setImmediate(r));
  embedder.fail = new SeedpipeError('EMBEDDINGS_AUTH', 'key rejected');
  embedder.release();
  await assert.rejects(writing, { code: 'EMBEDDINGS_AUTH' });
  await assert.rejects(w.write(articleBatch(100, 5)), { code: 'EMBEDDINGS_AUTH' });
  await assert.rejects(w.close(), { code: 'EMBEDDINGS_AUTH' });
  await assert.rejects(sink.commit([]), { code: 'EMBEDDINGS_AUTH' });
  assert.equal(index.records.size, 0);
  assert.ok(embedder.calls.length <= 3, `no new work after the failure (${embedder.calls.length} calls)`);
  await sink.abort(new Error('run failed'));
  await sink.abort(new Error('again'));
});

test('sink: abort stops in-flight work and is idempotent', async () => {
  const embedder = gatedEmbedder();
  const sink = new VectorSink({ embedder, index: memoryIndex(), specs: new Map([['articles', articleSpec]]), concurrency: 2, batchVectors: 5, embedBatch: 5 });
  await sink.open(runInfo([articlesTable(50)]));
  const w = await sink.table(articlesTable(50));
  const writing = w.write(articleBatch(0, 50));
  await new Promise((r) => setImmediate(r));
  await sink.abort(new Error('user pressed ctrl-c'));
  await assert.rejects(writing, /ctrl-c/);
  assert.equal(embedder.active, 0);
  await sink.abort(undefined);
  await assert.rejects(w.close(), /ctrl-c/);
});

test('sink: abort waits for an upsert already being written, even while other chunks give up their wait for a slot', async () => {
  let gate: (() => void) | undefined;
  let writing = 0;
  const index = memoryIndex();
  const inner = index.upsert.bind(index);
  // An index that cannot stop a write once started (a LanceDB merge): the undo must come after it.
  index.upsert = async (ns, recs) => {
    writing++;
    await new Promise<void>((r) => { gate = r; });
    await inner(ns, recs);
    writing--;
  };
  const sink = new VectorSink({ embedder: instantEmbedder(), index, specs: new Map([['articles', articleSpec]]), concurrency: 1, batchVectors: 1, embedBatch: 4 });
  await sink.open(runInfo([articlesTable(4)]));
  const w = await sink.table(articlesTable(4));
  await w.write(articleBatch(0, 4));
  for (let i = 0; i < 20 && !gate; i++) await new Promise((r) => setImmediate(r));
  assert.equal(writing, 1, 'one upsert holds the only slot; three chunks wait for it');
  let aborted = false;
  const aborting = sink.abort(new Error('SIGTERM')).then(() => { aborted = true; });
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  assert.equal(aborted, false, 'abort has not settled while the write runs');
  gate!();
  await aborting;
  assert.equal(writing, 0);
  assert.equal(index.calls, 1, 'the chunks still waiting were never sent');
  await assert.rejects(w.close(), /SIGTERM/);
});

test('sink: a spec that throws or returns a non-string is a data-quality error naming the row', async () => {
  const index = memoryIndex();
  const bad = new VectorSink({ embedder: instantEmbedder(), index, specs: new Map([['articles', { text: () => 42 as unknown as string }]]) });
  await bad.open(runInfo([articlesTable(3)]));
  const w = await bad.table(articlesTable(3));
  await assert.rejects(w.write(articleBatch(0, 3)), (e: SeedpipeError) => e.code === 'VECTORS_SPEC' && e.disposition === 'data-quality' && /row 0/.test(e.message));
  const throwing = new VectorSink({ embedder: instantEmbedder(), index, specs: new Map([['articles', { text: (r: Record<string, unknown>) => { if (r.id === 2) throw new Error('boom'); return 'ok'; } }]]) });
  await throwing.open(runInfo([articlesTable(3)]));
  const w2 = await throwing.table(articlesTable(3));
  await assert.rejects(w2.write(articleBatch(0, 3)), (e: SeedpipeError) => e.code === 'VECTORS_SPEC' && /row 1/.test(e.message) && /boom/.test(e.message));
});

test('sink: metadata over the index limit is trimmed with one warning per table', async () => {
  const index = memoryIndex(200);
  const warnings: string[] = [];
  const sink = new VectorSink({
    embedder: instantEmbedder(),
    index,
    specs: new Map<string, EmbedSpec>([['articles', { text: (r) => String(r.title), metadata: (r) => ({ body: String(r.body).repeat(20), id: r.id }) }]]),
    warn: (m) => warnings.push(m),
  });
  await sink.open(runInfo([articlesTable(30)]));
  const w = await sink.table(articlesTable(30));
  await w.write(articleBatch(0, 30));
  await w.close();
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] as string, /articles.*body/);
  for (const r of index.records.values()) assert.ok(Buffer.byteLength(JSON.stringify(r.metadata)) <= 200);
});

test('sink: batches are also bounded by estimated request bytes', async () => {
  const index = memoryIndex();
  const sizes: number[] = [];
  const inner = index.upsert.bind(index);
  index.upsert = async (ns, recs) => { sizes.push(recs.length); await inner(ns, recs); };
  // 1,536 dims ≈ 24.6 KB estimated per record, so 100 KB holds 4 records.
  const sink = new VectorSink({ embedder: instantEmbedder(1536), index, specs: new Map([['articles', articleSpec]]), batchVectors: 1000, maxRequestBytes: 100_000 });
  await sink.open(runInfo([articlesTable(20)]));
  const w = await sink.table(articlesTable(20));
  await w.write(articleBatch(0, 20));
  await w.close();
  assert.ok(sizes.every((n) => n <= 4), sizes.join(','));
  assert.equal(sizes.reduce((a, b) => a + b, 0), 20);
});

test('sink: asks for row values only for tables it embeds; refuses batches without them', async () => {
  const sink = new VectorSink({ embedder: instantEmbedder(), index: memoryIndex(), specs: new Map([['articles', articleSpec]]) });
  assert.deepEqual(sink.input(articlesTable()), { rows: true });
  assert.deepEqual(sink.input(membershipsTable()), {});
  await sink.open(runInfo([articlesTable(3)]));
  const w = await sink.table(articlesTable(3));
  await assert.rejects(w.write({ ...articleBatch(0, 3), rows: [] }), { code: 'VECTORS_NO_ROWS' });
  await assert.rejects(w.write({ ...articleBatch(0, 3), rows: undefined }), { code: 'VECTORS_NO_ROWS' });
});

test('sink: abort after a successful commit does nothing', async () => {
  const index = memoryIndex();
  const sink = new VectorSink({ embedder: instantEmbedder(), index, specs: new Map([['articles', articleSpec]]) });
  await sink.open(runInfo([articlesTable(3)]));
  const w = await sink.table(articlesTable(3));
  await w.write(articleBatch(0, 3));
  const res = await w.close();
  await sink.commit([res]);
  await sink.abort(new Error('a later sink failed'));
  assert.equal(index.records.size, 3);
});
