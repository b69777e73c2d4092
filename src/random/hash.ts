/**
 * Hashing for stream keys. 32-bit integer maths only (Math.imul), no BigInt: these run once per
 * column per row on the hot path.
 */

/** murmur3's finaliser: full avalanche of a 32-bit word. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 128-bit key (four 32-bit words) from a string (cyrb128). Used once per (seed, table, column). */
export function hashString128(str: string): [number, number, number, number] {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044813);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044813);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** Stream key of a (seed, table, column): the root of every draw of that column. */
export function streamKey(seed: number, table: string, column: string): Uint32Array {
  return Uint32Array.from(hashString128(`${seed}\u0000${table}\u0000${column}`));
}

/** A 32-bit hash of a string, for cheap deterministic bucketing. */
export function hash32(str: string): number {
  return hashString128(str)[0];
}
