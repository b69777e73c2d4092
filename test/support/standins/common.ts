/**
 * Shared plumbing of the HTTP stand-ins: a 127.0.0.1 server on a free port, request recording,
 * injected faults and latency.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  /** Status the stand-in answered. */
  status: number;
  /** Request body size in bytes. */
  bytes: number;
  /** True when the answer came from `failNext`. */
  injected: boolean;
  /** Route-specific facts (inputs, vectors, namespace, model, encoding, …). */
  info: Record<string, unknown>;
}

export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Only requests to this path take the fault. Default: any path. */
  path?: string;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  info?: Record<string, unknown>;
}

export type Handler = (req: IncomingMessage, body: Buffer, url: URL, rec: RecordedRequest) => Reply | Promise<Reply>;

export interface StandinServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  requests: RecordedRequest[];
  /** Answers the next `n` (matching) requests with `status`, `headers` and a JSON error body. */
  failNext(n: number, status: number, headers?: Record<string, string>, opts?: { body?: unknown; path?: string }): void;
  /** Delay before each answer, ms. */
  latencyMs: number;
  /** Requests currently being handled (for concurrency assertions) and the maximum seen. */
  readonly active: number;
  readonly maxActive: number;
  close(): Promise<void>;
}

export async function startServer(handler: Handler, opts: { latencyMs?: number; faultBody: (status: number) => unknown }): Promise<StandinServer> {
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  let active = 0;
  let maxActive = 0;
  const state = { latencyMs: opts.latencyMs ?? 0 };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    active++;
    maxActive = Math.max(maxActive, active);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const rec: RecordedRequest = { method: req.method ?? '', path: url.pathname, query: url.search, status: 0, bytes: body.length, injected: false, info: {} };
        requests.push(rec);
        try {
          if (state.latencyMs > 0) await delay(state.latencyMs);
          const fi = faults.findIndex((f) => f.path === undefined || f.path === url.pathname);
          let reply: Reply;
          if (fi >= 0) {
            const f = faults.splice(fi, 1)[0] as Fault;
            rec.injected = true;
            reply = { status: f.status, body: f.body ?? opts.faultBody(f.status), ...(f.headers ? { headers: f.headers } : {}) };
          } else {
            reply = await handler(req, body, url, rec);
          }
          rec.status = reply.status;
          Object.assign(rec.info, reply.info ?? {});
          const payload = Buffer.from(JSON.stringify(reply.body));
          res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': String(payload.length), ...(reply.headers ?? {}) });
          res.end(payload);
        } catch (err) {
          rec.status = 500;
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `stand-in failure: ${err instanceof Error ? err.message : String(err)}` } }));
        } finally {
          active--;
        }
      })();
    });
  });
  // Keep-alive sockets would hold close() open; the SDKs reconnect as needed.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    failNext(n, status, headers, o = {}) {
      for (let i = 0; i < n; i++) {
        faults.push({ status, ...(headers ? { headers } : {}), ...(o.body !== undefined ? { body: o.body } : {}), ...(o.path !== undefined ? { path: o.path } : {}) });
      }
    },
    get latencyMs() { return state.latencyMs; },
    set latencyMs(ms: number) { state.latencyMs = ms; },
    get active() { return active; },
    get maxActive() { return maxActive; },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
