/**
 * The path a user takes with their own schema, through the CLI, on the six real open-source schemas
 * (test/fixtures/schemas/real/*, each with its SOURCE.md and licence), on PostgreSQL 18 (embedded) and
 * 15 (system): `seedpipe introspect` against a database holding the schema → `seedpipe run` of the
 * written dataset with zero edits → `seedpipe validate`. Then, checked by Postgres and by SQL
 * independent of seedpipe: every table filled, no orphan, the same constraints and indexes as before,
 * all valid; an application INSERT leaving the id to its sequence works in every table that has one;
 * migration bookkeeping untouched; ordered timestamps, tenant-consistent references, latitudes in range.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/cli.js';
import { startTestEmbedded, startTestPg15, type TestPostgres } from '../../support/postgres.js';
import { databaseWith } from './helpers.js';
import {
  badCoordinates, constraintNames, countOf, emptyTables, indexStates, invalidConstraints, orphans, sequenceInserts, tenantMismatches, unorderedPairs, withDb,
} from './verify-real.js';

interface Fixture {
  name: string;
  schemas: string[];
  /** `--rows` for introspect: small, so the file runs in a few minutes (the 371-table schema smallest). */
  rows: number;
  tenant?: boolean;
  bookkeeping: string[];
  /** false: no column draws from a sequence (text ids). */
  sequences?: false;
}

const FIXTURES: Fixture[] = [
  { name: 'lago', schemas: ['public'], rows: 10, tenant: true, bookkeeping: ['schema_migrations', 'ar_internal_metadata'] },
  { name: 'openstreetmap', schemas: ['public'], rows: 10, bookkeeping: ['schema_migrations', 'ar_internal_metadata'] },
  { name: 'pagila', schemas: ['public'], rows: 20, bookkeeping: [] },
  { name: 'musicbrainz', schemas: ['musicbrainz'], rows: 3, bookkeeping: [] },
  { name: 'hoppscotch', schemas: ['public'], rows: 15, tenant: true, bookkeeping: [], sequences: false },
  { name: 'danbooru', schemas: ['public'], rows: 10, bookkeeping: ['schema_migrations', 'ar_internal_metadata'] },
];

const SERVERS: { name: string; start: () => Promise<TestPostgres> }[] = [
  { name: 'PostgreSQL 18 (embedded)', start: startTestEmbedded },
  { name: 'PostgreSQL 15 (system)', start: startTestPg15 },
];

async function cli(args: string[]): Promise<string> {
  const r = await runCli(args, { env: { DATABASE_URL: undefined, SEEDPIPE_CONFIG: undefined } });
  assert.equal(r.code, 0, `seedpipe ${args.join(' ')} exited ${r.code}:\n${r.stderr}\n${r.stdout.slice(-2000)}`);
  return r.stdout;
}

for (const server of SERVERS) {
  describe(`introspect → run → validate through the CLI on ${server.name}`, () => {
    let pg: TestPostgres;
    before(async () => {
      pg = await server.start();
    });
    after(async () => {
      await pg?.stop();
    });

    for (const fx of FIXTURES) {
      test(`${fx.name}: loads as introspected, every constraint present and valid, the application can insert`, async () => {
        const url = await databaseWith(pg.url, `cli_${fx.name}`, new URL(`../../fixtures/schemas/real/${fx.name}/schema.sql`, import.meta.url));
        const out = await mkdtemp(join(tmpdir(), `seedpipe-real-cli-${fx.name}-`));
        try {
          const before = await withDb(url, async (c) => {
            // Migration bookkeeping holds rows, as an application's migrations leave it (structure.sql
            // files list their versions already).
            const bookkeeping: Record<string, number> = {};
            for (const b of fx.bookkeeping) {
              const rel = `${fx.schemas[0]}.${b}`;
              if ((await countOf(c, rel)) === 0) {
                await c.query(b === 'schema_migrations' ? `INSERT INTO ${rel} (version) VALUES ('20250101000000')` : `INSERT INTO ${rel} (key, value, created_at, updated_at) VALUES ('environment', 'test', now(), now())`);
              }
              bookkeeping[b] = await countOf(c, rel);
            }
            return {
              bookkeeping,
              constraints: await constraintNames(c, fx.schemas),
              indexes: (await indexStates(c, fx.schemas)).all,
              invalid: (await invalidConstraints(c, fx.schemas)).sort(),
            };
          });
          await cli(['introspect', '--db', url, '--schema', fx.schemas.join(','), '--out', out, '--rows', String(fx.rows)]);
          const dataset = join(out, 'dataset.ts');
          await cli(['run', dataset, '--db', url, '--skip-csv', '--yes', '--quiet']);
          const report = await cli(['validate', dataset, '--db', url]);
          assert.match(report, /0 failed: the database matches the plan/);

          await withDb(url, async (c) => {
            assert.deepEqual(await emptyTables(c, fx.schemas, fx.bookkeeping), [], 'every table holds rows');
            assert.deepEqual(await orphans(c, fx.schemas), []);
            assert.deepEqual(await constraintNames(c, fx.schemas), before.constraints, 'the same constraints as before the load');
            const ix = await indexStates(c, fx.schemas);
            assert.deepEqual(ix.all, before.indexes, 'the same indexes as before the load');
            assert.deepEqual(ix.invalid, []);
            // Validated as before (a foreign key the schema declares NOT VALID is re-created NOT VALID).
            assert.deepEqual((await invalidConstraints(c, fx.schemas)).sort(), before.invalid, 'every constraint validated');
            for (const [b, n] of Object.entries(before.bookkeeping)) assert.equal(await countOf(c, `${fx.schemas[0]}.${b}`), n, `${b} untouched`);
            const ins = await sequenceInserts(c, fx.schemas);
            if (fx.sequences !== false) assert.ok(ins.tried > 0 && ins.inserted > 0, `${ins.tried} sequence columns, ${ins.inserted} inserted`);
            assert.deepEqual(ins.problems, []);
            assert.deepEqual(await unorderedPairs(c, fx.schemas), [], 'ordered timestamp pairs hold in every row');
            assert.deepEqual(await badCoordinates(c, fx.schemas), [], 'latitudes within ±90');
            const tenancy = await tenantMismatches(c, fx.schemas);
            if (fx.tenant) assert.ok(tenancy.checked > 0, 'references within a tenant are checked');
            assert.deepEqual(tenancy.problems, [], 'every reference stays within its tenant');
          });
        } finally {
          await rm(out, { recursive: true, force: true });
        }
      });
    }
  });
}
