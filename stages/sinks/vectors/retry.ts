/**
 * Retry policy shared by the embedding and vector-index clients, on p-retry: exponential backoff
 * with jitter, a server's `retry-after-ms` / `retry-after` honoured when present, a bounded number
 * of attempts, abortable sleeps. The classification of errors (retry or stop) belongs to each
 * client.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { getRandomValues } from 'node:crypto';
import pRetry, { AbortError } from 'p-retry';

export interface RetryOptions {
  /** Attempts in total, first one included. Default 10. Limit 1 – 100. */
  maxAttempts?: number;
  /** Backoff before the 2nd attempt, doubled for each later one. Default 500 ms. */
  baseDelayMs?: number;
  /** Upper bound of one computed backoff. Default 30,000 ms. */
  maxDelayMs?: number;
  /** Upper bound of one wait requested by a server's retry-after header. Default 120,000 ms. */
  maxRetryAfterMs?: number;
  /** Sleep implementation (tests inject one that records and returns at once). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform [0, 1) source for jitter. Default: crypto-random (jitter must differ between clients). */
  random?: () => number;
  /** Called before each wait, e.g. to count retries. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

/** What a client decided about one failed attempt. */
export type Verdict =
  | { retry: true; reason: string; retryAfterMs?: number }
  | { retry: false; error: unknown };

export const DEFAULT_RETRY = Object.freeze({
  maxAttempts: 10,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
});

export class RetriesExhaustedError extends Error {
  constructor(readonly attempts: number, readonly reason: string, readonly lastError: unknown) {
    super(`gave up after ${attempts} attempts (last: ${reason})`, { cause: lastError });
    this.name = 'RetriesExhaustedError';
  }
}

function cryptoRandom(): number {
  return (getRandomValues(new Uint32Array(1))[0] ?? 0) / 2 ** 32;
}

async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) {
    signal?.throwIfAborted();
    return;
  }
  await delay(ms, undefined, signal ? { signal } : undefined);
}

/**
 * Backoff before attempt `attempt + 1` (attempt counts from 1): "equal jitter", i.e. half of the
 * exponential step is fixed and half is random, so waits grow and concurrent clients spread out.
 */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const step = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Header lookup that accepts a Fetch `Headers`, a Node header record, or nothing. */
export type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined> | undefined;

function header(h: HeaderSource, name: string): string | undefined {
  if (!h) return undefined;
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get(n: string): string | null }).get(name) ?? undefined;
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Milliseconds a server asked us to wait: `retry-after-ms` (OpenAI, Azure), else `retry-after` in
 * seconds or as an HTTP date (RFC 9110 §10.2.3). Undefined when absent or unparsable.
 */
export function parseRetryAfter(h: HeaderSource, now: () => number = Date.now): number | undefined {
  const ms = header(h, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const s = header(h, 'retry-after');
  if (s === undefined || s.trim() === '') return undefined;
  const secs = Number(s);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}

/** A failed attempt carried through p-retry with the client's verdict on it. */
class AttemptFailure extends Error {
  constructor(readonly attempt: number, readonly verdict: Verdict, readonly original: unknown) {
    super(verdict.retry ? verdict.reason : 'not retried');
  }
}

/**
 * Runs `fn` until it succeeds, `classify` says stop (its error is thrown), the attempts run out
 * (`RetriesExhaustedError`) or `signal` aborts (the abort reason is thrown).
 *
 * p-retry runs the attempts (counting, abort signal); its own delay is zero because the wait is
 * chosen here, in `shouldRetry`: a server's `retry-after` when it sent one, else the jittered
 * backoff, through the injectable `sleep`.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  classify: (err: unknown) => Verdict,
  opts: RetryOptions & { signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const maxAttempts = Math.min(100, Math.max(1, Math.floor(opts.maxAttempts ?? DEFAULT_RETRY.maxAttempts)));
  const base = opts.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const maxDelay = opts.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const maxRetryAfter = opts.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs;
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? cryptoRandom;
  const signal = opts.signal;
  try {
    return await pRetry(
      async (attempt) => {
        try {
          return await fn(attempt);
        } catch (err) {
          if (signal?.aborted) throw new AbortError(new AttemptFailure(attempt, { retry: false, error: signal.reason }, err));
          const verdict = classify(err);
          const failure = new AttemptFailure(attempt, verdict, err);
          throw verdict.retry ? failure : new AbortError(failure);
        }
      },
      {
        retries: maxAttempts - 1,
        minTimeout: 0,
        ...(signal ? { signal } : {}),
        shouldRetry: async ({ error }) => {
          const { attempt, verdict } = error as AttemptFailure;
          if (!verdict.retry) return false;
          const delayMs = verdict.retryAfterMs !== undefined
            ? Math.min(maxRetryAfter, verdict.retryAfterMs)
            : backoffDelay(attempt, base, maxDelay, random);
          opts.onRetry?.({ attempt, delayMs, reason: verdict.reason });
          await sleep(delayMs, signal);
          return true;
        },
      },
    );
  } catch (e) {
    if (!(e instanceof AttemptFailure)) throw e;
    if (!e.verdict.retry) throw e.verdict.error;
    throw new RetriesExhaustedError(e.attempt, e.verdict.reason, e.original);
  }
}
