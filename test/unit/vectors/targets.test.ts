import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeEmbedder, vectorTarget } from '../../../stages/sinks/vectors/targets.js';
import { LanceDbIndex } from '../../../stages/sinks/vectors/indexes/lancedb.js';
import { PineconeIndex } from '../../../stages/sinks/vectors/indexes/pinecone.js';
import { CachedEmbedder } from '../../../stages/sinks/vectors/embedders/cache.js';

test('vectorTarget: pinecone://<index>, with ?host= and the key from the given env', () => {
  const idx = vectorTarget('pinecone://products', { PINECONE_API_KEY: 'pc-key-123456' });
  assert.ok(idx instanceof PineconeIndex);
  assert.equal(idx.location, 'pinecone://products');
  assert.equal(idx.maxMetadataBytes, 40_960);
  const withHost = vectorTarget('pinecone://products?host=products-abc.svc.pinecone.io', { PINECONE_API_KEY: 'pc-key-123456' });
  assert.equal(withHost.location, 'pinecone://products');
});

test('vectorTarget: a missing Pinecone key is a usage error that names the variable', () => {
  assert.throws(() => vectorTarget('pinecone://products', {}), (e: Error & { code?: string; disposition?: string }) =>
    e.code === 'VECTORS_CONFIG' && e.disposition === 'usage' && /PINECONE_API_KEY/.test(e.message));
});

test('vectorTarget: lancedb:// absolute and relative directories', () => {
  const abs = vectorTarget('lancedb:///var/tmp/vectors', {});
  assert.ok(abs instanceof LanceDbIndex);
  assert.equal(abs.location, 'lancedb:///var/tmp/vectors');
  const rel = vectorTarget('lancedb://out/vectors', {}, { cwd: '/srv/app' });
  assert.equal(rel.location, 'lancedb:///srv/app/out/vectors');
});

test('vectorTarget: unknown schemes are usage errors without the query string', () => {
  assert.throws(() => vectorTarget('qdrant://x?api_key=secret', {}), (e: Error & { code?: string }) => e.code === 'VECTORS_TARGET' && !e.message.includes('secret'));
  assert.throws(() => vectorTarget('lancedb://', {}), { code: 'VECTORS_TARGET' });
});

test('makeEmbedder: local, openai:<model>, cached, unknown', () => {
  assert.equal(makeEmbedder('local').id, 'local:hash-384');
  assert.equal(makeEmbedder('local', { dimensions: 256 }).id, 'local:hash-256');
  const oa = makeEmbedder('openai:text-embedding-3-small', { apiKey: 'sk-test', dimensions: 512 });
  assert.equal(oa.id, 'openai:text-embedding-3-small:512');
  assert.equal(oa.dimensions, 512);
  const cached = makeEmbedder('openai:text-embedding-3-large', { apiKey: 'sk-test', cacheDir: '/tmp/never-written' });
  assert.ok(cached instanceof CachedEmbedder);
  assert.equal(cached.id, 'openai:text-embedding-3-large:3072');
  assert.throws(() => makeEmbedder('cohere:embed-v3'), { code: 'EMBEDDINGS_CONFIG' });
  assert.throws(() => makeEmbedder('openai:'), { code: 'EMBEDDINGS_CONFIG' });
  assert.throws(() => makeEmbedder('openai:text-embedding-3-small'), { code: 'EMBEDDINGS_CONFIG', message: /OPENAI_API_KEY/ });
});
