/**
 * Stand-in for one Pinecone serverless index, control plane and data plane on the same port,
 * speaking the wire format the SDK 8.2 uses (API version 2026-04):
 * - `GET /indexes/{name}` → the index description (host = this server);
 * - `POST /vectors/upsert` `{"vectors":[{id,values,metadata}],"namespace"}` → `{"upsertedCount":N}`;
 * - `POST /describe_index_stats` → `{"namespaces":{ns:{"vectorCount":n}},"dimension",…}`;
 * - `GET /vectors/fetch?ids=…&namespace=…` → `{"vectors":{id:{…}},"namespace","usage"}`;
 * - `POST /vectors/delete` `{"ids":[…],"namespace"}` (≤ 1,000 ids) or `{"deleteAll":true,"namespace"}` → `{}`.
 * Every call needs the `Api-Key` header (401 otherwise). Upserts over Pinecone's limits (2 MB body,
 * 1,000 vectors, 40 KB metadata per vector), with the wrong dimension, all-zero values or null
 * metadata are refused with 400 and listed in `rejected`. Records are kept in memory by
 * namespace and id; the same id overwrites.
 */
import { startServer, type RecordedRequest, type StandinServer } from './common.js';

export interface PineconeStandinOptions {
  /** Accepted key. Default 'pc-test-standin-key'. */
  apiKey?: string;
  indexName?: string;
  /** Index dimension. Default 384. */
  dimension?: number;
  latencyMs?: number;
  /** Default 2,000,000. */
  maxBodyBytes?: number;
  /** Default 1,000. */
  maxVectors?: number;
  /** Default 40,960. */
  maxMetadataBytes?: number;
}

export interface StoredVector {
  id: string;
  values: number[];
  metadata?: Record<string, unknown>;
}

export interface PineconeStandin extends StandinServer {
  apiKey: string;
  indexName: string;
  dimension: number;
  /** Data-plane host URL (same server). */
  host: string;
  /** Control-plane URL (same server). */
  controllerHostUrl: string;
  /** namespace → id → record. */
  store: Map<string, Map<string, StoredVector>>;
  /** Upsert requests refused for breaking a limit, with the reason. */
  rejected: { request: RecordedRequest; reason: string }[];
  /** Records in a namespace. */
  count(namespace: string): number;
  /** Successful upsert requests. */
  readonly upserts: RecordedRequest[];
}

const API_VERSION_HEADER = 'x-pinecone-api-version';

export async function startPineconeStandin(opts: PineconeStandinOptions = {}): Promise<PineconeStandin> {
  const apiKey = opts.apiKey ?? 'pc-test-standin-key';
  const indexName = opts.indexName ?? 'test-index';
  const dimension = opts.dimension ?? 384;
  const maxBody = opts.maxBodyBytes ?? 2_000_000;
  const maxVectors = opts.maxVectors ?? 1000;
  const maxMeta = opts.maxMetadataBytes ?? 40_960;
  const store = new Map<string, Map<string, StoredVector>>();
  const rejected: { request: RecordedRequest; reason: string }[] = [];
  let origin = '';

  const dataError = (status: number, message: string): { code: number; message: string; details: unknown[] } =>
    ({ code: status === 400 ? 3 : status === 404 ? 5 : 13, message, details: [] });
  const reject = (request: RecordedRequest, reason: string, info: Record<string, unknown>): { status: number; body: unknown; info: Record<string, unknown> } => {
    rejected.push({ request, reason });
    return { status: 400, body: dataError(400, reason), info: { ...info, rejected: reason } };
  };

  const server = await startServer((req, body, url, rec) => {
    if (req.headers['api-key'] !== apiKey) {
      return { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'Invalid API Key' }, status: 401 } };
    }
    const info: Record<string, unknown> = { apiVersion: req.headers[API_VERSION_HEADER] };
    const idx = /^\/indexes\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && idx) {
      if (decodeURIComponent(idx[1] ?? '') !== indexName) {
        return { status: 404, info, body: { error: { code: 'NOT_FOUND', message: `Resource ${idx[1]} not found` }, status: 404 } };
      }
      return {
        status: 200,
        info,
        body: {
          name: indexName, dimension, metric: 'cosine', host: origin,
          spec: { serverless: { cloud: 'aws', region: 'us-east-1' } },
          status: { ready: true, state: 'Ready' }, deletion_protection: 'disabled', vector_type: 'dense',
        },
      };
    }
    if (req.method === 'POST' && url.pathname === '/vectors/upsert') {
      if (body.length > maxBody) return reject(rec, `Request size ${body.length} bytes exceeds the limit of ${maxBody} bytes`, info);
      let parsed: { vectors?: unknown; namespace?: unknown };
      try {
        parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
      } catch {
        return { status: 400, info, body: dataError(400, 'Invalid JSON body') };
      }
      const vectors = parsed.vectors;
      const namespace = typeof parsed.namespace === 'string' ? parsed.namespace : '';
      if (!Array.isArray(vectors) || vectors.length === 0) return { status: 400, info, body: dataError(400, 'vectors must be a non-empty array') };
      Object.assign(info, { vectors: vectors.length, namespace });
      if (vectors.length > maxVectors) return reject(rec, `Upsert of ${vectors.length} vectors exceeds the limit of ${maxVectors} per request`, info);
      const accepted: StoredVector[] = [];
      for (const v of vectors as { id?: unknown; values?: unknown; metadata?: unknown }[]) {
        if (typeof v.id !== 'string' || v.id.length === 0) return { status: 400, info, body: dataError(400, 'Vector id must be a non-empty string') };
        if (!Array.isArray(v.values) || v.values.some((x) => typeof x !== 'number')) return { status: 400, info, body: dataError(400, `Vector ${v.id}: values must be numbers`) };
        if (v.values.length !== dimension) return { status: 400, info, body: dataError(400, `Vector dimension ${v.values.length} does not match the dimension of the index ${dimension}`) };
        if ((v.values as number[]).every((x) => x === 0)) return { status: 400, info, body: dataError(400, 'Dense vectors must contain at least one non-zero value.') };
        if (v.metadata !== undefined) {
          const metaBytes = Buffer.byteLength(JSON.stringify(v.metadata));
          if (metaBytes > maxMeta) return reject(rec, `Metadata size is ${metaBytes} bytes, which exceeds the limit of ${maxMeta} bytes per vector`, info);
          for (const [k, m] of Object.entries(v.metadata as Record<string, unknown>)) {
            const ok = typeof m === 'string' || typeof m === 'boolean' || (typeof m === 'number' && Number.isFinite(m)) || (Array.isArray(m) && m.every((s) => typeof s === 'string'));
            if (!ok) return { status: 400, info, body: dataError(400, `Metadata value for field ${k} must be a string, number, boolean or list of strings`) };
          }
        }
        accepted.push({ id: v.id, values: v.values as number[], ...(v.metadata !== undefined ? { metadata: v.metadata as Record<string, unknown> } : {}) });
      }
      let ns = store.get(namespace);
      if (!ns) store.set(namespace, (ns = new Map()));
      for (const v of accepted) ns.set(v.id, v);
      return { status: 200, info: { ...info, ids: accepted.map((v) => v.id) }, body: { upsertedCount: accepted.length } };
    }
    if (req.method === 'POST' && url.pathname === '/describe_index_stats') {
      const namespaces: Record<string, { vectorCount: number }> = {};
      let total = 0;
      for (const [name, ns] of store) {
        namespaces[name] = { vectorCount: ns.size };
        total += ns.size;
      }
      return { status: 200, info, body: { namespaces, dimension, indexFullness: 0, totalVectorCount: total } };
    }
    if (req.method === 'POST' && url.pathname === '/vectors/delete') {
      let parsed: { ids?: unknown; namespace?: unknown; deleteAll?: unknown };
      try {
        parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
      } catch {
        return { status: 400, info, body: dataError(400, 'Invalid JSON body') };
      }
      const namespace = typeof parsed.namespace === 'string' ? parsed.namespace : '';
      const ns = store.get(namespace);
      if (parsed.deleteAll === true) {
        store.delete(namespace);
        return { status: 200, info: { ...info, namespace, deleteAll: true }, body: {} };
      }
      if (!Array.isArray(parsed.ids) || parsed.ids.length === 0 || parsed.ids.some((id) => typeof id !== 'string')) {
        return { status: 400, info, body: dataError(400, 'ids must be a non-empty array of strings') };
      }
      if (parsed.ids.length > 1000) return { status: 400, info, body: dataError(400, `Delete of ${parsed.ids.length} ids exceeds the limit of 1000 per request`) };
      for (const id of parsed.ids as string[]) ns?.delete(id);
      return { status: 200, info: { ...info, namespace, ids: parsed.ids.length }, body: {} };
    }
    if (req.method === 'GET' && url.pathname === '/vectors/fetch') {
      const namespace = url.searchParams.get('namespace') ?? '';
      const ids = url.searchParams.getAll('ids');
      const ns = store.get(namespace);
      const found: Record<string, StoredVector> = {};
      for (const id of ids) {
        const v = ns?.get(id);
        if (v) found[id] = v;
      }
      return { status: 200, info: { ...info, ids: ids.length, namespace }, body: { vectors: found, namespace, usage: { readUnits: 1 } } };
    }
    return { status: 404, info, body: dataError(404, `Not found: ${req.method} ${url.pathname}`) };
  }, {
    ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}),
    faultBody: (status) => dataError(status, status === 429 ? 'Too Many Requests' : `Internal error (stand-in fault ${status})`),
  });
  origin = server.origin;
  Object.defineProperty(server, 'upserts', {
    get: () => server.requests.filter((r) => r.path === '/vectors/upsert' && r.status === 200),
  });
  return Object.assign(server as StandinServer & { readonly upserts: RecordedRequest[] }, {
    apiKey,
    indexName,
    dimension,
    host: origin,
    controllerHostUrl: origin,
    store,
    rejected,
    count: (namespace: string) => store.get(namespace)?.size ?? 0,
  });
}
