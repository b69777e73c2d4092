/**
 * tapflow loaded as its runbook's warehouse has it: schema `raw`, tables prefixed `app_database_`
 * (`seedpipe run tapflow --schema raw --table-prefix app_database_ --create-tables`). The runbook's
 * queries (config/tapflow/runbook.sql) then run exactly as written, and nothing lands in `public`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/cli.js';
import { sqlRows, startTestEmbedded, type TestPostgres } from '../../support/postgres.js';

function runbookQueries(): Map<string, string> {
  const text = readFileSync(new URL('../../../config/tapflow/runbook.sql', import.meta.url), 'utf8');
  const out = new Map<string, string>();
  for (const chunk of text.split(/^-- check: /m).slice(1)) out.set(chunk.slice(0, chunk.indexOf('\n')).trim(), chunk.slice(chunk.indexOf('\n') + 1));
  return out;
}

describe('tapflow into raw.app_database_* (the runbook’s own tables)', () => {
  let pg: TestPostgres;
  let url: string;
  let dir: string;
  before(async () => {
    pg = await startTestEmbedded();
    await sqlRows(pg.url, 'CREATE DATABASE tapflow_raw');
    const u = new URL(pg.url);
    u.pathname = '/tapflow_raw';
    url = u.toString();
    dir = await mkdtemp(join(tmpdir(), 'seedpipe-tapflow-raw-'));
  });
  after(async () => {
    await pg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('loads with --schema raw --table-prefix app_database_, and the runbook runs verbatim', async () => {
    const r = await runCli(['run', 'tapflow', '--profile', 'light', '--db', url, '--schema', 'raw', '--table-prefix', 'app_database_', '--create-tables', '--yes', '--skip-csv', '--quiet'], { cwd: dir, env: { DATABASE_URL: undefined } });
    assert.equal(r.code, 0, r.stderr);
    const tables = await sqlRows<{ t: string }>(url, `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`);
    assert.ok(tables.length > 0 && tables.every((x) => x.t.startsWith('raw.app_database_')), tables.map((x) => x.t).join(', '));
    assert.ok(tables.some((x) => x.t === 'raw.app_database_devices'));

    const q = runbookQueries();
    assert.deepEqual([...q.keys()], ['orphaned_devices', 'device_id_range', 'entity_counts']);
    for (const sql of q.values()) assert.match(sql, /raw\.app_database_/, 'the runbook names the warehouse tables');
    const [orphans] = await sqlRows<{ orphaned_devices: string }>(url, q.get('orphaned_devices')!);
    assert.equal(Number(orphans!.orphaned_devices), 0);
    const [range] = await sqlRows<{ entity: string; min_id: string; max_id: string }>(url, q.get('device_id_range')!);
    assert.equal(range!.entity, 'devices');
    assert.ok(Number(range!.min_id) >= 1 && Number(range!.max_id) <= 30_000, `device ids ${range!.min_id}–${range!.max_id}`);
    const counts = Object.fromEntries((await sqlRows<{ entity: string; count: string }>(url, q.get('entity_counts')!)).map((x) => [x.entity, Number(x.count)]));
    assert.equal(counts.accounts, 150);
    assert.ok(Math.abs(counts.devices! - 25_000) <= 1_250, `~25,000 devices: ${counts.devices}`);

  });

  test('a prefix that is not an identifier is refused before anything is written', async () => {
    const r = await runCli(['run', 'tapflow', '--profile', 'light', '--db', url, '--table-prefix', 'app-db-', '--yes', '--skip-csv', '--quiet'], { cwd: dir, env: { DATABASE_URL: undefined } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--table-prefix "app-db-": use letters, digits and underscores/);
  });
});
