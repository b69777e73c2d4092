/**
 * A bijection of [0, n): i ↦ (i·a + b) mod n with a coprime to n. Uniques by construction (distinct
 * inputs give distinct outputs) that still look shuffled, in O(1) and without memory: distinct
 * user names, DM owners, channel names, issue titles.
 */
const strides = new Map<string, number>();
const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));

export function permute(i: number, n: number, salt = 0): number {
  if (n <= 1) return 0;
  const key = `${n}:${salt}`;
  let a = strides.get(key);
  if (a === undefined) {
    // Near n·(golden ratio − 1), nudged by the salt, then up to the next value coprime to n.
    a = Math.max(1, Math.floor(n * 0.6180339887) + (salt % Math.max(1, Math.floor(n / 7))));
    while (gcd(a, n) !== 1) a++;
    strides.set(key, a);
  }
  // Two multiplications in exact integer arithmetic (n·a stays far below 2^53 for n < 2^26).
  return (((i % n) * a) % n + (salt % n) + 17) % n;
}
