/**
 * seedpipe's public surface: what dataset modules and library users import. Stages import
 * `stage-kit.ts` (this surface's contracts plus the engine pieces and the sink kit).
 */
export { defineDataset } from './dataset/define.js';
export type * from './dataset/types.js';
export type * from './dataset/typed.js';
export { defineTables, jsonb, mergeTables } from './dataset/typed.js';
export type { GenContext, CountContext, RefOptions, RefDist } from './generate/context.js';
export type { Row } from './generate/table.js';
export { DAY, HOUR, MINUTE, WEEK, type SeasonalOptions } from './generate/time.js';
export { Rng, sampleDistinct } from './random/rng.js';
export { grammar, article, Grammar, type GrammarSpec, type GrammarVars } from './generate/grammar.js';
export { fmix32, hash32 } from './random/hash.js';
export type * from './contracts.js';
export { SeedpipeError, isSeedpipeError, redact } from './errors.js';
export { makePlan, parseShard, shardRange, type Plan, type PlanOptions, type TablePlan } from './plan/plan.js';
export { runPipeline, type RunOptions, type RunOutcome, type ProgressEvent, type Route, type TableStats } from './pipeline/run.js';
export { preflight } from './pipeline/preflight.js';
export { loadDataset, builtinDatasets } from './dataset/load.js';
export { datasetRoutes } from './dataset/routes.js';
export { buildManifest, renderMetadataCsv, parseManifest, type Manifest, type ManifestFile } from './manifest.js';
export { buildRunInfo, versions } from './pipeline/run-info.js';
export { assertInstalled, importOptional, missingDependencyError, requireOptional } from './optional.js';
export { defineConfig, type SeedpipeConfig } from './cli/config.js';
