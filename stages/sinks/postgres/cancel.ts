/**
 * Cancelling what the run's connection is doing, from a second connection (`pg_cancel_backend`): an
 * interrupt during the commit, and a rollback while finishing work of earlier tables is still queued
 * (early-finish.ts), so neither waits for an index build. A cancel that finds the backend idle does
 * nothing; every step is bounded in time.
 */
import { withTimeout } from './copy.js';
import type { PgClientLike } from './client.js';

/** Cancels the statement backend `pid` is running (nothing when idle or unknown). */
export async function cancelBackend(connect: (url: string) => Promise<PgClientLike>, url: string, pid: number | null | undefined): Promise<void> {
  if (pid === undefined || pid === null) return;
  try {
    const c = await withTimeout(connect(url), 5_000);
    if (!c) return;
    try {
      await withTimeout(c.query('SELECT pg_cancel_backend($1)', [pid]), 5_000);
    } finally {
      await withTimeout(c.end(), 2_000);
    }
  } catch {
    // Best effort: the rollback or the closed connection ends the statement anyway.
  }
}

/** Cancels again and again while `pending()` (statements still queued), for up to `ms`. */
export async function cancelWhile(pending: () => boolean, cancel: () => Promise<void>, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (pending() && Date.now() < until) {
    await cancel();
    await new Promise((r) => setTimeout(r, 50));
  }
}
