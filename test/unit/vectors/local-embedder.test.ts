import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalEmbedder, embedLocal } from '../../../stages/sinks/vectors/embedders/local.js';

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

test('local embedder: id and dimensions', () => {
  const e = new LocalEmbedder();
  assert.equal(e.id, 'local:hash-384');
  assert.equal(e.dimensions, 384);
  assert.equal(new LocalEmbedder({ dimensions: 64 }).id, 'local:hash-64');
  assert.throws(() => new LocalEmbedder({ dimensions: 3 }), { code: 'EMBEDDINGS_CONFIG' });
});

test('local embedder: deterministic across calls and instances', async () => {
  const texts = ['The quick brown fox', 'jumps over the lazy dog', 'Ünïcödé wörds 123', ''];
  const a = await new LocalEmbedder().embed(texts);
  const b = await new LocalEmbedder().embed(texts);
  assert.equal(a.length, texts.length);
  for (let i = 0; i < texts.length; i++) assert.deepEqual(Array.from(a[i] as Float32Array), Array.from(b[i] as Float32Array));
  // Pinned output: a change of algorithm must also change the id (the cache is keyed by it).
  const v = a[0] as Float32Array;
  const nz = [...v.entries()].filter(([, x]) => x !== 0).map(([i, x]) => [i, Math.sign(x)]);
  assert.deepEqual(nz, [[52, -1], [125, -1], [145, 1], [146, 1], [252, 1], [377, -1], [381, 1]], '4 words + 3 bigrams, weight 1/sqrt(7) each');
  assert.ok(Math.abs(Math.abs(v[52] ?? 0) - 1 / Math.sqrt(7)) < 1e-7);
});

test('local embedder: L2-normalised, never the zero vector', async () => {
  const e = new LocalEmbedder({ dimensions: 128 });
  const vs = await e.embed(['hello world', 'a a a a a a', '', '!!! ???', 'x'.repeat(10_000)]);
  for (const v of vs) {
    assert.equal(v.length, 128);
    assert.ok(Math.abs(Math.sqrt(dot(v, v)) - 1) < 1e-5);
  }
  assert.deepEqual(Array.from(vs[2] as Float32Array), Array.from(vs[3] as Float32Array), 'texts without words share one fixed vector');
});

test('local embedder: case and punctuation are ignored, word order matters through bigrams', () => {
  const a = embedLocal('Postgres replication lag!', new Float32Array(384));
  const b = embedLocal('postgres   REPLICATION, lag', new Float32Array(384));
  assert.deepEqual(Array.from(a), Array.from(b));
  const c = embedLocal('lag replication postgres', new Float32Array(384));
  const sim = dot(a, c);
  assert.ok(sim > 0.3 && sim < 0.999, `same words, other order: ${sim}`);
});

test('local embedder: similar texts are closer than unrelated ones', async () => {
  const e = new LocalEmbedder();
  const [q, near, far] = await e.embed([
    'postgres replication lag on the primary database',
    'replication lag between postgres primary and replica',
    'salmon feeding schedule for the north pen',
  ]) as [Float32Array, Float32Array, Float32Array];
  assert.ok(dot(q, near) > dot(q, far) + 0.2, `near ${dot(q, near)} vs far ${dot(q, far)}`);
  assert.ok(dot(q, near) > 0.3, `shares 4 of 7 words and 1 bigram: ${dot(q, near)}`);
});

test('local embedder: sublinear tf keeps a repeated word from dominating', () => {
  const once = embedLocal('alpha beta', new Float32Array(384));
  const many = embedLocal('alpha alpha alpha alpha alpha alpha alpha alpha beta', new Float32Array(384));
  // With raw tf, beta's share would be ~1/8; with 1 + ln(tf) it keeps a visible weight.
  assert.ok(dot(once, many) > 0.5, `similarity ${dot(once, many)}`);
});

test('local embedder: honours an aborted signal', async () => {
  const ctl = new AbortController();
  ctl.abort(new Error('stop'));
  await assert.rejects(new LocalEmbedder().embed(['x'], ctl.signal), /stop/);
});
