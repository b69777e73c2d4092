/** The generator's preflight: sample rows of every table computed and type-checked before any sink opens. */
import type { Plan } from '../plan/plan.js';
import { BatchMaker } from './batches.js';

/** Generates and checks the first `sample` rows and the last row of every table: type errors and bad refs surface here. */
export function preflight(plan: Plan, sample = 16): void {
  const maker = new BatchMaker(plan.world);
  for (const t of plan.tables) {
    if (t.end <= t.start) continue;
    maker.check(t.info, t.start, Math.min(t.end, t.start + sample));
    if (t.end - t.start > sample) maker.check(t.info, t.end - 1, t.end);
  }
}
