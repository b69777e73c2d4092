import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chunkBy, fitMetadata, jsonLength9, normalizeMetadata, round9, toWireRecord, truncateUtf8, upsertEnvelopeBytes, wireRecordBytes, wireValues,
} from '../../../stages/sinks/vectors/batching.js';
import type { VectorRecord } from '../../../stages/sinks/vectors/indexes/types.js';

test('chunkBy: splits by count', () => {
  const chunks = [...chunkBy([1, 2, 3, 4, 5, 6, 7], { maxItems: 3, maxWeight: Infinity, weight: () => 1 })];
  assert.deepEqual(chunks, [[1, 2, 3], [4, 5, 6], [7]]);
});

test('chunkBy: splits by weight, whichever limit comes first, order kept', () => {
  const items = [5, 5, 5, 1, 1, 1, 1, 9, 2];
  const chunks = [...chunkBy(items, { maxItems: 3, maxWeight: 10, weight: (x) => x })];
  assert.deepEqual(chunks, [[5, 5], [5, 1, 1], [1, 1], [9], [2]]);
  assert.deepEqual(chunks.flat(), items);
  for (const c of chunks) assert.ok(c.length <= 3 && c.reduce((a, b) => a + b, 0) <= 10);
});

test('chunkBy: base weight counts against every chunk; an oversized item gets its own chunk', () => {
  const chunks = [...chunkBy([3, 3, 20, 3], { maxItems: 100, maxWeight: 10, weight: (x) => x, baseWeight: 2 })];
  assert.deepEqual(chunks, [[3, 3], [20], [3]]);
  assert.deepEqual([...chunkBy([], { maxItems: 1, maxWeight: 1, weight: () => 1 })], []);
});

test('wireValues: 9 significant digits round-trip every float32 exactly', () => {
  const v = new Float32Array([0.1, -0.3333333, 1e-8, 123456.789, 0, -0, 3.4e38, 1.17549435e-38]);
  const w = wireValues(v);
  for (let i = 0; i < v.length; i++) assert.ok(Math.fround(w[i] as number) === v[i], `${v[i]} → ${w[i]}`);
  assert.ok(JSON.stringify(w).length < JSON.stringify(Array.from(v)).length);
});

test('round9: every float32 bit pattern sampled round-trips, and prints with ≤ 9 significant digits', () => {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  let seed = 12345;
  for (let i = 0; i < 200_000; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    u[0] = seed;
    const v = f[0] as number;
    if (!Number.isFinite(v)) continue;
    const r = round9(v);
    assert.ok(Math.fround(r) === v, `${v} → ${r}`);
  }
  for (let i = 1; i < 50_000; i++) {
    const v = Math.fround(Math.sin(i) / (1 + (i % 1000)));
    const digits = round9(v).toExponential().split('e')[0]?.replace(/[-.]/g, '') ?? '';
    assert.ok(digits.length <= 9, `${v} → ${round9(v)}`);
  }
});

test('jsonLength9: the printed length of round9, computed without printing', () => {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  let seed = 777;
  let shorter = 0;
  const check = (v: number): void => {
    const printed = JSON.stringify(round9(v)).length;
    const computed = jsonLength9(v);
    assert.ok(computed >= printed, `${v}: computed ${computed} < printed ${printed}`);
    if (computed !== printed) shorter++;
  };
  for (let i = 0; i < 200_000; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    u[0] = seed;
    if (Number.isFinite(f[0])) check(f[0] as number);
  }
  for (let i = 0; i < 100_000; i++) check(Math.fround(Math.sin(i) * 0.2));
  for (const v of [0, -0, 1, -1, 10, 0.1, 0.5, 1e-6, 9.99999e-7, 123456789, 1e20, 1e21, 3.4e38, -2.5e-7, 100, 0.000123]) check(Math.fround(v));
  assert.equal(shorter, 0, 'exact for every sampled value');
});

test('request bytes: envelope + records measure the exact JSON the SDK sends', () => {
  const input: VectorRecord[] = [
    { id: 'articles:1', values: new Float32Array([0.25, -0.5, 0.125]), metadata: { title: 'héllo', n: 3, ok: true, tags: ['a', 'b'] } },
    { id: 'articles:2', values: [0.1, 0.2, 0.3], metadata: {} },
  ];
  const recs = input.map(toWireRecord);
  assert.equal('metadata' in (recs[1] as object), false, 'empty metadata is left out');
  const measured = upsertEnvelopeBytes('articles') + recs.reduce((n, r) => n + wireRecordBytes(r) + 1, 0);
  const actual = Buffer.byteLength(JSON.stringify({ vectors: recs, namespace: 'articles' }));
  assert.ok(measured >= actual && measured - actual <= 1, `${measured} vs ${actual}`);
  for (let i = 0; i < 50; i++) {
    const values = Float32Array.from({ length: 1536 }, (_, k) => Math.sin(i * 1536 + k) / 7);
    const rec = toWireRecord({ id: `t:${i}`, values, metadata: i % 2 ? { s: 'x"y\\z', n: i } : {} });
    assert.equal(wireRecordBytes(rec), Buffer.byteLength(JSON.stringify(rec)));
  }
});

test('normalizeMetadata: drops nulls, converts dates, bigints, arrays and objects', () => {
  const d = new Date('2025-02-03T04:05:06.000Z');
  assert.deepEqual(normalizeMetadata({ a: null, b: undefined, c: 'x', d, e: 12n, f: 2n ** 70n, g: [1, 'two', null, { k: 1 }], h: { k: 'v' }, i: Number.NaN, j: false }), {
    c: 'x', d: '2025-02-03T04:05:06.000Z', e: 12, f: '1180591620717411303424', g: ['1', 'two', '{"k":1}'], h: '{"k":"v"}', j: false,
  });
});

test('truncateUtf8: never splits a character', () => {
  assert.equal(truncateUtf8('abc', 10), 'abc');
  assert.equal(truncateUtf8('héllo', 2), 'h');
  assert.equal(truncateUtf8('héllo', 3), 'hé');
  assert.equal(truncateUtf8('a😀b', 4), 'a');
  assert.equal(truncateUtf8('a😀b', 5), 'a😀');
  assert.equal(truncateUtf8('abc', 0), '');
});

test('fitMetadata: under the limit is untouched', () => {
  const m = { title: 'short', n: 1 };
  const r = fitMetadata(m, 40_960);
  assert.ok(r);
  assert.equal(r.metadata, m);
  assert.deepEqual(r.trimmed, []);
});

test('fitMetadata: trims the longest strings first down to the byte limit', () => {
  const m = { body: 'é'.repeat(30_000), summary: 'x'.repeat(15_000), title: 'keep me', views: 42, tags: ['a', 'b'] };
  const r = fitMetadata(m, 40_960);
  assert.ok(r);
  assert.ok(Buffer.byteLength(JSON.stringify(r.metadata)) <= 40_960);
  assert.equal(r.bytes, Buffer.byteLength(JSON.stringify(r.metadata)));
  assert.deepEqual(r.trimmed, ['body']);
  assert.equal(r.metadata.summary, m.summary);
  assert.equal(r.metadata.title, 'keep me');
  assert.equal(r.metadata.views, 42);
  assert.ok((r.metadata.body as string).startsWith('éé'));
  assert.ok(Buffer.byteLength(JSON.stringify(r.metadata)) > 40_900, 'trims no more than needed');
});

test('fitMetadata: JSON escapes are counted', () => {
  const m = { q: '"'.repeat(50_000) };
  const r = fitMetadata(m, 1000);
  assert.ok(r);
  assert.ok(Buffer.byteLength(JSON.stringify(r.metadata)) <= 1000);
});

test('fitMetadata: string arrays lose trailing items; impossible cases return null', () => {
  const r = fitMetadata({ tags: Array.from({ length: 100 }, (_, i) => `tag-${i}`) }, 200);
  assert.ok(r);
  const tags = r.metadata.tags as string[];
  assert.ok(tags.length > 0 && tags.length < 100 && tags[0] === 'tag-0');
  const nums = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`field_${i}`, i]));
  assert.equal(fitMetadata(nums, 100), null);
});
