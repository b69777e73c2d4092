/**
 * Which containers a batch uses, and how often each container is reused. A batch's freshwater
 * stages run at its geography's hatchery (eggs to parr) and smolt station (smolt, post-smolt), each
 * stage in a *set* of containers of that stage's hall; its adult stage stocks a whole sea site,
 * chosen in rotation. Sets are handed out first come, first served: a batch takes the first set
 * emptied and cleaned (a week) before its stage starts, so a site has as many sets as its busiest
 * moment needs — at the document's scale one set of trays and fry tanks and two of parr, smolt and
 * post-smolt tanks per geography, busy 55–80% of the time; sea sites lie fallow at least two months
 * between generations. The layout is the size of the farm (a few ints per container).
 */
import { ADULT, CLEANING_DAYS, FALLOW_DAYS, REF_DAY, SEA_SITES, SITES, STAGES, freshwaterSite } from './catalogs.js';
import { batchGeo, batchPlan, containersFor, perRun, reached, type AquaContext } from './farm.js';

const S = STAGES.length;

export interface Layout {
  nBatches: number;
  scale: number;
  /** Site and set of (batch, stage): index b * 6 + s. */
  site: Int32Array;
  set: Int32Array;
  /** Sets per (site, stage), and the first container of each (site, stage) block. */
  sets: Int32Array;
  blockStart: Int32Array;
  /** First container of each site (and the total at the end). */
  siteStart: Int32Array;
  /** Per container: site, stage, set, index j in the set. */
  cSite: Int32Array;
  cStage: Int32Array;
  cSet: Int32Array;
  cJ: Int32Array;
  /** Batches using each (site, stage, set), in time order: uses[(site * 6 + stage) * maxSets + set]. */
  uses: number[][];
  maxSets: number;
  /** First hall of each site; a freshwater site has one hall per stage it hosts. */
  hallStart: Int32Array;
}

export const seaSiteOf = (b: number): number => { const l = SEA_SITES[batchGeo(b)]!; return l[Math.floor(b / 2) % l.length]!; };

export function layout(c: AquaContext): Layout {
  return perRun(c, 'layout', () => {
    const nBatches = c.count('batches');
    const scale = c.params.yearClassScale;
    const site = new Int32Array(nBatches * S);
    const set = new Int32Array(nBatches * S);
    const sets = new Int32Array(SITES.length * S);
    const free: number[][] = Array.from({ length: SITES.length * S }, () => []);
    const order = Array.from({ length: nBatches * S }, (_, x) => x).sort((x, y) => batchPlan(c, Math.floor(x / S)).stages[x % S]!.startDay - batchPlan(c, Math.floor(y / S)).stages[y % S]!.startDay || x - y);
    const byBlock: number[][][] = Array.from({ length: SITES.length * S }, () => []);
    for (const x of order) {
      const b = Math.floor(x / S);
      const s = x % S;
      const sp = batchPlan(c, b).stages[s]!;
      const st = s === ADULT ? seaSiteOf(b) : freshwaterSite(batchGeo(b), s);
      const block = st * S + s;
      const gap = s === ADULT ? FALLOW_DAYS : CLEANING_DAYS;
      const lastOut = free[block]!;
      let k = lastOut.findIndex((day) => day + gap <= sp.startDay);
      if (k < 0) {
        k = lastOut.length;
        lastOut.push(0);
        byBlock[block]!.push([]);
      }
      lastOut[k] = Math.max(...sp.departDay);
      site[x] = st;
      set[x] = k;
      byBlock[block]![k]!.push(b);
    }
    let maxSets = 1;
    for (let q = 0; q < sets.length; q++) {
      sets[q] = byBlock[q]!.length;
      maxSets = Math.max(maxSets, sets[q]!);
    }
    const uses: number[][] = new Array(SITES.length * S * maxSets).fill(null).map(() => []);
    byBlock.forEach((list, q) => list.forEach((bs, k) => (uses[q * maxSets + k] = bs)));
    const blockStart = new Int32Array(SITES.length * S);
    const siteStart = new Int32Array(SITES.length + 1);
    const hallStart = new Int32Array(SITES.length + 1);
    const cSite: number[] = [];
    const cStage: number[] = [];
    const cSet: number[] = [];
    const cJ: number[] = [];
    for (let st = 0; st < SITES.length; st++) {
      siteStart[st] = cSite.length;
      hallStart[st + 1] = hallStart[st]! + (SITES[st]!.kind === 'freshwater' ? SITES[st]!.stages.length : 0);
      for (const s of SITES[st]!.stages) {
        blockStart[st * S + s] = cSite.length;
        const K = containersFor(s, scale);
        for (let k = 0; k < sets[st * S + s]!; k++) {
          for (let j = 0; j < K; j++) {
            cSite.push(st);
            cStage.push(s);
            cSet.push(k);
            cJ.push(j);
          }
        }
      }
    }
    siteStart[SITES.length] = cSite.length;
    return {
      nBatches, scale, site, set, sets, blockStart, siteStart, uses, maxSets, hallStart,
      cSite: Int32Array.from(cSite), cStage: Int32Array.from(cStage), cSet: Int32Array.from(cSet), cJ: Int32Array.from(cJ),
    };
  });
}

/** Batches that used container i by the reference date, in time order. */
export function containerUses(c: AquaContext, i: number): readonly number[] {
  const L = layout(c);
  const all = L.uses[(L.cSite[i]! * S + L.cStage[i]!) * L.maxSets + L.cSet[i]!]!;
  return all.filter((b) => reached(batchPlan(c, b), L.cStage[i]!));
}

/** First container of the set batch b uses in stage s. */
export const firstContainer = (L: Layout, b: number, s: number): number => L.blockStart[L.site[b * S + s]! * S + s]! + L.set[b * S + s]! * containersFor(s, L.scale);

/** Hall of a freshwater container (index into halls), or -1 at sea. */
export const hallOf = (L: Layout, site: number, stage: number): number => (SITES[site]!.kind === 'sea' ? -1 : L.hallStart[site]! + SITES[site]!.stages.indexOf(stage));

/** Stay of container i's k-th use: start and departure days (departure capped at the reference date). */
export function stay(c: AquaContext, i: number, b: number): { start: number; end: number; depart: number } {
  const L = layout(c);
  const sp = batchPlan(c, b).stages[L.cStage[i]!]!;
  const depart = sp.departDay[L.cJ[i]!]!;
  return { start: sp.startDay, end: Math.min(depart, REF_DAY), depart };
}
