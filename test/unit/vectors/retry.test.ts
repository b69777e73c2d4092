import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RetriesExhaustedError, backoffDelay, parseRetryAfter, withRetry, type Verdict } from '../../../stages/sinks/vectors/retry.js';

class HttpErr extends Error {
  constructor(readonly status: number, readonly headers: Record<string, string> = {}) {
    super(`HTTP ${status}`);
  }
}

const classify = (err: unknown): Verdict => {
  if (err instanceof HttpErr && (err.status === 429 || err.status >= 500)) {
    const ra = parseRetryAfter(err.headers);
    return { retry: true, reason: err.message, ...(ra !== undefined ? { retryAfterMs: ra } : {}) };
  }
  return { retry: false, error: err };
};

function recorder(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => { sleeps.push(ms); } };
}

function failing(errors: unknown[], result = 'ok'): { fn: () => Promise<string>; calls: () => number } {
  let n = 0;
  return {
    fn: async () => {
      const e = errors[n++];
      if (e !== undefined) throw e;
      return result;
    },
    calls: () => n,
  };
}

test('backoff: exponential with equal jitter, capped', () => {
  assert.equal(backoffDelay(1, 500, 30_000, () => 0), 250);
  assert.equal(backoffDelay(1, 500, 30_000, () => 0.999999), 500);
  assert.equal(backoffDelay(3, 500, 30_000, () => 0), 1000);
  assert.equal(backoffDelay(4, 500, 30_000, () => 1), 4000);
  assert.equal(backoffDelay(20, 500, 30_000, () => 1), 30_000);
  assert.equal(backoffDelay(20, 500, 30_000, () => 0), 15_000);
});

test('retry-after: ms header wins, then seconds, then HTTP date', () => {
  assert.equal(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }), 250);
  assert.equal(parseRetryAfter({ 'retry-after': '2' }), 2000);
  assert.equal(parseRetryAfter({ 'retry-after': '0' }), 0);
  assert.equal(parseRetryAfter(new Headers({ 'Retry-After': '1.5' })), 1500);
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(parseRetryAfter({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }, () => now), 3000);
  assert.equal(parseRetryAfter({ 'retry-after': 'soon' }), undefined);
  assert.equal(parseRetryAfter({}), undefined);
  assert.equal(parseRetryAfter(undefined), undefined);
});

test('retry: 429 and 5xx are retried with growing backoff, then succeed', async () => {
  const { sleeps, sleep } = recorder();
  const f = failing([new HttpErr(500), new HttpErr(503), new HttpErr(429)]);
  const retried: number[] = [];
  const out = await withRetry(f.fn, classify, { sleep, random: () => 0.5, baseDelayMs: 100, onRetry: (i) => retried.push(i.attempt) });
  assert.equal(out, 'ok');
  assert.equal(f.calls(), 4);
  assert.deepEqual(sleeps, [75, 150, 300]);
  assert.deepEqual(retried, [1, 2, 3]);
});

test('retry: retry-after is honoured instead of the backoff, and capped', async () => {
  const { sleeps, sleep } = recorder();
  const f = failing([new HttpErr(429, { 'retry-after': '0' }), new HttpErr(429, { 'retry-after-ms': '1234' }), new HttpErr(429, { 'retry-after': '3600' })]);
  await withRetry(f.fn, classify, { sleep, maxRetryAfterMs: 60_000 });
  assert.deepEqual(sleeps, [0, 1234, 60_000]);
});

test('retry: a non-retriable error stops at once with that error', async () => {
  const { sleeps, sleep } = recorder();
  const f = failing([new HttpErr(500), new HttpErr(401)]);
  await assert.rejects(withRetry(f.fn, classify, { sleep }), (e: unknown) => e instanceof HttpErr && e.status === 401);
  assert.equal(f.calls(), 2);
  assert.equal(sleeps.length, 1);
});

test('retry: attempts are bounded', async () => {
  const { sleeps, sleep } = recorder();
  const f = failing(Array.from({ length: 50 }, () => new HttpErr(503)));
  await assert.rejects(withRetry(f.fn, classify, { sleep, maxAttempts: 5 }), (e: unknown) => {
    assert.ok(e instanceof RetriesExhaustedError);
    assert.equal(e.attempts, 5);
    assert.match(e.reason, /503/);
    return true;
  });
  assert.equal(f.calls(), 5);
  assert.equal(sleeps.length, 4);
});

test('retry: 20 consecutive 429s with retry-after 0 are survived', async () => {
  const { sleeps, sleep } = recorder();
  const f = failing(Array.from({ length: 20 }, () => new HttpErr(429, { 'retry-after': '0' })));
  assert.equal(await withRetry(f.fn, classify, { sleep, maxAttempts: 25 }), 'ok');
  assert.equal(f.calls(), 21);
  assert.ok(sleeps.every((s) => s === 0));
});

test('retry: abort stops waiting and further attempts', async () => {
  const ctl = new AbortController();
  let calls = 0;
  const p = withRetry(async () => { calls++; throw new HttpErr(503); }, classify, {
    signal: ctl.signal,
    sleep: (ms, signal) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
  });
  setImmediate(() => ctl.abort(new Error('stopped by user')));
  await assert.rejects(p, /stopped by user/);
  assert.equal(calls, 1);
});
