/**
 * Production safety: seedpipe writes (TRUNCATE, DROP, COPY) only into a database on this machine
 * unless the user confirms otherwise. "On this machine" means a loopback address (localhost,
 * 127.0.0.0/8, ::1) or a Unix socket (a host that is a path, or no host at all, which libpq and pg
 * resolve to the local socket). Everything else, including this machine's LAN address, counts as
 * remote: we cannot tell a laptop's own IP from a production server's.
 */
import { SeedpipeError } from '../../../src/stage-kit.js';

export interface DatabaseTarget {
  /** Every host of the URL (libpq allows `host1,host2`), without brackets; '' for the default socket. */
  hosts: string[];
  port: string;
  database: string;
  user: string;
}

/**
 * Parses a `postgres://` / `postgresql://` URL, a `socket:` URL, or a libpq key=value string into host(s),
 * port, database and user. Never returns the password.
 */
export function parseDatabaseTarget(url: string): DatabaseTarget {
  const trimmed = url.trim();
  if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return parseKeyValue(trimmed);
  if (/^socket:/i.test(trimmed)) {
    // pg-connection-string's form: socket:/path/to/dir?db=name&user=u
    const u = new URL(trimmed);
    return { hosts: [decodeURIComponent(u.pathname)], port: '', database: u.searchParams.get('db') ?? '', user: u.searchParams.get('user') ?? '' };
  }
  // WHATWG URL rejects `host1:5432,host2:5432`; split the authority by hand.
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(\?[^#]*)?/i.exec(trimmed);
  if (!m) return { hosts: [''], port: '', database: '', user: '' };
  const [, , auth = '', authority = '', path = '', query = ''] = m;
  const params = new URLSearchParams(query);
  const hostParam = params.get('host');
  const specs = authority === '' ? [] : authority.split(',');
  const hosts: string[] = [];
  let port = params.get('port') ?? '';
  for (const spec of specs) {
    const v6 = /^\[([^\]]*)\](?::(\d*))?$/.exec(spec);
    if (v6) {
      hosts.push(v6[1]!);
      if (v6[2]) port ||= v6[2];
      continue;
    }
    const i = spec.lastIndexOf(':');
    const host = i >= 0 ? spec.slice(0, i) : spec;
    if (i >= 0 && spec.slice(i + 1)) port ||= spec.slice(i + 1);
    hosts.push(safeDecode(host));
  }
  // `?host=` wins over the authority (pg and libpq both let it name a socket directory).
  const finalHosts = hostParam !== null ? hostParam.split(',') : hosts.length ? hosts : [''];
  const user = safeDecode(auth.split(':')[0] ?? '');
  return { hosts: finalHosts, port, database: safeDecode(path.replace(/^\//, '')), user };
}

function parseKeyValue(s: string): DatabaseTarget {
  const kv = new Map<string, string>();
  const re = /(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) kv.set(m[1]!.toLowerCase(), m[2]!.replace(/^'|'$/g, '').replace(/\\(.)/g, '$1'));
  const host = kv.get('host') ?? kv.get('hostaddr') ?? '';
  return { hosts: host.split(','), port: kv.get('port') ?? '', database: kv.get('dbname') ?? '', user: kv.get('user') ?? '' };
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
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

/** Whether every host the URL may connect to is on this machine (see `isLocalHost`). */
export function isLocalDatabase(url: string): boolean {
  return parseDatabaseTarget(url).hosts.every(isLocalHost);
}

/** `host:port/db` for messages: no user, no password. */
export function describeTarget(url: string): string {
  const t = parseDatabaseTarget(url);
  const hosts = t.hosts.map((h) => (h === '' ? '(local socket)' : h.includes(':') ? `[${h}]` : h)).join(',');
  return `${hosts}${t.port ? `:${t.port}` : ''}/${t.database || '(default database)'}`;
}

/**
 * Refuses a database that is not on this machine unless the user confirmed it. Throws a
 * `SeedpipeError` with code `PRODUCTION_NOT_CONFIRMED` naming host and database (never the password).
 */
export function assertLocalOrConfirmed(url: string, confirmProduction: boolean): void {
  if (confirmProduction || isLocalDatabase(url)) return;
  const t = parseDatabaseTarget(url);
  const where = describeTarget(url);
  throw new SeedpipeError('PRODUCTION_NOT_CONFIRMED',
    `Refusing to write to ${where}: host ${t.hosts.join(',')} is not this machine, and seedpipe replaces or adds data ` +
    `in database "${t.database || '(default)'}". If this really is the database to seed, run again with --confirm-production.`,
    { disposition: 'usage', data: { hosts: t.hosts, database: t.database, port: t.port } });
}
