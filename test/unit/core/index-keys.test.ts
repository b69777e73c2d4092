import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import type { DatasetDef } from '../../../src/dataset/types.js';
import { defineDataset } from '../../../src/dataset/define.js';
import { makePlan } from '../../../src/plan/plan.js';
import { World } from '../../../src/generate/world.js';
import { BatchMaker } from '../../../src/pipeline/batches.js';
import { uuidAt } from '../../../src/introspect/runtime.js';
import { withOverrides } from '../../../src/introspect/overrides.js';
import { readsOnlyRowIndex } from '../../../src/introspect/render.js';

/** uuid-keyed rows and groups (keys from the row index), and a table referencing both at random. */
const dataset = (byIndex: boolean): DatasetDef =>
  defineDataset({
    name: 'index_keys',
    seed: 3,
    refDate: '2025-01-01T00:00:00Z',
    tables: {
      orgs: { rows: 40, fixed: [{ id: 'fixed-org' }], columns: { id: { type: 'uuid', byIndex, gen: (c) => uuidAt(c.i, 11) }, name: { type: 'text', gen: (c) => c.text.word() } } },
      teams: {
        per: { parent: 'orgs', count: (c) => c.rng.int(0, 6) },
        columns: { id: { type: 'uuid', byIndex, gen: (c) => uuidAt(c.i, 12) }, org_id: { type: 'uuid', references: 'orgs', gen: (c) => c.parent.id }, k: { type: 'int', gen: (c) => c.k } },
      },
      tasks: {
        rows: 500,
        columns: {
          id: { type: 'bigint' },
          org_id: { type: 'uuid', references: 'orgs', gen: (c) => c.ref('orgs') },
          team_id: { type: 'uuid', references: 'teams', gen: (c) => c.ref('teams', { dist: 'zipf' }) },
          team_at: { type: 'uuid', gen: (c) => c.key('teams', c.count('teams') - 1 - (c.i % c.count('teams'))) },
        },
      },
    },
  });

function csvOf(d: DatasetDef): Map<string, string[][]> {
  const plan = makePlan(d);
  const maker = new BatchMaker(new World(plan.resolved));
  return new Map(plan.tables.map((t) => [t.name, parse(maker.make(t.info, t.start, t.end, false).csv) as string[][]]));
}

test('byIndex keys: references computed from the row index equal the keys of the streamed rows, byte for byte', () => {
  const fast = csvOf(dataset(true));
  assert.deepEqual(fast, csvOf(dataset(false)));
  const orgs = new Set(fast.get('orgs')!.map((r) => r[0]));
  const teams = new Set(fast.get('teams')!.map((r) => r[0]));
  assert.ok(orgs.has('fixed-org'), 'a fixed row keeps its key');
  for (const [, org, team, at] of fast.get('tasks')!) {
    assert.ok(orgs.has(org!), `org ${org}`);
    assert.ok(teams.has(team!) && teams.has(at!), `team ${team} / ${at}`);
  }
  assert.ok(fast.get('tasks')!.some((r) => r[1] === 'fixed-org'), 'references reach the fixed row');
});

test('an override with its own generator drops byIndex; one without a generator keeps it', () => {
  const g = dataset(true);
  const own = withOverrides(g, { tables: { orgs: { columns: { id: { gen: (c) => `org-${c.i}-${c.rng.int(0, 9)}` } } } } });
  assert.equal(own.tables.orgs!.columns.id!.byIndex, undefined);
  const kept = withOverrides(g, { tables: { orgs: { columns: { id: { nullable: false } } } } });
  assert.equal(kept.tables.orgs!.columns.id!.byIndex, true);
});

test('introspect marks a key byIndex only when its generator reads nothing but c.i', () => {
  assert.equal(readsOnlyRowIndex('uuidAt(c.i, 4703)'), true);
  assert.equal(readsOnlyRowIndex('c.i + 1'), true);
  assert.equal(readsOnlyRowIndex('code(c.rng, c.i, 1000000)'), false);
  assert.equal(readsOnlyRowIndex('uuidAt(c.id, 1)'), false);
  assert.equal(readsOnlyRowIndex('c.faker.string.uuid()'), false);
  assert.equal(readsOnlyRowIndex('uuidAt(7, 1)'), false);
});
