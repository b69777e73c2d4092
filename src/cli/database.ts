/**
 * Which database a command talks to: `--db`, else `DATABASE_URL`, else the embedded default under
 * `<project>/.seedpipe/postgres` (started on demand, left running so users can connect).
 */
import { join } from 'node:path';
import { displayUrl, embeddedStatus, startEmbedded } from '../db/embedded.js';
import { usageError } from '../errors.js';
import type { Io } from './main.js';

export interface DbTarget {
  url: string;
  embedded: boolean;
  /** Redacted, for people. */
  display: string;
}

export function embeddedDir(io: Io): string {
  return join(io.cwd, '.seedpipe', 'postgres');
}

export async function resolveDb(io: Io, flag: string | undefined, opts: { start: boolean }): Promise<DbTarget> {
  const url = flag ?? io.env.DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw usageError('DB_URL_INVALID', `database URL must start with postgres:// (got ${displayUrl(url).slice(0, 40)})`);
    return { url, embedded: false, display: displayUrl(url) };
  }
  const dir = embeddedDir(io);
  if (opts.start) {
    const s = await startEmbedded({ dir });
    return { url: s.url, embedded: true, display: displayUrl(s.url) };
  }
  const st = await embeddedStatus(dir);
  if (!st.running || !st.url) {
    throw usageError('DB_NOT_RUNNING', `no database given and the embedded database is not running; pass --db URL, set DATABASE_URL, or run "seedpipe db start"`);
  }
  return { url: st.url, embedded: true, display: displayUrl(st.url) };
}

/** How to connect, for the summary (password shown only as the documented local default). */
export function connectHints(t: DbTarget): Record<string, string> {
  const u = new URL(t.url);
  const hints: Record<string, string> = { database: t.display };
  if (t.embedded) {
    hints.psql = 'npx seedpipe db psql';
    hints.url = 'npx seedpipe db url   (prints the full URL for your app)';
  } else {
    hints.psql = `psql "${t.display}"`;
  }
  hints.host = `${u.hostname}:${u.port || 5432}/${u.pathname.slice(1) || 'postgres'}`;
  return hints;
}
