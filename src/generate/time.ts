/**
 * Time helpers for generators. All take the row's `Rng`; none reads the clock (the dataset's
 * `refDate` is "now").
 */
import type { Rng } from '../random/rng.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

const ms = (d: Date | number): number => (typeof d === 'number' ? d : d.getTime());

export interface SeasonalOptions {
  /** Weight per hour of day (24 numbers, UTC). Default: a working-day curve. */
  hourly?: readonly number[];
  /** Weight per day of week, Sunday first (7 numbers). Default: weekdays 1, weekend 0.35. */
  weekly?: readonly number[];
  /** Weight per month, January first (12 numbers). Default: flat. */
  monthly?: readonly number[];
}

const DEFAULT_HOURLY = [0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 0.9, 1, 1, 0.95, 0.8, 0.95, 1, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2];
const DEFAULT_WEEKLY = [0.35, 1, 1, 1, 1, 0.95, 0.35];

export class TimeHelpers {
  constructor(private readonly rng: Rng, readonly refDate: Date) {}

  /** Uniform in [a, b). */
  between(a: Date | number, b: Date | number): Date {
    const lo = ms(a);
    return new Date(lo + Math.floor(this.rng.float() * Math.max(0, ms(b) - lo)));
  }

  /** After `d` by up to `maxMs` (default 30 days), never after the reference date. */
  after(d: Date | number, maxMs = 30 * DAY, minMs = 0): Date {
    const lo = ms(d) + minMs;
    const hi = Math.max(lo, Math.min(lo + maxMs - minMs, this.refDate.getTime()));
    return new Date(lo + Math.floor(this.rng.float() * (hi - lo + 1)));
  }

  /** In [a, b), skewed towards `b` (recent activity): skew 1 is uniform, 3 strongly recent. */
  recent(a: Date | number, b: Date | number = this.refDate, skew = 2.5): Date {
    const lo = ms(a);
    const span = Math.max(0, ms(b) - lo);
    return new Date(ms(b) - 1 - Math.floor(Math.pow(this.rng.float(), skew) * span));
  }

  /** Days before the reference date (`ago(30)` → 30 days before refDate). */
  ago(days: number): Date {
    return new Date(this.refDate.getTime() - days * DAY);
  }

  /** The same day moved into business hours (09:00–17:59 UTC, Monday–Friday). */
  businessHours(d: Date | number): Date {
    const t = new Date(ms(d));
    const dow = t.getUTCDay();
    if (dow === 0) t.setUTCDate(t.getUTCDate() + 1);
    if (dow === 6) t.setUTCDate(t.getUTCDate() + 2);
    const r = this.rng;
    t.setUTCHours(9 + r.int(0, 8), r.int(0, 59), r.int(0, 59), 0);
    return t;
  }

  /**
   * A time in [a, b) following daily/weekly/monthly seasonality: rejection sampling against the
   * product of weights (bounded attempts; falls back to the last candidate, so it always returns).
   */
  seasonal(a: Date | number, b: Date | number, opts: SeasonalOptions = {}): Date {
    const hourly = opts.hourly ?? DEFAULT_HOURLY;
    const weekly = opts.weekly ?? DEFAULT_WEEKLY;
    const monthly = opts.monthly;
    const max = Math.max(...hourly) * Math.max(...weekly) * (monthly ? Math.max(...monthly) : 1);
    const r = this.rng;
    let t = ms(a);
    for (let attempt = 0; attempt < 32; attempt++) {
      t = ms(a) + Math.floor(r.float() * Math.max(0, ms(b) - ms(a)));
      const d = new Date(t);
      const w = hourly[d.getUTCHours()]! * weekly[d.getUTCDay()]! * (monthly ? monthly[d.getUTCMonth()]! : 1);
      if (r.float() * max < w) break;
    }
    return new Date(t);
  }
}
