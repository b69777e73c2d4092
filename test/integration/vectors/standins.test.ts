/**
 * The stand-ins themselves, driven by the raw SDKs: they enforce the limits the vector pipeline is
 * tested against, so a client that broke a limit would be caught.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { Pinecone } from '@pinecone-database/pinecone';
import { startOpenAIStandin, standinEmbedding } from '../../support/standins/openai.js';
import { startPineconeStandin } from '../../support/standins/pinecone.js';

test('openai stand-in: float and base64 encodings carry the same vectors; dimensions honoured', async () => {
  const oa = await startOpenAIStandin();
  try {
    const client = new OpenAI({ apiKey: oa.apiKey, baseURL: oa.baseURL, maxRetries: 0 });
    const f = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['hello', 'world'], dimensions: 8, encoding_format: 'float' });
    const b = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['hello', 'world'], dimensions: 8 });
    assert.deepEqual(oa.requests.map((r) => r.info.encoding), ['float', 'base64']);
    assert.deepEqual(f.data[1]?.embedding, Array.from(standinEmbedding('world', 8)));
    assert.deepEqual(b.data[1]?.embedding, Array.from(standinEmbedding('world', 8)));
    const full = await client.embeddings.create({ model: 'text-embedding-3-large', input: 'x' });
    assert.equal(full.data[0]?.embedding.length, 3072);
    assert.equal(f.usage.prompt_tokens, 2, 'tokens as cl100k_base counts them');
  } finally {
    await oa.close();
  }
});

test('openai stand-in: wrong key → 401 in OpenAI\'s error shape; over 2,048 inputs → 400', async () => {
  const oa = await startOpenAIStandin();
  try {
    const bad = new OpenAI({ apiKey: 'sk-nope-nope-nope', baseURL: oa.baseURL, maxRetries: 0 });
    await assert.rejects(bad.embeddings.create({ model: 'text-embedding-3-small', input: ['a'] }), (e: Error & { status?: number; code?: string }) =>
      e.status === 401 && e.code === 'invalid_api_key');
    const client = new OpenAI({ apiKey: oa.apiKey, baseURL: oa.baseURL, maxRetries: 0 });
    await assert.rejects(client.embeddings.create({ model: 'text-embedding-3-small', input: Array.from({ length: 2049 }, () => 'a') }), { status: 400 });
    await assert.rejects(client.embeddings.create({ model: 'text-embedding-3-small', input: [''] }), { status: 400 });
    await assert.rejects(client.embeddings.create({ model: 'nope', input: ['a'] }), { status: 404 });
    oa.failNext(1, 429, { 'retry-after': '0' });
    await assert.rejects(client.embeddings.create({ model: 'text-embedding-3-small', input: ['a'] }), (e: Error & { status?: number; headers?: Headers }) =>
      e.status === 429 && e.headers?.get('retry-after') === '0');
    assert.deepEqual(oa.requests.map((r) => r.status), [401, 400, 400, 404, 429]);
  } finally {
    await oa.close();
  }
});

test('pinecone stand-in: upsert overwrites by id, stats and fetch through the SDK', async () => {
  const pc = await startPineconeStandin({ dimension: 4 });
  try {
    const sdk = new Pinecone({ apiKey: pc.apiKey, controllerHostUrl: pc.controllerHostUrl, maxRetries: 0 });
    const model = await sdk.describeIndex('test-index');
    assert.equal(model.host, pc.host);
    const index = sdk.index({ name: 'test-index', host: pc.host });
    await index.upsert({ namespace: 'ns', records: [{ id: 'a', values: [1, 0, 0, 0], metadata: { k: 'v' } }, { id: 'b', values: [0, 1, 0, 0] }] });
    await index.upsert({ namespace: 'ns', records: [{ id: 'a', values: [0, 0, 1, 0] }] });
    const stats = await index.describeIndexStats();
    assert.equal(stats.namespaces?.ns?.recordCount, 2);
    assert.equal(stats.dimension, 4);
    const got = await index.fetch({ namespace: 'ns', ids: ['a', 'zz'] });
    assert.deepEqual(got.records.a?.values, [0, 0, 1, 0]);
    assert.equal(got.records.zz, undefined);
  } finally {
    await pc.close();
  }
});

test('pinecone stand-in: refuses and records upserts over 1,000 vectors, 2 MB or 40 KB of metadata; 401 on a wrong key', async () => {
  const pc = await startPineconeStandin({ dimension: 4 });
  try {
    const index = new Pinecone({ apiKey: pc.apiKey, maxRetries: 0 }).index({ name: 'test-index', host: pc.host });
    const vec = (i: number): { id: string; values: number[] } => ({ id: `v${i}`, values: [1, 2, 3, 4] });
    await assert.rejects(index.upsert({ namespace: 'ns', records: Array.from({ length: 1001 }, (_, i) => vec(i)) }));
    await assert.rejects(index.upsert({ namespace: 'ns', records: Array.from({ length: 100 }, (_, i) => ({ ...vec(i), metadata: { pad: 'x'.repeat(21_000) } })) }));
    await assert.rejects(index.upsert({ namespace: 'ns', records: [{ ...vec(1), metadata: { pad: 'x'.repeat(41_000) } }] }));
    await assert.rejects(index.upsert({ namespace: 'ns', records: [{ id: 'z', values: [0, 0, 0, 0] }] }));
    await assert.rejects(index.upsert({ namespace: 'ns', records: [{ id: 'z', values: [1, 2, 3] }] }));
    assert.equal(pc.rejected.length, 3);
    assert.match(pc.rejected[0]?.reason ?? '', /1001 vectors/);
    assert.match(pc.rejected[1]?.reason ?? '', /exceeds the limit of 2000000 bytes/);
    assert.match(pc.rejected[2]?.reason ?? '', /Metadata size/);
    assert.equal(pc.count('ns'), 0);
    const bad = new Pinecone({ apiKey: 'wrong', maxRetries: 0 }).index({ name: 'test-index', host: pc.host });
    await assert.rejects(bad.upsert({ namespace: 'ns', records: [vec(1)] }), { name: 'PineconeAuthorizationError' });
  } finally {
    await pc.close();
  }
});

test('stand-ins: latency and in-flight tracking', async () => {
  const oa = await startOpenAIStandin({ latencyMs: 30 });
  try {
    const client = new OpenAI({ apiKey: oa.apiKey, baseURL: oa.baseURL, maxRetries: 0 });
    const t0 = performance.now();
    await Promise.all([1, 2, 3].map((i) => client.embeddings.create({ model: 'text-embedding-3-small', input: [`t${i}`] })));
    assert.ok(performance.now() - t0 >= 29);
    assert.equal(oa.maxActive, 3);
    assert.equal(oa.active, 0);
  } finally {
    await oa.close();
  }
});
