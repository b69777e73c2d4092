import type { PlanOptions } from '../../../src/stage-kit.js';

/** Options of the generator source (today's engine: every value a pure function of seed, table, column, row). */
export interface GeneratorOptions {
  /**
   * Generation worker threads; 0 or 1 generates in this thread. Output is byte-identical whatever the
   * count. Workers need `worker` (each loads the dataset module itself). Default 1.
   */
  workers?: number;
  /** The dataset module path and the plan options the run was planned with: required when workers > 1. */
  worker?: { modulePath: string; planOptions: PlanOptions };
  /** Rows of each table checked before any sink opens (first rows, plus the last). Default 16. */
  preflightRows?: number;
}
