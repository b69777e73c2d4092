/**
 * aquaculture business rules as SQL: each query returns the rows that break its rule (none when
 * the data is right). `seedpipe validate` runs them after a load.
 */
import type { CheckDef } from '../../src/index.js';

const REF_TS = `TIMESTAMPTZ '2025-11-01T00:00:00Z'`;

/** Readings of sea-pen temperature sensors with the pen's geography. */
const SEA_TEMPS = `SELECT g.code AS geo, r.measured_at, r.value FROM readings r
  JOIN sensors s ON s.id = r.sensor_id JOIN sensor_types st ON st.id = s.sensor_type_id AND st.kind = 'temperature'
  JOIN containers c ON c.id = s.container_id AND c.container_type = 'sea_pen'
  JOIN sites si ON si.id = c.site_id JOIN areas a ON a.id = si.area_id JOIN geographies g ON g.id = a.geography_id`;

export const aquacultureChecks: readonly CheckDef[] = [
  // Sensors and environment
  {
    name: 'readings_only_while_container_in_use',
    description: 'A sensor reports only while its container hosts a batch (the assignment’s active period).',
    sql: `SELECT r.id FROM readings r JOIN sensors s ON s.id = r.sensor_id
      WHERE NOT EXISTS (SELECT 1 FROM batch_container_assignments a WHERE a.container_id = s.container_id
        AND r.measured_at >= a.assigned_at AND r.measured_at < COALESCE(a.departed_at, ${REF_TS}))`,
  },
  {
    name: 'sea_temperature_by_geography',
    description: 'Faroe Islands sea pens read 8–11 °C, Scottish pens 6–14 °C.',
    sql: `SELECT geo, min(value), max(value) FROM (${SEA_TEMPS}) t GROUP BY geo
      HAVING (geo = 'FO' AND (min(value) < 8 OR max(value) > 11)) OR (geo = 'SCO' AND (min(value) < 6 OR max(value) > 14))`,
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
  {
    name: 'every_sensor_kind_reports',
    sql: `SELECT st.kind FROM sensor_types st WHERE NOT EXISTS (SELECT 1 FROM sensors s JOIN readings r ON r.sensor_id = s.id WHERE s.sensor_type_id = st.id)`,
  },
  // Batches, containers, counts
  {
    name: 'containers_host_their_stage_at_the_right_site',
    description: 'Sea pens hold adults at the batch’s sea site; tanks hold the freshwater stages at its hatchery, in the stage’s hall.',
    sql: `SELECT a.id FROM batch_container_assignments a JOIN containers c ON c.id = a.container_id JOIN batches b ON b.id = a.batch_id
      LEFT JOIN halls h ON h.id = c.hall_id
      WHERE (c.container_type = 'sea_pen') <> (a.lifecycle_stage_id = 6)
        OR (c.container_type = 'sea_pen' AND c.site_id <> b.sea_site_id)
        OR (c.container_type <> 'sea_pen' AND (c.site_id <> b.freshwater_site_id OR h.lifecycle_stage_id <> a.lifecycle_stage_id))`,
  },
  {
    name: 'mortality_accounts_for_every_fish',
    description: 'Fish in = fish out + recorded deaths, per completed assignment; deaths only while the container is in use.',
    sql: `SELECT a.id FROM batch_container_assignments a LEFT JOIN mortality_events m ON m.assignment_id = a.id
      WHERE a.departed_at IS NOT NULL GROUP BY a.id HAVING a.start_count - COALESCE(SUM(m.deaths), 0) <> a.end_count
      UNION ALL SELECT m.assignment_id FROM mortality_events m JOIN batch_container_assignments a ON a.id = m.assignment_id
        WHERE m.recorded_at < a.assigned_at OR m.recorded_at >= COALESCE(a.departed_at, ${REF_TS}) OR m.batch_id <> a.batch_id OR m.container_id <> a.container_id`,
  },
  {
    name: 'transfers_conserve_fish',
    description: 'At every stage transition, the fish leaving the old containers arrive in the new ones.',
    sql: `SELECT t.id FROM batch_stage_transitions t
      WHERE t.fish_count <> (SELECT SUM(end_count) FROM batch_container_assignments a WHERE a.batch_id = t.batch_id AND a.lifecycle_stage_id = t.from_stage_id)
         OR t.fish_count <> (SELECT SUM(start_count) FROM batch_container_assignments a WHERE a.batch_id = t.batch_id AND a.lifecycle_stage_id = t.to_stage_id)
         OR t.transitioned_at <> (SELECT min(assigned_at) FROM batch_container_assignments a WHERE a.batch_id = t.batch_id AND a.lifecycle_stage_id = t.to_stage_id)`,
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
    sql: `SELECT f.batch_id FROM finance_harvest_facts f JOIN batches b ON b.id = f.batch_id WHERE f.harvest_completed_on - b.started_on NOT BETWEEN 820 AND 1000`,
  },
  // Feed
  {
    name: 'feed_lots_never_overdrawn',
    description: 'A lot gives at most what was delivered; every lot but the newest of its store is used up.',
    sql: `SELECT p.id FROM feed_purchases p LEFT JOIN feeding_events f ON f.feed_purchase_id = p.id GROUP BY p.id
      HAVING COALESCE(SUM(f.amount_kg), 0) > p.quantity_kg OR (p.status = 'consumed') <> (COALESCE(SUM(f.amount_kg), 0) = p.quantity_kg)
      UNION ALL SELECT p.id FROM feed_purchases p WHERE p.status = 'in_stock'
        AND EXISTS (SELECT 1 FROM feed_purchases q WHERE q.site_id = p.site_id AND q.feed_type_id = p.feed_type_id AND q.id > p.id)`,
  },
  {
    name: 'feed_drawn_first_in_first_out',
    description: 'Each store draws from its oldest lot with stock: a lot is touched only after the previous one is finished, and after delivery.',
    sql: `WITH u AS (SELECT p.id, p.site_id, p.feed_type_id, p.delivered_at, min(f.fed_at) AS first_use, max(f.fed_at) AS last_use
        FROM feed_purchases p JOIN feeding_events f ON f.feed_purchase_id = p.id GROUP BY p.id),
      o AS (SELECT *, lag(last_use) OVER w AS prev_last, lag(delivered_at) OVER w AS prev_delivered FROM u WINDOW w AS (PARTITION BY site_id, feed_type_id ORDER BY id))
      SELECT id FROM o WHERE first_use < prev_last OR delivered_at > first_use OR delivered_at < prev_delivered
      UNION ALL SELECT p.id FROM feed_purchases p WHERE NOT EXISTS (SELECT 1 FROM feeding_events f WHERE f.feed_purchase_id = p.id)`,
  },
  {
    name: 'feeding_from_the_containers_store',
    description: 'Meals come from the store of the container’s site, with the stage’s feed type, while the container is in use.',
    sql: `SELECT f.id FROM feeding_events f JOIN feed_purchases p ON p.id = f.feed_purchase_id JOIN containers c ON c.id = f.container_id
      JOIN batch_container_assignments a ON a.container_id = f.container_id
      WHERE p.site_id <> c.site_id OR p.feed_type_id <> f.feed_type_id OR a.batch_id <> f.batch_id
        OR f.fed_at < a.assigned_at OR f.fed_at >= COALESCE(a.departed_at, ${REF_TS}) OR f.feed_type_id <> a.lifecycle_stage_id - 1`,
  },
  // Harvest and finance
  {
    name: 'harvest_lots_add_up',
    sql: `SELECT e.id FROM harvest_events e JOIN harvest_lots l ON l.harvest_event_id = e.id GROUP BY e.id HAVING e.fish_count <> SUM(l.fish_count) OR count(*) <> 5
      UNION ALL SELECT a.id FROM batch_container_assignments a JOIN harvest_events e ON e.assignment_id = a.id
        WHERE a.departed_at IS NOT NULL GROUP BY a.id HAVING a.end_count <> SUM(e.fish_count)
      UNION ALL SELECT e.id FROM harvest_events e JOIN containers c ON c.id = e.container_id WHERE c.container_type <> 'sea_pen'`,
  },
  {
    name: 'finance_facts_match_operations',
    description: 'Per harvested batch: fish, weights and revenue re-add from harvest lots; feed kg and FIFO cost re-add from feeding events.',
    sql: `SELECT f.batch_id FROM finance_harvest_facts f
      WHERE f.fish_harvested <> (SELECT SUM(fish_count) FROM harvest_events e WHERE e.batch_id = f.batch_id)
         OR f.live_weight_kg <> (SELECT SUM(live_weight_kg) FROM harvest_events e WHERE e.batch_id = f.batch_id)
         OR (f.gutted_weight_kg, f.revenue_eur) <> (SELECT SUM(l.gutted_weight_kg), SUM(l.revenue_eur) FROM harvest_lots l JOIN harvest_events e ON e.id = l.harvest_event_id WHERE e.batch_id = f.batch_id)
         OR f.feed_kg <> (SELECT SUM(amount_kg) FROM feeding_events fe WHERE fe.batch_id = f.batch_id)
         OR abs(f.feed_cost_eur - (SELECT SUM(fe.amount_kg * p.unit_price_eur) FROM feeding_events fe JOIN feed_purchases p ON p.id = fe.feed_purchase_id WHERE fe.batch_id = f.batch_id)) > 0.05
      UNION ALL SELECT b.id FROM batches b WHERE (b.status = 'harvested') <> EXISTS (SELECT 1 FROM finance_harvest_facts f WHERE f.batch_id = b.id)`,
  },
  // Scenario planning
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
    sql: `SELECT id FROM (SELECT id, avg_weight_g, population, lag(avg_weight_g) OVER w AS prev_w, lag(population) OVER w AS prev_n
        FROM scenario_projections WINDOW w AS (PARTITION BY scenario_id ORDER BY day_offset)) x WHERE avg_weight_g <= prev_w OR population > prev_n`,
  },
];
