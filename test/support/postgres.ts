/**
 * Throwaway Postgres servers for integration tests. Each lives in its own /tmp/seedpipe-test-* directory
 * (mode 0755 so the `postgres` user can reach it when tests run as root), on a free port, with fsync off.
 * `stop()` is idempotent and removes the directory; an `exit` hook kills what is left if a test forgets.
 * A SIGKILLed test process cannot clean up: its server keeps running until killed by pid.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import pg from 'pg';
import { promisify } from 'node:util';
import { startEmbedded, stopEmbedded } from '../../src/db/embedded.js';
import { freePort } from './ports.js';

const exec = promisify(execFile);
const PG15_BIN = '/usr/lib/postgresql/15/bin/postgres';
const scripts = fileURLToPath(new URL('../../scripts/services/', import.meta.url));

export interface TestPostgres {
  /** Connection URL (embedded: with password; PG15: trust auth, no password). */
  url: string;
  /** PID of the postmaster. */
  pid: number | undefined;
  stop(): Promise<void>;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp('/tmp/seedpipe-test-');
  await chmod(dir, 0o755); // mkdtemp makes it 0700: the postgres user could not enter
  return dir;
}

function pidOf(dataDir: string): number | undefined {
  try { const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]); return pid > 0 ? pid : undefined; } catch { return undefined; }
}

/** Whether `pid` runs (a zombie, exited but not yet reaped by init, does not count). */
export function isRunning(pid: number): boolean {
  try { process.kill(pid, 0); } catch { return false; }
  try { const st = readFileSync(`/proc/${pid}/stat`, 'utf8'); return !/^[ZX]/.test(st.slice(st.lastIndexOf(')') + 2)); } catch { return true; }
}

async function waitGone(pid: number | undefined): Promise<void> {
  for (let i = 0; pid !== undefined && isRunning(pid) && i < 250; i++) await new Promise((r) => setTimeout(r, 20));
}

/** Registers a best-effort cleanup on process exit (SIGQUIT = immediate shutdown); returns its remover. */
function onExit(getPid: () => number | undefined, dir: string): () => void {
  const hook = (): void => {
    const pid = getPid();
    if (pid !== undefined) { try { process.kill(pid, 'SIGQUIT'); } catch { /* already gone */ } }
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', hook);
  return () => process.off('exit', hook);
}

function managed(url: string, pid: number | undefined, dir: string, stopServer: () => Promise<void>): TestPostgres {
  const removeHook = onExit(() => pid, dir);
  let stopping: Promise<void> | undefined;
  return {
    url, pid,
    stop() {
      stopping ??= (async () => {
        try { await stopServer(); } catch (e) {
          if (pid !== undefined) { try { process.kill(pid, 'SIGQUIT'); } catch { /* already gone */ } } else throw e;
        }
        await waitGone(pid);
        await rm(dir, { recursive: true, force: true });
        removeHook();
      })();
      return stopping;
    },
  };
}

/** A fresh embedded PostgreSQL 18 (the product's default database), started the way `seedpipe run` does. */
export async function startTestEmbedded(): Promise<TestPostgres> {
  const dir = await tempDir();
  try {
    const server = await startEmbedded({ dir: path.join(dir, 'pg'), port: await freePort(), fast: true });
    return managed(server.url, server.pid, dir, async () => { await stopEmbedded(path.join(dir, 'pg')); });
  } catch (e) {
    await stopEmbedded(path.join(dir, 'pg')).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** A fresh system PostgreSQL 15 (scripts/services/start-pg15.sh). Needs root or a `postgres`-owned checkout. */
export async function startTestPg15(): Promise<TestPostgres> {
  if (!existsSync(PG15_BIN)) throw new Error(`PostgreSQL 15 is not installed (${PG15_BIN} missing): run \`npm run services:install\``);
  const dir = await tempDir();
  const stopServer = async (): Promise<void> => { await exec('bash', [path.join(scripts, 'stop-pg15.sh'), dir]); };
  try {
    const { stdout } = await exec('bash', [path.join(scripts, 'start-pg15.sh'), dir, String(await freePort())]);
    return managed(stdout.trim(), pidOf(path.join(dir, 'data')), dir, stopServer);
  } catch (e) {
    await stopServer().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** The rows of one statement on a fresh connection (closed afterwards). */
export async function sqlRows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}
