/**
 * aquaculture harvest and planning: pen harvests graded into lots, one finance fact per harvest
 * lot (about 50 per harvested batch: ten pens × five grades) carrying its share of the batch's FIFO
 * feed cost, and the sea-transfer scenarios on the shared growth models.
 */
import { defineTables, jsonb, type RowsIn } from '../../src/index.js';
import type { params } from './params.js';
import type { farmTables } from './tables-farm.js';
import type { opsTables } from './tables-ops.js';
import { ADULT, DAY_MS, FCR_MODEL, GEOGRAPHIES, HARVEST_GRADES, REF_DAY, REF_MS, SCENARIO_DAYS, SCENARIO_STEP_DAYS, STAGES, TGC_MODELS, dayMs } from './catalogs.js';
import { batchPlan, harvestDetails, perRun, seaTemperature, type BatchPlan, type HarvestDetails, type AquaContext, type AquaRows } from './farm.js';
import { batchFeed } from './fifo.js';
import { firstContainer, layout } from './layout.js';

const kg = (grams: number): number => grams / 1000;

/** Daily mean sea temperature over [from, from + days) for a geography. */
function degreeDays(geo: 0 | 1, fromDay: number, days: number): number {
  let s = 0;
  for (let d = 0; d < days; d++) s += seaTemperature(geo, dayMs(fromDay + d) + DAY_MS / 2);
  return s;
}

/** Harvests (pen indexes into plan.harvests) made by the reference date. */
const harvestsDone = (p: BatchPlan): number => p.harvests.filter((h) => h.day < REF_DAY).length;

/**
 * The batch's FIFO feed cost in cents, split over its harvest lots by gutted weight (largest
 * remainders, so the lots add up to the cent). Kept per batch (50 numbers).
 */
function feedCostShares(c: AquaContext, b: number): number[] {
  const all = perRun(c, 'feedShares', () => new Map<number, number[]>());
  let shares = all.get(b);
  if (!shares) {
    const plan = batchPlan(c, b);
    const total = Math.round(batchFeed(c, plan).cost * 100);
    const grams = plan.harvests.flatMap((_, x) => harvestDetails(plan, x).lots.map((l) => l.guttedGrams));
    const sum = grams.reduce((a, g) => a + g, 0);
    const exact = grams.map((g) => (total * g) / sum);
    shares = exact.map(Math.floor);
    const rest = total - shares.reduce((a, x) => a + x, 0);
    exact.map((x, j) => [x - Math.floor(x), j] as const).sort((a, z) => z[0] - a[0] || a[1] - z[1]).slice(0, rest).forEach(([, j]) => shares![j]!++);
    all.set(b, shares);
  }
  return shares;
}

const details = (c: AquaContext<object, { readonly details: HarvestDetails }>): HarvestDetails => c.parent.details;

export const harvestTables = defineTables<AquaRows & RowsIn<typeof farmTables> & RowsIn<typeof opsTables>, typeof params>()({
  harvest_grades: {
    rows: HARVEST_GRADES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      code: { type: 'text', unique: true, gen: (c) => HARVEST_GRADES[c.i]!.code },
      name: { type: 'text', gen: (c) => HARVEST_GRADES[c.i]!.name },
      min_gutted_kg: { type: 'numeric(6,2)', nullable: true, gen: (c) => (c.i < 3 ? HARVEST_GRADES[c.i]!.minKg : null) },
      max_gutted_kg: { type: 'numeric(6,2)', nullable: true, gen: (c) => (c.i < 3 && Number.isFinite(HARVEST_GRADES[c.i]!.maxKg) ? HARVEST_GRADES[c.i]!.maxKg : null) },
    },
  },
  harvest_events: {
    per: { parent: 'batch_stages', count: (c) => (c.parent.lifecycle_stage_id - 1 === ADULT ? harvestsDone(batchPlan(c, c.parent.batch_id - 1)) : 0) },
    description: 'A pen emptied by well boat (one event per pen; the ten pens of a batch two days apart).',
    columns: {
      id: { type: 'bigint' },
      batch_stage_id: { type: 'bigint', references: 'batch_stages', gen: (c) => c.parentIndex + 1 },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parent.batch_id },
      b: { type: 'int', virtual: true, gen: (c) => c.parent.batch_id - 1 },
      container_id: { type: 'bigint', references: 'containers', gen: (c) => firstContainer(layout(c), c.row.b, ADULT) + batchPlan(c, c.row.b).harvests[c.k]!.pen + 1 },
      details: { type: jsonb<HarvestDetails>(), virtual: true, gen: (c) => harvestDetails(batchPlan(c, c.row.b), c.k) },
      harvested_at: { type: 'timestamptz', gen: (c) => new Date(dayMs(batchPlan(c, c.row.b).harvests[c.k]!.day) + 7 * 3_600_000) },
      fish_count: { type: 'int', check: 'fish_count > 0', gen: (c) => c.row.details.fish },
      live_weight_kg: { type: 'numeric(14,3)', gen: (c) => kg(c.row.details.liveGrams) },
      well_boat: { type: 'text', gen: (c) => c.rng.pick(['Ronja Storm', 'Norðingur', 'Havtrans', 'Inter Caledonia', 'Gåsø Høvding']) },
      processing_plant: { type: 'text', gen: (c) => (batchPlan(c, c.row.b).geo === 0 ? c.rng.pick(['Vágur harvest station', 'Klaksvík packing']) : c.rng.pick(['Lerwick processing', 'Kishorn harvest plant'])) },
    },
  },
  harvest_lots: {
    per: { parent: 'harvest_events', count: HARVEST_GRADES.length },
    uniques: [['harvest_event_id', 'harvest_grade_id']],
    description: 'A harvest graded by gutted weight: three Superior bands, Ordinary (quality faults) and Production.',
    columns: {
      id: { type: 'bigint' },
      harvest_event_id: { type: 'bigint', references: 'harvest_events', gen: (c) => c.parentIndex + 1 },
      harvest_grade_id: { type: 'bigint', references: 'harvest_grades', gen: (c) => c.k + 1 },
      lot_number: { type: 'text', unique: true, gen: (c) => `HL-${String(c.parentIndex + 1).padStart(6, '0')}-${HARVEST_GRADES[c.k]!.code}` },
      fish_count: { type: 'int', gen: (c) => details(c).lots[c.k]!.fish },
      gutted_weight_kg: { type: 'numeric(14,3)', gen: (c) => kg(details(c).lots[c.k]!.guttedGrams) },
      avg_gutted_kg: { type: 'numeric(8,3)', nullable: true, gen: (c) => { const l = details(c).lots[c.k]!; return l.fish === 0 ? null : Math.round(l.guttedGrams / l.fish) / 1000; } },
      price_eur_per_kg: { type: 'numeric(8,4)', gen: (c) => details(c).lots[c.k]!.price },
      revenue_eur: { type: 'numeric(14,2)', gen: (c) => details(c).lots[c.k]!.revenueCents / 100 },
    },
  },
  finance_harvest_facts: {
    per: { parent: 'harvest_lots', count: 1 },
    description: 'One fact per harvest lot (about 50 per harvested batch): the lot, its grade, site and company, weights, revenue and its share of the batch’s FIFO feed cost.',
    columns: {
      id: { type: 'bigint' },
      harvest_lot_id: { type: 'bigint', unique: true, references: 'harvest_lots', gen: (c) => c.parentIndex + 1 },
      event: { type: jsonb<{ readonly id: number; readonly batch_id: number; readonly harvested_at: Date }>(), virtual: true, gen: (c) => c.lookup('harvest_events', c.parent.harvest_event_id - 1) },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.row.event.batch_id },
      site_id: { type: 'bigint', references: 'sites', gen: (c) => layout(c).site[(c.row.batch_id - 1) * STAGES.length + ADULT]! + 1 },
      geography_id: { type: 'bigint', references: 'geographies', gen: (c) => batchPlan(c, c.row.batch_id - 1).geo + 1 },
      company: { type: 'text', gen: (c) => `${GEOGRAPHIES[c.row.geography_id - 1]!.name} Farming` },
      harvest_grade_id: { type: 'bigint', references: 'harvest_grades', gen: (c) => c.parent.harvest_grade_id },
      harvested_on: { type: 'date', gen: (c) => c.row.event.harvested_at },
      fish_count: { type: 'int', gen: (c) => c.parent.fish_count },
      gutted_weight_kg: { type: 'numeric(14,3)', gen: (c) => c.parent.gutted_weight_kg },
      revenue_eur: { type: 'numeric(14,2)', gen: (c) => c.parent.revenue_eur },
      feed_cost_eur: {
        type: 'numeric(14,2)',
        gen: (c) => {
          const b = c.row.batch_id - 1;
          const lotIndex = c.row.event.id - 1 - c.groupStart('harvest_events', c.groupStart('batch_stages', b) + ADULT);
          return feedCostShares(c, b)[lotIndex * HARVEST_GRADES.length + (c.parent.harvest_grade_id - 1)]! / 100;
        },
      },
      margin_eur: { type: 'numeric(14,2)', gen: (c) => Math.round((c.row.revenue_eur - c.row.feed_cost_eur) * 100) / 100 },
    },
  },
  tgc_models: {
    rows: TGC_MODELS.length,
    catalog: true,
    fixed: TGC_MODELS.map((m) => ({ name: m.name, tgc: m.tgc, geography_id: m.geo + 1 })),
    description: 'Thermal growth coefficient models, shared by every scenario of a geography.',
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `TGC ${c.i}` },
      tgc: { type: 'numeric(5,3)', gen: () => 2.8 },
      geography_id: { type: 'bigint', references: 'geographies', gen: () => 1 },
    },
  },
  fcr_models: {
    rows: 1,
    fixed: [{ name: FCR_MODEL.name }],
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: () => 'FCR' },
    },
  },
  fcr_model_stages: {
    per: { parent: 'fcr_models', count: STAGES.length - 1 },
    primaryKey: ['fcr_model_id', 'lifecycle_stage_id'],
    columns: {
      fcr_model_id: { type: 'bigint', references: 'fcr_models', gen: (c) => c.parentIndex + 1 },
      lifecycle_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: (c) => c.k + 2 },
      fcr: { type: 'numeric(4,2)', gen: (c) => STAGES[c.k + 1]!.fcr },
    },
  },
  scenarios: {
    per: { parent: 'batches', count: 1 },
    description: 'The sea-transfer scenario of each batch (post-smolt → adult), on the shared models.',
    columns: {
      id: { type: 'bigint' },
      batch_id: { type: 'bigint', unique: true, references: 'batches', gen: (c) => c.parentIndex + 1 },
      plan: { type: jsonb<BatchPlan>(), virtual: true, gen: (c) => batchPlan(c, c.parentIndex) },
      name: { type: 'text', gen: (c) => `Sea transfer ${c.parent.batch_number}` },
      from_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: () => ADULT },
      to_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: () => ADULT + 1 },
      tgc_model_id: { type: 'bigint', references: 'tgc_models', gen: (c) => c.row.plan.geo + 1 },
      fcr_model_id: { type: 'bigint', references: 'fcr_models', gen: () => 1 },
      transfer_on: { type: 'date', gen: (c) => new Date(dayMs(c.row.plan.stages[ADULT]!.startDay)) },
      initial_count: { type: 'int', gen: (c) => c.row.plan.stages[ADULT]!.counts0.reduce((a, b) => a + b, 0) },
      initial_weight_g: { type: 'numeric(10,2)', gen: (c) => Math.round(c.row.plan.stages[ADULT]!.w0 * 100) / 100 },
      monthly_mortality_pct: { type: 'numeric(4,2)', gen: (c) => Math.round(c.rng.uniform(0.6, 1.2) * 100) / 100 },
      duration_days: { type: 'int', gen: () => SCENARIO_DAYS },
      created_at: { type: 'timestamptz', gen: (c) => new Date(Math.min(REF_MS - DAY_MS, dayMs(c.row.plan.stages[ADULT]!.startDay) - c.rng.int(30, 90) * DAY_MS)) },
    },
  },
  scenario_projections: {
    per: { parent: 'scenarios', count: SCENARIO_DAYS / SCENARIO_STEP_DAYS + 1 },
    uniques: [['scenario_id', 'day_offset']],
    description: 'Monthly projection: weight by TGC on the geography’s sea temperature, population, biomass, cumulative feed by FCR.',
    columns: {
      id: { type: 'bigint' },
      scenario_id: { type: 'bigint', references: 'scenarios', gen: (c) => c.parentIndex + 1 },
      day_offset: { type: 'int', gen: (c) => c.k * SCENARIO_STEP_DAYS },
      projection: {
        type: jsonb<{ w: number; n: number; temp: number; gain: number }>(),
        virtual: true,
        gen: (c) => {
          const p = c.parent.plan;
          const start = p.stages[ADULT]!.startDay;
          const days = c.k * SCENARIO_STEP_DAYS;
          const tgc = TGC_MODELS[p.geo]!.tgc;
          const w0 = c.parent.initial_weight_g;
          const w = Math.pow(Math.cbrt(w0) + (tgc / 1000) * degreeDays(p.geo, start, days), 3);
          const n = Math.round(c.parent.initial_count * Math.pow(1 - c.parent.monthly_mortality_pct / 100, days / 30));
          const temp = c.k === 0 ? seaTemperature(p.geo, dayMs(start)) : degreeDays(p.geo, start + days - SCENARIO_STEP_DAYS, SCENARIO_STEP_DAYS) / SCENARIO_STEP_DAYS;
          return { w, n, temp, gain: ((n * w) - c.parent.initial_count * w0) / 1000 };
        },
      },
      projected_on: { type: 'date', gen: (c) => new Date(dayMs(c.parent.plan.stages[ADULT]!.startDay + c.row.day_offset)) },
      avg_temperature_c: { type: 'numeric(5,2)', gen: (c) => Math.round(c.row.projection.temp * 100) / 100 },
      avg_weight_g: { type: 'numeric(10,1)', gen: (c) => Math.round(c.row.projection.w * 10) / 10 },
      population: { type: 'int', gen: (c) => c.row.projection.n },
      biomass_kg: { type: 'numeric(14,1)', gen: (c) => Math.round((c.row.projection.n * c.row.projection.w) / 100) / 10 },
      cumulative_feed_kg: { type: 'numeric(14,1)', gen: (c) => Math.round(Math.max(0, c.row.projection.gain) * STAGES[ADULT]!.fcr * 10) / 10 },
    },
  },
});
