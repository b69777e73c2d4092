/**
 * The S3 client the sink needs, and the one it builds by default.
 *
 * The sink depends on the structural `S3ClientLike` (a `send` and the few config providers
 * `@aws-sdk/lib-storage` reads), never on `S3Client` itself: the real client fits, and unit tests
 * pass a ten-line fake.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import type * as ClientS3 from '@aws-sdk/client-s3';
import type * as LibStorage from '@aws-sdk/lib-storage';
import { SeedpipeError, redact, requireOptional } from '../../../src/stage-kit.js';
import type { S3ConnectionOptions } from './options.js';

/** Any `@aws-sdk/client-s3` command: the sink builds real commands, a fake reads `input`. */
export interface S3CommandLike {
  readonly input: object;
}

export interface S3SendOptions {
  abortSignal?: AbortSignal;
}

/**
 * The smallest client the S3 sink needs. `config` is read by `@aws-sdk/lib-storage`'s `Upload`:
 * `requestChecksumCalculation()` before a multipart upload, `endpoint()` and `forcePathStyle` after a
 * single-part PutObject (to build a Location the sink does not use). `credentials()` is only used to
 * name the access key id in error messages.
 */
export interface S3ClientLike {
  send(command: S3CommandLike, options?: S3SendOptions): Promise<unknown>;
  readonly config: {
    requestChecksumCalculation(): Promise<string>;
    endpoint?(): Promise<{ protocol: string; hostname: string; port?: number; path: string }>;
    forcePathStyle?: boolean;
    credentials?(): Promise<{ accessKeyId: string }>;
  };
}

export const DEFAULT_REGION = 'us-east-1';

/** The AWS SDK packages the S3 stages need: optional peer dependencies, loaded on first use. */
export const S3_PACKAGES = ['@aws-sdk/client-s3', '@aws-sdk/lib-storage'] as const;
export type S3Sdk = typeof ClientS3 & Pick<typeof LibStorage, 'Upload'>;
let sdk: S3Sdk | undefined;

/** The AWS SDK (commands, `S3Client`, lib-storage's `Upload`); a clear error when not installed. */
export function s3Sdk(): S3Sdk {
  if (!sdk) {
    const feature = 'S3 export and verify (--s3, s3:// paths)';
    const client = requireOptional<typeof ClientS3>(S3_PACKAGES[0], feature, S3_PACKAGES);
    const { Upload } = requireOptional<typeof LibStorage>(S3_PACKAGES[1], feature, S3_PACKAGES);
    sdk = { ...client, Upload };
  }
  return sdk;
}

/**
 * Builds an S3 client. Checksums are computed only when an operation requires them: S3-compatible
 * servers (Ceph RGW, older MinIO) reject the SDK's default CRC32 trailers on streamed uploads, and
 * the sink records its own sha256 of every object anyway.
 */
export function buildS3Client(o: S3ConnectionOptions): ClientS3.S3Client {
  const endpoint = o.endpoint;
  const connectionTimeout = o.connectTimeoutMs ?? 10_000;
  const socketTimeout = o.socketIdleTimeoutMs ?? 120_000;
  let requestHandler: { connectionTimeout: number; socketTimeout: number; httpsAgent?: HttpsAgent } = { connectionTimeout, socketTimeout };
  // A CA bundle only matters for TLS; with a plain-http endpoint it is ignored on purpose (some
  // clients refuse the combination; there is no certificate to check).
  if (o.caBundle && !isPlainHttp(endpoint)) {
    let ca: Buffer;
    try {
      ca = readFileSync(o.caBundle);
    } catch (e) {
      throw new SeedpipeError(
        'S3_CA_BUNDLE',
        `cannot read the CA bundle "${o.caBundle}" (AWS_CA_BUNDLE): ${(e as Error).message}. ` +
          'Point it at a readable PEM file, or unset it to use Node\'s default certificate authorities.',
        { data: { caBundle: o.caBundle }, cause: e },
      );
    }
    requestHandler = { connectionTimeout, socketTimeout, httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 50, ca }) };
  }
  return new (s3Sdk().S3Client)({
    region: o.region ?? DEFAULT_REGION,
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: o.forcePathStyle ?? endpoint !== undefined,
    ...(o.credentials
      ? {
          credentials: {
            accessKeyId: o.credentials.accessKeyId,
            secretAccessKey: o.credentials.secretAccessKey,
            ...(o.credentials.sessionToken ? { sessionToken: o.credentials.sessionToken } : {}),
          },
        }
      : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: o.maxAttempts ?? 3,
    requestHandler,
  });
}

export function isPlainHttp(endpoint: string | undefined): boolean {
  return endpoint !== undefined && /^http:\/\//i.test(endpoint);
}

/** Endpoint for messages: the configured one, or AWS's regional endpoint. */
export function describeEndpoint(o: S3ConnectionOptions): string {
  return o.endpoint ?? `https://s3.${o.region ?? DEFAULT_REGION}.amazonaws.com`;
}

/** The access key id to name in messages (never the secret). */
export async function accessKeyIdOf(client: S3ClientLike, o: S3ConnectionOptions): Promise<string | undefined> {
  if (o.credentials) return o.credentials.accessKeyId;
  try {
    return (await client.config.credentials?.())?.accessKeyId;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Error classification

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  errors?: unknown[];
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function shape(e: unknown): SdkErrorShape {
  return e && typeof e === 'object' ? (e as SdkErrorShape) : {};
}

export function httpStatusOf(e: unknown): number | undefined {
  return shape(e).$metadata?.httpStatusCode;
}

/** Error name/code as S3 reports it (`NoSuchKey`, `AccessDenied`, …) or the network error code. */
export function errorCodeOf(e: unknown): string | undefined {
  const s = shape(e);
  return s.Code ?? (s.name && s.name !== 'Error' ? s.name : undefined) ?? s.code;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** True for errors where the server never answered (refused, unknown host, timeout). */
export function isNetworkError(e: unknown, depth = 0): boolean {
  if (depth > 4) return false;
  const s = shape(e);
  if (s.code && NETWORK_CODES.has(s.code)) return true;
  if (s.name === 'TimeoutError' || s.name === 'RequestTimeout') return true;
  if (Array.isArray(s.errors) && s.errors.some((x) => isNetworkError(x, depth + 1))) return true;
  return s.cause !== undefined && isNetworkError(s.cause, depth + 1);
}

/**
 * True when a connection was made and the server then went silent for the request timeout
 * (`socketIdleTimeoutMs`): @smithy/node-http-handler's "the request socket timed out after N ms of
 * inactivity" (HTTP/2: "Stream timed out because of no activity"). A connection that never opens
 * ("did not establish a connection with the server within …") is not one: that is unreachable.
 */
export function isRequestTimeout(e: unknown, depth = 0): boolean {
  if (depth > 4) return false;
  const s = shape(e);
  const message = s.message ?? '';
  if (s.name === 'TimeoutError' && /timed out/i.test(message) && !/establish(ing)? a connection/i.test(message)) return true;
  if (Array.isArray(s.errors) && s.errors.some((x) => isRequestTimeout(x, depth + 1))) return true;
  return s.cause !== undefined && isRequestTimeout(s.cause, depth + 1);
}

const DENIED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden', 'InvalidToken', 'ExpiredToken', 'AllAccessDisabled']);

export function isAccessDenied(e: unknown): boolean {
  const code = errorCodeOf(e);
  return httpStatusOf(e) === 403 || (code !== undefined && DENIED.has(code));
}

export function isNotFound(e: unknown): boolean {
  const code = errorCodeOf(e);
  return httpStatusOf(e) === 404 || code === 'NotFound' || code === 'NoSuchBucket' || code === 'NoSuchKey';
}

export interface ErrorContext {
  /** What the sink was doing, e.g. `checking bucket "b"` or `uploading s3://b/k`. */
  action: string;
  endpoint: string;
  bucket: string;
  accessKeyId?: string;
  /** Values that must never appear in a message (secret key, session token). */
  secrets: readonly (string | undefined)[];
  /** The request timeout in force (`socketIdleTimeoutMs`), to name in a timeout's message. Default 120,000. */
  timeoutMs?: number;
}

/** Maps an SDK/network error to a `SeedpipeError` whose message says what to do next. */
export function toSeedpipeError(e: unknown, ctx: ErrorContext): SeedpipeError {
  if (e instanceof SeedpipeError) return e;
  const code = errorCodeOf(e);
  const raw = redact(shape(e).message ?? String(e), ctx.secrets);
  const data = { endpoint: ctx.endpoint, bucket: ctx.bucket, ...(ctx.accessKeyId ? { accessKeyId: ctx.accessKeyId } : {}), s3Code: code ?? null };
  // SDK errors carry the status and request ids, never the secret: keep them as the cause.
  const cause = e;
  if (code === 'CredentialsProviderError') {
    return new SeedpipeError(
      'S3_NO_CREDENTIALS',
      `no AWS credentials found while ${ctx.action}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE for a profile of ~/.aws/credentials)`,
      { data, cause },
    );
  }
  if (isRequestTimeout(e)) {
    const seconds = (ctx.timeoutMs ?? 120_000) / 1000;
    return new SeedpipeError(
      'S3_TIMEOUT',
      `S3 at ${ctx.endpoint} took the connection but did not answer within ${seconds} s while ${ctx.action} (each of the SDK's attempts): ` +
        'check that the server is up and not overloaded, or raise the request timeout (socketIdleTimeoutMs / --s3-timeout)',
      { disposition: 'retriable', data: { ...data, timeoutMs: ctx.timeoutMs ?? 120_000 }, cause },
    );
  }
  if (isNetworkError(e)) {
    return new SeedpipeError(
      'S3_UNREACHABLE',
      `cannot reach the S3 endpoint ${ctx.endpoint} while ${ctx.action} (${code ?? 'network error'}): check --s3-endpoint, that the server is running, and the network`,
      { disposition: 'retriable', data, cause },
    );
  }
  if (isAccessDenied(e)) {
    const who = ctx.accessKeyId ? `access key id "${ctx.accessKeyId}"` : 'the configured credentials';
    return new SeedpipeError(
      'S3_ACCESS_DENIED',
      `S3 at ${ctx.endpoint} rejected ${who} while ${ctx.action} (${code ?? 'HTTP 403'}): check the access key and secret, and that they may read and write bucket "${ctx.bucket}"`,
      { data, cause },
    );
  }
  if (httpStatusOf(e) === 301 || code === 'PermanentRedirect' || code === 'AuthorizationHeaderMalformed' || code === 'IllegalLocationConstraintException') {
    return new SeedpipeError(
      'S3_WRONG_REGION',
      `bucket "${ctx.bucket}" is not in the configured region (while ${ctx.action} at ${ctx.endpoint}, ${code ?? 'HTTP 301'}): pass the bucket's region with --s3-region`,
      { data, cause },
    );
  }
  if (code === 'NoSuchBucket') {
    return new SeedpipeError(
      'S3_BUCKET_NOT_FOUND',
      `S3 bucket "${ctx.bucket}" does not exist at ${ctx.endpoint} (while ${ctx.action}): create it, or pass --s3-create-bucket`,
      { data, cause },
    );
  }
  const status = httpStatusOf(e);
  return new SeedpipeError(
    'S3_REQUEST_FAILED',
    `S3 request failed while ${ctx.action} at ${ctx.endpoint}: ${code ?? 'error'}${status ? ` (HTTP ${status})` : ''}: ${raw}`,
    { disposition: status !== undefined && status >= 500 ? 'retriable' : 'fatal', data, cause },
  );
}
