/**
 * Production safety: seedpipe writes (TRUNCATE, DROP, COPY) only into a database on this machine
 * unless the user confirms otherwise. "On this machine" means a loopback address (localhost,
 * 127.0.0.0/8, ::1) or a Unix socket (a host that is a path). Everything else, including this machine's
 * LAN address, counts as remote: we cannot tell a laptop's own IP from a production server's.
 *
 * The host is the one pg will connect to, resolved with pg's own parser and fallbacks: a URL without a host
 * (`postgres:///db`, `postgres://u:pw@/db`) goes to `PGHOST` when that is set, and a password with an
 * unencoded `@` ends at the last `@`. Callers connect with `canonicalDatabaseUrl`, which writes every
 * resolved setting into the URL, so the check and the connection cannot disagree.
 */
import { SeedpipeError, parseDatabaseTarget, describeTarget, type PgEnv } from '../../../src/stage-kit.js';

export { parseDatabaseTarget, canonicalDatabaseUrl, describeTarget, type DatabaseTarget, type PgEnv } from '../../../src/stage-kit.js';

/** Whether one host name or address is this machine: localhost, 127.0.0.0/8, ::1, or a Unix socket. */
export function isLocalHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === '' || h.startsWith('/') || h.startsWith('@')) return true; // Unix socket directory (or Linux abstract socket)
  if (h === 'localhost' || h === 'localhost.') return true;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255) && Number(v4[1]) === 127;
  return h === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(h) || h === '0:0:0:0:0:0:0:1';
}

/** Whether every host the URL may connect to is on this machine (see `isLocalHost`), with nothing in doubt. */
export function isLocalDatabase(url: string, env: PgEnv = {}): boolean {
  const t = parseDatabaseTarget(url, env);
  return t.doubts.length === 0 && t.hosts.every(isLocalHost) && t.hostaddrs.every(isLocalHost);
}

/**
 * Refuses a database that is not on this machine unless the user confirmed it. Throws a
 * `SeedpipeError` with code `PRODUCTION_NOT_CONFIRMED` naming host and database (never the password).
 */
export function assertLocalOrConfirmed(url: string, confirmProduction: boolean, env: PgEnv = {}): void {
  if (confirmProduction || isLocalDatabase(url, env)) return;
  const t = parseDatabaseTarget(url, env);
  const where = describeTarget(url, env);
  const remote = [...t.hosts, ...t.hostaddrs].filter((h) => !isLocalHost(h));
  const why = remote.length ? `host ${remote.join(',')} is not this machine` : `it cannot be told to be this machine: ${t.doubts.join('; ')}`;
  throw new SeedpipeError('PRODUCTION_NOT_CONFIRMED',
    `Refusing to write to ${where}: ${why}, and seedpipe replaces or adds data ` +
    `in database "${t.database || '(default)'}". If this really is the database to seed, run again with --confirm-production.`,
    { disposition: 'usage', data: { hosts: t.hosts, hostaddrs: t.hostaddrs, database: t.database, port: t.port, doubts: t.doubts } });
}
