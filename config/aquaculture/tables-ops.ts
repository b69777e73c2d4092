/**
 * aquaculture operations: batches and their stages, container assignments (a container holds
 * batch after batch), stage transitions, weekly mortality and monthly growth per batch stage, and
 * feed — purchases (FIFO stock lots per site and feed type) and feeding runs.
 */
import { defineTables, jsonb, type RowsIn } from '../../src/index.js';
import type { params } from './params.js';
import type { farmTables } from './tables-farm.js';
import { ADULT, DAY_MS, FEED_SUPPLIERS, FEED_TYPES, GEOGRAPHIES, REF_DAY, STAGES, dayMs } from './catalogs.js';
import {
  batchPlan, containersFor, currentStage, dailyFeedGrams, eggsFor, feedUnits, fishAt, harvestDone, harvestStarted, mealGrams, mealTime, planFromRow, reached, stageFishAt, weightAt,
  type AquaContext, type AquaGenContext, type AquaRows, type BatchPlan, type StagePlan,
} from './farm.js';
import { lotFirstUse, lotIndex, lotOf, lotPrice, lotQuantity, lotDrawn, mealPosition, poolOf, pools, type Pool } from './fifo.js';
import { containerUses, firstContainer, hallOf, layout } from './layout.js';

const S = STAGES.length;
/** A batch_stages row, as its children's helpers read it. */
export interface BatchStageRef {
  readonly batch_id: number;
  readonly lifecycle_stage_id: number;
}
const sp = (c: AquaContext, b: number, s: number): StagePlan => batchPlan(c, b).stages[s]!;
/** Batch and stage of a batch_stages row's parent-relative position. */
const stageOfRow = (c: AquaContext<object, BatchStageRef>): { b: number; s: number; sp: StagePlan; plan: BatchPlan } => {
  const b = c.parent.batch_id - 1;
  const s = c.parent.lifecycle_stage_id - 1;
  return { b, s, sp: sp(c, b, s), plan: batchPlan(c, b) };
};

function mortalityWeeks(p: StagePlan): number {
  const complete = Math.ceil((p.endDay - p.startDay) / 7);
  if (p.endDay <= REF_DAY) return complete;
  return Math.min(complete, Math.max(0, Math.floor((REF_DAY - p.startDay) / 7)));
}
const mortalityDay = (p: StagePlan, w: number): number => (w < 0 ? p.startDay : Math.min(p.startDay + 7 * (w + 1), p.endDay));
const fedDays = (p: StagePlan): number => (STAGES[p.stage]!.meals === 0 ? 0 : Math.max(0, Math.min(p.feedEndDay, REF_DAY) - p.startDay));
const sampleCount = (p: StagePlan): number => (p.stage === 0 ? 0 : Math.max(0, Math.ceil((Math.min(p.endDay, REF_DAY) - p.startDay - 15) / 30)));

/** Lot k of a site's feed purchases: its pool and index in the pool. */
function siteLot(c: AquaContext, site: number, k: number): { pool: Pool; j: number } {
  for (let stage = 1; stage < S; stage++) {
    const id = pools(c).bySiteStage[site * S + stage]!;
    if (id < 0) continue;
    const pool = pools(c).list[id]!;
    if (k < pool.lots) return { pool, j: k };
    k -= pool.lots;
  }
  throw new RangeError(`lot ${k} is beyond site ${site}'s purchases`);
}

const kg = (grams: number): number => grams / 1000;
const r2 = (x: number): number => Math.round(x * 100) / 100;

/** A feeding row's coordinates: day, meal and unit, day-major so rows of a batch stage are in time order. */
function feedingAt(c: AquaGenContext<BatchStageRef>): { day: number; meal: number; unit: number } {
  const { sp: p } = stageOfRow(c);
  const M = STAGES[p.stage]!.meals;
  const U = feedUnits(p);
  const unit = c.k % U;
  const slot = Math.floor(c.k / U);
  return { day: p.startDay + Math.floor(slot / M), meal: slot % M, unit };
}

export const opsTables = defineTables<AquaRows & RowsIn<typeof farmTables>, typeof params>()({
  batches: {
    rows: 54,
    description: 'Year classes of Atlantic salmon, from eggs to harvest (~900 days), evenly spaced in time.',
    columns: {
      id: { type: 'bigint' },
      stage_days: { type: jsonb<number[]>(), virtual: true, gen: (c) => STAGES.map((s) => s.days * c.rng.uniform(0.96, 1.04)) },
      survival: { type: jsonb<number[]>(), virtual: true, gen: (c) => STAGES.map((s) => Math.min(0.995, s.survival * c.rng.uniform(0.97, 1.02))) },
      harvest_weight_g: { type: 'double precision', virtual: true, gen: (c) => c.rng.uniform(4_500, 5_600) },
      salt: { type: 'bigint', virtual: true, gen: (c) => c.rng.u32() },
      egg_count: { type: 'int', check: 'egg_count > 0', gen: (c) => eggsFor((c.i % 2) as 0 | 1, c.rng.float(), c.params.yearClassScale) },
      plan: { type: jsonb<BatchPlan>(), virtual: true, gen: (c) => planFromRow(c.row, c.i, c.n, c.params.yearClassScale) },
      batch_number: {
        type: 'text',
        unique: true,
        gen: (c) => `${GEOGRAPHIES[c.row.plan.geo]!.code}-${new Date(dayMs(c.row.plan.startDay)).getUTCFullYear()}-${String(c.i + 1).padStart(3, '0')}`,
      },
      species: { type: 'text', gen: () => 'Atlantic salmon (Salmo salar)' },
      genetics: { type: 'text', gen: (c) => c.rng.weighted([['North Atlantic QTL line', 45], ['Faroese broodstock line', 30], ['Scottish native line', 25]]) },
      geography_id: { type: 'bigint', references: 'geographies', gen: (c) => c.row.plan.geo + 1 },
      hatchery_site_id: { type: 'bigint', references: 'sites', gen: (c) => layout(c).site[c.i * S]! + 1 },
      smolt_site_id: { type: 'bigint', references: 'sites', gen: (c) => layout(c).site[c.i * S + 3]! + 1 },
      sea_site_id: { type: 'bigint', references: 'sites', gen: (c) => layout(c).site[c.i * S + ADULT]! + 1 },
      started_on: { type: 'date', gen: (c) => new Date(dayMs(c.row.plan.startDay)) },
      current_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: (c) => currentStage(c.row.plan) + 1 },
      status: {
        type: { enum: ['planned', 'active', 'harvesting', 'harvested'] },
        gen: (c) => { const p = c.row.plan; return harvestDone(p) ? 'harvested' : harvestStarted(p) ? 'harvesting' : reached(p, 0) ? 'active' : 'planned'; },
      },
      expected_harvest_on: { type: 'date', gen: (c) => new Date(dayMs(c.row.plan.stages[ADULT]!.endDay)) },
    },
  },
  batch_stages: {
    per: { parent: 'batches', count: (c) => { const p = batchPlan(c, c.parentIndex); let n = 0; for (let s = 0; s < S; s++) if (reached(p, s)) n++; return n; } },
    uniques: [['batch_id', 'lifecycle_stage_id']],
    description: 'A batch in one lifecycle stage: where, in how many containers, with how many fish in and out.',
    checks: ['ended_at IS NULL OR ended_at > started_at', '(end_count IS NULL) = (ended_at IS NULL)'],
    columns: {
      id: { type: 'bigint' },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parentIndex + 1 },
      lifecycle_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: (c) => c.k + 1 },
      site_id: { type: 'bigint', references: 'sites', gen: (c) => layout(c).site[c.parentIndex * S + c.k]! + 1 },
      hall_id: { type: 'bigint', nullable: true, references: 'halls', gen: (c) => { const h = hallOf(layout(c), c.row.site_id - 1, c.k); return h < 0 ? null : h + 1; } },
      containers: { type: 'int', gen: (c) => containersFor(c.k, c.params.yearClassScale) },
      started_at: { type: 'timestamptz', gen: (c) => new Date(dayMs(sp(c, c.parentIndex, c.k).startDay)) },
      // The stage ends at transfer (or, at sea, when the last pen is harvested).
      ended_at: { type: 'timestamptz', nullable: true, gen: (c) => { const p = sp(c, c.parentIndex, c.k); const end = Math.max(...p.departDay); return end <= REF_DAY ? new Date(dayMs(end)) : null; } },
      start_count: { type: 'int', gen: (c) => sp(c, c.parentIndex, c.k).counts0.reduce((a, n) => a + n, 0) },
      end_count: { type: 'int', nullable: true, gen: (c) => (c.row.ended_at === null ? null : stageFishAt(sp(c, c.parentIndex, c.k), sp(c, c.parentIndex, c.k).endDay)) },
      start_avg_weight_g: { type: 'numeric(10,2)', gen: (c) => r2(sp(c, c.parentIndex, c.k).w0) },
      end_avg_weight_g: { type: 'numeric(10,2)', nullable: true, gen: (c) => (c.row.ended_at === null ? null : r2(sp(c, c.parentIndex, c.k).w1)) },
      feed_type_id: { type: 'bigint', nullable: true, references: 'feed_types', gen: (c) => (STAGES[c.k]!.feed < 0 ? null : STAGES[c.k]!.feed + 1) },
    },
  },
  batch_container_assignments: {
    per: { parent: 'containers', count: (c) => containerUses(c, c.parentIndex).length },
    description: 'One stay of a batch stage in a container, from stocking to transfer or harvest; a container has one stay after another.',
    checks: ['departed_at IS NULL OR departed_at > assigned_at', '(departed_at IS NULL) = is_active', '(end_count IS NULL) = (departed_at IS NULL)'],
    columns: {
      id: { type: 'bigint' },
      container_id: { type: 'bigint', references: 'containers', gen: (c) => c.parentIndex + 1 },
      b: { type: 'int', virtual: true, gen: (c) => containerUses(c, c.parentIndex)[c.k] },
      stage: { type: 'int', virtual: true, gen: (c) => layout(c).cStage[c.parentIndex] },
      j: { type: 'int', virtual: true, gen: (c) => layout(c).cJ[c.parentIndex] },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.row.b + 1 },
      batch_stage_id: { type: 'bigint', references: 'batch_stages', gen: (c) => c.groupStart('batch_stages', c.row.b) + c.row.stage + 1 },
      lifecycle_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: (c) => c.row.stage + 1 },
      assigned_at: { type: 'timestamptz', gen: (c) => new Date(dayMs(sp(c, c.row.b, c.row.stage).startDay)) },
      depart: { type: 'int', virtual: true, gen: (c) => sp(c, c.row.b, c.row.stage).departDay[c.row.j] },
      departed_at: { type: 'timestamptz', nullable: true, gen: (c) => (c.row.depart <= REF_DAY ? new Date(dayMs(c.row.depart)) : null) },
      start_count: { type: 'int', gen: (c) => sp(c, c.row.b, c.row.stage).counts0[c.row.j] },
      start_avg_weight_g: { type: 'numeric(10,2)', gen: (c) => r2(sp(c, c.row.b, c.row.stage).w0) },
      end_count: { type: 'int', nullable: true, gen: (c) => { const p = sp(c, c.row.b, c.row.stage); return c.row.departed_at === null ? null : fishAt(p, c.row.j, p.endDay); } },
      end_avg_weight_g: { type: 'numeric(10,2)', nullable: true, gen: (c) => (c.row.departed_at === null ? null : r2(sp(c, c.row.b, c.row.stage).w1)) },
      // Biomass grows through a stay (growth outpaces mortality), so its peak is at departure, or now.
      peak_day: { type: 'int', virtual: true, gen: (c) => Math.min(sp(c, c.row.b, c.row.stage).endDay, REF_DAY) },
      peak_biomass_kg: {
        type: 'numeric(12,2)',
        gen: (c) => { const p = sp(c, c.row.b, c.row.stage); const d = c.row.peak_day; return r2((fishAt(p, c.row.j, d) * weightAt(p, d)) / 1000); },
      },
      peak_density: {
        type: 'numeric(10,2)',
        gen: (c) => (c.row.stage === 0 ? c.row.start_count : r2(c.row.peak_biomass_kg / c.parent.volume_m3)),
      },
      is_active: { type: 'boolean', gen: (c) => c.row.departed_at === null },
    },
  },
  batch_stage_transitions: {
    per: { parent: 'batches', count: (c) => { const p = batchPlan(c, c.parentIndex); let n = 0; for (let s = 1; s < S; s++) if (reached(p, s)) n++; return n; } },
    uniques: [['batch_id', 'to_stage_id']],
    columns: {
      id: { type: 'bigint' },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parentIndex + 1 },
      from_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: (c) => c.k + 1 },
      to_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: (c) => c.k + 2 },
      transitioned_at: { type: 'timestamptz', gen: (c) => new Date(dayMs(sp(c, c.parentIndex, c.k + 1).startDay)) },
      fish_count: { type: 'int', gen: (c) => sp(c, c.parentIndex, c.k + 1).counts0.reduce((a, b) => a + b, 0) },
      avg_weight_g: { type: 'numeric(10,2)', gen: (c) => r2(sp(c, c.parentIndex, c.k + 1).w0) },
      containers_from: { type: 'int', gen: (c) => containersFor(c.k, c.params.yearClassScale) },
      containers_to: { type: 'int', gen: (c) => containersFor(c.k + 1, c.params.yearClassScale) },
    },
  },
  mortality_events: {
    per: { parent: 'batch_stages', count: (c) => mortalityWeeks(sp(c, c.parent.batch_id - 1, c.parent.lifecycle_stage_id - 1)) },
    description: 'Weekly mortality of a batch stage (deaths since the previous count, over all its containers).',
    checks: ['deaths >= 0'],
    columns: {
      id: { type: 'bigint' },
      batch_stage_id: { type: 'bigint', references: 'batch_stages', gen: (c) => c.parentIndex + 1 },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parent.batch_id },
      recorded_at: { type: 'timestamptz', gen: (c) => new Date(dayMs(mortalityDay(stageOfRow(c).sp, c.k)) - 8 * 3_600_000) },
      deaths: { type: 'int', gen: (c) => { const p = stageOfRow(c).sp; return stageFishAt(p, mortalityDay(p, c.k - 1)) - stageFishAt(p, mortalityDay(p, c.k)); } },
      cause: {
        type: { enum: ['unknown', 'disease', 'handling', 'environmental', 'predation', 'culling'] },
        gen: (c) => c.rng.weighted({ unknown: 40, disease: 20, handling: 12, environmental: 15, predation: stageOfRow(c).s === ADULT ? 8 : 0, culling: 5 }),
      },
    },
  },
  growth_samples: {
    per: { parent: 'batch_stages', count: (c) => sampleCount(sp(c, c.parent.batch_id - 1, c.parent.lifecycle_stage_id - 1)) },
    description: 'Monthly weight samples of a batch stage (from fry on), each from one of its containers.',
    columns: {
      id: { type: 'bigint' },
      batch_stage_id: { type: 'bigint', references: 'batch_stages', gen: (c) => c.parentIndex + 1 },
      container_id: { type: 'bigint', references: 'containers', gen: (c) => { const { b, s } = stageOfRow(c); return firstContainer(layout(c), b, s) + (c.k % containersFor(s, c.params.yearClassScale)) + 1; } },
      sampled_at: { type: 'timestamptz', gen: (c) => new Date(dayMs(stageOfRow(c).sp.startDay + 15 + 30 * c.k) + 10 * 3_600_000) },
      sample_size: { type: 'smallint', gen: (c) => c.rng.int(30, 100) },
      avg_weight_g: { type: 'numeric(10,2)', gen: (c) => { const p = stageOfRow(c).sp; return r2(weightAt(p, p.startDay + 15 + 30 * c.k) * c.rng.normal(1, 0.03)); } },
      std_dev_g: { type: 'numeric(10,2)', gen: (c) => r2(c.row.avg_weight_g * c.rng.uniform(0.12, 0.22)) },
    },
  },
  feed_types: {
    rows: FEED_TYPES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => FEED_TYPES[c.i]!.name },
      pellet_mm: { type: 'numeric(4,1)', gen: (c) => FEED_TYPES[c.i]!.pelletMm },
      protein_pct: { type: 'numeric(4,1)', gen: (c) => FEED_TYPES[c.i]!.proteinPct },
      list_price_eur_kg: { type: 'numeric(8,4)', gen: (c) => FEED_TYPES[c.i]!.priceEurKg },
    },
  },
  feed_suppliers: {
    rows: FEED_SUPPLIERS.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => FEED_SUPPLIERS[c.i]! },
      country: { type: 'text', gen: (c) => ['Norway', 'Denmark', 'Scotland'][c.i % 3]! },
    },
  },
  feed_purchases: {
    per: { parent: 'sites', count: (c) => pools(c).siteLots[c.parentIndex]! },
    description: 'Feed lots delivered to a site’s store, drawn first in, first out.',
    checks: ['quantity_kg > 0', 'ordered_at < delivered_at'],
    columns: {
      id: { type: 'bigint' },
      lot: { type: jsonb<{ pool: Pool; j: number }>(), virtual: true, gen: (c) => siteLot(c, c.parentIndex, c.k) },
      site_id: { type: 'bigint', references: 'sites', gen: (c) => c.parentIndex + 1 },
      feed_type_id: { type: 'bigint', references: 'feed_types', gen: (c) => c.row.lot.pool.feed + 1 },
      supplier_id: { type: 'bigint', references: 'feed_suppliers', gen: (c) => c.rng.weighted([[1, 50], [2, 35], [3, 15]]) },
      lot_number: { type: 'text', unique: true, gen: (c) => { const { pool, j } = c.row.lot; return `FL-${pool.site + 1}-${pool.feed + 1}-${String(j + 1).padStart(4, '0')}`; } },
      delivered_at: {
        type: 'timestamptz',
        gen: (c) => {
          // A few days before first use, and after the previous lot was opened (deliveries keep their order).
          const { pool, j } = c.row.lot;
          const first = lotFirstUse(pool, j);
          const gap = j === 0 ? 10 * DAY_MS : first - lotFirstUse(pool, j - 1);
          return new Date(first - Math.floor(Math.min(c.rng.uniform(1, 9) * DAY_MS, 0.8 * gap)) - 2 * 3_600_000);
        },
      },
      ordered_at: { type: 'timestamptz', gen: (c) => new Date(c.row.delivered_at.getTime() - c.rng.int(7, 21) * DAY_MS) },
      quantity_kg: { type: 'numeric(12,3)', gen: (c) => { const { pool, j } = c.row.lot; return kg(lotQuantity(pool, j)); } },
      unit_price_eur: { type: 'numeric(8,4)', gen: (c) => { const { pool, j } = c.row.lot; return lotPrice(c, pool, j); } },
      total_cost_eur: { type: 'numeric(14,2)', gen: (c) => r2(c.row.quantity_kg * c.row.unit_price_eur) },
      status: { type: { enum: ['in_stock', 'consumed'] }, gen: (c) => { const { pool, j } = c.row.lot; return lotDrawn(pool, j) >= lotQuantity(pool, j) ? 'consumed' : 'in_stock'; } },
    },
  },
  feeding_events: {
    per: { parent: 'batch_stages', count: (c) => { const p = sp(c, c.parent.batch_id - 1, c.parent.lifecycle_stage_id - 1); return fedDays(p) * STAGES[p.stage]!.meals * feedUnits(p); } },
    description: 'Every feeding: a freshwater stage is fed by its hall’s feeding system, each sea pen on its own; drawn from the site’s oldest feed lot with stock.',
    checks: ['amount_kg > 0', '(container_id IS NULL) <> (hall_id IS NULL)'],
    columns: {
      id: { type: 'bigint' },
      batch_stage_id: { type: 'bigint', references: 'batch_stages', gen: (c) => c.parentIndex + 1 },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parent.batch_id },
      at: { type: jsonb<{ day: number; meal: number; unit: number }>(), virtual: true, gen: feedingAt },
      hall_id: { type: 'bigint', nullable: true, references: 'halls', gen: (c) => c.parent.hall_id },
      container_id: {
        type: 'bigint',
        nullable: true,
        references: 'containers',
        gen: (c) => { const { b, s } = stageOfRow(c); return s === ADULT ? firstContainer(layout(c), b, s) + c.row.at.unit + 1 : null; },
      },
      pool: { type: jsonb<Pool>(), virtual: true, gen: (c) => poolOf(c, c.parent.site_id - 1, stageOfRow(c).s) },
      feed_type_id: { type: 'bigint', references: 'feed_types', gen: (c) => c.row.pool.feed + 1 },
      feed_purchase_id: {
        type: 'bigint',
        references: 'feed_purchases',
        gen: (c) => { const pool = c.row.pool; const a = c.row.at; return lotIndex(pool, lotOf(pool, mealPosition(pool, stageOfRow(c).b, a.unit, a.day, a.meal))) + 1; },
      },
      fed_at: { type: 'timestamptz', gen: (c) => { const a = c.row.at; return new Date(mealTime(a.day, a.meal, c.row.pool.meals)); } },
      amount_kg: {
        type: 'numeric(10,3)',
        gen: (c) => { const { plan, sp: p } = stageOfRow(c); const a = c.row.at; return kg(mealGrams(dailyFeedGrams(plan, p, a.unit, a.day), c.row.pool.meals, a.meal)); },
      },
      method: { type: { enum: ['automatic', 'manual'] }, gen: (c) => (c.rng.chance(stageOfRow(c).s === 1 ? 0.2 : 0.05) ? 'manual' : 'automatic') },
    },
  },
});
