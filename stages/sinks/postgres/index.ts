export { PostgresSink, appendOffsets } from './sink.js';
export type { PostgresSinkOptions, PostgresLoadMode } from './options.js';
export { LOAD_MODES } from './options.js';
export { renderDdl, ddlNames, quoteIdent, type DdlOptions } from './ddl.js';
export { diffSchema, readCatalog, type CatalogColumn, type CatalogSnapshot } from './schema-check.js';
export { validateDatabase, formatValidationTable, type ValidationReport, type ValidationItem, type ValidationKind, type ValidateOptions } from './validate.js';
export { isLocalDatabase, isLocalHost, assertLocalOrConfirmed, canonicalDatabaseUrl, describeTarget, parseDatabaseTarget, type PgEnv } from './safety.js';
export { connectPg, type PgClientLike, type SqlClient, type CopyInStream } from './client.js';
