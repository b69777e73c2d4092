/** S3 sink: streamed multipart uploads of one CSV object per table, plus metadata.csv and manifest.json. */
export { S3Sink, objectFileName } from './sink.js';
export { writeS3Manifest, finalizeS3Shards, SHARDS_FOLDER, type S3Encryption, type WriteS3ManifestArgs, type ShardRecord } from './shards.js';
export { listObjectPages, listMultipartUploads } from './guard.js';
export type { S3TableDetails } from './upload.js';
export { buildS3Client, describeEndpoint, toSeedpipeError } from './client.js';
export type { S3ClientLike, S3CommandLike, S3SendOptions } from './client.js';
export {
  parseS3Url,
  formatS3Url,
  generationFolder,
  clampPartSize,
  clampQueueSize,
  MIN_PART_SIZE,
  MAX_PART_SIZE,
  MAX_PARTS,
  DEFAULT_PART_SIZE,
  DEFAULT_QUEUE_SIZE,
} from './options.js';
export type { S3SinkOptions, S3ConnectionOptions, S3Credentials, S3Location, FileFormat } from './options.js';
export { FILE_FORMATS } from './options.js';
export { s3ObjectReader, verifyS3 } from './verify.js';
export { cleanS3Leftovers, RUN_RECORD, type S3CleanReport, type S3LeftoverOptions } from './leftovers.js';
