/**
 * Interrupts of the CLI process: SIGINT, SIGTERM and SIGHUP abort the running command through one
 * AbortSignal (every sink undoes what it wrote, one line says what was undone, the exit status is
 * 128 + the signal's number); a second interrupt exits at once. When `bin/seedpipe.js` runs the CLI
 * as its child (for the heap flags), the end of its IPC channel means the parent is gone (even by
 * `kill -9`): that aborts like SIGTERM, so no run continues without the process that was launched.
 */
import { SeedpipeError } from '../errors.js';

/** Exit status for a run ended by each signal (the shell's 128 + signal number). */
export const SIGNAL_EXIT: Readonly<Record<InterruptSignal, number>> = Object.freeze({ SIGHUP: 129, SIGINT: 130, SIGTERM: 143 });
export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * On a terminal Ctrl-C reaches both the wrapper (which forwards it) and its child (same process
 * group): the same signal twice within this many milliseconds counts once.
 */
export const DUPLICATE_MS = 400;

/** The error a run aborted by a signal ends with (`data.signal`, `data.exitCode`). */
export function interruptedError(signal: InterruptSignal, why?: string): SeedpipeError {
  return new SeedpipeError('INTERRUPTED', why ?? `interrupted by ${signal}`, { disposition: 'fatal', data: { signal, exitCode: SIGNAL_EXIT[signal] } });
}

export function isInterrupted(e: unknown): boolean {
  return e instanceof SeedpipeError && e.code === 'INTERRUPTED';
}

export interface Interrupts {
  /** The command can undo its work: interrupts abort this signal instead of ending the process. */
  claim(): AbortSignal;
  /** Removes the listeners. */
  dispose(): void;
}

export interface WatchOptions {
  /** Prints one line (stderr). */
  err: (s: string) => void;
  /** Ends the process now (a second interrupt). */
  exit: (code: number) => never;
  now?: () => number;
}

/** Installs the process's interrupt handlers (once per CLI invocation). */
export function watchSignals(o: WatchOptions): Interrupts {
  const ctl = new AbortController();
  const now = o.now ?? (() => performance.now());
  let first: { signal: InterruptSignal; at: number } | undefined;
  let claimed = false;
  const on = (signal: InterruptSignal, why?: string): void => {
    if (!first) {
      first = { signal, at: now() };
      if (!claimed) {
        // Nothing to undo that the server does not undo itself (a dropped connection rolls back).
        o.err(`seedpipe: ${why ?? `interrupted by ${signal}`}\n`);
        o.exit(SIGNAL_EXIT[signal]);
      }
      ctl.abort(interruptedError(signal, why));
      return;
    }
    if (signal === first.signal && now() - first.at < DUPLICATE_MS) return;
    o.err(`seedpipe: ${signal} again: exiting now without finishing the clean-up (the next run into the same target removes what is left)\n`);
    o.exit(SIGNAL_EXIT[first.signal]);
  };
  const handlers = SIGNALS.map((s) => [s, () => on(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  const orphaned = (): void => {
    if (!first) on('SIGTERM', 'the process that started seedpipe has ended');
  };
  // The wrapper's IPC channel: it must not keep the process alive, only tell when the parent is gone.
  const channel = process.channel;
  if (channel) {
    channel.unref();
    process.on('disconnect', orphaned);
  }
  return {
    claim: () => {
      claimed = true;
      return ctl.signal;
    },
    dispose: () => {
      for (const [s, h] of handlers) process.off(s, h);
      process.off('disconnect', orphaned);
    },
  };
}
