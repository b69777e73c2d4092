/**
 * The generator through the standard encoders into sinks: what `seedpipe run` assembles, for tests
 * that load a plan (`runPipeline` with the generator source, csv, copy-csv and copy-binary encoders).
 */
import { runPipeline, type Plan, type PlanOptions, type RunInfo, type RunOutcome, type Route, type Sink, type Transform, type ProgressEvent } from '../../src/index.js';
import { copyBinaryEncoder } from '../../stages/encoders/copy-binary/index.js';
import { copyCsvEncoder, copyCsvFinalEncoder } from '../../stages/encoders/copy-csv/index.js';
import { csvEncoder } from '../../stages/encoders/csv/index.js';
import { generatorSource } from '../../stages/sources/generator/index.js';

export const ENCODERS = [csvEncoder(), copyCsvEncoder(), copyCsvFinalEncoder(), copyBinaryEncoder()];

export interface RunPlanOptions {
  plan: Plan;
  run: RunInfo;
  sinks: readonly (Sink | Route)[];
  transforms?: readonly Transform[];
  workers?: number;
  worker?: { modulePath: string; planOptions: PlanOptions };
  batchRows?: number;
  onProgress?: (e: ProgressEvent) => void;
}

export function runPlan(o: RunPlanOptions): Promise<RunOutcome> {
  return runPipeline({
    run: o.run,
    sources: generatorSource(o.plan, { ...(o.workers !== undefined ? { workers: o.workers } : {}), ...(o.worker ? { worker: o.worker } : {}) }),
    encoders: ENCODERS,
    sinks: o.sinks,
    ...(o.transforms ? { transforms: o.transforms } : {}),
    ...(o.batchRows ? { batchRows: o.batchRows } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
}
