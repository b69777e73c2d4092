/**
 * Counter-based random streams. A `Rng` is re-keyed per (column, row) from the column's stream key
 * and the row's coordinates, so any value can be recomputed in O(1) by any worker. The generator is
 * sfc32 (four 32-bit words) started from a murmur-mixed state: cheap to re-key (no Mersenne Twister
 * seeding per row) and statistically sound for data generation.
 */
import { fmix32 } from './hash.js';

const TWO_POW_32 = 4294967296;

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private pendingKey: Uint32Array | null = null;
  private pendingX = 0;
  private pendingY = 0;

  /**
   * Positions the stream at `key` and (x, y) without computing the state yet: the first draw does.
   * Columns that never draw (keys, copies of other columns) then cost nothing.
   */
  resetLazy(key: Uint32Array, x: number, y = 0): this {
    this.pendingKey = key;
    this.pendingX = x;
    this.pendingY = y;
    return this;
  }

  /** Re-keys the stream to `key` at coordinates (x, y): e.g. (row index, 0) or (parent, child). */
  reset(key: Uint32Array, x: number, y = 0): this {
    this.pendingKey = null;
    const xl = x >>> 0;
    const xh = Math.floor(x / TWO_POW_32) >>> 0;
    // The state words are kept as int32 (`| 0`): every use is a bit operation or a `| 0` sum, so
    // the value is the same, and V8 stores the fields unboxed instead of as heap numbers.
    this.a = fmix32((key[0]! ^ xl) + 0x9e3779b9) | 0;
    this.b = fmix32(key[1]! ^ xh ^ Math.imul(y, 0x85ebca6b)) | 0;
    this.c = fmix32(key[2]! ^ Math.imul(xl, 0xcc9e2d51) ^ y) | 0;
    this.d = fmix32(key[3]! + xl + Math.imul(y, 0x1b873593)) | 0;
    // Three warm-up rounds: the murmur finaliser already avalanches the key, so few are needed.
    this.u32();
    this.u32();
    this.u32();
    return this;
  }

  /** Next uniform 32-bit unsigned integer (sfc32). */
  u32(): number {
    if (this.pendingKey !== null) this.reset(this.pendingKey, this.pendingX, this.pendingY);
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.u32() / TWO_POW_32;
  }

  /** Uniform float in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** Weighted categorical: `weighted({ a: 0.6, b: 0.4 })` or `weighted([[v, w], …])`. */
  weighted<T extends string>(weights: Readonly<Record<T, number>>): T;
  weighted<T>(pairs: readonly (readonly [T, number])[]): T;
  weighted<T>(w: Readonly<Record<string, number>> | readonly (readonly [T, number])[]): T | string {
    const pairs: readonly (readonly [unknown, number])[] = Array.isArray(w) ? w : Object.entries(w);
    let total = 0;
    for (const p of pairs) total += p[1];
    let r = this.float() * total;
    for (const p of pairs) {
      r -= p[1];
      if (r < 0) return p[0] as T;
    }
    return pairs[pairs.length - 1]![0] as T;
  }

  /** Normal(mean, sd) by Box–Muller (one value per call, so re-keying stays simple). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.float();
    const v = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given parameters of the underlying normal. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Pareto with scale xm > 0 and shape alpha > 0 (alpha ≈ 1.16 gives the 80/20 rule). */
  pareto(xm: number, alpha: number): number {
    return xm / Math.pow(1 - this.float(), 1 / alpha);
  }

  /**
   * Zipf-like rank in [0, n): rank r has weight ∝ 1/(r+1)^s. Continuous inverse-CDF approximation,
   * O(1) per draw and no table, so it works for any n.
   */
  zipf(n: number, s = 1.07): number {
    if (n <= 1) return 0;
    const u = this.float();
    let x: number;
    if (Math.abs(s - 1) < 1e-9) {
      x = Math.exp(u * Math.log(n + 1)) - 1;
    } else {
      const e = 1 - s;
      x = Math.pow(u * (Math.pow(n + 1, e) - 1) + 1, 1 / e) - 1;
    }
    return Math.min(n - 1, Math.floor(x));
  }

  /** Poisson(lambda): Knuth for small lambda, a rounded normal approximation for large. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.float();
    } while (p > l);
    return k - 1;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /**
   * Tiers: a mixture whose weight picks a tier, and the tier carries its own parameters.
   * `tiers([{ name: 'small', weight: 70, params: { min: 1, max: 2 } }, …])` → the chosen tier.
   */
  tiers<T extends { weight: number }>(list: readonly T[]): T {
    return this.weighted(list.map((t) => [t, t.weight] as const));
  }

  /** Fisher–Yates shuffle of a copy (for small lists). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
    return out;
  }
}

/**
 * `k` distinct integers from [0, n) in random order (Floyd's algorithm; O(k) time and memory).
 * Used for junction partners and member lists; k is per parent, never per table.
 */
export function sampleDistinct(rng: Rng, n: number, k: number): number[] {
  if (k > n) throw new RangeError(`cannot pick ${k} distinct values from ${n}`);
  const chosen = new Set<number>();
  const out: number[] = [];
  for (let j = n - k; j < n; j++) {
    const t = rng.int(0, j);
    const v = chosen.has(t) ? j : t;
    chosen.add(v);
    out.push(v);
  }
  return out;
}
