/**
 * Reference data of the aquaculture dataset: geographies, areas and sites, the salmon lifecycle
 * (durations, weights, survival, containers, sensors and meals per stage), feeds, harvest grades
 * and the shared growth models.
 */

export const DAY_MS = 86_400_000;
/** Day 0 of the farm calendar; the first batch is put to eggs soon after. */
export const EPOCH = Date.parse('2017-06-01T00:00:00Z');
/** The reference date ("now"): midnight starting 1 November 2025. */
export const REF = '2025-11-01T00:00:00Z';
export const REF_MS = Date.parse(REF);
export const REF_DAY = (REF_MS - EPOCH) / DAY_MS;
/**
 * Batches finish their harvest every 56 days, the geographies alternating (each starts a year class
 * every 112 days); 38 of the document's 54 are harvested by the reference date (≈ 380 pen harvests,
 * ≈ 1,900 graded lots). Fewer batches (light, medium) keep the rhythm and the harvested share.
 */
export const HARVEST_INTERVAL_DAYS = 56;
export const HARVESTED_SHARE = 38 / 54;
/** Days a cleaned container waits before its next batch; a sea site lies fallow at least this long. */
export const CLEANING_DAYS = 7;
export const FALLOW_DAYS = 60;

export const dayMs = (day: number): number => EPOCH + day * DAY_MS;

export type Geo = 0 | 1;
export const GEOGRAPHIES = [
  { code: 'FO', name: 'Faroe Islands', timezone: 'Atlantic/Faroe', currency: 'DKK' },
  { code: 'SCO', name: 'Scotland', timezone: 'Europe/London', currency: 'GBP' },
] as const;

export const AREAS: readonly { geo: Geo; name: string }[] = [
  { geo: 0, name: 'Norðoyggjar' },
  { geo: 0, name: 'Eysturoy' },
  { geo: 0, name: 'Vágar & Streymoy' },
  { geo: 1, name: 'Shetland' },
  { geo: 1, name: 'Orkney' },
  { geo: 1, name: 'Western Isles' },
  { geo: 1, name: 'Highland West' },
];

export type SiteKind = 'freshwater' | 'sea';
export interface Site {
  area: number;
  name: string;
  kind: SiteKind;
  lat: number;
  lon: number;
  /** Lifecycle stages the site hosts (a hatchery eggs to parr, a smolt station smolt and post-smolt, a sea site adults). */
  stages: readonly number[];
  /** Maximum standing biomass the site is licensed for, tonnes. */
  licenceTonnes: number;
}
/** Each geography: a hatchery, a smolt station and four sea sites (a batch stocks a whole sea site). */
export const SITES: readonly Site[] = [
  { area: 1, name: 'Strond Hatchery', kind: 'freshwater', lat: 62.19, lon: -6.75, stages: [0, 1, 2], licenceTonnes: 250 },
  { area: 2, name: 'Norðskáli Smolt Station', kind: 'freshwater', lat: 62.05, lon: -7.12, stages: [3, 4], licenceTonnes: 2_000 },
  { area: 0, name: 'Hvannasund', kind: 'sea', lat: 62.29, lon: -6.52, stages: [5], licenceTonnes: 8_500 },
  { area: 0, name: 'Árnafjørður', kind: 'sea', lat: 62.25, lon: -6.58, stages: [5], licenceTonnes: 8_000 },
  { area: 1, name: 'Funningsfjørður', kind: 'sea', lat: 62.24, lon: -6.93, stages: [5], licenceTonnes: 9_000 },
  { area: 2, name: 'Vestmanna', kind: 'sea', lat: 62.15, lon: -7.17, stages: [5], licenceTonnes: 8_000 },
  { area: 6, name: 'Loch Ailort Hatchery', kind: 'freshwater', lat: 56.88, lon: -5.73, stages: [0, 1, 2], licenceTonnes: 200 },
  { area: 5, name: 'Langavat Smolt Unit', kind: 'freshwater', lat: 58.05, lon: -6.75, stages: [3, 4], licenceTonnes: 1_400 },
  { area: 3, name: 'Vaila Sound', kind: 'sea', lat: 60.22, lon: -1.58, stages: [5], licenceTonnes: 6_000 },
  { area: 4, name: 'Scapa Flow', kind: 'sea', lat: 58.90, lon: -3.05, stages: [5], licenceTonnes: 6_500 },
  { area: 5, name: 'Loch Roag', kind: 'sea', lat: 58.22, lon: -6.85, stages: [5], licenceTonnes: 6_000 },
  { area: 6, name: 'Loch Torridon', kind: 'sea', lat: 57.55, lon: -5.65, stages: [5], licenceTonnes: 5_500 },
];
export const siteGeo = (site: number): Geo => AREAS[SITES[site]!.area]!.geo;
/** The site of geography g hosting freshwater stage s. */
export const freshwaterSite = (g: Geo, stage: number): number => SITES.findIndex((x, j) => x.kind === 'freshwater' && siteGeo(j) === g && x.stages.includes(stage));
export const SEA_SITES: readonly (readonly number[])[] = [0, 1].map((g) => SITES.flatMap((s, j) => (s.kind === 'sea' && AREAS[s.area]!.geo === g ? [j] : [])));
/** Eggs per batch by geography (Scottish sites are licensed for smaller year classes). */
export const EGGS: readonly (readonly [number, number])[] = [[1_500_000, 1_900_000], [1_000_000, 1_300_000]];

export type SensorKind = 'temperature' | 'dissolved_oxygen' | 'salinity' | 'ph' | 'co2' | 'flow' | 'ammonia' | 'turbidity' | 'current_speed';
export const SENSOR_TYPES: readonly { kind: SensorKind; unit: string; model: string }[] = [
  { kind: 'temperature', unit: '°C', model: 'AquaTemp T200' },
  { kind: 'dissolved_oxygen', unit: 'mg/L', model: 'OxyGuard Atlantic' },
  { kind: 'salinity', unit: 'ppt', model: 'SalinoProbe S3' },
  { kind: 'ph', unit: 'pH', model: 'pHix Marine' },
  { kind: 'co2', unit: 'mg/L', model: 'CO2Sense Aqua' },
  { kind: 'flow', unit: 'L/min', model: 'FlowLine F40' },
  { kind: 'ammonia', unit: 'mg/L', model: 'NH4 Monitor' },
  { kind: 'turbidity', unit: 'NTU', model: 'TurbiTech 10' },
  { kind: 'current_speed', unit: 'cm/s', model: 'Aquadopp Profiler' },
];
export const sensorTypeIndex = (k: SensorKind): number => SENSOR_TYPES.findIndex((t) => t.kind === k);

export interface Stage {
  name: string;
  /** Typical duration in days (each batch varies it by ±5%). */
  days: number;
  /** Average weight in grams entering the stage and at its end. */
  w0: number;
  w1: number;
  /** Survival over the stage. */
  survival: number;
  /** Containers a batch uses in this stage. */
  containers: number;
  containerType: string;
  hall: string | null;
  volumeM3: number;
  /** Highest stocking density allowed (kg/m³); for incubation trays, eggs per tray. */
  maxDensity: number;
  sensors: readonly SensorKind[];
  /** Feeding runs per day (0: not fed — alevins live on the yolk sac). A freshwater run feeds the batch's whole hall; at sea each pen is fed on its own. */
  meals: number;
  /** Feed type (index into FEED_TYPES) and feed conversion ratio of the shared FCR model. */
  feed: number;
  fcr: number;
  /** Lot size of feed deliveries for this stage, kg. */
  lotKg: number;
  /** Controlled water temperature in tanks (sea pens follow the sea). */
  tempC: readonly [number, number];
}

/**
 * The lifecycle. Container counts and volumes keep every stage within its density limit for the
 * largest (Faroese) year class: eggs ≤ 8,000 per hatching tray; fry ≤ 30, parr ≤ 45, smolt ≤ 60,
 * post-smolt ≤ 75 kg/m³ (common practice in flow-through and RAS hatcheries); sea pens ≤ 25 kg/m³,
 * the Norwegian regulatory maximum, also used here for the Faroe Islands and Scotland.
 */
export const STAGES: readonly Stage[] = [
  { name: 'egg & alevin', days: 90, w0: 0.1, w1: 0.25, survival: 0.86, containers: 460, containerType: 'incubation_tray', hall: 'Hatchery hall', volumeM3: 0.25, maxDensity: 8_000, sensors: ['temperature', 'dissolved_oxygen', 'flow', 'ph', 'ammonia'], meals: 0, feed: -1, fcr: 0, lotKg: 0, tempC: [6, 8] },
  { name: 'fry', days: 90, w0: 0.25, w1: 5, survival: 0.93, containers: 100, containerType: 'fry_tank', hall: 'Fry hall', volumeM3: 5, maxDensity: 30, sensors: ['temperature', 'dissolved_oxygen', 'ph', 'co2', 'flow', 'ammonia'], meals: 12, feed: 0, fcr: 0.8, lotKg: 1_500, tempC: [10, 12] },
  { name: 'parr', days: 150, w0: 5, w1: 60, survival: 0.96, containers: 110, containerType: 'parr_tank', hall: 'Parr hall', volumeM3: 25, maxDensity: 45, sensors: ['temperature', 'dissolved_oxygen', 'ph', 'co2', 'flow', 'ammonia'], meals: 10, feed: 1, fcr: 0.9, lotKg: 10_000, tempC: [12, 14] },
  { name: 'smolt', days: 120, w0: 60, w1: 120, survival: 0.97, containers: 50, containerType: 'smolt_tank', hall: 'Smolt hall', volumeM3: 70, maxDensity: 60, sensors: ['temperature', 'dissolved_oxygen', 'salinity', 'ph', 'co2', 'flow'], meals: 6, feed: 2, fcr: 1.0, lotKg: 15_000, tempC: [12, 14] },
  { name: 'post-smolt', days: 150, w0: 120, w1: 450, survival: 0.97, containers: 41, containerType: 'post_smolt_tank', hall: 'Post-smolt RAS hall', volumeM3: 250, maxDensity: 75, sensors: ['temperature', 'dissolved_oxygen', 'salinity', 'ph', 'co2', 'ammonia'], meals: 8, feed: 3, fcr: 1.05, lotKg: 30_000, tempC: [12, 15] },
  { name: 'adult', days: 300, w0: 450, w1: 5_000, survival: 0.9, containers: 10, containerType: 'sea_pen', hall: null, volumeM3: 40_000, maxDensity: 25, sensors: ['temperature', 'dissolved_oxygen', 'salinity', 'current_speed', 'turbidity'], meals: 4, feed: 4, fcr: 1.15, lotKg: 200_000, tempC: [6, 14] },
];
export const ADULT = STAGES.length - 1;
/** Short stage codes used in container names. */
export const STAGE_CODES = ['TRAY', 'FRY', 'PARR', 'SMOLT', 'POST', 'PEN'] as const;
/** Freshwater stages run at the hatchery and smolt station; the adult stage at sea. */
export const FRESHWATER_STAGES = STAGES.length - 1;
/** Days between a pen's harvest and the next pen's (one harvest event per pen). */
export const PEN_HARVEST_GAP = 2;

export const FEED_TYPES: readonly { name: string; pelletMm: number; proteinPct: number; priceEurKg: number }[] = [
  { name: 'Start 0.6 mm', pelletMm: 0.6, proteinPct: 58, priceEurKg: 3.4 },
  { name: 'Micro 1.5 mm', pelletMm: 1.5, proteinPct: 52, priceEurKg: 2.6 },
  { name: 'Smolt 2.5 mm', pelletMm: 2.5, proteinPct: 48, priceEurKg: 2.2 },
  { name: 'Transfer 4 mm', pelletMm: 4, proteinPct: 44, priceEurKg: 1.9 },
  { name: 'Grower 9 mm', pelletMm: 9, proteinPct: 38, priceEurKg: 1.6 },
];
export const FEED_SUPPLIERS: readonly string[] = ['Nordic Aqua Feeds', 'Atlantic Nutrition', 'Highland Aquafeed'];

/**
 * Harvest grades by gutted weight: the three Superior bands take the fish in their band, less the
 * quality downgrades; Ordinary takes 10% of each band (quality faults); Production the fish under
 * 2 kg and 3% damaged fish. A lot's average weight therefore lies inside its band.
 */
export const HARVEST_GRADES: readonly { code: string; name: string; minKg: number; maxKg: number; priceFactor: number }[] = [
  { code: 'SUP-3', name: 'Superior 2–4 kg', minKg: 2, maxKg: 4, priceFactor: 0.92 },
  { code: 'SUP-5', name: 'Superior 4–6 kg', minKg: 4, maxKg: 6, priceFactor: 1.0 },
  { code: 'SUP-7', name: 'Superior 6+ kg', minKg: 6, maxKg: Infinity, priceFactor: 1.08 },
  { code: 'ORD', name: 'Ordinary', minKg: 0, maxKg: Infinity, priceFactor: 0.85 },
  { code: 'PROD', name: 'Production', minKg: 0, maxKg: Infinity, priceFactor: 0.55 },
];
export const DOWNGRADE_ORDINARY = 0.1;
export const DOWNGRADE_PRODUCTION = 0.03;
/** Spread of gutted weights within a pen (standard deviation of the log). */
export const WEIGHT_LOG_SD = 0.22;
/** Gutted weight / live weight. */
export const GUTTED_YIELD = 0.86;

/** The shared growth models: one TGC per geography and one FCR model (per-stage ratios). */
export const TGC_MODELS = [
  { name: 'TGC Faroe Islands (stable 8–11 °C)', tgc: 2.9, geo: 0 as Geo },
  { name: 'TGC Scotland (seasonal 6–14 °C)', tgc: 2.7, geo: 1 as Geo },
] as const;
export const FCR_MODEL = { name: 'Standard FCR by stage' };
/** Scenario horizon after sea transfer, days, and projection step. */
export const SCENARIO_DAYS = 480;
export const SCENARIO_STEP_DAYS = 30;
