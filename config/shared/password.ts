/**
 * Password hashes in Django's PBKDF2 format, `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`:
 * PBKDF2-HMAC-SHA256 over the UTF-8 password with the salt string's UTF-8 bytes as salt and a
 * 32-byte derived key. Django, passlib (`django_pbkdf2_sha256`) and a few lines of node:crypto can
 * verify it, so an application's login accepts the seeded users.
 */
import { pbkdf2Sync, timingSafeEqual } from 'node:crypto';

/** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. Verifiers read the count from the hash. */
export const PBKDF2_ITERATIONS = 600_000;

const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A 22-character alphanumeric salt (Django's length) from `draw`, a uniform [0, 1) source. */
export function makeSalt(draw: () => number): string {
  let s = '';
  for (let j = 0; j < 22; j++) s += SALT_CHARS[Math.floor(draw() * SALT_CHARS.length)];
  return s;
}

// A row can be recomputed many times (lookups, preflight, workers): PBKDF2 is deliberately slow,
// so each (password, salt, iterations) is derived once per process.
const memo = new Map<string, string>();

export function hashPassword(password: string, salt: string, iterations = PBKDF2_ITERATIONS): string {
  const k = `${iterations}$${salt}$${password}`;
  let h = memo.get(k);
  if (h === undefined) {
    const dk = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
    h = `pbkdf2_sha256$${iterations}$${salt}$${dk.toString('base64')}`;
    memo.set(k, h);
  }
  return h;
}

/** Checks `password` against an encoded hash (constant-time comparison). */
export function verifyPassword(password: string, encoded: string): boolean {
  const m = /^pbkdf2_sha256\$(\d+)\$([^$]+)\$([A-Za-z0-9+/]+=*)$/.exec(encoded);
  if (!m) return false;
  const expected = Buffer.from(m[3]!, 'base64');
  const dk = pbkdf2Sync(password, m[2]!, Number(m[1]), expected.length, 'sha256');
  return timingSafeEqual(dk, expected);
}
