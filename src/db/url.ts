/**
 * Database URLs as pg reads them, shared by every stage that connects to Postgres (the sink and the
 * source): where a URL goes (`parseDatabaseTarget`, with pg's own parser and fallbacks), the same URL
 * with every setting explicit (`canonicalDatabaseUrl`, so connecting cannot go elsewhere than the
 * guard checked), and how it is named in messages (`describeTarget`: never user or password;
 * `redactFor`: a text scrubbed of the URL's password, however it was encoded).
 */
import { createRequire } from 'node:module';
import { SeedpipeError, redact } from '../errors.js';

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

/** `host:port/db` for messages: no user, no password. */
export function describeTarget(url: string, env: PgEnv = {}): string {
  const t = parseDatabaseTarget(url, env);
  const hosts = t.hosts.map((h) => (h === '' ? '(local socket)' : h.includes(':') ? `[${h}]` : h)).join(',');
  return `${hosts}${t.port ? `:${t.port}` : ''}/${t.database || '(default database)'}`;
}

/** The password of a URL or key=value string, so messages can be scrubbed of it even when encoded. */
export function secretsOf(url: string): string[] {
  const out: string[] = [];
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:([^@/?#]*)@/i.exec(url);
  if (m?.[1]) {
    out.push(m[1]);
    try { out.push(decodeURIComponent(m[1])); } catch { /* keep the raw form */ }
  }
  const kv = /\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/i.exec(url);
  if (kv?.[1]) out.push(kv[1].replace(/^'|'$/g, ''));
  const q = /[?&]password=([^&#]*)/i.exec(url);
  if (q?.[1]) {
    out.push(q[1]);
    try { out.push(decodeURIComponent(q[1])); } catch { /* keep the raw form */ }
  }
  return out;
}

/** `redact` with the URL's own password added to the secrets. */
export function redactFor(url: string, text: string): string {
  return redact(text, secretsOf(url)).replace(/([?&]password=)[^&#\s]*/gi, '$1***');
}

