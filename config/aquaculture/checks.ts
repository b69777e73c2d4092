/**
 * aquaculture business rules as SQL: each query returns the rows that break its rule (none when
 * the data is right). `seedpipe validate` runs them after a load. The broodstock, health and
 * weather modules have theirs in checks-modules.ts.
 */
import type { CheckDef } from '../../src/index.js';
import { moduleChecks } from './checks-modules.js';

const REF_TS = `TIMESTAMPTZ '2025-11-01T00:00:00Z'`;

/** Readings of sea-pen temperature sensors with the pen's geography. */
const SEA_TEMPS = `SELECT g.code AS geo, r.measured_at, r.value FROM readings r
  JOIN sensors s ON s.id = r.sensor_id JOIN sensor_types st ON st.id = s.sensor_type_id AND st.kind = 'temperature'
  JOIN containers c ON c.id = s.container_id AND c.container_type = 'sea_pen'
  JOIN sites si ON si.id = c.site_id JOIN areas a ON a.id = si.area_id JOIN geographies g ON g.id = a.geography_id`;

const farmChecks: readonly CheckDef[] = [
  // Sensors and environment
  {
    name: 'readings_only_while_container_in_use',
    description: 'A sensor reports only while its container holds a batch (one of its stays).',
    sql: `SELECT r.id FROM readings r JOIN sensors s ON s.id = r.sensor_id
      WHERE NOT EXISTS (SELECT 1 FROM batch_container_assignments a WHERE a.container_id = s.container_id AND r.measured_at >= a.assigned_at AND r.measured_at < COALESCE(a.departed_at, ${REF_TS}))`,
  },
  {
    name: 'sea_temperature_by_geography',
    description: 'Faroe Islands sea pens read 8–11 °C, Scottish pens 6–14 °C.',
    sql: `SELECT geo, min(value), max(value) FROM (${SEA_TEMPS}) t GROUP BY geo HAVING (geo = 'FO' AND (min(value) < 8 OR max(value) > 11)) OR (geo = 'SCO' AND (min(value) < 6 OR max(value) > 14))`,
  },
  {
    name: 'scotland_seasonal_faroe_stable',
    description: 'Scottish sea temperature swings with the seasons (summer − winter ≥ 3 °C); the Faroese stays within 3 °C month to month.',
    sql: `WITH m AS (SELECT geo, extract(month FROM measured_at) AS month, avg(value) AS t FROM (${SEA_TEMPS}) x GROUP BY 1, 2)
      SELECT 'SCO' WHERE (SELECT avg(t) FROM m WHERE geo = 'SCO' AND month IN (7, 8, 9)) - (SELECT avg(t) FROM m WHERE geo = 'SCO' AND month IN (1, 2, 3)) < 3
      UNION ALL SELECT 'FO' WHERE (SELECT max(t) - min(t) FROM m WHERE geo = 'FO') >= 3`,
  },
  {
    name: 'sensor_values_in_physical_range',
    sql: `SELECT st.kind, min(r.value), max(r.value) FROM readings r JOIN sensors s ON s.id = r.sensor_id JOIN sensor_types st ON st.id = s.sensor_type_id GROUP BY st.kind
      HAVING (st.kind = 'dissolved_oxygen' AND (min(r.value) < 5 OR max(r.value) > 13)) OR (st.kind = 'salinity' AND (min(r.value) < 0 OR max(r.value) > 36))
        OR (st.kind = 'ph' AND (min(r.value) < 6 OR max(r.value) > 9)) OR (st.kind = 'temperature' AND (min(r.value) < 4 OR max(r.value) > 16))`,
  },
  {
    name: 'sea_pens_are_salt_water',
    sql: `SELECT r.id FROM readings r JOIN sensors s ON s.id = r.sensor_id JOIN sensor_types st ON st.id = s.sensor_type_id AND st.kind = 'salinity'
      JOIN containers c ON c.id = s.container_id AND c.container_type = 'sea_pen' WHERE r.value NOT BETWEEN 33 AND 36`,
  },
  { name: 'every_sensor_kind_reports', sql: `SELECT st.kind FROM sensor_types st WHERE NOT EXISTS (SELECT 1 FROM sensors s JOIN readings r ON r.sensor_id = s.id WHERE s.sensor_type_id = st.id)` },
  // Containers: the right site and hall, reused without overlap, utilised, within density and licence
  {
    name: 'containers_host_their_stage_at_the_right_site',
    description: 'Each stay is in a container of its stage, at the site and in the hall of its batch stage.',
    sql: `SELECT a.id FROM batch_container_assignments a JOIN containers c ON c.id = a.container_id JOIN batch_stages bs ON bs.id = a.batch_stage_id
      JOIN lifecycle_stages ls ON ls.id = a.lifecycle_stage_id LEFT JOIN halls h ON h.id = c.hall_id
      WHERE bs.batch_id <> a.batch_id OR bs.lifecycle_stage_id <> a.lifecycle_stage_id OR c.site_id <> bs.site_id
        OR (c.container_type = 'sea_pen') <> (ls.position = 6) OR (h.id IS NOT NULL AND (h.lifecycle_stage_id <> a.lifecycle_stage_id OR h.id <> bs.hall_id))
      UNION ALL SELECT bs.id FROM batch_stages bs WHERE bs.containers <> (SELECT count(*) FROM batch_container_assignments a WHERE a.batch_stage_id = bs.id)`,
  },
  {
    name: 'containers_reused_without_overlap',
    description: 'A container holds one batch at a time, cleaned for a week between stays; a sea site lies fallow at least 60 days between generations.',
    sql: `SELECT id::text FROM (SELECT a.id, a.assigned_at, lag(a.departed_at) OVER (PARTITION BY a.container_id ORDER BY a.assigned_at) AS prev FROM batch_container_assignments a) x
        WHERE assigned_at < prev + interval '7 days'
      UNION ALL SELECT site_id::text FROM (SELECT bs.site_id, bs.started_at, lag(bs.ended_at) OVER (PARTITION BY bs.site_id ORDER BY bs.started_at) AS prev
        FROM batch_stages bs JOIN sites s ON s.id = bs.site_id WHERE s.kind = 'sea') x WHERE started_at < prev + interval '60 days'
      UNION ALL SELECT 'no container reused' WHERE NOT EXISTS (SELECT 1 FROM batch_container_assignments GROUP BY container_id HAVING count(*) > 1)`,
  },
  {
    name: 'containers_utilised_like_a_working_farm',
    description: 'From a container’s first stocking to its last departure (or now), it holds fish 45–90% of the time (sets are added only when the schedule needs them).',
    sql: `WITH span AS (SELECT a.container_id, min(a.assigned_at) AS first, max(COALESCE(a.departed_at, ${REF_TS})) AS last, SUM(COALESCE(a.departed_at, ${REF_TS}) - a.assigned_at) AS used
        FROM batch_container_assignments a GROUP BY a.container_id)
      SELECT share::text FROM (SELECT extract(epoch FROM SUM(used)) / extract(epoch FROM SUM(last - first)) AS share FROM span) x WHERE share NOT BETWEEN 0.45 AND 0.9
      UNION ALL SELECT c.id::text FROM containers c WHERE NOT EXISTS (SELECT 1 FROM batch_container_assignments a WHERE a.container_id = c.id)`,
  },
  {
    name: 'stocking_density_within_stage_limit',
    description: 'Peak density of every stay (kg/m³; eggs per tray for incubation) stays within the stage’s limit.',
    sql: `SELECT a.id, a.peak_density, ls.max_density FROM batch_container_assignments a JOIN lifecycle_stages ls ON ls.id = a.lifecycle_stage_id WHERE a.peak_density > ls.max_density
      UNION ALL SELECT a.id, a.peak_density, NULL FROM batch_container_assignments a JOIN containers c ON c.id = a.container_id
        WHERE a.lifecycle_stage_id > 1 AND abs(a.peak_density - a.peak_biomass_kg / c.volume_m3) > 0.01`,
  },
  {
    name: 'site_biomass_within_licence',
    description: 'At the end of every batch stage (when its biomass peaks), the batch stages overlapping it at the same site hold no more than the site’s licence (a conservative sum of peaks).',
    sql: `WITH st AS (SELECT bs.id, bs.site_id, bs.started_at, COALESCE(bs.ended_at, ${REF_TS}) AS ended, SUM(a.peak_biomass_kg) AS peak
        FROM batch_stages bs JOIN batch_container_assignments a ON a.batch_stage_id = bs.id GROUP BY bs.id)
      SELECT x.id, s.licence_tonnes, SUM(o.peak) / 1000 AS tonnes FROM st x JOIN sites s ON s.id = x.site_id JOIN st o ON o.site_id = x.site_id AND o.started_at <= x.ended AND o.ended >= x.ended
      GROUP BY x.id, s.licence_tonnes HAVING SUM(o.peak) > s.licence_tonnes * 1000`,
  },
  // Fish counts and the lifecycle
  {
    name: 'mortality_accounts_for_every_fish',
    description: 'Per ended batch stage: fish in = fish out + recorded deaths; its containers add up to the stage.',
    sql: `SELECT bs.id FROM batch_stages bs LEFT JOIN mortality_events m ON m.batch_stage_id = bs.id WHERE bs.ended_at IS NOT NULL GROUP BY bs.id HAVING bs.start_count - COALESCE(SUM(m.deaths), 0) <> bs.end_count
      UNION ALL SELECT bs.id FROM batch_stages bs JOIN batch_container_assignments a ON a.batch_stage_id = bs.id GROUP BY bs.id
        HAVING bs.start_count <> SUM(a.start_count) OR (bs.ended_at IS NOT NULL AND bs.end_count <> SUM(a.end_count))
      UNION ALL SELECT m.id FROM mortality_events m JOIN batch_stages bs ON bs.id = m.batch_stage_id WHERE m.recorded_at < bs.started_at OR m.recorded_at >= COALESCE(bs.ended_at, ${REF_TS})`,
  },
  {
    name: 'transfers_conserve_fish',
    sql: `SELECT t.id FROM batch_stage_transitions t JOIN batch_stages f ON f.batch_id = t.batch_id AND f.lifecycle_stage_id = t.from_stage_id JOIN batch_stages n ON n.batch_id = t.batch_id AND n.lifecycle_stage_id = t.to_stage_id
      WHERE t.fish_count <> f.end_count OR t.fish_count <> n.start_count OR t.transitioned_at <> n.started_at OR f.ended_at <> n.started_at`,
  },
  {
    name: 'lifecycle_moves_one_stage_at_a_time',
    sql: `SELECT id FROM (SELECT id, batch_id, from_stage_id, to_stage_id, transitioned_at, lag(to_stage_id) OVER w AS prev_to, lag(transitioned_at) OVER w AS prev_at
        FROM batch_stage_transitions WINDOW w AS (PARTITION BY batch_id ORDER BY id)) x
      WHERE to_stage_id <> from_stage_id + 1 OR (prev_to IS NULL AND from_stage_id <> 1) OR (prev_to IS NOT NULL AND (from_stage_id <> prev_to OR transitioned_at <= prev_at))
      UNION ALL SELECT b.id FROM batches b WHERE b.current_stage_id <> COALESCE((SELECT max(to_stage_id) FROM batch_stage_transitions t WHERE t.batch_id = b.id), 1)`,
  },
  {
    name: 'lifecycle_about_900_days',
    sql: `SELECT b.id FROM batches b JOIN harvest_events e ON e.batch_id = b.id WHERE b.status = 'harvested' GROUP BY b.id, b.started_on HAVING max(e.harvested_at)::date - b.started_on NOT BETWEEN 880 AND 960`,
  },
  // Feed
  {
    name: 'feed_lots_never_overdrawn',
    description: 'A lot gives at most what was delivered; every lot but the newest of its store is used up.',
    sql: `SELECT p.id FROM feed_purchases p LEFT JOIN feeding_events f ON f.feed_purchase_id = p.id GROUP BY p.id
        HAVING COALESCE(SUM(f.amount_kg), 0) > p.quantity_kg OR (p.status = 'consumed') <> (COALESCE(SUM(f.amount_kg), 0) = p.quantity_kg)
      UNION ALL SELECT p.id FROM feed_purchases p WHERE p.status = 'in_stock' AND EXISTS (SELECT 1 FROM feed_purchases q WHERE q.site_id = p.site_id AND q.feed_type_id = p.feed_type_id AND q.id > p.id)`,
  },
  {
    name: 'feed_drawn_first_in_first_out',
    description: 'Each store draws from its oldest lot with stock: a lot is touched only after the previous one is finished, and after delivery.',
    sql: `WITH u AS (SELECT p.id, p.site_id, p.feed_type_id, p.delivered_at, min(f.fed_at) AS first_use, max(f.fed_at) AS last_use FROM feed_purchases p JOIN feeding_events f ON f.feed_purchase_id = p.id GROUP BY p.id),
      o AS (SELECT *, lag(last_use) OVER w AS prev_last, lag(delivered_at) OVER w AS prev_delivered FROM u WINDOW w AS (PARTITION BY site_id, feed_type_id ORDER BY id))
      SELECT id FROM o WHERE first_use < prev_last OR delivered_at > first_use OR delivered_at < prev_delivered
      UNION ALL SELECT p.id FROM feed_purchases p WHERE NOT EXISTS (SELECT 1 FROM feeding_events f WHERE f.feed_purchase_id = p.id)`,
  },
  {
    name: 'feeding_from_the_sites_store',
    description: 'Feed comes from the store of the batch stage’s site, with the stage’s feed type, while the stage is in its containers; sea pens fed one by one, halls as a whole.',
    sql: `SELECT f.id FROM feeding_events f JOIN feed_purchases p ON p.id = f.feed_purchase_id JOIN batch_stages bs ON bs.id = f.batch_stage_id
        WHERE p.site_id <> bs.site_id OR p.feed_type_id <> f.feed_type_id OR bs.feed_type_id <> f.feed_type_id OR f.batch_id <> bs.batch_id
          OR f.fed_at < bs.started_at OR f.fed_at >= COALESCE(bs.ended_at, ${REF_TS}) OR (f.hall_id IS NOT NULL AND f.hall_id <> bs.hall_id)
      UNION ALL SELECT f.id FROM feeding_events f JOIN batch_container_assignments a ON a.container_id = f.container_id AND a.batch_stage_id = f.batch_stage_id
        WHERE f.fed_at >= COALESCE(a.departed_at, ${REF_TS})`,
  },
];

const harvestChecks: readonly CheckDef[] = [
  {
    name: 'harvest_lots_add_up',
    description: 'Five graded lots per pen harvest adding up to its fish; a pen is harvested once, all its fish.',
    sql: `SELECT e.id FROM harvest_events e JOIN harvest_lots l ON l.harvest_event_id = e.id GROUP BY e.id HAVING e.fish_count <> SUM(l.fish_count) OR count(*) <> 5
      UNION ALL SELECT e.id FROM harvest_events e JOIN batch_container_assignments a ON a.container_id = e.container_id AND a.batch_id = e.batch_id AND a.lifecycle_stage_id = 6
        WHERE a.departed_at IS NOT NULL AND (a.end_count <> e.fish_count OR e.harvested_at::date <> (a.departed_at - interval '1 day')::date)
      UNION ALL SELECT e.container_id FROM harvest_events e GROUP BY e.container_id, e.batch_id HAVING count(*) > 1`,
  },
  {
    name: 'harvest_grades_match_weights',
    description: 'A Superior lot’s average gutted weight lies inside its band (2–4, 4–6, 6+ kg).',
    sql: `SELECT l.id, g.code, l.avg_gutted_kg FROM harvest_lots l JOIN harvest_grades g ON g.id = l.harvest_grade_id
      WHERE g.min_gutted_kg IS NOT NULL AND l.fish_count > 0 AND (l.avg_gutted_kg < g.min_gutted_kg OR (g.max_gutted_kg IS NOT NULL AND l.avg_gutted_kg >= g.max_gutted_kg))
      UNION ALL SELECT l.id, NULL, NULL FROM harvest_lots l WHERE l.fish_count > 0 AND abs(l.avg_gutted_kg - l.gutted_weight_kg / l.fish_count) > 0.001`,
  },
  {
    name: 'finance_facts_match_operations',
    description: 'One fact per harvest lot with its fish, weight and revenue; per harvested batch the facts’ feed cost re-adds to the FIFO cost of its feeding events.',
    sql: `SELECT f.id FROM finance_harvest_facts f JOIN harvest_lots l ON l.id = f.harvest_lot_id JOIN harvest_events e ON e.id = l.harvest_event_id
        WHERE (f.fish_count, f.gutted_weight_kg, f.revenue_eur, f.batch_id, f.harvest_grade_id) <> (l.fish_count, l.gutted_weight_kg, l.revenue_eur, e.batch_id, l.harvest_grade_id)
      UNION ALL SELECT l.id FROM harvest_lots l WHERE NOT EXISTS (SELECT 1 FROM finance_harvest_facts f WHERE f.harvest_lot_id = l.id)
      UNION ALL SELECT b.id FROM batches b JOIN finance_harvest_facts f ON f.batch_id = b.id WHERE b.status = 'harvested' GROUP BY b.id
        HAVING abs(SUM(f.feed_cost_eur) - (SELECT SUM(fe.amount_kg * p.unit_price_eur) FROM feeding_events fe JOIN feed_purchases p ON p.id = fe.feed_purchase_id WHERE fe.batch_id = b.id)) > 0.05`,
  },
  {
    name: 'about_fifty_facts_per_harvested_batch',
    sql: `SELECT b.id, count(f.id) FROM batches b LEFT JOIN finance_harvest_facts f ON f.batch_id = b.id WHERE b.status = 'harvested' GROUP BY b.id HAVING count(f.id) NOT BETWEEN 40 AND 60`,
  },
  {
    name: 'one_sea_transfer_scenario_per_batch_on_shared_models',
    description: 'Every batch has exactly one post-smolt → adult scenario; all share 2 TGC models (one per geography) and 1 FCR model.',
    sql: `SELECT b.id FROM batches b WHERE (SELECT count(*) FROM scenarios s WHERE s.batch_id = b.id AND s.from_stage_id = 5 AND s.to_stage_id = 6) <> 1
      UNION ALL SELECT NULL WHERE (SELECT count(*) FROM tgc_models) <> 2 OR (SELECT count(*) FROM fcr_models) <> 1
        OR (SELECT count(DISTINCT tgc_model_id) FROM scenarios) <> 2 OR (SELECT count(DISTINCT fcr_model_id) FROM scenarios) <> 1
      UNION ALL SELECT s.id FROM scenarios s JOIN batches b ON b.id = s.batch_id JOIN tgc_models m ON m.id = s.tgc_model_id WHERE m.geography_id <> b.geography_id`,
  },
  {
    name: 'scenario_projections_grow',
    sql: `SELECT id FROM (SELECT id, avg_weight_g, population, lag(avg_weight_g) OVER w AS prev_w, lag(population) OVER w AS prev_n FROM scenario_projections WINDOW w AS (PARTITION BY scenario_id ORDER BY day_offset)) x
      WHERE avg_weight_g <= prev_w OR population > prev_n`,
  },
];

export const aquacultureChecks: readonly CheckDef[] = [...farmChecks, ...harvestChecks, ...moduleChecks];
