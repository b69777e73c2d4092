/**
 * What a failed or interrupted run undid, said once: the sinks' own descriptions (rolled back,
 * files removed, uploads aborted and objects deleted, upserts stopped) joined into the error.
 */
import type { Sink } from '../contracts.js';
import { SeedpipeError } from '../errors.js';
import { isInterrupted } from './signals.js';

export function undoneOf(sinks: readonly Sink[]): string[] {
  return sinks.map((s) => s.undone).filter((u): u is string => typeof u === 'string' && u.length > 0);
}

/** The run's error with what was undone appended (an interrupt's one line: "interrupted by SIGINT: rolled back …; removed …"). */
export function withUndone(e: unknown, sinks: readonly Sink[]): unknown {
  const undone = undoneOf(sinks);
  if (!(e instanceof SeedpipeError)) return e;
  if (isInterrupted(e)) {
    const what = undone.length ? undone.join('; ') : 'nothing had been written yet';
    return new SeedpipeError(e.code, `${e.message}: ${what}`, { disposition: e.disposition, data: { ...e.data, undone }, cause: e });
  }
  if (undone.length === 0) return e;
  return new SeedpipeError(e.code, `${e.message.replace(/\.+$/, '')}. Undone: ${undone.join('; ')}`, { disposition: e.disposition, data: { ...e.data, undone }, cause: e });
}
