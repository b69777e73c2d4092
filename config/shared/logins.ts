/**
 * Known login accounts as a dataset parameter: a comma-separated list of `Name <email>` or bare
 * emails, e.g. `--set logins="Ana Silva <ana@acme.test>, ops@acme.test"`. The defaults stay on
 * example.com (reserved for documentation, RFC 2606), so no real address is seeded unless a user
 * passes one. A bare email gets a name from its local part (`alex.chen` → "Alex Chen").
 */
import { SeedpipeError } from '../../src/index.js';

export interface Login {
  readonly email: string;
  readonly name: string;
}

const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/;
const cache = new Map<string, readonly Login[]>();

const titleCase = (local: string): string =>
  local
    .split(/[._+-]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ') || local;

/** Parses (once per distinct value) the `logins` parameter; an entry that is not an email is a usage error. */
export function parseLogins(value: unknown, param = 'logins'): readonly Login[] {
  const text = String(value ?? '');
  const hit = cache.get(text);
  if (hit) return hit;
  const out: Login[] = [];
  for (const raw of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(.*?)\s*<([^>]+)>$/.exec(raw);
    const email = (m ? m[2]! : raw).trim().toLowerCase();
    if (!EMAIL.test(email)) {
      throw new SeedpipeError('DATASET_PARAM_INVALID', `parameter ${param}: "${raw}" is not an email or "Name <email>"; pass e.g. --set ${param}="Ana Silva <ana@example.com>, ops@example.com"`, { disposition: 'usage', data: { param } });
    }
    if (out.some((l) => l.email === email)) throw new SeedpipeError('DATASET_PARAM_INVALID', `parameter ${param}: ${email} is listed twice`, { disposition: 'usage', data: { param } });
    out.push({ email, name: m && m[1]!.trim() ? m[1]!.trim() : titleCase(email.split('@')[0]!) });
  }
  if (out.length === 0) throw new SeedpipeError('DATASET_PARAM_INVALID', `parameter ${param} lists no account; give at least one email`, { disposition: 'usage', data: { param } });
  const frozen = Object.freeze(out);
  cache.set(text, frozen);
  return frozen;
}
