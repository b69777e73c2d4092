import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, sampleDistinct } from '../../../src/random/rng.js';
import { streamKey } from '../../../src/random/hash.js';

const key = streamKey(42, 'users', 'email');

function draws(n: number, f: (r: Rng) => number, x0 = 0): number[] {
  const r = new Rng();
  return Array.from({ length: n }, (_, i) => f(r.reset(key, x0 + i)));
}

test('the same key and coordinates give the same stream; others differ', () => {
  const a = new Rng().reset(key, 7);
  const b = new Rng().reset(key, 7);
  const seqA = [a.u32(), a.u32(), a.u32()];
  assert.deepEqual([b.u32(), b.u32(), b.u32()], seqA);
  assert.notDeepEqual([new Rng().reset(key, 8).u32()], [seqA[0]]);
  assert.notEqual(new Rng().reset(streamKey(43, 'users', 'email'), 7).u32(), seqA[0]);
  assert.notEqual(new Rng().reset(key, 7, 1).u32(), seqA[0]);
  // Coordinates beyond 2^32 are distinct from their low word.
  assert.notEqual(new Rng().reset(key, 2 ** 32 + 7).u32(), seqA[0]);
});

test('uniform floats are in [0,1) with mean 0.5 and no visible correlation between adjacent rows', () => {
  const xs = draws(100_000, (r) => r.float());
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
  let cov = 0;
  for (let i = 1; i < xs.length; i++) cov += (xs[i]! - 0.5) * (xs[i - 1]! - 0.5);
  assert.ok(Math.abs(cov / xs.length) < 0.002, `lag-1 covariance ${cov / xs.length}`);
  // Buckets of 10: chi-square well below the 0.999 quantile (27.9 for 9 dof).
  const buckets = new Array(10).fill(0);
  for (const x of xs) buckets[Math.floor(x * 10)]++;
  const chi = buckets.reduce((a, b) => a + (b - 10_000) ** 2 / 10_000, 0);
  assert.ok(chi < 27.9, `chi-square ${chi}`);
});

test('distributions have the expected shape', () => {
  const n = 50_000;
  const ints = draws(n, (r) => r.int(3, 7));
  assert.deepEqual([...new Set(ints)].sort(), [3, 4, 5, 6, 7]);
  const normal = draws(n, (r) => r.normal(10, 2));
  const m = normal.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(normal.reduce((a, b) => a + (b - m) ** 2, 0) / n);
  assert.ok(Math.abs(m - 10) < 0.05 && Math.abs(sd - 2) < 0.05, `normal ${m} ${sd}`);
  const pois = draws(n, (r) => r.poisson(4));
  assert.ok(Math.abs(pois.reduce((a, b) => a + b, 0) / n - 4) < 0.05);
  const bigPois = draws(n, (r) => r.poisson(100));
  assert.ok(Math.abs(bigPois.reduce((a, b) => a + b, 0) / n - 100) < 0.5);
  // Pareto with alpha ≈ 1.16: the top 20% hold roughly 80%.
  const par = draws(n, (r) => r.pareto(1, 1.16)).sort((a, b) => b - a);
  const share = par.slice(0, n / 5).reduce((a, b) => a + b, 0) / par.reduce((a, b) => a + b, 0);
  assert.ok(share > 0.7 && share < 0.95, `pareto top-20% share ${share}`);
  // Zipf: rank 0 is the most frequent and frequencies fall with rank.
  const z = draws(n, (r) => r.zipf(1000));
  const c0 = z.filter((x) => x === 0).length;
  const c9 = z.filter((x) => x === 9).length;
  assert.ok(z.every((x) => x >= 0 && x < 1000) && c0 > 3 * c9, `zipf ${c0} vs ${c9}`);
  const w = draws(n, (r) => (r.weighted({ a: 0.7, b: 0.2, c: 0.1 }) === 'a' ? 1 : 0));
  assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) / n - 0.7) < 0.01);
  const ln = draws(n, (r) => r.lognormal(0, 0.5));
  assert.ok(ln.every((x) => x > 0));
});

test('tiers pick a tier by weight and carry its parameters', () => {
  const tiers = [
    { name: 'small', weight: 70, range: [1, 2] },
    { name: 'large', weight: 30, range: [50, 100] },
  ] as const;
  const picks = draws(20_000, (r) => (r.tiers(tiers).name === 'small' ? 1 : 0));
  assert.ok(Math.abs(picks.reduce((a, b) => a + b, 0) / picks.length - 0.7) < 0.015);
});

test('sampleDistinct returns k distinct values in range, deterministically', () => {
  for (const [n, k] of [[10, 10], [1000, 5], [50, 49], [1, 1], [5, 0]] as const) {
    const a = sampleDistinct(new Rng().reset(key, n), n, k);
    assert.equal(a.length, k);
    assert.equal(new Set(a).size, k);
    assert.ok(a.every((x) => x >= 0 && x < n));
    assert.deepEqual(sampleDistinct(new Rng().reset(key, n), n, k), a);
  }
  assert.throws(() => sampleDistinct(new Rng().reset(key, 1), 3, 4), RangeError);
});
