/** The disk embedding cache on a real file system. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheKey, cachedEmbedder } from '../../../stages/sinks/vectors/embedders/cache.js';
import { LocalEmbedder } from '../../../stages/sinks/vectors/embedders/local.js';
import type { Embedder } from '../../../stages/sinks/vectors/embedders/types.js';

/** Wraps an embedder and records what reaches it. */
function counting(inner: Embedder): Embedder & { sent: string[][] } {
  const sent: string[][] = [];
  return {
    id: inner.id,
    dimensions: inner.dimensions,
    sent,
    async embed(texts, signal) {
      sent.push([...texts]);
      return inner.embed(texts, signal);
    },
  };
}

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'seedpipe-cache-'));
  try {
    return await fn(dir);
  } finally {
    await chmod(dir, 0o700).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

const texts = Array.from({ length: 300 }, (_, i) => `text number ${i} about ${i % 7 === 0 ? 'fish' : 'sprints'}`);

test('cache: second pass sends nothing and returns identical vectors', () => withDir(async (dir) => {
  const local = new LocalEmbedder({ dimensions: 64 });
  const inner1 = counting(local);
  const c1 = cachedEmbedder(inner1, dir);
  const v1 = await c1.embed(texts);
  assert.equal(inner1.sent.flat().length, 300);
  assert.equal(c1.stats().cacheHits, 0);

  const inner2 = counting(local);
  const c2 = cachedEmbedder(inner2, dir);
  const v2 = await c2.embed(texts);
  assert.equal(inner2.sent.length, 0, 'zero provider calls');
  assert.equal(c2.stats().cacheHits, 300);
  v1.forEach((v, i) => assert.deepEqual(Array.from(v2[i] as Float32Array), Array.from(v)));
}));

test('cache: only misses are sent, duplicates in a batch once, order kept', () => withDir(async (dir) => {
  const inner = counting(new LocalEmbedder({ dimensions: 32 }));
  const c = cachedEmbedder(inner, dir);
  await c.embed(['a', 'b']);
  const out = await c.embed(['b', 'c', 'c', 'a', 'd']);
  assert.deepEqual(inner.sent, [['a', 'b'], ['c', 'd']]);
  const direct = await new LocalEmbedder({ dimensions: 32 }).embed(['b', 'c', 'c', 'a', 'd']);
  out.forEach((v, i) => assert.deepEqual(Array.from(v), Array.from(direct[i] as Float32Array)));
  assert.equal(c.stats().cacheHits, 2);
}));

test('cache: one little-endian float32 file per text under <space>/ab/cd/, no temp files left', () => withDir(async (dir) => {
  const c = cachedEmbedder(new LocalEmbedder({ dimensions: 16 }), dir);
  const [v] = await c.embed(['hello']) as [Float32Array];
  const k = cacheKey(c.id, 'hello');
  const buf = await readFile(join(dir, k.relPath));
  assert.equal(buf.length, 64);
  for (let i = 0; i < 16; i++) assert.equal(buf.readFloatLE(i * 4), v[i]);
  const info = JSON.parse(await readFile(join(dir, k.space, 'embedder.json'), 'utf8')) as { id: string; dimensions: number };
  assert.deepEqual(info, { id: 'local:hash-16', dimensions: 16, format: 'float32le' });
  const all = await readdir(dir, { recursive: true });
  assert.ok(!all.some((f) => String(f).endsWith('.tmp')), all.join(' '));
}));

test('cache: different embedder ids never share vectors', () => withDir(async (dir) => {
  const a = counting(new LocalEmbedder({ dimensions: 16 }));
  const b = counting(new LocalEmbedder({ dimensions: 32 }));
  await cachedEmbedder(a, dir).embed(['same']);
  await cachedEmbedder(b, dir).embed(['same']);
  assert.equal(a.sent.length, 1);
  assert.equal(b.sent.length, 1);
}));

test('cache: a truncated file is a miss and is rewritten', () => withDir(async (dir) => {
  const inner = counting(new LocalEmbedder({ dimensions: 16 }));
  const c = cachedEmbedder(inner, dir);
  await c.embed(['x']);
  const file = join(dir, cacheKey(c.id, 'x').relPath);
  await writeFile(file, Buffer.alloc(10));
  await c.embed(['x']);
  assert.equal(inner.sent.length, 2);
  assert.equal((await stat(file)).size, 64);
}));

test('cache: concurrent writers of the same keys agree', () => withDir(async (dir) => {
  const make = (): Embedder => cachedEmbedder(new LocalEmbedder({ dimensions: 64 }), dir, { ioConcurrency: 4 });
  const results = await Promise.all([make().embed(texts), make().embed(texts), make().embed(texts.slice().reverse())]);
  const again = counting(new LocalEmbedder({ dimensions: 64 }));
  const v = await cachedEmbedder(again, dir).embed(texts);
  assert.equal(again.sent.length, 0);
  v.forEach((x, i) => assert.deepEqual(Array.from(x), Array.from(results[0]?.[i] as Float32Array)));
}));

test('cache: an unwritable directory warns once and the embeddings still arrive', { skip: process.getuid?.() === 0 ? 'root ignores directory permissions' : false }, () => withDir(async (dir) => {
  await chmod(dir, 0o500);
  const warnings: string[] = [];
  const c = cachedEmbedder(new LocalEmbedder({ dimensions: 16 }), dir, { warn: (m) => warnings.push(m) });
  assert.equal((await c.embed(['a', 'b'])).length, 2);
  assert.equal((await c.embed(['c'])).length, 1);
  assert.equal(warnings.length, 1);
}));

test('cache: a file in place of the cache directory warns once and the embeddings still arrive', () => withDir(async (dir) => {
  const blocked = join(dir, 'not-a-dir');
  await writeFile(blocked, 'x');
  const warnings: string[] = [];
  const c = cachedEmbedder(new LocalEmbedder({ dimensions: 16 }), blocked, { warn: (m) => warnings.push(m) });
  assert.equal((await c.embed(['a', 'b'])).length, 2);
  assert.equal((await c.embed(['c'])).length, 1);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] as string, /cannot be written/);
}));
