/**
 * aquaculture operations: batches and their container assignments, stage transitions, mortality,
 * growth samples, feed purchases (FIFO stock lots) and feeding events, harvest events and graded
 * lots, finance facts per harvested batch, and the shared growth models behind scenarios.
 */
import type { CountContext, GenContext, TableDef } from '../../src/index.js';
import {
  ADULT, DAY_MS, FCR_MODEL, FEED_SUPPLIERS, FEED_TYPES, GEOGRAPHIES, GUTTED_YIELD, HARVEST_GRADES, REF_DAY, REF_MS, SCENARIO_DAYS, SCENARIO_STEP_DAYS, STAGES,
  START_SPAN_DAYS, TGC_MODELS, dayMs,
} from './catalogs.js';
import {
  batchPlan, currentStage, dailyFeedGrams, fishAt, harvestDone, harvestStarted, layout, mealGrams, mealTime, planFromRow, reached, seaTemperature, tripDetails, weightAt,
  type BatchPlan, type StagePlan, type TripDetails,
} from './farm.js';
import { batchFeed, lotFirstUse, lotIndex, lotOf, lotPrice, lotQuantity, lotDrawn, mealPosition, poolOf, pools, type Pool } from './fifo.js';

/** The batch stage a container hosts. */
interface Slot {
  plan: BatchPlan;
  sp: StagePlan;
  stage: number;
  j: number;
  container: number;
}
function slotOf(c: CountContext, container: number): Slot {
  const L = layout(c);
  const plan = batchPlan(c, L.batch[container]!);
  const stage = L.stage[container]!;
  return { plan, sp: plan.stages[stage]!, stage, j: L.j[container]!, container };
}
/** Slot of assignment p (assignments are a per-container group of 0 or 1 rows). */
const slotOfAssignment = (c: CountContext): Slot => slotOf(c, (c.parent.container_id as number) - 1);

function mortalityWeeks(sp: StagePlan): number {
  const complete = Math.ceil((sp.endDay - sp.startDay) / 7);
  if (sp.endDay <= REF_DAY) return complete;
  return Math.min(complete, Math.max(0, Math.floor((REF_DAY - sp.startDay) / 7)));
}
const mortalityDay = (sp: StagePlan, w: number): number => (w < 0 ? sp.startDay : Math.min(sp.startDay + 7 * (w + 1), sp.endDay));

const fedDays = (sp: StagePlan): number => (STAGES[sp.stage]!.meals === 0 ? 0 : Math.max(0, Math.min(sp.feedEndDay, REF_DAY) - sp.startDay));
const sampleCount = (s: Slot): number => (s.stage === 0 ? 0 : Math.max(0, Math.ceil((Math.min(s.sp.departDay[s.j]!, REF_DAY) - s.sp.startDay - 15) / 30)));

/** Indexes (into plan.trips) of pen j's harvest trips made by the reference date. */
const penTrips = (plan: BatchPlan, j: number): number[] => plan.trips.flatMap((t, x) => (t.pen === j && t.day < REF_DAY ? [x] : []));

/** Lot k of a site's feed purchases: its pool and index in the pool. */
function siteLot(c: CountContext, site: number, k: number): { pool: Pool; j: number } {
  for (let stage = 1; stage < STAGES.length; stage++) {
    const id = pools(c).bySiteStage[site * STAGES.length + stage]!;
    if (id < 0) continue;
    const pool = pools(c).list[id]!;
    if (k < pool.lots) return { pool, j: k };
    k -= pool.lots;
  }
  throw new RangeError(`lot ${k} is beyond site ${site}'s purchases`);
}

const kg = (grams: number): number => grams / 1000;
const trips = (c: GenContext): TripDetails => c.parent.trip as TripDetails;

/** Daily mean sea temperature over [from, from + days) for a geography. */
function degreeDays(geo: 0 | 1, fromDay: number, days: number): number {
  let s = 0;
  for (let d = 0; d < days; d++) s += seaTemperature(geo, dayMs(fromDay + d) + DAY_MS / 2);
  return s;
}

export const opsTables: Record<string, TableDef> = {
  batches: {
    rows: 54,
    description: 'Year classes of Atlantic salmon, from eggs to harvest (~900 days).',
    columns: {
      id: { type: 'bigint' },
      start_day: { type: 'int', virtual: true, gen: (c) => Math.floor((c.i * START_SPAN_DAYS) / c.n) + c.rng.int(0, 10) },
      stage_days: { type: 'jsonb', virtual: true, gen: (c) => STAGES.map((s) => Math.round(s.days * c.rng.uniform(0.92, 1.08))) },
      survival: { type: 'jsonb', virtual: true, gen: (c) => STAGES.map((s) => Math.min(0.995, s.survival * c.rng.uniform(0.97, 1.02))) },
      harvest_weight_g: { type: 'double precision', virtual: true, gen: (c) => c.rng.uniform(4_500, 5_600) },
      salt: { type: 'bigint', virtual: true, gen: (c) => c.rng.u32() },
      egg_count: { type: 'int', check: 'egg_count > 0', gen: (c) => c.rng.int(1_300, 1_900) * 1_000 },
      plan: { type: 'jsonb', virtual: true, gen: (c) => planFromRow(c.row, c.i) },
      batch_number: {
        type: 'text',
        unique: true,
        gen: (c) => `${GEOGRAPHIES[(c.row.plan as BatchPlan).geo]!.code}-${new Date(dayMs(c.row.start_day as number)).getUTCFullYear()}-${String(c.i + 1).padStart(3, '0')}`,
      },
      species: { type: 'text', gen: () => 'Atlantic salmon (Salmo salar)' },
      genetics: { type: 'text', gen: (c) => c.rng.weighted([['North Atlantic QTL line', 45], ['Faroese broodstock line', 30], ['Scottish native line', 25]]) },
      geography_id: { type: 'bigint', references: 'geographies', gen: (c) => (c.row.plan as BatchPlan).geo + 1 },
      freshwater_site_id: { type: 'bigint', references: 'sites', gen: (c) => (c.row.plan as BatchPlan).fwSite + 1 },
      sea_site_id: { type: 'bigint', references: 'sites', gen: (c) => (c.row.plan as BatchPlan).seaSite + 1 },
      started_on: { type: 'date', gen: (c) => new Date(dayMs(c.row.start_day as number)) },
      current_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: (c) => currentStage(c.row.plan as BatchPlan) + 1 },
      status: {
        type: { enum: ['active', 'harvesting', 'harvested'] },
        gen: (c) => (harvestDone(c.row.plan as BatchPlan) ? 'harvested' : harvestStarted(c.row.plan as BatchPlan) ? 'harvesting' : 'active'),
      },
      expected_harvest_on: { type: 'date', gen: (c) => new Date(dayMs((c.row.plan as BatchPlan).stages[ADULT]!.endDay)) },
    },
  },
  batch_container_assignments: {
    per: { parent: 'containers', count: (c) => { const s = slotOf(c, c.parentIndex); return reached(s.plan, s.stage) ? 1 : 0; } },
    description: 'A batch stage in a container, from transfer in to transfer out (or harvest).',
    checks: ['departed_at IS NULL OR departed_at > assigned_at', '(departed_at IS NULL) = is_active', '(end_count IS NULL) = (departed_at IS NULL)'],
    columns: {
      id: { type: 'bigint' },
      container_id: { type: 'bigint', unique: true, references: 'containers', gen: (c) => c.parentIndex + 1 },
      slot: { type: 'jsonb', virtual: true, gen: (c) => slotOf(c, c.parentIndex) },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => (c.row.slot as Slot).plan.b + 1 },
      lifecycle_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: (c) => (c.row.slot as Slot).stage + 1 },
      assigned_at: { type: 'timestamptz', gen: (c) => new Date(dayMs((c.row.slot as Slot).sp.startDay)) },
      depart: { type: 'int', virtual: true, gen: (c) => { const s = c.row.slot as Slot; return s.sp.departDay[s.j]!; } },
      departed_at: { type: 'timestamptz', nullable: true, gen: (c) => ((c.row.depart as number) <= REF_DAY ? new Date(dayMs(c.row.depart as number)) : null) },
      start_count: { type: 'int', gen: (c) => { const s = c.row.slot as Slot; return s.sp.counts0[s.j]; } },
      start_avg_weight_g: { type: 'numeric(10,2)', gen: (c) => Math.round((c.row.slot as Slot).sp.w0 * 100) / 100 },
      end_count: { type: 'int', nullable: true, gen: (c) => { const s = c.row.slot as Slot; return c.row.departed_at === null ? null : fishAt(s.sp, s.j, s.sp.endDay); } },
      end_avg_weight_g: { type: 'numeric(10,2)', nullable: true, gen: (c) => (c.row.departed_at === null ? null : Math.round((c.row.slot as Slot).sp.w1 * 100) / 100) },
      is_active: { type: 'boolean', gen: (c) => c.row.departed_at === null },
    },
  },
  batch_stage_transitions: {
    per: { parent: 'batches', count: (c) => { const p = batchPlan(c, c.parentIndex); let n = 0; for (let s = 1; s < STAGES.length; s++) if (reached(p, s)) n++; return n; } },
    uniques: [['batch_id', 'to_stage_id']],
    columns: {
      id: { type: 'bigint' },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parentIndex + 1 },
      from_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: (c) => c.k + 1 },
      to_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: (c) => c.k + 2 },
      transitioned_at: { type: 'timestamptz', gen: (c) => new Date(dayMs(batchPlan(c, c.parentIndex).stages[c.k + 1]!.startDay)) },
      fish_count: { type: 'int', gen: (c) => batchPlan(c, c.parentIndex).stages[c.k + 1]!.counts0.reduce((a, b) => a + b, 0) },
      avg_weight_g: { type: 'numeric(10,2)', gen: (c) => Math.round(batchPlan(c, c.parentIndex).stages[c.k + 1]!.w0 * 100) / 100 },
      containers_from: { type: 'smallint', gen: (c) => STAGES[c.k]!.containers },
      containers_to: { type: 'smallint', gen: (c) => STAGES[c.k + 1]!.containers },
    },
  },
  mortality_events: {
    per: { parent: 'batch_container_assignments', count: (c) => mortalityWeeks(slotOfAssignment(c).sp) },
    description: 'Weekly mortality per container (deaths since the previous count).',
    checks: ['deaths > 0'],
    columns: {
      id: { type: 'bigint' },
      assignment_id: { type: 'bigint', references: 'batch_container_assignments', gen: (c) => c.parentIndex + 1 },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parent.batch_id },
      container_id: { type: 'bigint', references: 'containers', gen: (c) => c.parent.container_id },
      recorded_at: { type: 'timestamptz', gen: (c) => new Date(dayMs(mortalityDay((c.parent.slot as Slot).sp, c.k)) - 8 * 3_600_000) },
      deaths: {
        type: 'int',
        gen: (c) => {
          const s = c.parent.slot as Slot;
          return fishAt(s.sp, s.j, mortalityDay(s.sp, c.k - 1)) - fishAt(s.sp, s.j, mortalityDay(s.sp, c.k));
        },
      },
      cause: { type: { enum: ['unknown', 'disease', 'handling', 'environmental', 'predation', 'culling'] }, gen: (c) => c.rng.weighted({ unknown: 40, disease: 20, handling: 12, environmental: 15, predation: (c.parent.slot as Slot).stage === ADULT ? 8 : 0, culling: 5 }) },
    },
  },
  growth_samples: {
    per: { parent: 'batch_container_assignments', count: (c) => sampleCount(slotOfAssignment(c)) },
    description: 'Monthly weight samples (from fry on).',
    columns: {
      id: { type: 'bigint' },
      assignment_id: { type: 'bigint', references: 'batch_container_assignments', gen: (c) => c.parentIndex + 1 },
      sampled_at: { type: 'timestamptz', gen: (c) => new Date(dayMs((c.parent.slot as Slot).sp.startDay + 15 + 30 * c.k) + 10 * 3_600_000) },
      sample_size: { type: 'smallint', gen: (c) => c.rng.int(30, 100) },
      avg_weight_g: { type: 'numeric(10,2)', gen: (c) => Math.round(weightAt((c.parent.slot as Slot).sp, (c.parent.slot as Slot).sp.startDay + 15 + 30 * c.k) * c.rng.normal(1, 0.03) * 100) / 100 },
      std_dev_g: { type: 'numeric(10,2)', gen: (c) => Math.round((c.row.avg_weight_g as number) * c.rng.uniform(0.12, 0.22) * 100) / 100 },
    },
  },
  feed_types: {
    rows: FEED_TYPES.length,
    fixed: FEED_TYPES.map((f) => ({ name: f.name, pellet_mm: f.pelletMm, protein_pct: f.proteinPct, list_price_eur_kg: f.priceEurKg })),
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `Feed ${c.i}` },
      pellet_mm: { type: 'numeric(4,1)', gen: () => 1 },
      protein_pct: { type: 'numeric(4,1)', gen: () => 40 },
      list_price_eur_kg: { type: 'numeric(8,4)', gen: () => 2 },
    },
  },
  feed_suppliers: {
    rows: FEED_SUPPLIERS.length,
    fixed: FEED_SUPPLIERS.map((name) => ({ name })),
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `Supplier ${c.i}` },
      country: { type: 'text', gen: (c) => ['Norway', 'Denmark', 'Scotland'][c.i % 3]! },
    },
  },
  feed_purchases: {
    per: { parent: 'sites', count: (c) => pools(c).siteLots[c.parentIndex]! },
    description: 'Feed lots delivered to a site’s store, drawn first in, first out.',
    checks: ['quantity_kg > 0', 'ordered_at < delivered_at'],
    columns: {
      id: { type: 'bigint' },
      lot: { type: 'jsonb', virtual: true, gen: (c) => siteLot(c, c.parentIndex, c.k) },
      site_id: { type: 'bigint', references: 'sites', gen: (c) => c.parentIndex + 1 },
      feed_type_id: { type: 'bigint', references: 'feed_types', gen: (c) => (c.row.lot as { pool: Pool }).pool.feed + 1 },
      supplier_id: { type: 'bigint', references: 'feed_suppliers', gen: (c) => c.rng.weighted([[1, 50], [2, 35], [3, 15]]) },
      lot_number: { type: 'text', unique: true, gen: (c) => { const { pool, j } = c.row.lot as { pool: Pool; j: number }; return `FL-${pool.site + 1}-${pool.feed + 1}-${String(j + 1).padStart(4, '0')}`; } },
      delivered_at: {
        type: 'timestamptz',
        gen: (c) => {
          // A few days before first use, and after the previous lot was opened (deliveries keep their order).
          const { pool, j } = c.row.lot as { pool: Pool; j: number };
          const first = lotFirstUse(pool, j);
          const gap = j === 0 ? 10 * DAY_MS : first - lotFirstUse(pool, j - 1);
          return new Date(first - Math.floor(Math.min(c.rng.uniform(1, 9) * DAY_MS, 0.8 * gap)) - 2 * 3_600_000);
        },
      },
      ordered_at: { type: 'timestamptz', gen: (c) => new Date((c.row.delivered_at as Date).getTime() - c.rng.int(7, 21) * DAY_MS) },
      quantity_kg: { type: 'numeric(12,3)', gen: (c) => { const { pool, j } = c.row.lot as { pool: Pool; j: number }; return kg(lotQuantity(pool, j)); } },
      unit_price_eur: { type: 'numeric(8,4)', gen: (c) => { const { pool, j } = c.row.lot as { pool: Pool; j: number }; return lotPrice(c, pool, j); } },
      total_cost_eur: { type: 'numeric(14,2)', gen: (c) => Math.round((c.row.quantity_kg as number) * (c.row.unit_price_eur as number) * 100) / 100 },
      status: { type: { enum: ['in_stock', 'consumed'] }, gen: (c) => { const { pool, j } = c.row.lot as { pool: Pool; j: number }; return lotDrawn(pool, j) >= lotQuantity(pool, j) ? 'consumed' : 'in_stock'; } },
    },
  },
  feeding_events: {
    per: { parent: 'batch_container_assignments', count: (c) => { const s = slotOfAssignment(c); return fedDays(s.sp) * STAGES[s.stage]!.meals; } },
    description: 'Every meal of every container, drawn from the site’s oldest feed lot with stock.',
    checks: ['amount_kg > 0'],
    columns: {
      id: { type: 'bigint' },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parent.batch_id },
      container_id: { type: 'bigint', references: 'containers', gen: (c) => c.parent.container_id },
      day: { type: 'int', virtual: true, gen: (c) => { const s = c.parent.slot as Slot; return s.sp.startDay + Math.floor(c.k / STAGES[s.stage]!.meals); } },
      meal: { type: 'int', virtual: true, gen: (c) => c.k % STAGES[(c.parent.slot as Slot).stage]!.meals },
      pool: { type: 'jsonb', virtual: true, gen: (c) => { const s = c.parent.slot as Slot; return poolOf(c, s.stage === ADULT ? s.plan.seaSite : s.plan.fwSite, s.stage); } },
      feed_type_id: { type: 'bigint', references: 'feed_types', gen: (c) => (c.row.pool as Pool).feed + 1 },
      feed_purchase_id: {
        type: 'bigint',
        references: 'feed_purchases',
        gen: (c) => { const pool = c.row.pool as Pool; return lotIndex(pool, lotOf(pool, mealPosition(pool, (c.parent.slot as Slot).container, c.row.day as number, c.row.meal as number))) + 1; },
      },
      fed_at: { type: 'timestamptz', gen: (c) => new Date(mealTime(c.row.day as number, c.row.meal as number, (c.row.pool as Pool).meals)) },
      amount_kg: {
        type: 'numeric(10,3)',
        gen: (c) => {
          const s = c.parent.slot as Slot;
          return kg(mealGrams(dailyFeedGrams(s.plan, s.sp, s.container, s.j, c.row.day as number), (c.row.pool as Pool).meals, c.row.meal as number));
        },
      },
      method: { type: { enum: ['automatic', 'manual'] }, gen: (c) => (c.rng.chance((c.parent.slot as Slot).stage === 1 ? 0.2 : 0.05) ? 'manual' : 'automatic') },
    },
  },
  harvest_grades: {
    rows: HARVEST_GRADES.length,
    fixed: HARVEST_GRADES.map((g) => ({ code: g.code, name: g.name })),
    columns: {
      id: { type: 'bigint' },
      code: { type: 'text', unique: true, gen: (c) => `G${c.i}` },
      name: { type: 'text', gen: () => '' },
    },
  },
  harvest_events: {
    per: { parent: 'batch_container_assignments', count: (c) => { const s = slotOfAssignment(c); return s.stage === ADULT ? penTrips(s.plan, s.j).length : 0; } },
    description: 'Well-boat trips emptying a pen over a few days.',
    columns: {
      id: { type: 'bigint' },
      assignment_id: { type: 'bigint', references: 'batch_container_assignments', gen: (c) => c.parentIndex + 1 },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parent.batch_id },
      container_id: { type: 'bigint', references: 'containers', gen: (c) => c.parent.container_id },
      t: { type: 'int', virtual: true, gen: (c) => { const s = c.parent.slot as Slot; return penTrips(s.plan, s.j)[c.k]; } },
      trip: { type: 'jsonb', virtual: true, gen: (c) => tripDetails((c.parent.slot as Slot).plan, c.row.t as number, HARVEST_GRADES, GUTTED_YIELD) },
      harvested_at: { type: 'timestamptz', gen: (c) => new Date(dayMs((c.parent.slot as Slot).plan.trips[c.row.t as number]!.day) + 7 * 3_600_000) },
      fish_count: { type: 'int', check: 'fish_count > 0', gen: (c) => (c.row.trip as TripDetails).fish },
      live_weight_kg: { type: 'numeric(12,3)', gen: (c) => kg((c.row.trip as TripDetails).liveGrams) },
      well_boat: { type: 'text', gen: (c) => c.rng.pick(['Ronja Storm', 'Norðingur', 'Havtrans', 'Inter Caledonia', 'Gåsø Høvding']) },
      processing_plant: { type: 'text', gen: (c) => ((c.parent.slot as Slot).plan.geo === 0 ? c.rng.pick(['Vágur harvest station', 'Klaksvík packing']) : c.rng.pick(['Lerwick processing', 'Kishorn harvest plant'])) },
    },
  },
  harvest_lots: {
    per: { parent: 'harvest_events', count: HARVEST_GRADES.length },
    uniques: [['harvest_event_id', 'harvest_grade_id']],
    columns: {
      id: { type: 'bigint' },
      harvest_event_id: { type: 'bigint', references: 'harvest_events', gen: (c) => c.parentIndex + 1 },
      harvest_grade_id: { type: 'bigint', references: 'harvest_grades', gen: (c) => c.k + 1 },
      lot_number: { type: 'text', unique: true, gen: (c) => `HL-${String(c.parentIndex + 1).padStart(6, '0')}-${HARVEST_GRADES[c.k]!.code}` },
      fish_count: { type: 'int', gen: (c) => trips(c).lots[c.k]!.fish },
      gutted_weight_kg: { type: 'numeric(12,3)', gen: (c) => kg(trips(c).lots[c.k]!.guttedGrams) },
      price_eur_per_kg: { type: 'numeric(8,4)', gen: (c) => trips(c).lots[c.k]!.price },
      revenue_eur: { type: 'numeric(14,2)', gen: (c) => trips(c).lots[c.k]!.revenueCents / 100 },
    },
  },
  finance_harvest_facts: {
    per: { parent: 'batches', count: (c) => (harvestDone(batchPlan(c, c.parentIndex)) ? 1 : 0) },
    description: 'One fact row per harvested batch: fish, weights, revenue, feed and its FIFO cost.',
    columns: {
      id: { type: 'bigint' },
      batch_id: { type: 'bigint', unique: true, references: 'batches', gen: (c) => c.parentIndex + 1 },
      plan: { type: 'jsonb', virtual: true, gen: (c) => batchPlan(c, c.parentIndex) },
      details: { type: 'jsonb', virtual: true, gen: (c) => (c.row.plan as BatchPlan).trips.map((_, t) => tripDetails(c.row.plan as BatchPlan, t, HARVEST_GRADES, GUTTED_YIELD)) },
      feed: { type: 'jsonb', virtual: true, gen: (c) => batchFeed(c, c.row.plan as BatchPlan) },
      geography_id: { type: 'bigint', references: 'geographies', gen: (c) => (c.row.plan as BatchPlan).geo + 1 },
      harvest_started_on: { type: 'date', gen: (c) => new Date(dayMs((c.row.plan as BatchPlan).trips[0]!.day)) },
      harvest_completed_on: { type: 'date', gen: (c) => new Date(dayMs((c.row.plan as BatchPlan).trips.at(-1)!.day)) },
      eggs: { type: 'int', gen: (c) => (c.row.plan as BatchPlan).eggs },
      fish_harvested: { type: 'int', gen: (c) => (c.row.details as TripDetails[]).reduce((s, t) => s + t.fish, 0) },
      survival_pct: { type: 'numeric(5,2)', gen: (c) => Math.round(((c.row.fish_harvested as number) / (c.row.eggs as number)) * 10_000) / 100 },
      live_weight_kg: { type: 'numeric(14,3)', gen: (c) => kg((c.row.details as TripDetails[]).reduce((s, t) => s + t.liveGrams, 0)) },
      gutted_weight_kg: { type: 'numeric(14,3)', gen: (c) => kg((c.row.details as TripDetails[]).reduce((s, t) => s + t.lots.reduce((a, l) => a + l.guttedGrams, 0), 0)) },
      revenue_eur: { type: 'numeric(16,2)', gen: (c) => (c.row.details as TripDetails[]).reduce((s, t) => s + t.lots.reduce((a, l) => a + l.revenueCents, 0), 0) / 100 },
      feed_kg: { type: 'numeric(14,3)', gen: (c) => kg((c.row.feed as { grams: number }).grams) },
      feed_cost_eur: { type: 'numeric(16,2)', gen: (c) => Math.round((c.row.feed as { cost: number }).cost * 100) / 100 },
      economic_fcr: {
        type: 'numeric(6,3)',
        gen: (c) => {
          const p = c.row.plan as BatchPlan;
          const smolt = p.stages[1]!.counts0.reduce((a, b) => a + b, 0) * p.stages[1]!.w0;
          return Math.round(((c.row.feed as { grams: number }).grams / ((c.row.live_weight_kg as number) * 1000 - smolt)) * 1000) / 1000;
        },
      },
      revenue_per_kg_eur: { type: 'numeric(8,4)', gen: (c) => Math.round(((c.row.revenue_eur as number) / (c.row.gutted_weight_kg as number)) * 10_000) / 10_000 },
    },
  },
  tgc_models: {
    rows: TGC_MODELS.length,
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
      plan: { type: 'jsonb', virtual: true, gen: (c) => batchPlan(c, c.parentIndex) },
      name: { type: 'text', gen: (c) => `Sea transfer ${c.parent.batch_number}` },
      from_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: () => ADULT },
      to_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: () => ADULT + 1 },
      tgc_model_id: { type: 'bigint', references: 'tgc_models', gen: (c) => (c.row.plan as BatchPlan).geo + 1 },
      fcr_model_id: { type: 'bigint', references: 'fcr_models', gen: () => 1 },
      transfer_on: { type: 'date', gen: (c) => new Date(dayMs((c.row.plan as BatchPlan).stages[ADULT]!.startDay)) },
      initial_count: { type: 'int', gen: (c) => (c.row.plan as BatchPlan).stages[ADULT]!.counts0.reduce((a, b) => a + b, 0) },
      initial_weight_g: { type: 'numeric(10,2)', gen: (c) => Math.round((c.row.plan as BatchPlan).stages[ADULT]!.w0 * 100) / 100 },
      monthly_mortality_pct: { type: 'numeric(4,2)', gen: (c) => Math.round(c.rng.uniform(0.6, 1.2) * 100) / 100 },
      duration_days: { type: 'int', gen: () => SCENARIO_DAYS },
      created_at: { type: 'timestamptz', gen: (c) => new Date(Math.min(REF_MS - DAY_MS, dayMs((c.row.plan as BatchPlan).stages[ADULT]!.startDay) - c.rng.int(30, 90) * DAY_MS)) },
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
        type: 'jsonb',
        virtual: true,
        gen: (c) => {
          const p = c.parent.plan as BatchPlan;
          const start = p.stages[ADULT]!.startDay;
          const days = c.k * SCENARIO_STEP_DAYS;
          const tgc = TGC_MODELS[p.geo]!.tgc;
          const w0 = c.parent.initial_weight_g as number;
          const w = Math.pow(Math.cbrt(w0) + (tgc / 1000) * degreeDays(p.geo, start, days), 3);
          const n = Math.round((c.parent.initial_count as number) * Math.pow(1 - (c.parent.monthly_mortality_pct as number) / 100, days / 30));
          const temp = c.k === 0 ? seaTemperature(p.geo, dayMs(start)) : degreeDays(p.geo, start + days - SCENARIO_STEP_DAYS, SCENARIO_STEP_DAYS) / SCENARIO_STEP_DAYS;
          return { w, n, temp, gain: ((n * w) - (c.parent.initial_count as number) * w0) / 1000 };
        },
      },
      projected_on: { type: 'date', gen: (c) => new Date(dayMs((c.parent.plan as BatchPlan).stages[ADULT]!.startDay + (c.row.day_offset as number))) },
      avg_temperature_c: { type: 'numeric(5,2)', gen: (c) => Math.round((c.row.projection as { temp: number }).temp * 100) / 100 },
      avg_weight_g: { type: 'numeric(10,1)', gen: (c) => Math.round((c.row.projection as { w: number }).w * 10) / 10 },
      population: { type: 'int', gen: (c) => (c.row.projection as { n: number }).n },
      biomass_kg: { type: 'numeric(14,1)', gen: (c) => Math.round(((c.row.projection as { n: number; w: number }).n * (c.row.projection as { w: number }).w) / 100) / 10 },
      cumulative_feed_kg: { type: 'numeric(14,1)', gen: (c) => Math.round(Math.max(0, (c.row.projection as { gain: number }).gain) * STAGES[ADULT]!.fcr * 10) / 10 },
    },
  },
};

