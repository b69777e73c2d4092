/**
 * What stages import from the engine, and nothing else (a lint rule keeps it so): the contracts,
 * errors, the manifest, the CSV text of values, the generator's engine pieces, and the sink kit —
 * one lifecycle, one hashing meter, one write-with-backpressure, one shard part-file name, one
 * manifest merge.
 */
export type * from './contracts.js';
export { SeedpipeError, isSeedpipeError, redact, usageError, type Disposition } from './errors.js';
export {
  buildManifest, renderMetadataCsv, parseManifest, mergeShardManifests, MANIFEST_FILE, METADATA_FILE,
  manifestTables, type Manifest, type ManifestFile, type ManifestTable, type ShardFiles,
} from './manifest.js';
export { csvTableEncoder, formatterFor, quoteCsv, fastIso, type CsvLayout } from './encode/csv.js';
export { pgBinaryTableEncoder, PGCOPY_HEADER, PGCOPY_TRAILER, type PgBinaryLayout } from './encode/pgcopy.js';
export { ByteBuffer } from './encode/bytes.js';
export { verifyWith, localDirectoryReader, readSmall, type ObjectReader, type VerifyOptions, type VerifyReport, type VerifyFileReport, type FileFacts } from './verify.js';
export type { Plan, PlanOptions, TablePlan, Shard } from './plan/plan.js';
export { BatchMaker, type GeneratedBatch, type LineEncoding } from './pipeline/batches.js';
export { WorkerPool } from './pipeline/pool.js';
export type { WorkerEncoding } from './pipeline/worker.js';
export { preflight } from './pipeline/preflight.js';
export { fmix32, hash32 } from './random/hash.js';
export { SinkLifecycle, type SinkState, type LifecycleOptions } from './kit/lifecycle.js';
export { Phases, type Tick } from './kit/phases.js';
export { ByteMeter } from './kit/meter.js';
export { drained, writeChunk, EncodedStreamWriter } from './kit/streams.js';
export { shardTag, partFileName, partFileNames, type ShardSlice } from './kit/parts.js';
export { assertInstalled, importOptional, missingDependencyError, requireOptional } from './optional.js';
export { quoteIdent, quoteLiteral, qualified } from './kit/sql.js';
export { csvRecordBatches, parseCsvRecords, valueParser, type RecordBatch, type RecordBatchOptions, type ValueParser } from './encode/csv-read.js';
export { readCatalog as readPgCatalog } from './introspect/catalog.js';
export type { Catalog as PgCatalog, CatalogTable as PgCatalogTable, CatalogColumn as PgCatalogColumn, CatalogClient as PgCatalogClient } from './introspect/catalog-types.js';
export { parseDatabaseTarget, canonicalDatabaseUrl, describeTarget, redactFor, secretsOf, type DatabaseTarget, type PgEnv } from './db/url.js';
export { processRuns } from './kit/process.js';
