/** Builds the `RunInfo` every sink receives: dataset, seed, versions (for manifests), tables. */
import { createRequire } from 'node:module';
import type { RunInfo } from '../contracts.js';
import type { Plan } from '../plan/plan.js';

const require = createRequire(import.meta.url);

export function versions(): RunInfo['versions'] {
  // By package name (a self-reference through `exports`): the same from the sources and from dist/.
  const own = require('seedpipe/package.json') as { version: string };
  const faker = require('@faker-js/faker/package.json') as { version: string };
  return { seedpipe: own.version, faker: faker.version, node: process.version };
}

export function buildRunInfo(plan: Plan, startedAt: Date = new Date()): RunInfo {
  const r = plan.resolved;
  return Object.freeze({
    dataset: r.def.name,
    seed: r.seed,
    profile: r.profile,
    scale: r.scale,
    refDate: r.def.refDate,
    startedAt: startedAt.toISOString(),
    versions: versions(),
    ...(plan.shard ? { shard: plan.shard } : {}),
    tables: plan.tables.map((t) => t.info),
  });
}
