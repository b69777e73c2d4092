/**
 * Leftovers of a run that could not clean up after itself (`kill -9`, a power cut): the hidden
 * temporary files `.<file>.tmp-<pid>` of a process that no longer runs. The next run into the same
 * directory removes them (and says so), as does `seedpipe clean --out DIR`. A file whose process
 * still runs is another run at work: it is left alone.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { processRuns } from '../../../src/stage-kit.js';

/** `.<name>.tmp-<pid>`: the temporary name of a file being written (the sink's own naming). */
const TEMP = /^\.(.+)\.tmp-(\d+)$/;

export function tempFileName(file: string, pid: number): string {
  return `.${file}.tmp-${pid}`;
}

export interface Leftover {
  path: string;
  pid: number;
  bytes: number;
}

/**
 * The temporary files in `dir` whose process is gone. `self` (default this process) counts as gone:
 * a run calls this before it writes anything, so a file with its PID is from an earlier process.
 */
export async function findCsvLeftovers(dir: string, self = process.pid): Promise<Leftover[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: Leftover[] = [];
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid !== self && processRuns(pid)) continue;
    const path = join(dir, name);
    const st = await stat(path).catch(() => undefined);
    if (st?.isFile()) out.push({ path, pid, bytes: st.size });
  }
  return out;
}

/** Removes the leftovers of `dir`; returns one line per removed file. */
export async function removeCsvLeftovers(dir: string, self = process.pid): Promise<string[]> {
  const lines: string[] = [];
  for (const l of await findCsvLeftovers(dir, self)) {
    await rm(l.path, { force: true });
    lines.push(`removed ${l.path} (${l.bytes} bytes), left by process ${l.pid} that no longer runs`);
  }
  return lines;
}

export { processRuns };
