/**
 * Which database a command talks to: `--db`, else `DATABASE_URL`, else the embedded default under
 * `<project>/.seedpipe/postgres` (started on demand, left running so users can connect).
 */
import { join } from 'node:path';
import { displayUrl, embeddedStatus, startEmbedded } from '../db/embedded.js';
import { usageError } from '../errors.js';
import { canonicalDatabaseUrl, describeTarget } from '../../stages/sinks/postgres/index.js';
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

/**
 * The target database. A given URL is resolved once, here, with pg's rules and this process's `PG*`
 * variables (a URL without a host goes to `PGHOST`), into a URL that names every setting, which every
 * later step (guard, sinks, validate) uses: they all see the host pg connects to.
 */
export async function resolveDb(io: Io, flag: string | undefined, opts: { start: boolean }): Promise<DbTarget> {
  if (flag !== undefined && flag.trim() === '') throw usageError('DB_URL_EMPTY', '--db was given an empty value; pass a postgres:// URL, or leave --db out to use DATABASE_URL or the embedded database');
  if (flag === undefined && io.env.DATABASE_URL !== undefined && io.env.DATABASE_URL.trim() === '') {
    throw usageError('DB_URL_EMPTY', 'DATABASE_URL is set but empty; set it to a postgres:// URL, or unset it to use the embedded database');
  }
  const given = flag ?? io.env.DATABASE_URL;
  if (given) {
    if (!/^postgres(ql)?:\/\//i.test(given.trim())) {
      throw usageError('DB_URL_INVALID', `${flag !== undefined ? '--db' : 'DATABASE_URL'} must be a URL that starts with postgres:// or postgresql:// (the value is not shown: it may contain a password)`);
    }
    const url = canonicalDatabaseUrl(given, io.env);
    return { url, embedded: false, display: displayUrl(url) };
  }
  const dir = embeddedDir(io);
  if (opts.start) {
    const s = await startEmbedded({ dir, notice: (l) => io.err(`seedpipe: ${l}\n`) });
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
  const hints: Record<string, string> = { database: t.display };
  if (t.embedded) {
    hints.psql = 'npx seedpipe db psql';
    hints.url = 'npx seedpipe db url   (prints the full URL for your app)';
  } else {
    hints.psql = `psql "${t.display}"`;
  }
  hints.host = describeTarget(t.url);
  return hints;
}
