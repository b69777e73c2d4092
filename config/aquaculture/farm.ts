/**
 * The farm model as pure functions: the lifecycle plan of a batch (stage dates, fish counts per
 * container, weights, pen harvests), daily feed rations, harvest grading and the environment the
 * sensors measure. Batches are evenly spaced — their harvests end at even intervals — and every
 * lifecycle lasts the same ~900 days (stage lengths vary ±4% but add up to it), so a batch's place
 * in time is arithmetic. Which containers it uses is the layout's business (layout.ts).
 */
import { fmix32, type Rng, type TypedCountContext, type TypedGenContext } from '../../src/index.js';
import type { AquaParams } from './params.js';
import {
  ADULT, DAY_MS, DOWNGRADE_ORDINARY, DOWNGRADE_PRODUCTION, EGGS, GUTTED_YIELD, HARVESTED_SHARE, HARVEST_GRADES, HARVEST_INTERVAL_DAYS, PEN_HARVEST_GAP, REF_DAY, STAGES,
  WEIGHT_LOG_SD, dayMs, type Geo, type SensorKind,
} from './catalogs.js';

/** What the model's helpers read of the dataset's rows: each batch's plan, the first geography's salt. */
export interface AquaRows {
  readonly batches: { readonly plan: BatchPlan };
  readonly geographies: { readonly salt: number };
}

/**
 * The context the helpers take: every count or generator context of the dataset fits (tables that
 * read more pass `Extra`, e.g. `{ harvest_events: { id: number } }`; a parent's columns `Parent`).
 */
export type AquaContext<Extra = object, Parent = unknown> = TypedCountContext<AquaRows & Extra, Parent, AquaParams>;
/** A generator context of the dataset, for helpers that read `c.k`, `c.row` or the column's stream. */
export type AquaGenContext<Parent = unknown, Row = unknown, Extra = object> = TypedGenContext<AquaRows & Extra, Row, Parent, AquaParams>;

/** A value computed once per run and shared by every row (`c.memo`). */
export function perRun<T>(c: AquaContext, key: string, build: () => T): T {
  return c.memo(key, build);
}

/** A per-seed salt: a generated value of a catalogue row, so hashed noise changes with `--seed`. */
export const salt = (c: AquaContext): number => perRun(c, 'salt', () => c.lookup('geographies', 0).salt);

/** Uniform [0, 1) from integer coordinates (no state; the same wherever it is recomputed). */
export function hashU(s: number, a: number, b = 0, d = 0): number {
  let h = fmix32(s ^ Math.imul(a + 0x9e3779b9, 0x85ebca6b));
  h = fmix32(h ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35));
  h = fmix32(h ^ Math.imul(d + 0x165667b1, 0x27d4eb2f));
  return h / 4294967296;
}

export const batchGeo = (b: number): Geo => (b % 2) as Geo;
/** Containers a batch uses in stage s: freshwater counts scale with the year class, sea pens do not. */
export const containersFor = (s: number, scale: number): number => (s === ADULT ? STAGES[s]!.containers : Math.max(1, Math.round(STAGES[s]!.containers * scale)));
/** Lifecycle length (days) before the harvest starts, and the harvest's length (pens two days apart). */
export const LIFECYCLE_DAYS = STAGES.reduce((s, x) => s + x.days, 0);
export const HARVEST_DAYS = PEN_HARVEST_GAP * (STAGES[ADULT]!.containers - 1) + 1;

/** Day batch b of n finishes its harvest: evenly spaced, `HARVESTED_SHARE` of them before the reference date. */
export function harvestEndDay(b: number, n: number): number {
  const h = Math.round(n * HARVESTED_SHARE);
  return Math.round(REF_DAY + (b - h + 0.5) * HARVEST_INTERVAL_DAYS);
}

export interface StagePlan {
  stage: number;
  startDay: number;
  /** Day the fish leave the stage (transfer), or the harvest start for the adult stage. */
  endDay: number;
  /** Fish per container entering the stage. */
  counts0: number[];
  /** Daily mortality hazard. */
  hazard: number;
  w0: number;
  w1: number;
  /** Specific growth rate per day: ln(w1 / w0) / days. */
  sgr: number;
  /** Last feeding day + 1 (adults are starved a week before harvest). */
  feedEndDay: number;
  /** Per container: the day it is emptied (transfer, or its pen's harvest day + 1). */
  departDay: number[];
}

export interface PenHarvest {
  pen: number;
  day: number;
  fish: number;
}

export interface BatchPlan {
  b: number;
  geo: Geo;
  startDay: number;
  eggs: number;
  salt: number;
  stages: StagePlan[];
  /** One harvest per pen, two days apart, in day order. */
  harvests: PenHarvest[];
}

const split = (total: number, parts: number, k: number): number => Math.floor(total / parts) + (k < total % parts ? 1 : 0);

/** Fish in container j of stage plan sp at (integer) day t: exponential decay, whole fish. */
export function fishAt(sp: StagePlan, j: number, day: number): number {
  const t = Math.min(Math.max(day, sp.startDay), sp.endDay);
  return Math.round(sp.counts0[j]! * Math.exp(-sp.hazard * (t - sp.startDay)));
}
/** All fish of the stage at day t (the sum of its containers). */
export function stageFishAt(sp: StagePlan, day: number): number {
  let n = 0;
  for (let j = 0; j < sp.counts0.length; j++) n += fishAt(sp, j, day);
  return n;
}

/** Average weight (g) in stage plan sp at day t (geometric growth between the stage's weights). */
export function weightAt(sp: StagePlan, day: number): number {
  const t = Math.min(Math.max(day, sp.startDay), sp.endDay);
  return sp.w0 * Math.exp(sp.sgr * (t - sp.startDay));
}

/** What a batch row draws for its plan (the columns declared before `plan`). */
export interface BatchDraws {
  readonly stage_days: readonly number[];
  readonly survival: readonly number[];
  readonly egg_count: number;
  readonly salt: number;
  readonly harvest_weight_g: number;
}

/** The whole plan of batch b (of n) from its row's drawn values (pure; cached per run). */
export function planFromRow(row: BatchDraws, b: number, n: number, scale: number): BatchPlan {
  // Stage lengths vary ±4% but keep the lifecycle's total, so batches stay evenly spaced.
  const drawn = row.stage_days;
  const sum = drawn.reduce((a, x) => a + x, 0);
  const days = drawn.map((d) => Math.round((d * LIFECYCLE_DAYS) / sum));
  days[ADULT] = LIFECYCLE_DAYS - days.slice(0, ADULT).reduce((a, x) => a + x, 0);
  const survival = row.survival;
  const eggs = row.egg_count;
  const s0 = row.salt;
  const startDay = harvestEndDay(b, n) - HARVEST_DAYS - LIFECYCLE_DAYS;
  const stages: StagePlan[] = [];
  let day = startDay;
  let fish = eggs;
  for (let s = 0; s < STAGES.length; s++) {
    const st = STAGES[s]!;
    const K = containersFor(s, scale);
    const counts0 = Array.from({ length: K }, (_, j) => split(fish, K, j));
    const D = days[s]!;
    const w0 = s === 0 ? st.w0 : stages[s - 1]!.w1;
    const w1 = s === ADULT ? row.harvest_weight_g : st.w1;
    const sp: StagePlan = {
      stage: s, startDay: day, endDay: day + D, counts0, hazard: -Math.log(survival[s]!) / D, w0, w1, sgr: Math.log(w1 / w0) / D,
      feedEndDay: s === ADULT ? day + D - 7 : day + D, departDay: new Array<number>(K).fill(day + D),
    };
    stages.push(sp);
    fish = stageFishAt(sp, sp.endDay);
    day += D;
  }
  const adult = stages[ADULT]!;
  const harvests: PenHarvest[] = adult.counts0.map((_, p) => ({ pen: p, day: adult.endDay + PEN_HARVEST_GAP * p, fish: fishAt(adult, p, adult.endDay) }));
  for (const h of harvests) adult.departDay[h.pen] = h.day + 1;
  return { b, geo: batchGeo(b), startDay, eggs, salt: s0, stages, harvests };
}

/** Eggs of batch b: its geography's range, scaled with the year class. */
export const eggsFor = (geo: Geo, u: number, scale: number): number => Math.round((EGGS[geo]![0] + u * (EGGS[geo]![1] - EGGS[geo]![0])) * scale / 1_000) * 1_000;

export function batchPlan(c: AquaContext, b: number): BatchPlan {
  const plans = perRun(c, 'plans', () => new Map<number, BatchPlan>());
  let p = plans.get(b);
  if (!p) plans.set(b, (p = c.lookup('batches', b).plan));
  return p;
}

/** Whether stage s of a plan had started by the reference date. */
export const reached = (p: BatchPlan, s: number): boolean => p.stages[s]!.startDay < REF_DAY;
/** Last stage started by the reference date. */
export const currentStage = (p: BatchPlan): number => { let s = 0; while (s + 1 < STAGES.length && reached(p, s + 1)) s++; return s; };
export const harvestStarted = (p: BatchPlan): boolean => p.harvests[0]!.day < REF_DAY;
export const harvestDone = (p: BatchPlan): boolean => p.harvests.at(-1)!.day < REF_DAY;

// ---------------------------------------------------------------------------------------------
// Harvest grading

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf; |error| < 1.5e-7). */
export function normCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Share of a log-normal (μ, σ) in [a, b) and its mean there. */
function band(mu: number, sigma: number, a: number, b: number): { p: number; mean: number } {
  const za = a > 0 ? (Math.log(a) - mu) / sigma : -Infinity;
  const zb = Number.isFinite(b) ? (Math.log(b) - mu) / sigma : Infinity;
  const p = normCdf(zb) - normCdf(za);
  const q = normCdf(zb - sigma) - normCdf(za - sigma);
  const mean = p > 0 ? (Math.exp(mu + (sigma * sigma) / 2) * q) / p : (Number.isFinite(b) ? (a + b) / 2 : a * 1.1);
  return { p, mean };
}

export interface GradedLot {
  grade: number;
  fish: number;
  guttedGrams: number;
  /** EUR per kg gutted, 4 decimals. */
  price: number;
  revenueCents: number;
}

export interface HarvestDetails {
  fish: number;
  liveGrams: number;
  lots: GradedLot[];
}

/**
 * One pen harvest: live weight and the five graded lots. Gutted weights are log-normal around the
 * pen's mean; each Superior lot holds the fish of its band less downgrades, so its average weight
 * lies in the band. Prices follow a yearly cycle (high in spring, low in autumn) around 7.2 EUR/kg.
 */
export function harvestDetails(p: BatchPlan, x: number): HarvestDetails {
  const h = p.harvests[x]!;
  const avgLive = p.stages[ADULT]!.w1 * (1 + 0.04 * (hashU(p.salt, 5_003, x) - 0.5));
  const liveGrams = Math.round(h.fish * avgLive);
  const meanKg = (avgLive / 1000) * GUTTED_YIELD;
  const sigma = WEIGHT_LOG_SD;
  const mu = Math.log(meanKg) - (sigma * sigma) / 2;
  const small = band(mu, sigma, 0, 2);
  const bands = [band(mu, sigma, 2, 4), band(mu, sigma, 4, 6), band(mu, sigma, 6, Infinity)];
  const keep = 1 - DOWNGRADE_ORDINARY - DOWNGRADE_PRODUCTION;
  // Fish per lot (the last, Production, takes what rounding left) and their gutted kilos.
  const sup = bands.map((b) => Math.max(h.fish >= 100 ? 1 : 0, Math.floor(h.fish * b.p * keep)));
  const ord = Math.floor(h.fish * DOWNGRADE_ORDINARY * (1 - small.p));
  const prod = h.fish - sup.reduce((a, n) => a + n, 0) - ord;
  const ordMean = bands.reduce((a, b) => a + b.p * b.mean, 0) / Math.max(1e-9, 1 - small.p);
  const prodMean = (small.p * small.mean + DOWNGRADE_PRODUCTION * (1 - small.p) * ordMean) / Math.max(1e-9, small.p + DOWNGRADE_PRODUCTION * (1 - small.p));
  const counts = [...sup, ord, prod];
  const means = [...bands.map((b) => b.mean), ordMean, prodMean];
  const base = 7.2 + 1.1 * Math.sin((2 * Math.PI * (dayOfYear(dayMs(h.day)) - 30)) / 365.25);
  const lots = HARVEST_GRADES.map((g, k): GradedLot => {
    const guttedGrams = Math.round(counts[k]! * means[k]! * 1000);
    const price = Math.round(base * g.priceFactor * (1 + 0.03 * (hashU(p.salt, 5_101 + k, x) - 0.5)) * 10_000) / 10_000;
    return { grade: k, fish: counts[k]!, guttedGrams, price, revenueCents: Math.round((guttedGrams / 1000) * price * 100) };
  });
  return { fish: h.fish, liveGrams, lots };
}

// ---------------------------------------------------------------------------------------------
// Feed: a freshwater stage is fed as one unit (its hall's feeding system), a sea pen on its own.

export const feedUnits = (sp: StagePlan): number => (sp.stage === ADULT ? sp.counts0.length : 1);

/** Grams fed to unit u of stage plan sp on day t: FCR × growth of its fish, ±10% per day. */
export function dailyFeedGrams(p: BatchPlan, sp: StagePlan, u: number, day: number): number {
  if (day < sp.startDay || day >= sp.feedEndDay || STAGES[sp.stage]!.meals === 0) return 0;
  const t = day - sp.startDay;
  const fish = sp.stage === ADULT ? fishAt(sp, u, day) : Math.round(sp.counts0.reduce((a, n) => a + n, 0) * Math.exp(-sp.hazard * t));
  const noise = 0.9 + 0.2 * hashU(p.salt, sp.stage * 64 + u, day);
  return Math.max(1, Math.round(STAGES[sp.stage]!.fcr * fish * weightAt(sp, day) * sp.sgr * noise));
}

/** Grams of meal m (of M) of a day's ration: an exact integer split. */
export const mealGrams = (daily: number, M: number, m: number): number => split(daily, M, m);

/** Time of meal m of M on day `day`: spread from 06:00 to 20:00 UTC. */
export const mealTime = (day: number, m: number, M: number): number => dayMs(day) + 6 * 3_600_000 + (M > 1 ? Math.round((m * 14 * 3_600_000) / (M - 1)) : 0);

// ---------------------------------------------------------------------------------------------
// Environment

const TWO_PI = 2 * Math.PI;
/** Day of year (fractional, on a 365.25-day year from 1 January): no Date on the hot path. */
const JAN1 = Date.UTC(2017, 0, 1);
export const dayOfYear = (t: number): number => ((((t - JAN1) / DAY_MS) % 365.25) + 365.25) % 365.25;

/** Sea surface temperature: Faroe Islands stable 8–11 °C, Scotland seasonal 6–14 °C (coldest in March). */
export function seaTemperature(geo: Geo, t: number): number {
  const phase = Math.sin((TWO_PI * (dayOfYear(t) - 150)) / 365.25);
  return geo === 0 ? 9.5 + 1.05 * phase : 10 + 3.5 * phase;
}
export const SEA_RANGE: readonly (readonly [number, number])[] = [[8, 11], [6, 14]];
export const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

export interface SensorEnv {
  kind: SensorKind;
  geo: Geo;
  stage: number;
  sea: boolean;
  /** Per-sensor calibration offset. */
  offset: number;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** One reading of a sensor at time t, `frac` through its container's current stay. */
export function readingValue(e: SensorEnv, t: number, frac: number, rng: Rng): number {
  const st = STAGES[e.stage]!;
  switch (e.kind) {
    case 'temperature': {
      if (e.sea) {
        const [lo, hi] = SEA_RANGE[e.geo]!;
        return r3(clamp(seaTemperature(e.geo, t) + e.offset + rng.normal(0, e.geo === 0 ? 0.15 : 0.3), lo + 0.05, hi - 0.05));
      }
      const [lo, hi] = st.tempC;
      return r3(clamp((lo + hi) / 2 + e.offset + rng.normal(0, 0.25), lo, hi));
    }
    case 'dissolved_oxygen': {
      const base = e.sea ? 11.6 - 0.33 * seaTemperature(e.geo, t) : e.stage === 4 ? 9.2 : 10.2;
      return r3(clamp(base + e.offset + rng.normal(0, 0.3), 5.5, 12.5));
    }
    case 'salinity': {
      if (e.sea) return r3(clamp((e.geo === 0 ? 35.15 : 34.1) + e.offset + rng.normal(0, 0.1), 33, 36));
      const [a, b] = e.stage === 3 ? [0.3, 12] : [12, 30];
      return r3(clamp(a + (b - a) * frac + rng.normal(0, 0.3), 0, 36));
    }
    case 'ph': return r3(clamp((e.sea ? 8.05 : 7.1) + e.offset * 0.2 + rng.normal(0, e.sea ? 0.04 : 0.12), 6.3, 8.4));
    case 'co2': return r3(clamp(6 + e.offset * 3 + rng.normal(0, 1.4), 1, 15));
    case 'flow': return r3(clamp(st.volumeM3 * (e.stage === 0 ? 30 : 4) * (1 + e.offset * 0.2) + rng.normal(0, 5), 1, 1e6));
    case 'ammonia': return r3(clamp(0.03 + rng.exponential(0.015), 0, 0.5));
    case 'turbidity': return r3(clamp(1.2 + rng.exponential(0.8), 0.1, 25));
    case 'current_speed': return r3(clamp(12 + 9 * Math.abs(Math.sin((TWO_PI * t) / (12.42 * 3_600_000))) + rng.normal(0, 2), 0, 60));
  }
}
