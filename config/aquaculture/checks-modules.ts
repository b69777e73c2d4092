/**
 * aquaculture rules of the broodstock, fish-health and weather modules as SQL (each query returns
 * the rows that break its rule).
 */
import type { CheckDef } from '../../src/index.js';

export const moduleChecks: readonly CheckDef[] = [
  // Broodstock
  {
    name: 'batch_eggs_come_from_its_breeding_plan',
    description: 'A batch’s eggs are exactly its crossings’ eggs, stripped in the three days before it was laid down.',
    sql: `SELECT b.id FROM batches b JOIN breeding_plans p ON p.batch_id = b.id JOIN breeding_pairs x ON x.breeding_plan_id = p.id GROUP BY b.id, b.egg_count, p.pairs, p.target_eggs
        HAVING SUM(x.eggs) <> b.egg_count OR count(*) <> p.pairs OR p.target_eggs <> b.egg_count
      UNION ALL SELECT x.id FROM breeding_pairs x JOIN breeding_plans p ON p.id = x.breeding_plan_id JOIN batches b ON b.id = p.batch_id
        WHERE x.stripped_on >= b.started_on OR x.stripped_on < b.started_on - 3
      UNION ALL SELECT b.id FROM batches b WHERE NOT EXISTS (SELECT 1 FROM breeding_plans p WHERE p.batch_id = b.id)`,
  },
  {
    name: 'crossings_are_sound',
    description: 'A mature female (three years or older) of the batch’s geography, crossed once, with a male of another family serving at most three females; 1,400–2,300 eggs per kg.',
    sql: `SELECT x.id FROM breeding_pairs x JOIN broodstock_fish f ON f.id = x.female_id JOIN broodstock_fish m ON m.id = x.male_id
        JOIN broodstock_families ff ON ff.id = f.family_id JOIN broodstock_families mf ON mf.id = m.family_id
        JOIN breeding_plans p ON p.id = x.breeding_plan_id JOIN batches b ON b.id = p.batch_id
        WHERE f.sex <> 'female' OR m.sex <> 'male' OR f.family_id = m.family_id OR ff.geography_id <> b.geography_id OR mf.geography_id <> b.geography_id
          OR x.stripped_on - f.hatched_on < 3 * 365 OR x.stripped_on - m.hatched_on < 3 * 365 OR x.eggs / x.female_weight_kg NOT BETWEEN 1400 AND 2300
      UNION ALL SELECT male_id FROM breeding_pairs GROUP BY male_id HAVING count(*) > 3
      UNION ALL SELECT f.id FROM broodstock_fish f WHERE f.sex = 'female' AND NOT EXISTS (SELECT 1 FROM breeding_pairs x WHERE x.female_id = f.id)`,
  },
  // Fish health
  {
    name: 'health_checks_within_their_stage',
    description: 'A health sampling happens while its batch stage runs, in one of that stage’s containers; K = 100·W/L³.',
    sql: `SELECT h.id FROM health_sampling_events h JOIN batch_stages bs ON bs.id = h.batch_stage_id
        WHERE h.sampled_at < bs.started_at OR h.sampled_at >= COALESCE(bs.ended_at, TIMESTAMPTZ '2025-11-01') OR h.batch_id <> bs.batch_id
          OR NOT EXISTS (SELECT 1 FROM batch_container_assignments a WHERE a.container_id = h.container_id AND a.batch_stage_id = bs.id)
      UNION ALL SELECT o.id FROM fish_observations o WHERE abs(o.condition_factor - 100 * o.weight_g / (o.length_cm ^ 3)) > 0.01
      UNION ALL SELECT l.id FROM lab_samples l JOIN health_sampling_events h ON h.id = l.sampling_event_id WHERE l.sent_at < h.sampled_at`,
  },
  {
    name: 'vaccinated_before_smolting',
    sql: `SELECT v.id FROM vaccinations v JOIN batch_stages bs ON bs.id = v.batch_stage_id WHERE bs.lifecycle_stage_id <> 3 OR v.vaccinated_on >= bs.ended_at::date OR v.vaccinated_on < bs.started_at::date
        OR v.fish_vaccinated > bs.start_count OR v.fish_vaccinated < bs.end_count
      UNION ALL SELECT bs.id FROM batch_stages bs WHERE bs.lifecycle_stage_id = 3 AND bs.ended_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM vaccinations v WHERE v.batch_stage_id = bs.id)`,
  },
  {
    name: 'lice_treated_above_the_limit',
    description: 'Every week whose sea-lice average passed 0.5 adult females per fish is followed within five days by a treatment, and every treatment by such a week; counts only while the batch is at sea.',
    sql: `WITH w AS (SELECT batch_stage_id, counted_on, avg(adult_female_per_fish) AS avg FROM lice_counts GROUP BY 1, 2)
      SELECT w.batch_stage_id::text, w.counted_on::text FROM w WHERE w.avg > 0.5
        AND NOT EXISTS (SELECT 1 FROM treatments t WHERE t.batch_stage_id = w.batch_stage_id AND t.treated_on > w.counted_on AND t.treated_on <= w.counted_on + 5)
      UNION ALL SELECT t.id::text, t.treated_on::text FROM treatments t
        WHERE NOT EXISTS (SELECT 1 FROM w WHERE w.batch_stage_id = t.batch_stage_id AND w.avg > 0.5 AND t.treated_on > w.counted_on AND t.treated_on <= w.counted_on + 5 AND round(w.avg, 3) = t.trigger_avg_adult_female)
      UNION ALL SELECT l.id::text, l.counted_on::text FROM lice_counts l JOIN batch_stages bs ON bs.id = l.batch_stage_id WHERE bs.lifecycle_stage_id <> 6 OR l.counted_on < bs.started_at::date
      UNION ALL SELECT 'no treatment', NULL WHERE NOT EXISTS (SELECT 1 FROM treatments)`,
  },
  // Weather
  {
    name: 'weather_alerts_match_observations',
    description: 'A station at every sea site; an alert exactly on the days an observation reached gale force (20 m/s).',
    sql: `SELECT s.id::text, NULL FROM sites s WHERE s.kind = 'sea' AND NOT EXISTS (SELECT 1 FROM weather_stations w WHERE w.site_id = s.id)
      UNION ALL SELECT a.id::text, a.alert_date::text FROM weather_alerts a WHERE NOT EXISTS (SELECT 1 FROM weather_observations o WHERE o.weather_station_id = a.weather_station_id
        AND (o.observed_at AT TIME ZONE 'UTC')::date = a.alert_date AND o.wind_ms >= 20)
      UNION ALL SELECT o.weather_station_id::text, (o.observed_at AT TIME ZONE 'UTC')::date::text FROM weather_observations o WHERE o.wind_ms >= 20
        AND NOT EXISTS (SELECT 1 FROM weather_alerts a WHERE a.weather_station_id = o.weather_station_id AND a.alert_date = (o.observed_at AT TIME ZONE 'UTC')::date)
      UNION ALL SELECT 'no storm', NULL WHERE NOT EXISTS (SELECT 1 FROM weather_alerts)`,
  },
];
