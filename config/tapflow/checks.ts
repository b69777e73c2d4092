/**
 * tapflow business rules as SQL: each query returns the rows that break its rule.
 */
import type { CheckDef } from '../../src/index.js';
import { ID_RANGES, REF, START, type Entity } from './model.js';

export const tapflowChecks: readonly CheckDef[] = [
    // Tiers
    {
      name: 'tier_counts_exact',
      sql: `WITH n AS (SELECT count(*)::numeric AS n FROM accounts),
        want AS (SELECT 'enterprise' AS tier, round(n * 0.02) AS k FROM n UNION ALL SELECT 'large', round(n * 0.08) FROM n UNION ALL SELECT 'medium', round(n * 0.2) FROM n
                 UNION ALL SELECT 'small', n - round(n * 0.02) - round(n * 0.08) - round(n * 0.2) FROM n)
        SELECT w.tier, w.k AS expected, count(a.id) AS actual FROM want w LEFT JOIN accounts a ON a.tier::text = w.tier GROUP BY w.tier, w.k HAVING count(a.id) <> w.k`,
      description: 'Exactly 70% small, 20% medium, 8% large and 2% enterprise accounts (105/30/12/3 of 150).',
    },
    {
      name: 'locations_per_account_by_tier',
      sql: `SELECT a.id, a.tier, count(l.id) AS locations FROM accounts a LEFT JOIN locations l ON l.account_id = a.id GROUP BY a.id, a.tier
        HAVING count(l.id) NOT BETWEEN (CASE a.tier WHEN 'small' THEN 1 WHEN 'medium' THEN 3 WHEN 'large' THEN 10 ELSE 50 END)
                                   AND (CASE a.tier WHEN 'small' THEN 2 WHEN 'medium' THEN 10 WHEN 'large' THEN 50 ELSE 100 END)`,
    },
    {
      name: 'devices_per_location_by_tier',
      sql: `SELECT l.id, a.tier, count(d.id) AS devices FROM locations l JOIN accounts a ON a.id = l.account_id LEFT JOIN devices d ON d.location_id = l.id GROUP BY l.id, a.tier
        HAVING count(d.id) NOT BETWEEN (CASE a.tier WHEN 'small' THEN 5 WHEN 'medium' THEN 10 WHEN 'large' THEN 20 ELSE 30 END)
                                   AND (CASE a.tier WHEN 'small' THEN 10 WHEN 'medium' THEN 20 WHEN 'large' THEN 50 ELSE 100 END)`,
    },
    {
      name: 'users_per_account_by_tier',
      sql: `SELECT a.id, a.tier, count(u.id) AS users FROM accounts a LEFT JOIN users u ON u.account_id = a.id GROUP BY a.id, a.tier
        HAVING count(u.id) NOT BETWEEN (CASE a.tier WHEN 'small' THEN 2 WHEN 'medium' THEN 5 WHEN 'large' THEN 20 ELSE 100 END)
                                   AND (CASE a.tier WHEN 'small' THEN 5 WHEN 'medium' THEN 20 WHEN 'large' THEN 100 ELSE 500 END)`,
    },
    // Id ranges
    ...(Object.entries(ID_RANGES) as [Entity, readonly [number, number]][]).map(([t, [lo, hi]]) => ({
      name: `${t}_ids_in_range`,
      sql: `SELECT id FROM ${t} WHERE id NOT BETWEEN ${lo} AND ${hi}`,
      description: `${t} ids are allocated inside ${lo}–${hi}.`,
    })),
    // Entities
    { name: 'device_location_exists', sql: `SELECT d.id FROM devices d LEFT JOIN locations l ON l.id = d.location_id WHERE l.id IS NULL` },
    { name: 'device_account_matches_location', sql: `SELECT d.id FROM devices d JOIN locations l ON l.id = d.location_id WHERE l.account_id <> d.account_id` },
    { name: 'location_opened_after_account_created', sql: `SELECT l.id FROM locations l JOIN accounts a ON a.id = l.account_id WHERE l.opened_at < a.created_at` },
    {
      name: 'device_installed_while_location_open',
      sql: `SELECT d.id FROM devices d JOIN locations l ON l.id = d.location_id WHERE d.installed_at < l.opened_at OR d.installed_at >= TIMESTAMPTZ '${REF}' OR d.retired_at <= d.installed_at OR (d.status = 'retired') <> (d.retired_at IS NOT NULL)`,
    },
    { name: 'user_signed_up_after_account_created', sql: `SELECT u.id FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.signed_up_at < a.created_at OR u.signed_up_at >= TIMESTAMPTZ '${REF}'` },
    { name: 'one_owner_per_account', sql: `SELECT a.id FROM accounts a WHERE (SELECT count(*) FROM users u WHERE u.account_id = a.id AND u.role = 'owner') <> 1` },
    { name: 'accounts_within_time_range', sql: `SELECT id FROM accounts WHERE created_at < TIMESTAMPTZ '${START}' OR created_at >= TIMESTAMPTZ '${REF}'` },
    // Subscriptions
    { name: 'one_active_subscription_per_account', sql: `SELECT a.id FROM accounts a WHERE (SELECT count(*) FROM subscriptions s WHERE s.account_id = a.id AND s.status = 'active' AND s.ended_at IS NULL) <> 1` },
    { name: 'subscription_device_of_account', sql: `SELECT s.id FROM subscriptions s JOIN devices d ON d.id = s.device_id WHERE d.account_id <> s.account_id` },
    {
      name: 'subscription_history_consistent',
      sql: `SELECT s.id FROM subscriptions s JOIN accounts a ON a.id = s.account_id WHERE s.started_at < a.created_at OR s.ended_at < s.started_at
        OR EXISTS (SELECT 1 FROM subscriptions o WHERE o.account_id = s.account_id AND o.id <> s.id AND o.started_at < coalesce(s.ended_at, 'infinity') AND s.started_at < coalesce(o.ended_at, 'infinity'))`,
      description: 'Subscriptions start after the account was created and never overlap.',
    },
    {
      name: 'subscription_on_installed_live_device',
      sql: `SELECT s.id FROM subscriptions s JOIN devices d ON d.id = s.device_id
        WHERE s.started_at < d.installed_at OR (s.ended_at IS NOT NULL AND d.installed_at > s.ended_at)
           OR (s.status = 'active' AND d.retired_at IS NOT NULL) OR d.retired_at < coalesce(s.ended_at, TIMESTAMPTZ '${REF}')`,
      description: 'A subscription starts on or after its licensed terminal was installed, an ended one was never licensed to a device installed after it ended, and none sits on a retired device.',
    },
    {
      name: 'known_logins_can_sign_in',
      sql: `SELECT 'no user with a password' WHERE NOT EXISTS (SELECT 1 FROM users WHERE password_hash LIKE 'pbkdf2_sha256$%')
        UNION ALL SELECT email FROM users WHERE password_hash !~ '^(pbkdf2_sha256\\$[0-9]+\\$[A-Za-z0-9]+\\$[A-Za-z0-9+/]+=*|![A-Za-z0-9]{40})$'`,
      description: 'The known logins have PBKDF2 password hashes (Django format); other users an unusable-password marker.',
    },
    { name: 'subscriptions_one_or_two_per_account', sql: `SELECT a.id FROM accounts a WHERE (SELECT count(*) FROM subscriptions s WHERE s.account_id = a.id) NOT BETWEEN 1 AND 2` },
    // Event streams
    {
      name: 'tap_during_device_life',
      sql: `SELECT t.id FROM tap_events t JOIN devices d ON d.id = t.device_id WHERE t.tapped_at < d.installed_at OR t.tapped_at >= coalesce(d.retired_at, TIMESTAMPTZ '${REF}') OR t.location_id <> d.location_id OR t.account_id <> d.account_id`,
      description: 'A device taps only after it was installed and before it was retired, at its own location and account.',
    },
    {
      name: 'page_view_after_sign_up',
      sql: `SELECT p.id FROM page_views p JOIN users u ON u.id = p.user_id WHERE p.viewed_at < u.signed_up_at OR p.viewed_at >= TIMESTAMPTZ '${REF}' OR p.account_id <> u.account_id`,
    },
    {
      name: 'feature_use_after_sign_up_on_live_device',
      sql: `SELECT f.id FROM feature_usage f JOIN users u ON u.id = f.user_id LEFT JOIN devices d ON d.id = f.device_id
        WHERE f.used_at < u.signed_up_at OR f.used_at >= TIMESTAMPTZ '${REF}' OR f.account_id <> u.account_id
           OR (d.id IS NOT NULL AND (d.account_id <> f.account_id OR f.used_at < d.installed_at OR f.used_at >= coalesce(d.retired_at, TIMESTAMPTZ '${REF}')))
           OR ((f.device_id IS NOT NULL) <> (f.feature IN ('firmware_update', 'device_reboot', 'bulk_config', 'geo_fence')))`,
    },
];
