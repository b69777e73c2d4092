/**
 * Typed datasets over several files: table groups (`defineTables`) typed like inline tables and
 * joined by `mergeTables`, which checks what each group reads of the others; `jsonb<T>()` helper
 * columns; helper functions whose context names only the rows they read, checked where they are
 * called. Each `@ts-expect-error` must stay an error and each `Expect` must hold under `npm run
 * typecheck`; the tests check that the declarations run as plain dataset declarations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineDataset, defineTables, isSeedpipeError, jsonb, makePlan, mergeTables, type RowsIn, type TypedCountContext } from '../../../src/index.js';
import { World } from '../../../src/generate/world.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
const REF = '2025-06-01T00:00:00Z';

interface SitePlan {
  readonly pens: readonly number[];
}

const farm = defineTables()({
  sites: {
    rows: 3,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', gen: (c) => `site ${c.i + 1}` },
      plan: { type: jsonb<SitePlan>(), virtual: true, gen: (c) => ({ pens: Array.from({ length: c.i + 1 }, (_, k) => k * 10) }) },
    },
  },
});

/** A helper reading only what it needs: the name of a site. Any context of a dataset with such a table fits. */
function siteName(c: TypedCountContext<{ sites: { readonly name: string } }>, i: number): string {
  return c.lookup('sites', i).name;
}

const ops = defineTables<RowsIn<typeof farm>, { perPen: number }>()({
  pens: {
    per: { parent: 'sites', count: (c) => c.parent.plan.pens.length * c.params.perPen },
    columns: {
      id: { type: 'bigint' },
      site_id: { type: 'bigint', references: 'sites', gen: (c) => c.parent.id },
      depth_m: { type: 'int', gen: (c) => c.parent.plan.pens[Math.floor(c.k / c.params.perPen)] },
      label: {
        type: 'text',
        gen: (c) => {
          type _plan = Expect<Equal<typeof c.parent.plan, SitePlan>>;
          type _site = Expect<Equal<ReturnType<typeof c.lookup<'sites'>>['name'], string>>;
          type _row = Expect<Equal<typeof c.row.depth_m, number>>;
          return `${siteName(c, c.parentIndex)} / pen ${c.k + 1} at ${c.row.depth_m} m`;
        },
      },
    },
  },
});

const groups = defineDataset({ name: 'groups', seed: 1, refDate: REF, params: { perPen: 2 }, tables: mergeTables(farm, ops) });

// Each of these is a compile error; the declarations are never run.
const wrong = (): unknown => [
  // @ts-expect-error: pens reads sites, which no group given declares
  mergeTables(ops),
  defineTables()({
    // @ts-expect-error: a jsonb<SitePlan>() helper returns a SitePlan
    sites: { rows: 1, columns: { id: { type: 'bigint' }, plan: { type: jsonb<SitePlan>(), virtual: true, gen: () => ({ pens: 'none' }) } } },
  }),
  defineTables<RowsIn<typeof farm>>()({
    // @ts-expect-error: the helper reads sites.title, which sites does not have
    t: { rows: 1, columns: { id: { type: 'bigint' }, x: { type: 'text', gen: (c) => titleOf(c) } } },
  }),
  defineTables()({
    // @ts-expect-error: there is no table "site" in this group or the rows it reads
    t: { per: { parent: 'site', count: 1 }, columns: { id: { type: 'bigint' } } },
  }),
];
function titleOf(c: TypedCountContext<{ sites: { readonly title: string } }>): string {
  return c.lookup('sites', 0).title;
}

test('groups plan and generate as one dataset, with the values their types say', () => {
  assert.equal(jsonb<SitePlan>(), 'jsonb');
  assert.deepEqual(Object.keys(groups.tables), ['sites', 'pens']);
  const plan = makePlan(groups, {});
  assert.equal(plan.tables.find((t) => t.name === 'pens')!.total, (1 + 2 + 3) * 2);
  const world = new World(plan.resolved);
  const pen = world.table('pens').rowAt(3);
  assert.equal(pen.site_id, 2);
  assert.equal(pen.depth_m, 0);
  assert.equal(pen.label, 'site 2 / pen 2 at 0 m');
  assert.equal(world.table('pens').rowAt(5).label, 'site 2 / pen 4 at 10 m');
  assert.equal(typeof wrong, 'function');
});

test('a table declared in two groups is a usage error naming it', () => {
  assert.throws(
    () => mergeTables(farm, farm),
    (e: unknown) => isSeedpipeError(e) && e.code === 'DATASET_INVALID' && e.disposition === 'usage' && /"sites" is declared in two table groups/.test(e.message),
  );
});
