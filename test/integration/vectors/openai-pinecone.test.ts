/**
 * The vector sink with the real `openai` and `@pinecone-database/pinecone` SDKs against the
 * wire-format stand-ins: data lands exactly once with the right ids, values and metadata; requests
 * stay within the providers' limits; rate limits and server errors are survived; a rejected key
 * stops the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VectorSink, makeEmbedder, vectorTarget, type EmbedSpec } from '../../../stages/sinks/vectors/index.js';
import type { RetryOptions } from '../../../stages/sinks/vectors/retry.js';
import { articleBatch, articleRow, articlesTable, runInfo } from '../../../stages/sinks/vectors/fixtures.js';
import type { TableResult } from '../../../src/contracts.js';
import { startOpenAIStandin, standinEmbedding, type OpenAIStandin } from '../../support/standins/openai.js';
import { startPineconeStandin, type PineconeStandin } from '../../support/standins/pinecone.js';

const MODEL = 'text-embedding-3-small';

const spec: EmbedSpec = {
  text: (r) => `${String(r.title)}\n${String(r.body)}`,
  metadata: (r) => ({ title: r.title, tags: r.tags === null ? null : String(r.tags).split(','), author_id: r.author_id }),
};

function textOf(i: number): string {
  const row = articleRow(i);
  return `${String(row[1])}\n${String(row[2])}`;
}

interface Rig {
  oa: OpenAIStandin;
  pc: PineconeStandin;
  close(): Promise<void>;
}

async function rig(dims: number, opts: { latencyMs?: number } = {}): Promise<Rig> {
  const oa = await startOpenAIStandin(opts);
  const pc = await startPineconeStandin({ dimension: dims, ...opts });
  return { oa, pc, close: async () => { await oa.close(); await pc.close(); } };
}

interface SinkOpts {
  dims: number;
  apiKey?: string;
  pineconeKey?: string;
  cacheDir?: string;
  retry?: RetryOptions;
  concurrency?: number;
  batchVectors?: number;
  target?: string;
  warn?: (m: string) => void;
}

function makeSink(r: Rig, o: SinkOpts): VectorSink {
  const retry: RetryOptions = o.retry ?? { maxAttempts: 30, sleep: async () => {} };
  const embedder = makeEmbedder(`openai:${MODEL}`, {
    apiKey: o.apiKey ?? r.oa.apiKey,
    baseURL: r.oa.baseURL,
    dimensions: o.dims,
    retry,
    ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
  });
  const index = vectorTarget(o.target ?? 'pinecone://test-index', {
    PINECONE_API_KEY: o.pineconeKey ?? r.pc.apiKey,
    PINECONE_CONTROLLER_HOST: r.pc.controllerHostUrl,
  }, { retry, ...(o.warn ? { warn: o.warn } : {}) });
  return new VectorSink({
    embedder,
    index,
    specs: new Map([['articles', spec]]),
    concurrency: o.concurrency ?? 4,
    batchVectors: o.batchVectors ?? 100,
    ...(o.warn ? { warn: o.warn } : {}),
  });
}

/** Feeds `rows` article rows in pipeline-sized batches and closes the table. */
async function load(sink: VectorSink, rows: number, batchRows = 500): Promise<TableResult> {
  const info = articlesTable(rows);
  await sink.open(runInfo([info]));
  const w = await sink.table(info);
  try {
    for (let s = 0; s < rows; s += batchRows) await w.write(articleBatch(s, Math.min(batchRows, rows - s)));
    return await w.close();
  } catch (err) {
    await sink.abort(err);
    throw err;
  }
}

function upsertedIds(pc: PineconeStandin): string[] {
  return pc.upserts.flatMap((r) => r.info.ids as string[]);
}

function assertWithinLimits(r: Rig): void {
  for (const q of r.oa.requests) assert.ok((q.info.inputs as number | undefined ?? 0) <= 2048, `openai request of ${String(q.info.inputs)} inputs`);
  for (const q of r.pc.requests.filter((x) => x.path === '/vectors/upsert')) {
    assert.ok(q.bytes <= 2_000_000, `upsert of ${q.bytes} bytes`);
    assert.ok((q.info.vectors as number | undefined ?? 0) <= 1000, `upsert of ${String(q.info.vectors)} vectors`);
  }
  assert.deepEqual(r.pc.rejected.map((x) => x.reason), []);
}

test('every row is embedded and upserted exactly once with its id, values and metadata', async () => {
  const r = await rig(64);
  try {
    const sink = makeSink(r, { dims: 64 });
    const res = await load(sink, 1234);
    assert.equal(res.rows, 1234);
    const summary = await sink.commit([res]);
    assert.equal(summary.location, 'pinecone://test-index');
    assert.equal(summary.extra?.vectors, 1234);
    assert.equal(summary.extra?.embeddingRequests, r.oa.requests.length);

    const ids = upsertedIds(r.pc);
    assert.equal(ids.length, 1234, 'one upsert per row');
    assert.equal(new Set(ids).size, 1234, 'no row twice');
    const ns = r.pc.store.get('articles');
    assert.ok(ns);
    assert.equal(ns.size, 1234);
    for (const i of [0, 1, 2, 3, 617, 1233]) {
      const row = articleRow(i);
      const v = ns.get(`articles:${String(row[0])}`);
      assert.ok(v, `articles:${String(row[0])}`);
      const expected = standinEmbedding(textOf(i), 64);
      assert.deepEqual(v.values.map((x) => Math.fround(x)), Array.from(expected), 'values survive base64 → float32 → JSON exactly');
      assert.deepEqual(v.metadata, row[3] === null
        ? { title: row[1], author_id: row[4] }
        : { title: row[1], tags: String(row[3]).split(','), author_id: row[4] });
    }
    // The SDK asked for base64 and the dimensions we set; every request authenticated.
    assert.ok(r.oa.requests.every((q) => q.info.encoding === 'base64' && q.info.dimensions === 64 && q.status === 200));
    assert.ok(r.pc.requests.every((q) => q.info.apiVersion === '2026-04'));
    assertWithinLimits(r);
  } finally {
    await r.close();
  }
});

test('large vectors: upserts are split by the 2 MB body limit and packed close to it', async () => {
  const r = await rig(1536);
  try {
    const sink = makeSink(r, { dims: 1536, batchVectors: 1000, concurrency: 2 });
    const res = await load(sink, 2500, 2500);
    assert.equal(res.rows, 2500);
    assert.equal(r.pc.count('articles'), 2500);
    assertWithinLimits(r);
    const sizes = r.pc.upserts.map((q) => q.bytes);
    assert.ok(Math.max(...sizes) > 1_500_000, `largest upsert ${Math.max(...sizes)} bytes`);
    assert.ok(r.oa.requests.every((q) => (q.info.inputs as number) <= 1000));
  } finally {
    await r.close();
  }
});

test('a storm of 20 consecutive 429s (retry-after: 0) on both services is survived', async () => {
  const r = await rig(32);
  try {
    const sink = makeSink(r, { dims: 32, concurrency: 1 });
    r.oa.failNext(20, 429, { 'retry-after': '0' });
    r.pc.failNext(20, 429, { 'retry-after': '0' }, { path: '/vectors/upsert' });
    const res = await load(sink, 300);
    assert.equal(res.rows, 300);
    assert.equal(r.pc.count('articles'), 300);
    assert.equal(r.oa.requests.filter((q) => q.status === 429).length, 20);
    assert.equal(r.pc.requests.filter((q) => q.status === 429).length, 20);
    assert.equal(new Set(upsertedIds(r.pc)).size, 300);
    const summary = await sink.commit([res]);
    assert.equal(summary.extra?.embeddingRetries, 20);
    assert.equal(summary.extra?.upsertRetries, 20);
    assertWithinLimits(r);
  } finally {
    await r.close();
  }
});

test('a 500 is retried after a backoff', async () => {
  const r = await rig(16);
  try {
    const sleeps: number[] = [];
    const sink = makeSink(r, { dims: 16, retry: { sleep: async (ms) => { sleeps.push(ms); }, baseDelayMs: 100, random: () => 0 } });
    r.oa.failNext(1, 500);
    r.pc.failNext(1, 503, {}, { path: '/vectors/upsert' });
    const res = await load(sink, 50);
    assert.equal(res.rows, 50);
    assert.equal(r.pc.count('articles'), 50);
    assert.deepEqual(sleeps, [50, 50], 'one backoff per service, none from a retry-after');
  } finally {
    await r.close();
  }
});

test('a rejected OpenAI key stops at once with a clear error and nothing is claimed', async () => {
  const r = await rig(16);
  const badKey = 'sk-proj-WRONG-key-0123456789';
  try {
    const sink = makeSink(r, { dims: 16, apiKey: badKey });
    await assert.rejects(load(sink, 1000), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'EMBEDDINGS_AUTH');
      assert.match(e.message, /401/);
      assert.match(e.message, /OPENAI_API_KEY/);
      assert.ok(!e.message.includes(badKey), e.message);
      return true;
    });
    // Nothing is claimed: the aborted sink refuses to commit, naming why it was aborted.
    await assert.rejects(sink.commit([]), (e: Error & { code?: string }) => e.code === 'VECTORS_SINK_STATE' && /401/.test(e.message));
    assert.ok(r.oa.requests.length <= 4, `${r.oa.requests.length} requests: no retries, no new work after the failure`);
    assert.equal(r.pc.upserts.length, 0);
  } finally {
    await r.close();
  }
});

test('a rejected Pinecone key fails at open, before any embedding is paid for', async () => {
  const r = await rig(16);
  try {
    const sink = makeSink(r, { dims: 16, pineconeKey: 'pc-wrong-key-0123456789' });
    await assert.rejects(sink.open(runInfo([articlesTable(10)])), (e: Error & { code?: string }) =>
      e.code === 'VECTORS_AUTH' && /PINECONE_API_KEY/.test(e.message) && !e.message.includes('pc-wrong-key-0123456789'));
    assert.equal(r.oa.requests.length, 0);
  } finally {
    await r.close();
  }
});

test('a 401 in the middle of the upserts stops without retrying', async () => {
  const r = await rig(16);
  try {
    const sink = makeSink(r, { dims: 16, concurrency: 1 });
    r.pc.failNext(1, 401, {}, { path: '/vectors/upsert' });
    await assert.rejects(load(sink, 500), { code: 'VECTORS_AUTH' });
    assert.equal(r.pc.requests.filter((q) => q.path === '/vectors/upsert').length, 1);
  } finally {
    await r.close();
  }
});

test('an index of another dimension is refused at open', async () => {
  const r = await rig(32);
  try {
    const sink = makeSink(r, { dims: 16 });
    await assert.rejects(sink.open(runInfo([articlesTable(1)])), { code: 'VECTORS_DIMENSION_MISMATCH' });
  } finally {
    await r.close();
  }
});

test('with ?host= the control plane is never called', async () => {
  const r = await rig(16);
  try {
    const sink = makeSink(r, { dims: 16, target: `pinecone://test-index?host=${encodeURIComponent(r.pc.host)}` });
    const res = await load(sink, 20);
    assert.equal(res.rows, 20);
    assert.equal(r.pc.requests.filter((q) => q.path.startsWith('/indexes/')).length, 0);
  } finally {
    await r.close();
  }
});

test('a second run with the cache makes zero embedding requests and leaves the vector count unchanged', async () => {
  const r = await rig(32);
  const cacheDir = await mkdtemp(join(tmpdir(), 'seedpipe-vcache-'));
  try {
    const first = makeSink(r, { dims: 32, cacheDir });
    await first.commit([await load(first, 800)]);
    const firstRequests = r.oa.requests.length;
    assert.ok(firstRequests >= 8);
    assert.equal(r.pc.count('articles'), 800);
    const upsertsBefore = upsertedIds(r.pc).length;

    const second = makeSink(r, { dims: 32, cacheDir });
    const res = await load(second, 800);
    const summary = await second.commit([res]);
    assert.equal(r.oa.requests.length, firstRequests, 'no embedding request on the second run');
    assert.equal(summary.extra?.cacheHits, 800);
    assert.equal(summary.extra?.embeddingRequests, 0);
    assert.equal(upsertedIds(r.pc).length - upsertsBefore, 800, 'the second run upserts again (overwrite)');
    assert.equal(r.pc.count('articles'), 800, 'same ids: no duplicates');
    const idx = vectorTarget('pinecone://test-index', { PINECONE_API_KEY: r.pc.apiKey, PINECONE_CONTROLLER_HOST: r.pc.controllerHostUrl });
    assert.equal(await idx.count?.('articles'), 800);
  } finally {
    await r.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
});

test('metadata over 40 KB is trimmed with one warning per table and never rejected', async () => {
  const r = await rig(16);
  try {
    const warnings: string[] = [];
    const long: EmbedSpec = { text: (row) => String(row.title), metadata: (row) => ({ title: row.title, body: String(row.body).repeat(2000) }) };
    const retry: RetryOptions = { sleep: async () => {} };
    const sink = new VectorSink({
      embedder: makeEmbedder(`openai:${MODEL}`, { apiKey: r.oa.apiKey, baseURL: r.oa.baseURL, dimensions: 16, retry }),
      index: vectorTarget('pinecone://test-index', { PINECONE_API_KEY: r.pc.apiKey, PINECONE_CONTROLLER_HOST: r.pc.controllerHostUrl }, { retry }),
      specs: new Map([['articles', long]]),
      warn: (m) => warnings.push(m),
    });
    const res = await load(sink, 60);
    assert.equal(res.rows, 60);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] as string, /articles.*body/);
    for (const v of r.pc.store.get('articles')?.values() ?? []) {
      assert.ok(Buffer.byteLength(JSON.stringify(v.metadata)) <= 40_960);
      assert.equal(typeof v.metadata?.title, 'string');
    }
    assertWithinLimits(r);
  } finally {
    await r.close();
  }
});
