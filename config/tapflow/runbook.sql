-- The data-generation runbook's own checks ("Testing Data Quality" and "Check Database State"),
-- as written there: against schema `raw` with the `app_database_` table prefix of the original
-- warehouse. Each query is introduced by a `-- check: <name>` line; the test suite runs them on a
-- loaded tapflow database (test/integration/datasets/tapflow-runbook.test.ts).

-- check: orphaned_devices
-- Check device-location relationships. Should return 0.
SELECT COUNT(*) as orphaned_devices
FROM raw.app_database_devices d
LEFT JOIN raw.app_database_locations l ON d.location_id = l.id
WHERE l.id IS NULL;

-- check: device_id_range
-- Check ID ranges. Should show IDs within 1-30000 range.
SELECT 
    'devices' as entity,
    MIN(id) as min_id, 
    MAX(id) as max_id,
    COUNT(*) as count
FROM raw.app_database_devices;

-- check: entity_counts
-- Count all entities (expected: 150 accounts, ~800 locations, ~25,000 devices, ~5,000 users, ~180 subscriptions).
SELECT 
    'accounts' as entity, COUNT(*) FROM raw.app_database_accounts
UNION ALL
SELECT 'locations', COUNT(*) FROM raw.app_database_locations
UNION ALL
SELECT 'devices', COUNT(*) FROM raw.app_database_devices
UNION ALL
SELECT 'users', COUNT(*) FROM raw.app_database_users
UNION ALL
SELECT 'subscriptions', COUNT(*) FROM raw.app_database_subscriptions;
