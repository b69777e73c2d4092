import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { isRunning, startTestPg15 } from '../../support/postgres.js';

test('the system PostgreSQL 15 starts on a free port, answers, and stops', async () => {
  const server = await startTestPg15();
  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const r = await client.query<{ n: number }>("select current_setting('server_version_num')::int as n");
      assert.equal(Math.floor((r.rows[0]?.n ?? 0) / 10000), 15);
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
    await server.stop();
  }
  assert.ok(server.pid !== undefined);
  assert.equal(isRunning(server.pid as number), false);
});
