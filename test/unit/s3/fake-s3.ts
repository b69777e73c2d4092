// An in-memory S3 speaking the few commands the sink sends: enough to exercise the sink without a server.
import type { S3ClientLike, S3CommandLike } from '../../../stages/sinks/s3/client.js';

type Input = Record<string, unknown> & { Bucket?: string; Key?: string; UploadId?: string; Prefix?: string; PartNumber?: number };
export interface Call {
  name: string;
  input: Input;
}

export function fakeS3(opts: { buckets?: string[]; fail?: (call: Call) => unknown } = {}) {
  const buckets = new Set(opts.buckets ?? ['bucket']);
  const objects = new Map<string, Buffer>();
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  const calls: Call[] = [];
  let ids = 0;
  const s3Error = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  const toBuf = async (body: unknown) => {
    if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Uint8Array) return Buffer.from(body as Buffer);
    const chunks: Buffer[] = [];
    for await (const c of body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
    return Buffer.concat(chunks);
  };
  const handlers: Record<string, (i: Input) => Promise<unknown> | unknown> = {
    HeadBucket: (i) => { if (!buckets.has(i.Bucket!)) throw s3Error('NotFound', 404); return {}; },
    CreateBucket: (i) => void buckets.add(i.Bucket!),
    PutObject: async (i) => void objects.set(i.Key!, await toBuf(i.Body)),
    CreateMultipartUpload: (i) => { const id = `up${++ids}`; uploads.set(id, { key: i.Key!, parts: new Map() }); return { UploadId: id }; },
    UploadPart: async (i) => { uploads.get(i.UploadId!)!.parts.set(i.PartNumber!, await toBuf(i.Body)); return { ETag: `"p${i.PartNumber}"` }; },
    CompleteMultipartUpload: (i) => { const u = uploads.get(i.UploadId!)!; objects.set(u.key, Buffer.concat([...u.parts.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]))); uploads.delete(i.UploadId!); return {}; },
    AbortMultipartUpload: (i) => { if (!uploads.delete(i.UploadId!)) throw s3Error('NoSuchUpload', 404); return {}; },
    ListMultipartUploads: (i) => ({ Uploads: [...uploads.entries()].filter(([, u]) => u.key.startsWith(i.Prefix ?? '')).map(([id, u]) => ({ Key: u.key, UploadId: id })) }),
    ListObjectsV2: (i) => { const c = [...objects.keys()].filter((k) => k.startsWith(i.Prefix ?? '')).map((Key) => ({ Key })); return { Contents: c, KeyCount: c.length }; },
    HeadObject: (i) => { const o = objects.get(i.Key!); if (!o) throw s3Error('NotFound', 404); return { ETag: `"etag-${o.length}"`, ContentLength: o.length }; },
    GetObject: (i) => { const o = objects.get(i.Key!); if (!o) throw s3Error('NoSuchKey', 404); return { ETag: `"etag-${o.length}"`, Body: (async function* () { yield o; })() }; },
    DeleteObject: (i) => void objects.delete(i.Key!),
  };
  const client: S3ClientLike = {
    config: {
      requestChecksumCalculation: async () => 'WHEN_REQUIRED',
      endpoint: async () => ({ protocol: 'http:', hostname: 'fake', path: '/' }),
      forcePathStyle: true,
    },
    async send(command: S3CommandLike) {
      const call = { name: command.constructor.name.replace(/Command$/, ''), input: command.input as Input };
      calls.push(call);
      await opts.fail?.(call);
      const h = handlers[call.name];
      if (!h) throw new Error(`fake S3: ${call.name} not supported`);
      return (await h(call.input)) ?? {};
    },
  };
  return { client, calls, objects, uploads, buckets, s3Error };
}
