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
import { createRequire } from 'node:module';
import { SeedpipeError } from '../../../src/stage-kit.js';

// pg's own connection-string parser, the copy pg itself loads: the guard reads a URL exactly as pg will.
const fromPg = createRequire(createRequire(import.meta.url).resolve('pg'));
const { parse: parsePgUrl } = fromPg('pg-connection-string') as { parse: (s: string) => Record<string, unknown> };

/** The `PG*` variables pg and libpq fall back to. Passed explicitly: stages never read `process.env`. */
export type PgEnv = Readonly<Record<string, string | undefined>>;

export interface DatabaseTarget {
  /** Every host pg may connect to (libpq allows `host1,host2`), without brackets; a path is a Unix socket directory. */
  hosts: string[];
  port: string;
  database: string;
  user: string;
  /** `hostaddr` values (libpq connects there instead of resolving `host`). */
  hostaddrs: string[];
  /** Settings that could send a connection elsewhere than `hosts` says (service files): any makes the target non-local. */
  doubts: string[];
}

/**
 * Resolves a `postgres://` / `postgresql://` URL, a `socket:` URL, or a libpq key=value string into the host(s),
 * port, database and user a connection goes to, with pg's own rules: the URL's value when it is set (pg
 * treats an empty one as unset), else the `PG*` variable of `env`, else pg's default (`localhost`, 5432).
 * Never returns the password.
 */
export function parseDatabaseTarget(url: string, env: PgEnv = {}): DatabaseTarget {
  const trimmed = url.trim();
  const doubts: string[] = [];
  let kv: Map<string, string>;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) kv = keyValueFields(trimmed);
  else {
    try { kv = urlFields(trimmed); } catch {
      // pg cannot read it either (it would fail to connect): name the hosts as written, and refuse.
      kv = new Map([['host', /^[a-z][a-z0-9+.-]*:\/\/(?:.*@)?([^/?#]*)/i.exec(trimmed)?.[1] ?? '']]);
      doubts.push('pg cannot parse this URL');
    }
  }
  const pick = (key: string, envKey: string, fallback: string): string => kv.get(key) || env[envKey] || fallback;
  const hostaddr = pick('hostaddr', 'PGHOSTADDR', '');
  const service = kv.get('service') || env.PGSERVICE;
  if (service) doubts.push(`service "${service}" (a service file can name any host)`);
  if (env.PGSERVICEFILE) doubts.push('PGSERVICEFILE is set');
  return {
    hosts: pick('host', 'PGHOST', 'localhost').split(','),
    port: pick('port', 'PGPORT', '5432'),
    database: pick('database', 'PGDATABASE', ''),
    user: pick('user', 'PGUSER', ''),
    hostaddrs: hostaddr ? hostaddr.split(',') : [],
    doubts,
  };
}

/** Fields of a URL as pg-connection-string (pg's parser) reads it. */
function urlFields(s: string): Map<string, string> {
  const cfg = parsePgUrl(s);
  const m = new Map<string, string>();
  for (const [k, v] of Object.entries(cfg)) if (typeof v === 'string' || typeof v === 'number') m.set(k, String(v));
  m.delete('password');
  return m;
}

function keyValueFields(s: string): Map<string, string> {
  const kv = new Map<string, string>();
  const re = /(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) kv.set(m[1]!.toLowerCase(), m[2]!.replace(/^'|'$/g, '').replace(/\\(.)/g, '$1'));
  if (kv.has('dbname')) kv.set('database', kv.get('dbname')!);
  kv.delete('password');
  return kv;
}

/**
 * A URL that names every connection setting explicitly (host, port, user, database), resolved from `url` and
 * `env` with pg's rules, so that connecting with it goes where `parseDatabaseTarget` said, whatever the
 * environment of the process that connects. Other query parameters (sslmode, …) are kept as written.
 * Only `postgres://`, `postgresql://` and `socket:` URLs are accepted: pg cannot read key=value strings.
 */
export function canonicalDatabaseUrl(url: string, env: PgEnv = {}): string {
  const trimmed = url.trim();
  if (!/^(postgres(ql)?:\/\/|socket:)/i.test(trimmed)) {
    throw new SeedpipeError('DB_URL_INVALID',
      'the database must be given as a URL such as postgres://user:password@host:5432/dbname (key=value connection strings ' +
      'are not supported; the value is not shown because it may contain a password)', { disposition: 'usage' });
  }
  const t = parseDatabaseTarget(trimmed, env);
  if (t.doubts.includes('pg cannot parse this URL')) {
    throw new SeedpipeError('DB_URL_INVALID', `the database URL cannot be parsed (host part "${t.hosts.join(',')}"); check its syntax and percent-encode special characters in the user and password`, { disposition: 'usage' });
  }
  const cfg = parsePgUrl(trimmed);
  const password = typeof cfg.password === 'string' ? cfg.password : '';
  const query = new URLSearchParams(/^socket:/i.test(trimmed) ? '' : (trimmed.split('?')[1] ?? '').split('#')[0]);
  for (const k of ['host', 'port', 'password', 'user', 'db']) query.delete(k);
  const socket = t.hosts.length === 1 && t.hosts[0]!.startsWith('/');
  if (socket) query.set('host', t.hosts[0]!);
  const authority = socket ? '' : t.hosts.map((h) => (h.includes(':') ? `[${h}]` : encodeURIComponent(h))).join(',');
  const userinfo = t.user || password ? `${encodeURIComponent(t.user)}${password ? `:${encodeURIComponent(password)}` : ''}@` : '';
  const q = query.toString();
  return `postgres://${userinfo}${authority}${socket ? '' : `:${t.port}`}/${encodeURIComponent(t.database)}${q ? `?${q}` : ''}${socket ? `${q ? '&' : '?'}port=${t.port}` : ''}`;
}

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

/** `host:port/db` for messages: no user, no password. */
export function describeTarget(url: string, env: PgEnv = {}): string {
  const t = parseDatabaseTarget(url, env);
  const hosts = t.hosts.map((h) => (h === '' ? '(local socket)' : h.includes(':') ? `[${h}]` : h)).join(',');
  return `${hosts}${t.port ? `:${t.port}` : ''}/${t.database || '(default database)'}`;
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
