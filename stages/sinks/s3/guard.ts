/**
 * The S3 client as the sink uses it: requests in flight and open multipart uploads tracked, so an
 * aborted run can wait for the wire to go quiet and abort what it started; plus paged listings.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CreateMultipartUploadCommandOutput, ListMultipartUploadsCommandOutput, ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { s3Sdk } from './client.js';
import type { S3ClientLike, S3CommandLike, S3SendOptions } from './client.js';

/**
 * Client wrapper shared by all uploads of one sink: tracks requests in flight and open multipart
 * uploads, and once closed refuses everything but AbortMultipartUpload, so an aborted run cannot
 * start new writes behind the cleanup's back.
 */
export class GuardedClient implements S3ClientLike {
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly uploads = new Map<string, { key: string; uploadId: string }>();
  private closed = false;
  #failure: unknown;

  constructor(private readonly inner: S3ClientLike) {}

  /**
   * The first request that failed on its own (not aborted). lib-storage ends its other part uploads
   * when one fails, and its body stream then ends with a bare AbortError: this is the error behind it.
   */
  get firstFailure(): unknown {
    return this.#failure;
  }

  get config(): S3ClientLike['config'] {
    return this.inner.config;
  }

  send(command: S3CommandLike, options?: S3SendOptions): Promise<unknown> {
    if (this.closed && !(command instanceof s3Sdk().AbortMultipartUploadCommand)) {
      return Promise.reject(Object.assign(new Error('S3 sink aborted'), { name: 'AbortError' }));
    }
    const input = command.input as { Key?: string; UploadId?: string };
    const p = this.inner.send(command, options).then((out) => {
      if (command instanceof s3Sdk().CreateMultipartUploadCommand) {
        const id = (out as CreateMultipartUploadCommandOutput).UploadId;
        if (id && input.Key) this.uploads.set(id, { key: input.Key, uploadId: id });
      } else if ((command instanceof s3Sdk().CompleteMultipartUploadCommand || command instanceof s3Sdk().AbortMultipartUploadCommand) && input.UploadId) {
        this.uploads.delete(input.UploadId);
      }
      return out;
    }, (e: unknown) => {
      if ((e as { name?: unknown } | undefined)?.name !== 'AbortError') this.#failure ??= e;
      throw e;
    });
    this.inflight.add(p);
    const untrack = () => void this.inflight.delete(p);
    p.then(untrack, untrack);
    return p;
  }

  close(): void {
    this.closed = true;
  }

  /** Resolves once no request is in flight (including ones started while waiting). */
  async idle(): Promise<void> {
    do {
      await Promise.allSettled([...this.inflight]);
      await nextTurn();
    } while (this.inflight.size > 0);
  }

  openUploads(): { key: string; uploadId: string }[] {
    return [...this.uploads.values()];
  }
}

/** Every key under a prefix, one page (≤ 1,000 keys) at a time. */
export async function* listObjectPages(client: S3ClientLike, bucket: string, prefix: string): AsyncGenerator<string[]> {
  let token: string | undefined;
  do {
    const out = (await client.send(new (s3Sdk().ListObjectsV2Command)({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }))) as ListObjectsV2CommandOutput;
    yield (out.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
}

/** Every multipart upload in progress under a prefix. */
export async function* listMultipartUploads(client: S3ClientLike, bucket: string, prefix: string): AsyncGenerator<{ key: string; uploadId: string }> {
  let keyMarker: string | undefined;
  let idMarker: string | undefined;
  do {
    const out = (await client.send(
      new (s3Sdk().ListMultipartUploadsCommand)({ Bucket: bucket, Prefix: prefix, ...(keyMarker ? { KeyMarker: keyMarker } : {}), ...(idMarker ? { UploadIdMarker: idMarker } : {}) }),
    )) as ListMultipartUploadsCommandOutput;
    for (const u of out.Uploads ?? []) if (u.Key && u.UploadId) yield { key: u.Key, uploadId: u.UploadId };
    keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
    idMarker = out.IsTruncated ? out.NextUploadIdMarker : undefined;
  } while (keyMarker);
}
