/**
 * Leftovers of a load that could not clean up after itself (`kill -9`, a power cut): the temp
 * directory of cycle-breaking values (`seedpipe-deferred-<pid>-XXXXXX`, deferred.ts), which a killed
 * process leaves in the temp dir with a CSV file per table that can be as large as the keys and
 * values of a whole table. The next load (the sink's open) and `seedpipe clean` remove the ones whose
 * process no longer runs, one reported line each. One whose process still runs is another load at
 * work, and one of this very process may be in use: both are left alone. (Directories named without
 * a pid, by versions before the pid was part of the name, are left alone too: their owner cannot be told.)
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { processRuns } from '../../../src/stage-kit.js';

const PREFIX = 'seedpipe-deferred-';
const NAME = /^seedpipe-deferred-(\d+)-[A-Za-z0-9]+$/;

/** The `mkdtemp` prefix of this process's temp directory in `dir`. */
export function deferredDirPrefix(dir: string, pid = process.pid): string {
  return join(dir, `${PREFIX}${pid}-`);
}

export interface DeferredLeftover {
  path: string;
  pid: number;
  bytes: number;
}

async function sizeOf(path: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(path, { withFileTypes: true }).catch(() => [])) {
    if (e.isFile()) total += (await stat(join(path, e.name)).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

/** The temp directories of cycle-breaking values in `dir` whose process is gone. */
export async function findDeferredLeftovers(dir: string, self = process.pid): Promise<DeferredLeftover[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: DeferredLeftover[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === self || processRuns(pid)) continue;
    const path = join(dir, name);
    const st = await stat(path).catch(() => undefined);
    if (st?.isDirectory()) out.push({ path, pid, bytes: await sizeOf(path) });
  }
  return out;
}

/** Removes the leftovers of `dir` (default the OS temp dir); returns one line per removed directory. */
export async function removeDeferredLeftovers(dir: string, self = process.pid): Promise<string[]> {
  const lines: string[] = [];
  for (const l of await findDeferredLeftovers(dir, self)) {
    await rm(l.path, { recursive: true, force: true });
    lines.push(`removed ${l.path} (${l.bytes} bytes of cycle-breaking values), left by process ${l.pid} that no longer runs`);
  }
  return lines;
}

/** `removeDeferredLeftovers`, each removal (or the failure to check) told to `notice`. */
export async function reportDeferredLeftovers(dir: string, notice?: (line: string) => void): Promise<void> {
  try {
    for (const line of await removeDeferredLeftovers(dir)) notice?.(line);
  } catch (e) {
    notice?.(`could not check ${dir} for leftovers of killed loads: ${(e as Error).message}`);
  }
}
