export { PostgresSources, openPostgresSource } from './source.js';
export type { PostgresSourceOptions } from './options.js';
export { connectReader, describeSource, type PgReadClient, type CopyOutStream } from './client.js';
