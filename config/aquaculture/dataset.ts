/**
 * aquaculture — Atlantic salmon farming in the Faroe Islands and Scotland: sites, halls, tanks and
 * sea pens with their sensors and environmental readings, batches through the lifecycle from eggs
 * to harvest with FIFO feeding, mortality, harvest lots, finance facts and sea-transfer
 * scenarios on shared growth models. Every rule holds by construction and is a `validate` check.
 */
import { defineDataset } from '../../src/index.js';
import { REF } from './catalogs.js';
import { aquacultureChecks } from './checks.js';
import { farmTables } from './tables-farm.js';
import { broodTables } from './tables-brood.js';
import { harvestTables } from './tables-harvest.js';
import { healthTables } from './tables-health.js';
import { weatherTables } from './tables-weather.js';
import { opsTables } from './tables-ops.js';

export default defineDataset({
  name: 'aquaculture',
  description: 'Salmon farming: Faroe Islands and Scotland sites, containers and sensor streams, batches from egg to harvest, FIFO feed, harvest and finance, scenarios.',
  seed: 1968,
  refDate: REF,
  params: {
    /** Minutes between two readings of a sensor while its container is in use. */
    readingEveryMinutes: 2_700,
    /** Year-class size relative to the document's (eggs and freshwater containers per batch; sea pens stay ten). */
    yearClassScale: 1,
    /** Hours between two weather observations at a sea site. */
    weatherEveryHours: 3,
  },
  profiles: {
    light: { rows: { batches: 6 }, params: { readingEveryMinutes: 10_080, yearClassScale: 0.1, weatherEveryHours: 24 } },
    medium: { rows: { batches: 18 }, params: { readingEveryMinutes: 2_880, yearClassScale: 0.3, weatherEveryHours: 6 } },
    heavy: { rows: { batches: 54 }, params: { readingEveryMinutes: 2_700, yearClassScale: 1, weatherEveryHours: 3 } },
  },
  defaultProfile: 'light',
  tables: { ...farmTables, ...opsTables, ...harvestTables, ...broodTables, ...healthTables, ...weatherTables },
  checks: aquacultureChecks,
});
