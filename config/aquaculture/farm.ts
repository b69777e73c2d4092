/**
 * The farm model as pure functions: which batch uses which containers (each container hosts one
 * batch stage), the lifecycle plan of a batch (stage dates, fish counts per container, weights,
 * harvest trips), daily feed rations, and the environment the sensors measure. Everything is
 * recomputable from indexes; the few per-run tables kept here are the size of the farm (sites,
 * batches, containers), never of the event streams.
 */
import { fmix32, type CountContext, type Rng } from '../../src/index.js';
import {
  ADULT, DAY_MS, EPOCH, FRESHWATER_SITES, FRESHWATER_SLOTS, FRESHWATER_STAGES, REF_DAY, SEA_SITES, SEA_SLOTS, SITES, STAGES, dayMs, type Geo, type SensorKind,
} from './catalogs.js';

/** A value computed once per run and shared by every row (`c.memo`). */
export function perRun<T>(c: CountContext, key: string, build: () => T): T {
  return c.memo(key, build);
}

/** A per-seed salt: a generated value of a catalogue row, so hashed noise changes with `--seed`. */
export const salt = (c: CountContext): number => perRun(c, 'salt', () => c.lookup('geographies', 0).salt as number);

/** Uniform [0, 1) from integer coordinates (no state; the same wherever it is recomputed). */
export function hashU(s: number, a: number, b = 0, d = 0): number {
  let h = fmix32(s ^ Math.imul(a + 0x9e3779b9, 0x85ebca6b));
  h = fmix32(h ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35));
  h = fmix32(h ^ Math.imul(d + 0x165667b1, 0x27d4eb2f));
  return h / 4294967296;
}

// ---------------------------------------------------------------------------------------------
// Layout: batches → sites → containers

export const batchGeo = (b: number): Geo => (b % 2) as Geo;
export const fwSiteOf = (b: number): number => { const g = batchGeo(b); const l = FRESHWATER_SITES[g]!; return l[Math.floor(b / 2) % l.length]!; };
export const seaSiteOf = (b: number): number => { const g = batchGeo(b); const l = SEA_SITES[g]!; return l[Math.floor(b / 2) % l.length]!; };

/** Batches hosted by `site`, in batch order. */
export function siteBatches(site: number, nBatches: number): number[] {
  const sea = SITES[site]!.kind === 'sea';
  const out: number[] = [];
  for (let b = 0; b < nBatches; b++) if ((sea ? seaSiteOf(b) : fwSiteOf(b)) === site) out.push(b);
  return out;
}
export const slotsAt = (site: number): number => (SITES[site]!.kind === 'sea' ? SEA_SLOTS : FRESHWATER_SLOTS);
export const containersAt = (site: number, nBatches: number): number => siteBatches(site, nBatches).length * slotsAt(site);

/** Stage and index within the stage of container slot `slot` at a hatchery or sea site. */
export function slotStage(sea: boolean, slot: number): { stage: number; j: number } {
  if (sea) return { stage: ADULT, j: slot };
  let s = 0;
  let j = slot;
  while (j >= STAGES[s]!.containers) j -= STAGES[s++]!.containers;
  return { stage: s, j };
}

export interface Layout {
  nBatches: number;
  /** First global container index of each site (and the total at the end). */
  siteStart: Float64Array;
  /** Per global container: site, batch, stage, index in the batch stage. */
  site: Int32Array;
  batch: Int32Array;
  stage: Int32Array;
  j: Int32Array;
  /** First global container index of (batch, stage): firstContainer[b * 6 + s]. */
  firstContainer: Int32Array;
  /** First global hall index of each site (hatcheries have one hall per freshwater stage). */
  hallStart: Int32Array;
}

export function layout(c: CountContext): Layout {
  return perRun(c, 'layout', () => {
    const nBatches = c.count('batches');
    const siteStart = new Float64Array(SITES.length + 1);
    const hallStart = new Int32Array(SITES.length + 1);
    for (let s = 0; s < SITES.length; s++) {
      siteStart[s + 1] = siteStart[s]! + containersAt(s, nBatches);
      hallStart[s + 1] = hallStart[s]! + (SITES[s]!.kind === 'freshwater' ? FRESHWATER_STAGES : 0);
    }
    const total = siteStart[SITES.length]!;
    const L: Layout = {
      nBatches, siteStart, hallStart,
      site: new Int32Array(total), batch: new Int32Array(total), stage: new Int32Array(total), j: new Int32Array(total),
      firstContainer: new Int32Array(nBatches * STAGES.length).fill(-1),
    };
    for (let s = 0; s < SITES.length; s++) {
      const sea = SITES[s]!.kind === 'sea';
      const slots = slotsAt(s);
      const batches = siteBatches(s, nBatches);
      for (let k = 0; k < batches.length * slots; k++) {
        const i = siteStart[s]! + k;
        const b = batches[Math.floor(k / slots)]!;
        const { stage, j } = slotStage(sea, k % slots);
        L.site[i] = s;
        L.batch[i] = b;
        L.stage[i] = stage;
        L.j[i] = j;
        if (j === 0) L.firstContainer[b * STAGES.length + stage] = i;
      }
    }
    return L;
  });
}

// ---------------------------------------------------------------------------------------------
// Batch lifecycle plan

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
  /** Per container: the day it is emptied (transfer, or its last harvest trip + 1). */
  departDay: number[];
}

export interface HarvestTrip {
  pen: number;
  day: number;
  fish: number;
}

export interface BatchPlan {
  b: number;
  geo: Geo;
  fwSite: number;
  seaSite: number;
  startDay: number;
  eggs: number;
  salt: number;
  stages: StagePlan[];
  /** Harvest trips by well boat, pen by pen, in day order (fish per trip). */
  trips: HarvestTrip[];
}

const split = (total: number, parts: number, k: number): number => Math.floor(total / parts) + (k < total % parts ? 1 : 0);

/** Fish in container j of stage plan sp at (integer) day t: exponential decay, whole fish. */
export function fishAt(sp: StagePlan, j: number, day: number): number {
  const t = Math.min(Math.max(day, sp.startDay), sp.endDay);
  return Math.round(sp.counts0[j]! * Math.exp(-sp.hazard * (t - sp.startDay)));
}

/** Average weight (g) in stage plan sp at day t (geometric growth between the stage's weights). */
export function weightAt(sp: StagePlan, day: number): number {
  const t = Math.min(Math.max(day, sp.startDay), sp.endDay);
  return sp.w0 * Math.exp(sp.sgr * (t - sp.startDay));
}

/** The whole plan of batch b from its row's drawn values (pure; cached per run). */
export function planFromRow(row: Record<string, unknown>, b: number): BatchPlan {
  const days = row.stage_days as number[];
  const survival = row.survival as number[];
  const eggs = row.egg_count as number;
  const startDay = row.start_day as number;
  const s0 = row.salt as number;
  const stages: StagePlan[] = [];
  let day = startDay;
  let fish = eggs;
  for (let s = 0; s < STAGES.length; s++) {
    const st = STAGES[s]!;
    const K = st.containers;
    const counts0 = Array.from({ length: K }, (_, j) => split(fish, K, j));
    const D = days[s]!;
    const w0 = s === 0 ? st.w0 : stages[s - 1]!.w1;
    const w1 = s === ADULT ? (row.harvest_weight_g as number) : st.w1;
    const sp: StagePlan = {
      stage: s, startDay: day, endDay: day + D, counts0, hazard: -Math.log(survival[s]!) / D, w0, w1, sgr: Math.log(w1 / w0) / D,
      feedEndDay: s === ADULT ? day + D - 7 : day + D, departDay: new Array<number>(K).fill(day + D),
    };
    stages.push(sp);
    fish = 0;
    for (let j = 0; j < K; j++) fish += fishAt(sp, j, sp.endDay);
    day += D;
  }
  // Harvest: pen p starts 3p days after the harvest start, 3–4 daily well-boat trips each.
  const adult = stages[ADULT]!;
  const trips: HarvestTrip[] = [];
  for (let p = 0; p < adult.counts0.length; p++) {
    const n = 3 + Math.floor(hashU(s0, 991, p) * 2);
    const first = adult.endDay + 3 * p;
    const total = fishAt(adult, p, adult.endDay);
    for (let t = 0; t < n; t++) trips.push({ pen: p, day: first + t, fish: split(total, n, t) });
    adult.departDay[p] = first + n;
  }
  trips.sort((x, y) => x.day - y.day || x.pen - y.pen);
  return { b, geo: batchGeo(b), fwSite: fwSiteOf(b), seaSite: seaSiteOf(b), startDay, eggs, salt: s0, stages, trips };
}

export function batchPlan(c: CountContext, b: number): BatchPlan {
  const plans = perRun(c, 'plans', () => new Map<number, BatchPlan>());
  let p = plans.get(b);
  if (!p) plans.set(b, (p = c.lookup('batches', b).plan as BatchPlan));
  return p;
}

/** Whether stage s of a plan had started by the reference date. */
export const reached = (p: BatchPlan, s: number): boolean => p.stages[s]!.startDay < REF_DAY;
/** Last stage started by the reference date. */
export const currentStage = (p: BatchPlan): number => { let s = 0; while (s + 1 < STAGES.length && reached(p, s + 1)) s++; return s; };
export const harvestStarted = (p: BatchPlan): boolean => p.trips.length > 0 && p.trips[0]!.day < REF_DAY;
export const harvestDone = (p: BatchPlan): boolean => p.trips.at(-1)!.day < REF_DAY;

// ---------------------------------------------------------------------------------------------
// Harvest

export interface TripLot {
  grade: number;
  fish: number;
  guttedGrams: number;
  /** EUR per kg gutted, 4 decimals. */
  price: number;
  revenueCents: number;
}

export interface TripDetails {
  fish: number;
  liveGrams: number;
  lots: TripLot[];
}

/**
 * One well-boat trip's weights and graded lots (pure: the finance facts re-add them). Prices follow
 * a yearly cycle (high in spring, low in autumn) around 7.2 EUR/kg gutted.
 */
export function tripDetails(p: BatchPlan, t: number, grades: readonly { share: number; priceFactor: number; weightFactor: number }[], yieldRatio: number): TripDetails {
  const trip = p.trips[t]!;
  const avg = p.stages[ADULT]!.w1 * (1 + 0.04 * (hashU(p.salt, 5_003, t) - 0.5));
  const liveGrams = Math.round(trip.fish * avg);
  const base = 7.2 + 1.1 * Math.sin((2 * Math.PI * (dayOfYear(dayMs(trip.day)) - 30)) / 365.25);
  const meanFactor = grades.reduce((s, g) => s + g.share * g.weightFactor, 0);
  let left = trip.fish;
  const lots = grades.map((g, k): TripLot => {
    const fish = k === grades.length - 1 ? left : Math.floor(trip.fish * g.share);
    left -= fish;
    const guttedGrams = Math.round(fish * avg * (g.weightFactor / meanFactor) * yieldRatio);
    const price = Math.round(base * g.priceFactor * (1 + 0.03 * (hashU(p.salt, 5_101 + k, t) - 0.5)) * 10_000) / 10_000;
    return { grade: k, fish, guttedGrams, price, revenueCents: Math.round((guttedGrams / 1000) * price * 100) };
  });
  return { fish: trip.fish, liveGrams, lots };
}

// ---------------------------------------------------------------------------------------------
// Feed

/** Grams fed to container `i` (global), index j of stage plan sp, on day t: FCR × growth, ±10%. */
export function dailyFeedGrams(p: BatchPlan, sp: StagePlan, i: number, j: number, day: number): number {
  if (day < sp.startDay || day >= sp.feedEndDay || STAGES[sp.stage]!.meals === 0) return 0;
  const noise = 0.9 + 0.2 * hashU(p.salt, i, day);
  return Math.max(1, Math.round(STAGES[sp.stage]!.fcr * fishAt(sp, j, day) * weightAt(sp, day) * sp.sgr * noise));
}

/** Grams of meal m (of M) of a day's ration: an exact integer split. */
export const mealGrams = (daily: number, M: number, m: number): number => split(daily, M, m);

/** Time of meal m of M on day `day`: spread from 06:00 to 20:00 UTC. */
export const mealTime = (day: number, m: number, M: number): number => dayMs(day) + 6 * 3_600_000 + (M > 1 ? Math.round((m * 14 * 3_600_000) / (M - 1)) : 0);

// ---------------------------------------------------------------------------------------------
// Environment

const TWO_PI = 2 * Math.PI;
/** Day of year (fractional, on a 365.25-day year from the 1 January epoch): no Date on the hot path. */
const dayOfYear = (t: number): number => ((((t - EPOCH) / DAY_MS) % 365.25) + 365.25) % 365.25;

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
  startDay: number;
  endDay: number;
  sea: boolean;
  /** Per-sensor calibration offset. */
  offset: number;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** One reading of a sensor at time t. */
export function readingValue(e: SensorEnv, t: number, rng: Rng): number {
  const st = STAGES[e.stage]!;
  const frac = clamp((t - dayMs(e.startDay)) / Math.max(DAY_MS, dayMs(e.endDay) - dayMs(e.startDay)), 0, 1);
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
