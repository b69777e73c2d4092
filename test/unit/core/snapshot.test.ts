import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../../src/random/rng.js';
import { streamKey } from '../../../src/random/hash.js';
import { createFaker, SwitchableRandomizer } from '../../../src/random/faker.js';
import { makePlan } from '../../../src/plan/plan.js';
import { World } from '../../../src/generate/world.js';
import { BatchMaker } from '../../../src/pipeline/batches.js';
import { loadDataset } from '../../../src/dataset/load.js';
import { shapes } from '../../fixtures/datasets/shapes.js';
import { matchSnapshot } from '../../support/snapshot.js';

const snap = (name: string) => fileURLToPath(new URL(`./__snapshots__/${name}.json`, import.meta.url));

test('generators at fixed seeds (rng, distributions, faker through the injected randomizer)', () => {
  const r = new Rng();
  const key = streamKey(42, 't', 'c');
  const randomizer = new SwitchableRandomizer();
  const faker = createFaker(randomizer);
  const out: Record<string, unknown[]> = { u32: [], int: [], normal: [], zipf: [], poisson: [], pareto: [], name: [], email: [], uuid: [], sentence: [] };
  for (let i = 0; i < 5; i++) {
    out.u32!.push(r.reset(key, i).u32());
    out.int!.push(r.reset(key, i).int(1, 100));
    out.normal!.push(Number(r.reset(key, i).normal(0, 1).toFixed(9)));
    out.zipf!.push(r.reset(key, i).zipf(1000));
    out.poisson!.push(r.reset(key, i).poisson(3));
    out.pareto!.push(Number(r.reset(key, i).pareto(1, 1.16).toFixed(9)));
    randomizer.current = r.reset(key, i);
    out.name!.push(faker.person.fullName());
    out.email!.push(faker.internet.email());
    out.uuid!.push(faker.string.uuid());
    out.sentence!.push(faker.lorem.sentence());
  }
  matchSnapshot(snap('generators'), out);
});

function csvDigests(plan: ReturnType<typeof makePlan>): Record<string, { rows: number; sha256: string; head: string }> {
  const maker = new BatchMaker(new World(plan.resolved));
  const out: Record<string, { rows: number; sha256: string; head: string }> = {};
  for (const t of plan.tables) {
    const h = createHash('sha256');
    let head = '';
    for (let s = t.start; s < t.end; s += 4096) {
      const b = maker.make(t.info, s, Math.min(t.end, s + 4096), false).csv;
      if (!head) head = b.toString('utf8').split('\n').slice(0, 2).join('\n');
      h.update(b);
    }
    out[t.name] = { rows: t.end - t.start, sha256: h.digest('hex'), head };
  }
  return out;
}

test('exact CSV bytes of a small seeded run (shapes dataset)', () => {
  matchSnapshot(snap('shapes-light'), csvDigests(makePlan(shapes(), { profile: 'light' })));
});

test('exact CSV bytes of the chat dataset at a tiny scale', async () => {
  const { def } = await loadDataset('chat');
  matchSnapshot(snap('chat-tiny'), csvDigests(makePlan(def, { profile: 'light', scale: 0.05, set: ['messagesPerChannel=20'] })));
});
