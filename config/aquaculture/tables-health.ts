/**
 * aquaculture fish health (a gap of the source document): monthly health samplings of each batch
 * stage from fry on, the fish measured (length, weight, condition factor K = 100·W/L³) and scored on
 * welfare parameters, lab samples, the pre-transfer vaccination, and at sea weekly sea-lice counts per
 * pen with a delousing treatment whenever the average adult females per fish passed 0.5.
 */
import { defineTables, jsonb, type RowsIn } from '../../src/index.js';
import type { params } from './params.js';
import type { farmTables } from './tables-farm.js';
import type { BatchStageRef, opsTables } from './tables-ops.js';
import { ADULT, DAY_MS, REF_DAY, STAGES, dayMs } from './catalogs.js';
import { batchPlan, containersFor, hashU, perRun, salt, stageFishAt, weightAt, type StagePlan, type AquaContext, type AquaRows } from './farm.js';
import { firstContainer, layout } from './layout.js';

export const HEALTH_PARAMETERS = [
  { name: 'Gill condition', description: 'Gill colour and mucus, 0 (healthy) to 3 (severe)' },
  { name: 'Eye condition', description: 'Cataract and eye damage, 0–3' },
  { name: 'Fin condition', description: 'Fin erosion and splitting, 0–3' },
  { name: 'Skin and scale loss', description: 'Scale loss and wounds, 0–3' },
] as const;

/** Samplings of a batch stage: monthly from day 20 while the stage runs (fry on). */
const samplings = (p: StagePlan): number => (p.stage === 0 ? 0 : Math.max(0, Math.ceil((Math.min(p.endDay, REF_DAY) - p.startDay - 20) / 30)));
const samplingDay = (p: StagePlan, k: number): number => p.startDay + 20 + 30 * k;
const FISH_PER_SAMPLING = 10;
export const LICE_LIMIT = 0.5;

interface LiceWeek {
  day: number;
  /** Average adult female lice per fish, per pen (before any treatment that week). */
  pens: number[];
  treated: boolean;
}

/**
 * Weekly lice of a batch at sea: infestation grows with the season (warm water) and the weeks at
 * sea, and falls by 85% after a treatment, which follows any week whose site average passed the
 * limit. Simulated week by week once per batch (about 43 weeks).
 */
export function liceWeeks(c: AquaContext, b: number): LiceWeek[] {
  const all = perRun(c, 'lice', () => new Map<number, LiceWeek[]>());
  let weeks = all.get(b);
  if (!weeks) {
    weeks = [];
    const p = batchPlan(c, b).stages[ADULT]!;
    const K = p.counts0.length;
    let level = 0.05;
    // Counts stop five days before the harvest starts, so a treatment always fits before it.
    for (let day = p.startDay + 7; day < Math.min(p.endDay, REF_DAY) - 5; day += 7) {
      const season = 1 + 0.8 * Math.sin((2 * Math.PI * ((dayMs(day) / DAY_MS) % 365.25 - 120)) / 365.25);
      level = level * (1.08 + 0.06 * season) + 0.01;
      const pens = Array.from({ length: K }, (_, j) => Math.round(level * (0.7 + 0.6 * hashU(salt(c), 9_100 + b, day, j)) * 100) / 100);
      const avg = Math.round((pens.reduce((a, x) => a + x, 0) / K) * 1000) / 1000;
      const treated = avg > LICE_LIMIT;
      weeks.push({ day, pens, treated });
      if (treated) level *= 0.15;
    }
    all.set(b, weeks);
  }
  return weeks;
}

const stageOf = (c: AquaContext<object, BatchStageRef>): { b: number; s: number; p: StagePlan } => {
  const b = c.parent.batch_id - 1;
  const s = c.parent.lifecycle_stage_id - 1;
  return { b, s, p: batchPlan(c, b).stages[s]! };
};
const TREATMENTS = ['thermal delousing', 'freshwater bath', 'mechanical delousing'] as const;

export const healthTables = defineTables<AquaRows & RowsIn<typeof farmTables> & RowsIn<typeof opsTables>, typeof params>()({
  health_parameters: {
    rows: HEALTH_PARAMETERS.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => HEALTH_PARAMETERS[c.i]!.name },
      description: { type: 'text', gen: (c) => HEALTH_PARAMETERS[c.i]!.description },
      max_score: { type: 'smallint', gen: () => 3 },
    },
  },
  health_sampling_events: {
    per: { parent: 'batch_stages', count: (c) => samplings(batchPlan(c, c.parent.batch_id - 1).stages[c.parent.lifecycle_stage_id - 1]!) },
    description: 'Monthly health checks of a batch stage, each in one of its containers.',
    columns: {
      id: { type: 'bigint' },
      batch_stage_id: { type: 'bigint', references: 'batch_stages', gen: (c) => c.parentIndex + 1 },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parent.batch_id },
      container_id: { type: 'bigint', references: 'containers', gen: (c) => { const { b, s } = stageOf(c); return firstContainer(layout(c), b, s) + ((c.k * 7) % containersFor(s, c.params.yearClassScale)) + 1; } },
      sampled_at: { type: 'timestamptz', gen: (c) => new Date(dayMs(samplingDay(stageOf(c).p, c.k)) + 9 * 3_600_000) },
      fish_sampled: { type: 'smallint', gen: () => FISH_PER_SAMPLING },
      mean_weight_g: { type: 'numeric(10,2)', gen: (c) => { const { p } = stageOf(c); return Math.round(weightAt(p, samplingDay(p, c.k)) * 100) / 100; } },
      veterinarian: { type: 'text', gen: (c) => c.rng.pick(['Dr. Jóannes Hansen', 'Dr. Fiona MacLeod', 'Dr. Eirikur Poulsen', 'Dr. Alasdair Grant']) },
    },
  },
  fish_observations: {
    per: { parent: 'health_sampling_events', count: FISH_PER_SAMPLING },
    uniques: [['sampling_event_id', 'fish_number']],
    checks: ['condition_factor BETWEEN 0.8 AND 1.6'],
    description: 'A fish measured at a health check; K = 100 × weight (g) / length (cm)³.',
    columns: {
      id: { type: 'bigint' },
      sampling_event_id: { type: 'bigint', references: 'health_sampling_events', gen: (c) => c.parentIndex + 1 },
      fish_number: { type: 'smallint', gen: (c) => c.k + 1 },
      weight_g: { type: 'numeric(10,2)', gen: (c) => Math.round(c.parent.mean_weight_g * Math.exp(c.rng.normal(0, 0.12)) * 100) / 100 },
      k_target: { type: 'double precision', virtual: true, gen: (c) => c.rng.uniform(1.0, 1.35) },
      length_cm: { type: 'numeric(6,2)', gen: (c) => Math.round(Math.cbrt((100 * c.row.weight_g) / c.row.k_target) * 100) / 100 },
      condition_factor: { type: 'numeric(5,3)', gen: (c) => Math.round(((100 * c.row.weight_g) / Math.pow(c.row.length_cm, 3)) * 1000) / 1000 },
    },
  },
  observation_scores: {
    per: { parent: 'fish_observations', count: HEALTH_PARAMETERS.length },
    primaryKey: ['fish_observation_id', 'health_parameter_id'],
    checks: ['score BETWEEN 0 AND 3'],
    columns: {
      fish_observation_id: { type: 'bigint', references: 'fish_observations', gen: (c) => c.parentIndex + 1 },
      health_parameter_id: { type: 'bigint', references: 'health_parameters', gen: (c) => c.k + 1 },
      score: { type: 'smallint', gen: (c) => c.rng.weighted([[0, 70], [1, 22], [2, 6], [3, 2]]) },
    },
  },
  lab_samples: {
    per: { parent: 'health_sampling_events', count: (c) => (c.rng.chance(0.3) ? 1 : 0) },
    checks: ['received_at > sent_at', 'result_at IS NULL OR result_at > received_at'],
    columns: {
      id: { type: 'bigint' },
      sampling_event_id: { type: 'bigint', unique: true, references: 'health_sampling_events', gen: (c) => c.parentIndex + 1 },
      sample_type: { type: { enum: ['gill swab PCR', 'blood smear', 'tissue histology'] }, gen: (c) => c.rng.weighted({ 'gill swab PCR': 50, 'blood smear': 25, 'tissue histology': 25 }) },
      laboratory: { type: 'text', gen: (c) => c.rng.pick(['Fiskaaling Lab', 'FishVet Group Inverness', 'PHARMAQ Analytiq']) },
      sent_at: { type: 'timestamptz', gen: (c) => new Date(c.parent.sampled_at.getTime() + c.rng.int(2, 8) * 3_600_000) },
      received_at: { type: 'timestamptz', gen: (c) => new Date(c.row.sent_at.getTime() + c.rng.int(18, 60) * 3_600_000) },
      result_at: { type: 'timestamptz', nullable: true, gen: (c) => { const t = c.row.received_at.getTime() + c.rng.int(2, 9) * DAY_MS; return t < dayMs(REF_DAY) ? new Date(t) : null; } },
      result: { type: 'text', nullable: true, gen: (c) => (c.row.result_at === null ? null : c.rng.weighted([['negative', 80], ['AGD positive, low load', 10], ['gill inflammation', 6], ['PRV positive', 4]])) },
    },
  },
  vaccinations: {
    per: { parent: 'batch_stages', count: (c) => (c.parent.lifecycle_stage_id - 1 === 2 && c.parent.ended_at !== null ? 1 : 0) },
    description: 'Injection vaccination at the end of the parr stage, before smoltification: every fish of the batch.',
    columns: {
      id: { type: 'bigint' },
      batch_stage_id: { type: 'bigint', unique: true, references: 'batch_stages', gen: (c) => c.parentIndex + 1 },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parent.batch_id },
      vaccine: { type: 'text', gen: (c) => c.rng.pick(['ALPHA JECT micro 6', 'AquaVac PD7', 'Clynav']) },
      vaccinated_on: { type: 'date', gen: (c) => new Date(dayMs(stageOf(c).p.endDay - 21)) },
      fish_vaccinated: { type: 'int', gen: (c) => { const { p } = stageOf(c); return stageFishAt(p, p.endDay - 21); } },
    },
  },
  lice_counts: {
    per: { parent: 'batch_stages', count: (c) => (c.parent.lifecycle_stage_id - 1 === ADULT ? liceWeeks(c, c.parent.batch_id - 1).length * STAGES[ADULT]!.containers : 0) },
    description: 'Weekly sea-lice counts per pen (adult females per fish).',
    checks: ['adult_female_per_fish >= 0'],
    columns: {
      id: { type: 'bigint' },
      batch_stage_id: { type: 'bigint', references: 'batch_stages', gen: (c) => c.parentIndex + 1 },
      week: { type: jsonb<LiceWeek>(), virtual: true, gen: (c) => liceWeeks(c, c.parent.batch_id - 1)[Math.floor(c.k / STAGES[ADULT]!.containers)] },
      container_id: { type: 'bigint', references: 'containers', gen: (c) => firstContainer(layout(c), c.parent.batch_id - 1, ADULT) + (c.k % STAGES[ADULT]!.containers) + 1 },
      counted_on: { type: 'date', gen: (c) => new Date(dayMs(c.row.week.day)) },
      fish_counted: { type: 'smallint', gen: () => 20 },
      adult_female_per_fish: { type: 'numeric(6,2)', gen: (c) => c.row.week.pens[c.k % STAGES[ADULT]!.containers]! },
      mobile_per_fish: { type: 'numeric(6,2)', gen: (c) => Math.round(c.row.adult_female_per_fish * c.rng.uniform(1.5, 3) * 100) / 100 },
    },
  },
  treatments: {
    per: { parent: 'batch_stages', count: (c) => (c.parent.lifecycle_stage_id - 1 === ADULT ? liceWeeks(c, c.parent.batch_id - 1).filter((w) => w.treated).length : 0) },
    description: 'A delousing of the whole site after a weekly count averaged more than 0.5 adult females per fish.',
    columns: {
      id: { type: 'bigint' },
      batch_stage_id: { type: 'bigint', references: 'batch_stages', gen: (c) => c.parentIndex + 1 },
      batch_id: { type: 'bigint', references: 'batches', gen: (c) => c.parent.batch_id },
      week: { type: jsonb<LiceWeek>(), virtual: true, gen: (c) => liceWeeks(c, c.parent.batch_id - 1).filter((w) => w.treated)[c.k] },
      treatment: { type: { enum: [...TREATMENTS] }, gen: (c) => c.rng.pick(TREATMENTS) },
      // Within five days of the count (counts stop five days before the harvest and the reference date).
      treated_on: { type: 'date', gen: (c) => new Date(dayMs(c.row.week.day + c.rng.int(1, 5))) },
      trigger_avg_adult_female: { type: 'numeric(6,3)', gen: (c) => { const w = c.row.week; return Math.round((w.pens.reduce((a, x) => a + x, 0) / w.pens.length) * 1000) / 1000; } },
      efficacy_pct: { type: 'numeric(5,1)', gen: (c) => Math.round(c.rng.uniform(80, 92) * 10) / 10 },
    },
  },
});
