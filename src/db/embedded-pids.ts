/**
 * Process and lock-file checks of the embedded database: postmaster.pid (the server's own lock) and
 * start.lock (two seedpipe processes starting one cluster). A file left by a killed process, whose pid is
 * gone or reused by an unrelated process, is removed with a notice instead of blocking the start.
 */
import { readFileSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { SeedpipeError } from '../errors.js';

/** The cluster directory of an embedded database directory. */
export const clusterDir = (dir: string): string => path.join(path.resolve(dir), 'data');

/** postmaster.pid: line 1 pid, line 4 port (PostgreSQL's documented layout). */
export async function readPidFile(data: string): Promise<{ pid: number; port: number } | undefined> {
  let text: string;
  try { text = await readFile(path.join(data, 'postmaster.pid'), 'utf8'); } catch { return undefined; }
  const lines = text.split('\n');
  const pid = Number(lines[0]); const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 && Number.isInteger(port) && port > 0 ? { pid, port } : undefined;
}

/**
 * A postmaster.pid left by a server that was killed (kill -9, a crash, a reboot) names a pid that is gone or,
 * after pid reuse, belongs to an unrelated process; Postgres then refuses to start ("lock file already
 * exists") and pg_ctl would signal that process. Removes such a file and says so.
 */
export async function removeStalePidFile(dir: string, notice?: (line: string) => void): Promise<void> {
  const data = clusterDir(dir);
  const p = await readPidFile(data);
  if (!p || !isAlive(p.pid) || isPostmasterOf(p.pid, data)) return;
  await rm(path.join(data, 'postmaster.pid'), { force: true });
  notice?.(`removed a stale lock file ${path.join(data, 'postmaster.pid')}: its pid ${p.pid} is not a PostgreSQL server of this database (left by a server that was killed)`);
}

/**
 * Whether `pid` is the postmaster of `data`: a `postgres` (or `postmaster`) executable whose `-D` is `data`.
 * Without procfs (not Linux) a live pid is trusted, as before.
 */
export function isPostmasterOf(pid: number, data: string): boolean {
  let argv: string[];
  try { argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean); } catch { return !existsSyncProc(); }
  if (!/^(postgres|postmaster)$/.test(path.basename(argv[0] ?? ''))) return false;
  const d = argv.indexOf('-D');
  return d < 0 || path.resolve(argv[d + 1] ?? '') === path.resolve(data);
}

function existsSyncProc(): boolean {
  try { readFileSync('/proc/self/cmdline'); return true; } catch { return false; }
}

/** Whether `pid` exists and is not a zombie (an exited postmaster is reparented and may linger unreaped). */
export function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true; // no procfs: trust kill(0)
  }
}

/** pg_ctl stop returns once postmaster.pid is gone, a moment before the process itself exits. */
export async function waitGone(pid: number, ms: number): Promise<void> {
  for (const deadline = Date.now() + ms; isAlive(pid) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
}

/** A lock file so two seedpipe processes do not initialise or start the same cluster at once. */
export async function lock(dir: string, notice?: (line: string) => void): Promise<() => Promise<void>> {
  const file = path.join(dir, 'start.lock');
  for (const deadline = Date.now() + 90_000; Date.now() < deadline;) {
    try {
      const fh = await open(file, 'wx');
      await fh.writeFile(String(process.pid)); await fh.close();
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(await readFile(file, 'utf8').catch(() => ''));
      if (holder > 0 && (!isAlive(holder) || !isNodeProcess(holder))) {
        // Left by a killed seedpipe process (its pid gone, or reused by a process that is not Node).
        await rm(file, { force: true });
        notice?.(`removed a stale lock file ${file} (its pid ${holder} is no longer a seedpipe process)`);
        continue;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new SeedpipeError('EMBEDDED_BUSY', `Another seedpipe process is starting the embedded Postgres in ${dir}; ` +
    `try again, or delete ${file} if no such process exists.`, { disposition: 'retriable', data: { dir } });
}

/** Whether `pid` runs Node (the lock holder is a seedpipe process); true without procfs. */
function isNodeProcess(pid: number): boolean {
  try { return /(^|\/)node(js)?\d*$/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '') || readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('node'); } catch { return !existsSyncProc(); }
}
