/**
 * aquaculture broodstock (a gap of the source document): breeding families per geography, the
 * broodstock fish they hold, one breeding plan per batch and its crossings. Every batch's eggs are
 * stripped from its plan's females (their eggs add up to the batch's egg count, at 1,700–2,100 eggs
 * per kg of female), each fertilised by a male of another family; a female spawns once, a male
 * serves up to three females.
 */
import { defineTables, jsonb, type RowsIn } from '../../src/index.js';
import type { params } from './params.js';
import type { farmTables } from './tables-farm.js';
import type { opsTables } from './tables-ops.js';
import { DAY_MS, GEOGRAPHIES, REF_DAY, dayMs, freshwaterSite } from './catalogs.js';
import { batchGeo, batchPlan, hashU, perRun, salt, type AquaContext, type AquaRows } from './farm.js';

/** Families per geography; eggs per crossing (a female of ~9 kg). */
export const FAMILIES_PER_GEO = 12;
const EGGS_PER_PAIR = 18_000;
const MALE_USES = 3;
const split = (total: number, parts: number, k: number): number => Math.floor(total / parts) + (k < total % parts ? 1 : 0);

export interface Crossing {
  batch: number;
  k: number;
  eggs: number;
  /** Female and male: family (global index) and ordinal among that family's females/males. */
  femaleFamily: number;
  female: number;
  maleFamily: number;
  male: number;
}

interface Brood {
  /** Crossings per batch. */
  byBatch: Crossing[][];
  /** Females and males each family needs. */
  females: Int32Array;
  males: Int32Array;
  /** Day each fish first spawns: [family][ordinal] for females, then for males. */
  femaleDay: number[][];
  maleDay: number[][];
}

/** Every crossing of every batch, geography by geography in time order (the size of the broodstock). */
export function brood(c: AquaContext): Brood {
  return perRun(c, 'brood', () => {
    const n = c.count('batches');
    const byBatch: Crossing[][] = Array.from({ length: n }, () => []);
    const F = FAMILIES_PER_GEO * GEOGRAPHIES.length;
    const females = new Int32Array(F);
    const males = new Int32Array(F);
    const femaleDay: number[][] = Array.from({ length: F }, () => []);
    const maleDay: number[][] = Array.from({ length: F }, () => []);
    for (const g of [0, 1]) {
      let p = 0;
      let mf = 0;
      let male = 0;
      const maleCount = new Int32Array(FAMILIES_PER_GEO);
      for (let b = g; b < n; b += 2) {
        const eggs = batchPlan(c, b).eggs;
        const pairs = Math.max(1, Math.round(eggs / EGGS_PER_PAIR));
        for (let k = 0; k < pairs; k++, p++) {
          const ff = g * FAMILIES_PER_GEO + (p % FAMILIES_PER_GEO);
          // A male serves three females in a row, all of other families than his own.
          if (p % MALE_USES === 0) {
            const q = p / MALE_USES;
            const taken = new Set([p % FAMILIES_PER_GEO, (p + 1) % FAMILIES_PER_GEO, (p + 2) % FAMILIES_PER_GEO]);
            let local = (q + 5) % FAMILIES_PER_GEO;
            while (taken.has(local)) local = (local + 1) % FAMILIES_PER_GEO;
            mf = g * FAMILIES_PER_GEO + local;
            male = maleCount[local]!++;
          }
          const female = Math.floor(p / FAMILIES_PER_GEO);
          byBatch[b]!.push({ batch: b, k, eggs: split(eggs, pairs, k), femaleFamily: ff, female, maleFamily: mf, male });
          females[ff] = Math.max(females[ff]!, female + 1);
          males[mf] = Math.max(males[mf]!, male + 1);
          const day = stripDay(c, b, k);
          femaleDay[ff]![female] = day;
          maleDay[mf]![male] = Math.min(maleDay[mf]![male] ?? Infinity, day);
        }
      }
    }
    return { byBatch, females, males, femaleDay, maleDay };
  });
}

/** Fish index (within its family's group) of a crossing's female and male: females first, then males. */
const maleOffset = (c: AquaContext, family: number): number => brood(c).females[family]!;
const fishKey = (c: AquaContext<{ broodstock_fish: object }>, family: number, ordinal: number, male: boolean): number => c.groupStart('broodstock_fish', family) + (male ? maleOffset(c, family) : 0) + ordinal + 1;
const stripDay = (c: AquaContext, b: number, k: number): number => batchPlan(c, b).startDay - 1 - Math.floor(hashU(salt(c), 8_801 + b, k) * 3);

export const broodTables = defineTables<AquaRows & RowsIn<typeof farmTables> & RowsIn<typeof opsTables>, typeof params>()({
  broodstock_families: {
    rows: FAMILIES_PER_GEO * GEOGRAPHIES.length,
    catalog: true,
    description: 'Breeding families (full-sib groups) of each geography’s breeding programme.',
    columns: {
      id: { type: 'bigint' },
      geography_id: { type: 'bigint', references: 'geographies', gen: (c) => Math.floor(c.i / FAMILIES_PER_GEO) + 1 },
      code: { type: 'text', unique: true, gen: (c) => `${GEOGRAPHIES[Math.floor(c.i / FAMILIES_PER_GEO)]!.code}-F${String((c.i % FAMILIES_PER_GEO) + 1).padStart(2, '0')}` },
      line: { type: 'text', gen: (c) => (c.i < FAMILIES_PER_GEO ? 'Faroese broodstock line' : c.rng.pick(['Scottish native line', 'North Atlantic QTL line'])) },
      generation: { type: 'smallint', gen: (c) => c.rng.int(8, 14) },
      breeding_value: { type: 'numeric(5,2)', gen: (c) => Math.round(c.rng.normal(100, 8) * 100) / 100 },
    },
  },
  broodstock_fish: {
    per: { parent: 'broodstock_families', count: (c) => brood(c).females[c.parentIndex]! + brood(c).males[c.parentIndex]! },
    description: 'Individually tagged breeders; females spawn once, males serve up to three females.',
    columns: {
      id: { type: 'bigint' },
      family_id: { type: 'bigint', references: 'broodstock_families', gen: (c) => c.parentIndex + 1 },
      pit_tag: { type: 'text', unique: true, gen: (c) => `982${String(100_000_000 + c.i * 7_919).padStart(12, '0')}` },
      sex: { type: { enum: ['female', 'male'] }, gen: (c) => (c.k < brood(c).females[c.parentIndex]! ? 'female' : 'male') },
      hatchery_site_id: { type: 'bigint', references: 'sites', gen: (c) => freshwaterSite(c.parentIndex < FAMILIES_PER_GEO ? 0 : 1, 0) + 1 },
      tank: { type: 'text', gen: (c) => `BS-${c.row.sex === 'female' ? 'F' : 'M'}${(c.k % 6) + 1}` },
      // Mature at three to four and a half years when first stripped.
      first_spawn_day: { type: 'int', virtual: true, gen: (c) => { const b = brood(c); const f = b.females[c.parentIndex]!; return c.k < f ? b.femaleDay[c.parentIndex]![c.k]! : b.maleDay[c.parentIndex]![c.k - f]!; } },
      hatched_on: { type: 'date', gen: (c) => new Date(dayMs(c.row.first_spawn_day - c.rng.int(3 * 365, Math.round(4.5 * 365)))) },
      length_cm: { type: 'numeric(5,1)', gen: (c) => Math.round(c.rng.uniform(c.row.sex === 'female' ? 80 : 85, c.row.sex === 'female' ? 95 : 105) * 10) / 10 },
      status: { type: { enum: ['conditioning', 'spawned', 'retired'] }, gen: (c) => (c.row.sex === 'male' ? c.row.first_spawn_day < REF_DAY - 365 ? 'retired' : 'conditioning' : c.row.first_spawn_day < REF_DAY ? 'spawned' : 'conditioning') },
    },
  },
  breeding_plans: {
    per: { parent: 'batches', count: 1 },
    description: 'The crossings behind a batch: how many pairs, how many eggs.',
    columns: {
      id: { type: 'bigint' },
      batch_id: { type: 'bigint', unique: true, references: 'batches', gen: (c) => c.parentIndex + 1 },
      season: { type: 'text', gen: (c) => `${GEOGRAPHIES[batchGeo(c.parentIndex)]!.code} ${new Date(dayMs(batchPlan(c, c.parentIndex).startDay)).getUTCFullYear()}` },
      target_eggs: { type: 'int', gen: (c) => c.parent.egg_count },
      pairs: { type: 'int', gen: (c) => brood(c).byBatch[c.parentIndex]!.length },
      approved_at: { type: 'timestamptz', gen: (c) => new Date(dayMs(batchPlan(c, c.parentIndex).startDay) - c.rng.int(30, 60) * DAY_MS) },
    },
  },
  breeding_pairs: {
    per: { parent: 'breeding_plans', count: (c) => brood(c).byBatch[c.parentIndex]!.length },
    uniques: [['breeding_plan_id', 'female_id']],
    description: 'A stripping: one female’s eggs fertilised with one male’s milt (another family), the day before the batch is laid down.',
    columns: {
      id: { type: 'bigint' },
      breeding_plan_id: { type: 'bigint', references: 'breeding_plans', gen: (c) => c.parentIndex + 1 },
      x: { type: jsonb<Crossing>(), virtual: true, gen: (c) => brood(c).byBatch[c.parentIndex]![c.k] },
      female_id: { type: 'bigint', unique: true, references: 'broodstock_fish', gen: (c) => { const x = c.row.x; return fishKey(c, x.femaleFamily, x.female, false); } },
      male_id: { type: 'bigint', references: 'broodstock_fish', gen: (c) => { const x = c.row.x; return fishKey(c, x.maleFamily, x.male, true); } },
      stripped_on: { type: 'date', gen: (c) => new Date(dayMs(stripDay(c, c.parentIndex, c.k))) },
      eggs: { type: 'int', check: 'eggs > 0', gen: (c) => c.row.x.eggs },
      female_weight_kg: { type: 'numeric(5,2)', gen: (c) => Math.round((c.row.eggs / c.rng.uniform(1_700, 2_100)) * 100) / 100 },
      fertilisation_pct: { type: 'numeric(5,2)', gen: (c) => Math.round(c.rng.uniform(88, 98) * 100) / 100 },
    },
  },
});
