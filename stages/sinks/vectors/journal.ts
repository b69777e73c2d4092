/**
 * A run's undo journal for one vector target: JSON lines in `<journalDir>/run-<pid>.<n>@<host>.jsonl`
 * (`n` counts the sinks of one process),
 * each appended (and awaited) *before* the write it records, so whatever reached the index is in it.
 * An index has no transactions; this file is what lets a run undo itself on abort and lets the next
 * run undo a run that was killed (`kill -9`) before it could:
 * - `{"ns","mark"}` once per namespace, before its first write: what the index needs to put it back
 *   (LanceDB: the table's version before the run, or that the run created it);
 * - `{"ns","ids"}` before each upsert, for indexes that undo by deleting ids (Pinecone).
 * A committed run removes its journal; an aborted one removes it once the undo succeeded. A journal
 * whose process no longer runs on this host is a leftover: the next run into the target, or
 * `seedpipe clean --vectors`, undoes it. One of another host, or of a process that runs, is left alone.
 * Memory: the lines of one upsert; undo reads the file line by line.
 */
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { processRuns } from '../../../src/stage-kit.js';

export type JournalEntry =
  | { ns: string; mark: Record<string, unknown> }
  | { ns: string; ids: string[] };

const FILE = /^run-(\d+)\.(\d+)@(.+)\.jsonl$/;

export function journalFileName(pid = process.pid, host = hostname(), n = 0): string {
  return `run-${pid}.${n}@${host}.jsonl`;
}

/**
 * Journals of this process's runs in progress: never leftovers, whatever `self` says (a library
 * user may run two sinks into one target at once; the second must not undo the first).
 */
const ACTIVE = new Set<string>();
/** Journals this process has named: one file per sink. */
let named = 0;

/** The journal this process writes; created on the first entry. Appends are serialised. */
export class RunJournal {
  readonly path: string;
  #tail: Promise<void> = Promise.resolve();
  #started = false;

  constructor(readonly dir: string) {
    this.path = join(dir, journalFileName(process.pid, hostname(), named++));
  }

  /** Whether anything was recorded (so there may be something to undo). */
  get started(): boolean {
    return this.#started;
  }

  append(entry: JournalEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    const next = this.#tail.then(async () => {
      if (!this.#started) {
        await mkdir(this.dir, { recursive: true });
        // A file of an earlier process with the same PID was undone before this run wrote.
        ACTIVE.add(this.path);
        await appendFile(this.path, line, { flag: 'w' });
        this.#started = true;
        return;
      }
      await appendFile(this.path, line);
    });
    this.#tail = next.catch(() => undefined);
    return next;
  }

  async remove(): Promise<void> {
    await this.#tail;
    await rm(this.path, { force: true });
    ACTIVE.delete(this.path);
    this.#started = false;
  }

  /** The run is over but its undo failed: the file stays, a leftover for the next run or `clean`. */
  async release(): Promise<void> {
    await this.#tail;
    ACTIVE.delete(this.path);
  }
}

/** The entries of a journal file, in order; a last line cut short by a kill is skipped. */
export async function* readJournal(path: string): AsyncGenerator<JournalEntry> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    if (e && typeof e === 'object' && typeof (e as { ns?: unknown }).ns === 'string') yield e as JournalEntry;
  }
}

export interface JournalFile {
  path: string;
  pid: number;
  host: string;
}

/**
 * Journals in `dir`: `leftovers` of processes of this host that no longer run (`self`, default this
 * process, counts as gone: a run looks before it writes — but not the journals of this process's
 * runs still in progress), `kept` of running processes or other hosts.
 */
export async function findJournals(dir: string, self = process.pid): Promise<{ leftovers: JournalFile[]; kept: JournalFile[] }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { leftovers: [], kept: [] };
    throw e;
  }
  const here = hostname();
  const leftovers: JournalFile[] = [];
  const kept: JournalFile[] = [];
  for (const name of names.sort()) {
    const m = FILE.exec(name);
    if (!m) continue;
    const f = { path: join(dir, name), pid: Number(m[1]), host: m[3] as string };
    if (f.host === here && !ACTIVE.has(f.path) && (f.pid === self || !processRuns(f.pid))) leftovers.push(f);
    else kept.push(f);
  }
  return { leftovers, kept };
}
