/** The pipe heartbeat names the sinks a stalled write or close waits for, once the wait passes a second. */
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { makeReporter } from '../../../src/cli/progress.js';
import type { Io } from '../../../src/cli/main.js';

const io: Io = { out: () => undefined, err: () => undefined, env: {}, cwd: '/', isTTY: false };

test('heartbeat: "waiting for <sinks> to accept|finish <table>" after a second, gone when the wait ends', () => {
  let now = 1_000_000;
  const clock = mock.method(performance, 'now', () => now);
  try {
    const r = makeReporter(io, { quiet: false, tty: false, heartbeatMs: 0 });
    const beat = (): string => (r as unknown as { heartbeat(): string }).heartbeat();
    r.onWaiting!({ table: 'messages', sinks: ['postgres', 's3'], action: 'write' });
    now += 500;
    assert.doesNotMatch(beat(), /waiting for/, 'a wait under a second is not news');
    now += 11_500;
    assert.match(beat(), /waiting for postgres, s3 to accept messages for 12 s/);
    // The same wait reported again keeps its start; a different sink set starts a new wait.
    r.onWaiting!({ table: 'messages', sinks: ['postgres', 's3'], action: 'write' });
    assert.match(beat(), /for 12 s/);
    r.onWaiting!({ table: 'messages', sinks: ['vectors'], action: 'close' });
    now += 3_000;
    assert.match(beat(), /waiting for vectors to finish messages for 3\.0 s/);
    r.onWaiting!({ table: 'messages', sinks: [], action: 'close' });
    assert.doesNotMatch(beat(), /waiting for/);
    r.stop();
  } finally {
    clock.mock.restore();
  }
});
