/**
 * Feed stock, first in, first out. Each site keeps one stock per feed type (a "pool"); purchases
 * arrive as lots of a nominal size and every meal draws from the oldest lot that still has stock.
 *
 * Computed without replaying the stream: within a pool, meals are ordered by (day, meal slot,
 * feeding unit — a freshwater batch stage's hall, or a sea pen), and a meal's position in the pool's
 * cumulative consumption is
 *   grams consumed on earlier days (a per-day prefix sum, built once per run)
 *   + grams of earlier meal slots that day + grams of earlier units in this slot,
 * all in whole grams (exact). The lot of a meal is ⌊position / lot size⌋; a lot's quantity is what
 * its meals drew (the newest lot, still open, holds at least its nominal size). So older lots are
 * always exhausted before a newer one is touched, by construction.
 */
import { FEED_TYPES, REF_DAY, SITES, STAGES, dayMs } from './catalogs.js';
import { batchPlan, dailyFeedGrams, feedUnits, hashU, mealGrams, perRun, salt, type BatchPlan, type StagePlan, type AquaContext } from './farm.js';
import { layout } from './layout.js';

interface Run {
  plan: BatchPlan;
  sp: StagePlan;
  /** Key of its first unit in the pool's draw order (runs get disjoint ranges). */
  first: number;
  K: number;
}

export interface Pool {
  id: number;
  site: number;
  stage: number;
  feed: number;
  meals: number;
  /** Nominal lot size, grams. */
  lotGrams: number;
  runs: Run[];
  /** Run index of each batch in the pool. */
  runOf: Map<number, number>;
  /** Grams consumed before day d (length REF_DAY + 1). */
  prefix: Float64Array;
  /** Position (grams) of each lot's first meal; the last entry is the pool's total. */
  lotStart: Float64Array;
  /** Day of each lot's first meal. */
  lotFirstDay: Int32Array;
  lots: number;
  /** Global index (0-based) of this pool's first lot in feed_purchases. */
  lotBase: number;
}

export interface Pools {
  list: Pool[];
  /** Pool of (site, stage): bySiteStage[site * 6 + stage]. */
  bySiteStage: Int32Array;
  /** Lots per site (feed_purchases group sizes). */
  siteLots: Int32Array;
}

/** The meals of one pool on one day, in draw order: units and their day rations, slot prefix sums. */
interface DayMeals {
  day: number;
  units: number[];
  grams: number[];
  /** slotStart[m]: grams of slots before m. */
  slotStart: Float64Array;
}

function dayMeals(pool: Pool, day: number): DayMeals {
  const units: number[] = [];
  const grams: number[] = [];
  for (const r of pool.runs) {
    if (day < r.sp.startDay || day >= r.sp.feedEndDay) continue;
    for (let j = 0; j < r.K; j++) {
      units.push(r.first + j);
      grams.push(dailyFeedGrams(r.plan, r.sp, j, day));
    }
  }
  const M = pool.meals;
  const slotStart = new Float64Array(M + 1);
  for (let m = 0; m < M; m++) {
    let s = 0;
    for (const g of grams) s += mealGrams(g, M, m);
    slotStart[m + 1] = slotStart[m]! + s;
  }
  return { day, units, grams, slotStart };
}

const dayCache = new WeakMap<Pool, DayMeals>();
function cachedDay(pool: Pool, day: number): DayMeals {
  let d = dayCache.get(pool);
  if (!d || d.day !== day) dayCache.set(pool, (d = dayMeals(pool, day)));
  return d;
}

/** Position of meal m of unit u of batch b on `day` in its pool's consumption (grams drawn before it). */
export function mealPosition(pool: Pool, b: number, u: number, day: number, m: number): number {
  const d = cachedDay(pool, day);
  const key = pool.runs[pool.runOf.get(b)!]!.first + u;
  let pos = pool.prefix[day]! + d.slotStart[m]!;
  for (let x = 0; x < d.units.length && d.units[x]! < key; x++) pos += mealGrams(d.grams[x]!, pool.meals, m);
  return pos;
}

export const lotOf = (pool: Pool, position: number): number => Math.floor(position / pool.lotGrams);

/** Position and day of the first meal at or after `target` grams. */
function firstMealFrom(pool: Pool, target: number): { pos: number; day: number } {
  const P = pool.prefix;
  let lo = 0;
  let hi = REF_DAY;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (P[mid]! <= target) lo = mid;
    else hi = mid - 1;
  }
  const d = dayMeals(pool, lo);
  for (let m = 0; m < pool.meals; m++) {
    let pos = P[lo]! + d.slotStart[m]!;
    for (let x = 0; x < d.units.length; x++) {
      if (pos >= target) return { pos, day: lo };
      pos += mealGrams(d.grams[x]!, pool.meals, m);
    }
  }
  // The meal spanning `target` was the day's last: the next lot starts with the next feeding day.
  let next = lo + 1;
  while (next < REF_DAY && P[next + 1]! === P[next]!) next++;
  return { pos: P[next]!, day: next };
}

export function pools(c: AquaContext): Pools {
  return perRun(c, 'pools', () => {
    const L = layout(c);
    const list: Pool[] = [];
    const bySiteStage = new Int32Array(SITES.length * STAGES.length).fill(-1);
    const siteLots = new Int32Array(SITES.length);
    let lotBase = 0;
    for (let site = 0; site < SITES.length; site++) {
      for (const stage of SITES[site]!.stages) {
        const st = STAGES[stage]!;
        if (st.meals === 0) continue;
        const batches: number[] = [];
        for (let b = 0; b < L.nBatches; b++) if (L.site[b * STAGES.length + stage] === site) batches.push(b);
        let key = 0;
        const runOf = new Map<number, number>();
        const runs: Run[] = batches.map((b, r) => {
          const plan = batchPlan(c, b);
          const sp = plan.stages[stage]!;
          runOf.set(b, r);
          const run = { plan, sp, first: key, K: feedUnits(sp) };
          key += run.K;
          return run;
        });
        const daily = new Float64Array(REF_DAY);
        for (const r of runs) {
          for (let day = r.sp.startDay; day < Math.min(r.sp.feedEndDay, REF_DAY); day++) {
            for (let j = 0; j < r.K; j++) daily[day] = daily[day]! + dailyFeedGrams(r.plan, r.sp, j, day);
          }
        }
        const prefix = new Float64Array(REF_DAY + 1);
        for (let d = 0; d < REF_DAY; d++) prefix[d + 1] = prefix[d]! + daily[d]!;
        const total = prefix[REF_DAY]!;
        const pool: Pool = {
          id: list.length, site, stage, feed: st.feed, meals: st.meals, lotGrams: Math.round(st.lotKg * 1000 * L.scale), runs, runOf, prefix,
          lotStart: new Float64Array(1), lotFirstDay: new Int32Array(0), lots: 0, lotBase,
        };
        if (total > 0) {
          // The last meal's position decides how many lots were opened.
          let lastDay = REF_DAY - 1;
          while (daily[lastDay] === 0) lastDay--;
          const d = dayMeals(pool, lastDay);
          const lastPos = total - mealGrams(d.grams.at(-1)!, pool.meals, pool.meals - 1);
          const n = lotOf(pool, lastPos) + 1;
          pool.lots = n;
          pool.lotStart = new Float64Array(n + 1);
          pool.lotFirstDay = new Int32Array(n);
          for (let j = 0; j < n; j++) {
            const f = j === 0 ? { pos: 0, day: firstFeedingDay(prefix) } : firstMealFrom(pool, j * pool.lotGrams);
            pool.lotStart[j] = f.pos;
            pool.lotFirstDay[j] = f.day;
          }
          pool.lotStart[n] = total;
        }
        bySiteStage[site * STAGES.length + stage] = list.length;
        list.push(pool);
        siteLots[site] = siteLots[site]! + pool.lots;
        lotBase += pool.lots;
      }
    }
    return { list, bySiteStage, siteLots };
  });
}

function firstFeedingDay(prefix: Float64Array): number {
  let d = 0;
  while (prefix[d + 1] === prefix[d]) d++;
  return d;
}

export const poolOf = (c: AquaContext, site: number, stage: number): Pool => {
  const p = pools(c);
  return p.list[p.bySiteStage[site * STAGES.length + stage]!]!;
};

/** Grams drawn from lot j of a pool (all of them for closed lots; what was drawn so far for the open one). */
export const lotDrawn = (pool: Pool, j: number): number => pool.lotStart[j + 1]! - pool.lotStart[j]!;
/** Quantity delivered in lot j: exactly what its meals drew, or at least the nominal size for the newest. */
export const lotQuantity = (pool: Pool, j: number): number => (j === pool.lots - 1 ? Math.max(pool.lotGrams, lotDrawn(pool, j)) : lotDrawn(pool, j));

/** Price per kg (EUR) of lot j: the feed's list price with a two-year cycle and ±2% per delivery. */
export function lotPrice(c: AquaContext, pool: Pool, j: number): number {
  const base = FEED_TYPES[pool.feed]!.priceEurKg;
  const day = pool.lotFirstDay[j]!;
  const p = base * (1 + 0.06 * Math.sin((2 * Math.PI * day) / 730) + 0.04 * (hashU(salt(c), 7_001 + pool.id, j) - 0.5));
  return Math.round(p * 10_000) / 10_000;
}

/** Global lot index (feed_purchases, 0-based) of the pool's lot j, and the site-local index. */
export const lotIndex = (pool: Pool, j: number): number => pool.lotBase + j;

/** Feed of one batch: total grams and cost (EUR, each meal at its lot's price). */
export function batchFeed(c: AquaContext, plan: BatchPlan): { grams: number; cost: number } {
  const L = layout(c);
  let grams = 0;
  let cost = 0;
  for (let s = 1; s < STAGES.length; s++) {
    const sp = plan.stages[s]!;
    const pool = poolOf(c, L.site[plan.b * STAGES.length + s]!, s);
    const M = pool.meals;
    for (let day = sp.startDay; day < Math.min(sp.feedEndDay, REF_DAY); day++) {
      for (let u = 0; u < feedUnits(sp); u++) {
        const daily = dailyFeedGrams(plan, sp, u, day);
        grams += daily;
        for (let m = 0; m < M; m++) {
          const lot = lotOf(pool, mealPosition(pool, plan.b, u, day, m));
          cost += (mealGrams(daily, M, m) / 1000) * lotPrice(c, pool, lot);
        }
      }
    }
  }
  return { grams, cost };
}

/** When lot j was first drawn from (its first meal's day, midnight). */
export const lotFirstUse = (pool: Pool, j: number): number => dayMs(pool.lotFirstDay[j]!);
