/** The CLI's interrupts: a claimed first signal aborts, a duplicate is ignored, a second one exits; unclaimed exits at once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DUPLICATE_MS, SIGNAL_EXIT, isInterrupted, watchSignals } from '../../../src/cli/signals.js';

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function watch(clock: { t: number }) {
  const lines: string[] = [];
  const exits: number[] = [];
  const w = watchSignals({
    err: (s) => lines.push(s),
    exit: (code) => {
      exits.push(code);
      throw new Exited(code);
    },
    now: () => clock.t,
  });
  return { w, lines, exits };
}

test('a claimed SIGTERM aborts the signal with INTERRUPTED (exit status 143); the same signal again at once counts once', () => {
  const clock = { t: 1000 };
  const { w, exits } = watch(clock);
  try {
    const signal = w.claim();
    process.emit('SIGTERM');
    assert.equal(signal.aborted, true);
    assert.equal(isInterrupted(signal.reason), true);
    assert.equal((signal.reason as { data: { exitCode: number } }).data.exitCode, SIGNAL_EXIT.SIGTERM);
    clock.t += DUPLICATE_MS / 2;
    process.emit('SIGTERM'); // the terminal's and the wrapper's copy of one Ctrl-C
    assert.deepEqual(exits, []);
  } finally {
    w.dispose();
  }
});

test('a second Ctrl-C after the first exits at once with 130', () => {
  const clock = { t: 0 };
  const { w, exits, lines } = watch(clock);
  try {
    w.claim();
    process.emit('SIGINT');
    clock.t += DUPLICATE_MS + 1;
    assert.throws(() => process.emit('SIGINT'), Exited);
    assert.deepEqual(exits, [130]);
    assert.match(lines.at(-1)!, /SIGINT again/);
  } finally {
    w.dispose();
  }
});

test('without a command that claimed them, an interrupt ends the process at once with 128 + its number', () => {
  const { w, exits } = watch({ t: 0 });
  try {
    assert.throws(() => process.emit('SIGHUP'), Exited);
    assert.deepEqual(exits, [129]);
  } finally {
    w.dispose();
  }
});
