import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { cacheKey, embedderSpace } from '../../../stages/sinks/vectors/embedders/cache.js';

test('cache key: sha256 of the text, sharded two levels deep under the embedder space', () => {
  const k = cacheKey('openai:text-embedding-3-small:1536', 'hello');
  const h = createHash('sha256').update('hello').digest('hex');
  assert.equal(k.key, h);
  assert.equal(k.space, embedderSpace('openai:text-embedding-3-small:1536'));
  assert.equal(k.relPath, join(k.space, h.slice(0, 2), h.slice(2, 4), `${h.slice(4)}.f32`));
});

test('cache key: provider, model and dimensions each change the space; the text changes the key', () => {
  const ids = ['openai:text-embedding-3-small:1536', 'openai:text-embedding-3-small:512', 'openai:text-embedding-3-large:1536', 'local:hash-1536', 'azure:text-embedding-3-small:1536'];
  const spaces = new Set(ids.map((id) => cacheKey(id, 'same text').space));
  assert.equal(spaces.size, ids.length);
  assert.equal(cacheKey(ids[0] as string, 'a').space, cacheKey(ids[0] as string, 'b').space);
  assert.notEqual(cacheKey(ids[0] as string, 'a').key, cacheKey(ids[0] as string, 'b').key);
  assert.equal(cacheKey(ids[0] as string, 'a').relPath, cacheKey(ids[0] as string, 'a').relPath, 'stable');
});

test('cache key: texts differing only in Unicode form or whitespace are different keys', () => {
  // The provider sees the exact bytes, so the cache must too.
  assert.notEqual(cacheKey('x', 'é').key, cacheKey('x', 'e\u0301').key);
  assert.notEqual(cacheKey('x', 'a b').key, cacheKey('x', 'a  b').key);
});
