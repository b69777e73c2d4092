/**
 * Leftovers of a vector run that could not undo itself (`kill -9`, a power cut): its journal is
 * still there and its process is gone. The next run into the same target undoes it before it
 * writes (and says so), as does `seedpipe clean --vectors URL`. A journal of a process that still
 * runs, or of another host, is another run at work: it is left alone.
 */
import { rm } from 'node:fs/promises';
import type { VectorIndex } from './indexes/types.js';
import { findJournals, readJournal } from './journal.js';

export interface VectorLeftovers {
  /** One line per journal undone. */
  removed: string[];
  /** One line per journal left alone. */
  kept: string[];
}

/** Undoes the journals of `index`'s target whose process is gone (`self` counts as gone). */
export async function removeVectorLeftovers(index: VectorIndex, self = process.pid): Promise<VectorLeftovers> {
  const out: VectorLeftovers = { removed: [], kept: [] };
  if (!index.journalDir || !index.undo) return out;
  const { leftovers, kept } = await findJournals(index.journalDir, self);
  for (const j of leftovers) {
    const what = await index.undo(readJournal(j.path));
    await rm(j.path, { force: true });
    out.removed.push(`${what}, left by process ${j.pid} that no longer runs`);
  }
  for (const j of kept) out.kept.push(`the run journal ${j.path} of process ${j.pid} on ${j.host} (it runs, or runs on another host)`);
  return out;
}
