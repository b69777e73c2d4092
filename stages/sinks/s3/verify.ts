/**
 * The S3 half of `seedpipe verify`: an `ObjectReader` over `s3://bucket/prefix/generation_…/`, so
 * `src/verify.ts` can re-read every object the manifest lists (streamed, never buffered whole).
 */
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { type SeedpipeError, verifyWith, type ObjectReader, type VerifyOptions, type VerifyReport } from '../../../src/stage-kit.js';
import { accessKeyIdOf, buildS3Client, describeEndpoint, isAccessDenied, isNotFound, s3Sdk, toSeedpipeError, type S3ClientLike } from './client.js';
import { formatS3Url, parseS3Url, type S3ConnectionOptions } from './options.js';

/** Reads objects of the folder `url` (`s3://bucket/prefix/`). */
export function s3ObjectReader(client: S3ClientLike, url: string, conn: S3ConnectionOptions = {}): ObjectReader {
  const loc = parseS3Url(url);
  const location = formatS3Url(loc);
  const fail = async (e: unknown, action: string): Promise<SeedpipeError> => {
    const accessKeyId = await accessKeyIdOf(client, conn);
    return toSeedpipeError(e, {
      action,
      endpoint: describeEndpoint(conn),
      bucket: loc.bucket,
      ...(accessKeyId ? { accessKeyId } : {}),
      secrets: [conn.credentials?.secretAccessKey, conn.credentials?.sessionToken],
    });
  };
  return {
    location,
    async open(name: string) {
      const key = `${loc.prefix}${name}`;
      let out: GetObjectCommandOutput;
      try {
        out = (await client.send(new (s3Sdk().GetObjectCommand)({ Bucket: loc.bucket, Key: key }))) as GetObjectCommandOutput;
      } catch (e) {
        if (isNotFound(e) && !isAccessDenied(e) && (e as { name?: string }).name !== 'NoSuchBucket') return undefined;
        throw await fail(e, `reading s3://${loc.bucket}/${key}`);
      }
      const body = out.Body as AsyncIterable<Uint8Array> | undefined;
      return { body: body ?? emptyBody(), ...(out.ETag ? { etag: out.ETag } : {}) };
    },
  };
}

/**
 * Verifies an S3 generation folder against its manifest. Pass `client` to reuse one; otherwise one
 * is built from the connection options.
 */
export async function verifyS3(url: string, opts: S3ConnectionOptions & Pick<VerifyOptions, 'concurrency'> & { client?: S3ClientLike } = {}): Promise<VerifyReport> {
  const client = opts.client ?? buildS3Client(opts);
  return verifyWith(s3ObjectReader(client, url, opts), opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {});
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {
  // An object with no body reads as zero bytes.
}
