/**
 * aquaculture — Atlantic salmon farming in the Faroe Islands and Scotland: sites, halls, tanks and
 * sea pens with their sensors and environmental readings, batches through the lifecycle from eggs
 * to harvest with FIFO feeding, mortality, harvest lots, finance facts and sea-transfer
 * scenarios on shared growth models. Every rule holds by construction and is a `validate` check.
 */
import { defineDataset, mergeTables } from '../../src/index.js';
import { REF } from './catalogs.js';
import { aquacultureChecks } from './checks.js';
import { farmTables } from './tables-farm.js';
import { broodTables } from './tables-brood.js';
import { harvestTables } from './tables-harvest.js';
import { healthTables } from './tables-health.js';
import { weatherTables } from './tables-weather.js';
import { opsTables } from './tables-ops.js';
import { params } from './params.js';

export default defineDataset({
  name: 'aquaculture',
  description: 'Salmon farming: Faroe Islands and Scotland sites, containers and sensor streams, batches from egg to harvest, FIFO feed, harvest and finance, scenarios.',
  seed: 1968,
  refDate: REF,
  params,
  profiles: {
    light: { rows: { batches: 6 }, params: { readingEveryMinutes: 10_080, yearClassScale: 0.1, weatherEveryHours: 24 } },
    medium: { rows: { batches: 18 }, params: { readingEveryMinutes: 2_880, yearClassScale: 0.3, weatherEveryHours: 6 } },
    heavy: { rows: { batches: 54 }, params: { readingEveryMinutes: 2_700, yearClassScale: 1, weatherEveryHours: 3 } },
  },
  defaultProfile: 'light',
  tables: mergeTables(farmTables, opsTables, harvestTables, broodTables, healthTables, weatherTables),
  checks: aquacultureChecks,
});
