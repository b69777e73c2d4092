/**
 * `seedpipe introspect` as a user runs it, twice: the first run writes the dataset, the user edits
 * dataset.ts, the schema changes, the second run rewrites only schema.generated.ts — the edits stay
 * and apply to the new schema; an edit of a column that no longer exists is an error naming it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { exitCodeFor, type Io } from '../../../src/cli/main.js';
import { registerIntrospect } from '../../../src/cli/commands/introspect.js';
import { loadDataset } from '../../../src/index.js';
import { startTestEmbedded, type TestPostgres } from '../../support/postgres.js';
import { CHINOOK, databaseWith, failedChecks, loadInto, withClient } from './helpers.js';

let server: TestPostgres;
before(async () => {
  server = await startTestEmbedded();
});
after(async () => {
  await server?.stop();
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => void (out += s), err: (s) => void (err += s), env: {}, cwd: process.cwd(), isTTY: false };
  const program = new Command('seedpipe').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerIntrospect(program, io);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: 0, out, err };
  } catch (e) {
    return { code: exitCodeFor(e, io), out, err };
  }
}

const EDITED = `import generated, { defineDataset, withOverrides } from './schema.generated.js';

export default defineDataset(
  withOverrides(generated, {
    seed: 99,
    tables: {
      customer: { rows: 77, columns: { company: { gen: () => 'Edited Co' } } },
    },
  }),
);
`;

test('regenerating keeps dataset.ts: the edits apply to the changed schema, and the result loads', async () => {
  const url = await databaseWith(server.url, 'regen', CHINOOK);
  const out = await mkdtemp(join(tmpdir(), 'seedpipe-regen-'));
  const first = await cli(['introspect', '--db', url, '--out', out, '--rows', '50', '--no-check']);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /introspected 11 tables/);
  for (const f of ['schema.generated.ts', 'dataset.ts', 'introspect-report.md']) assert.ok(existsSync(join(out, f)), f);
  const customerOf = (source: string): string => source.slice(source.indexOf('    customer: {'), source.indexOf('\n    },', source.indexOf('    customer: {')));
  assert.match(customerOf(readFileSync(join(out, 'schema.generated.ts'), 'utf8')), /fax: /);

  writeFileSync(join(out, 'dataset.ts'), EDITED);
  await withClient(url, async (c) => {
    await c.query(`ALTER TABLE customer ADD COLUMN loyalty_tier text NOT NULL DEFAULT 'bronze' CHECK (loyalty_tier IN ('bronze', 'silver', 'gold'))`);
    await c.query('ALTER TABLE customer DROP COLUMN fax');
  });

  const second = await cli(['introspect', '--db', url, '--out', out, '--rows', '50']);
  assert.equal(second.code, 0, second.err);
  assert.match(second.out, /kept .*dataset\.ts/);
  assert.match(second.out, /checked: .* loads and plans/);
  assert.equal(readFileSync(join(out, 'dataset.ts'), 'utf8'), EDITED, 'dataset.ts is never overwritten');
  const generatedAfter = readFileSync(join(out, 'schema.generated.ts'), 'utf8');
  assert.doesNotMatch(customerOf(generatedAfter), /fax: /);
  assert.match(generatedAfter, /loyalty_tier: \{ type: 'text', gen: \(c\) => c\.rng\.pick\(\['bronze', 'silver', 'gold'\]\) \}/);

  const { def } = await loadDataset(out);
  assert.equal(def.seed, 99);
  assert.equal(def.tables.customer!.rows, 77);
  assert.ok(def.tables.customer!.columns.loyalty_tier);
  const { report } = await loadInto(out, url);
  assert.deepEqual(failedChecks(report), []);
  await withClient(url, async (c) => {
    const r = await c.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE company IS NOT NULL AND company <> 'Edited Co')::int AS other, count(DISTINCT loyalty_tier)::int AS tiers FROM customer`);
    assert.deepEqual(r.rows[0], { n: 77, other: 0, tiers: 3 });
  });
});

test('an edit of a column the schema no longer has stops with an error naming it', async () => {
  const url = await databaseWith(server.url, 'stale', CHINOOK);
  const out = await mkdtemp(join(tmpdir(), 'seedpipe-stale-'));
  assert.equal((await cli(['introspect', '--db', url, '--out', out, '--no-check'])).code, 0);
  writeFileSync(join(out, 'dataset.ts'), EDITED.replace('company:', 'phone:'));
  await withClient(url, (c) => c.query('ALTER TABLE customer DROP COLUMN phone'));
  const r = await cli(['introspect', '--db', url, '--out', out]);
  assert.equal(r.code, 2);
  assert.match(r.err, /customer\.phone/);
  assert.match(r.err, /OVERRIDE_UNKNOWN_COLUMN/);
});

test('usage errors: unknown schema, missing --out', async () => {
  const url = await databaseWith(server.url, 'usage', CHINOOK);
  const out = await mkdtemp(join(tmpdir(), 'seedpipe-usage-'));
  const r = await cli(['introspect', '--db', url, '--out', out, '--schema', 'public,nope']);
  assert.equal(r.code, 2);
  assert.match(r.err, /schema nope not found .* schemas there: public/);
  assert.equal((await cli(['introspect', '--db', url])).code, 2);
});
