/**
 * Stand-in for OpenAI's embeddings endpoint, speaking its wire format:
 * `POST /v1/embeddings` with `Authorization: Bearer <key>` and
 * `{"model","input":[…],"dimensions"?,"encoding_format"?: "base64"|"float"}`; replies
 * `{"object":"list","data":[{"object":"embedding","index":i,"embedding":<base64 LE float32 | number[]>}],
 *   "model","usage":{"prompt_tokens","total_tokens"}}`; errors as `{"error":{message,type,param,code}}`.
 * Enforces the API's limits (≤ 2,048 inputs, ≤ 300k tokens per request, ≤ 8,192 per input, counted
 * with cl100k_base as the API does; no empty strings) with 400s. Vectors are a deterministic function of the text (`standinEmbedding`),
 * so tests can check the values that reach the index.
 */
import { createHash } from 'node:crypto';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { startServer, type RecordedRequest, type StandinServer } from './common.js';

const tokenizer = new Tiktoken(cl100k);

export const STANDIN_MODELS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export interface OpenAIStandinOptions {
  /** Accepted key. Default 'sk-test-standin-key'. */
  apiKey?: string;
  latencyMs?: number;
  /** Inputs per request. Default 2,048 (the API's limit). */
  maxInputs?: number;
  /** Tokens (cl100k_base) per request. Default 300,000. */
  maxRequestTokens?: number;
}

export interface OpenAIStandin extends StandinServer {
  /** Base URL for the SDK: http://127.0.0.1:PORT/v1 */
  baseURL: string;
  apiKey: string;
  /** Successful embedding requests. */
  readonly embeddingRequests: RecordedRequest[];
}

/** Deterministic unit vector for `text`: sha256-seeded xorshift32 values in [-1, 1), normalised. */
export function standinEmbedding(text: string, dims: number): Float32Array {
  const seed = createHash('sha256').update(text).digest();
  let s = seed.readUInt32LE(0) || 0x9e3779b9;
  const v = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    const x = s / 2 ** 31 - 1;
    v[i] = x;
    norm += x * x;
  }
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < dims; i++) v[i] = (v[i] ?? 0) * inv;
  return v;
}

function oaError(message: string, type: string, code: string | null, param: string | null = null): { error: { message: string; type: string; param: string | null; code: string | null } } {
  return { error: { message, type, param, code } };
}

function maskKey(key: string): string {
  return key.length <= 8 ? '***' : `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

export async function startOpenAIStandin(opts: OpenAIStandinOptions = {}): Promise<OpenAIStandin> {
  const apiKey = opts.apiKey ?? 'sk-test-standin-key';
  const maxInputs = opts.maxInputs ?? 2048;
  const maxTokens = opts.maxRequestTokens ?? 300_000;
  const server = await startServer((req, body, url) => {
    if (req.method !== 'POST' || url.pathname !== '/v1/embeddings') {
      return { status: 404, body: oaError(`Invalid URL (${req.method} ${url.pathname})`, 'invalid_request_error', null) };
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${apiKey}`) {
      const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      return {
        status: 401,
        body: oaError(`Incorrect API key provided: ${maskKey(given)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key'),
      };
    }
    let parsed: { model?: unknown; input?: unknown; dimensions?: unknown; encoding_format?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      return { status: 400, body: oaError('We could not parse the JSON body of your request.', 'invalid_request_error', null) };
    }
    const model = parsed.model;
    if (typeof model !== 'string') return { status: 400, body: oaError("you must provide a model parameter", 'invalid_request_error', null) };
    const native = STANDIN_MODELS[model];
    if (native === undefined) {
      return { status: 404, body: oaError(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found') };
    }
    const input = typeof parsed.input === 'string' ? [parsed.input] : parsed.input;
    if (!Array.isArray(input) || input.length === 0 || input.some((t) => typeof t !== 'string' || t.length === 0)) {
      return { status: 400, body: oaError("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'invalid_request_error', null) };
    }
    const texts = input as string[];
    const info = { model, inputs: texts.length, encoding: parsed.encoding_format ?? 'float', dimensions: parsed.dimensions };
    if (texts.length > maxInputs) {
      return { status: 400, info, body: oaError(`'$.input' is invalid: at most ${maxInputs} inputs per request, got ${texts.length}.`, 'invalid_request_error', null, 'input') };
    }
    // Tokens as the API counts them (cl100k_base), so limits are checked as the real service does.
    const perText = texts.map((t) => tokenizer.encode(t).length);
    const tokens = perText.reduce((a, b) => a + b, 0);
    if (perText.some((n) => n > 8192)) {
      return { status: 400, info, body: oaError("This model's maximum context length is 8192 tokens, however you requested more. Please reduce your prompt.", 'invalid_request_error', null, 'input') };
    }
    if (tokens > maxTokens) {
      return { status: 400, info: { ...info, tokens }, body: oaError(`Requested ${tokens} tokens, max ${maxTokens} tokens per request`, 'max_tokens_per_request', 'max_tokens_per_request', 'input') };
    }
    let dims = native;
    if (parsed.dimensions !== undefined) {
      if (model === 'text-embedding-ada-002') {
        return { status: 400, info, body: oaError('This model does not support specifying dimensions.', 'invalid_request_error', null, 'dimensions') };
      }
      if (typeof parsed.dimensions !== 'number' || !Number.isInteger(parsed.dimensions) || parsed.dimensions < 1 || parsed.dimensions > native) {
        return { status: 400, info, body: oaError(`Invalid value for 'dimensions': must be an integer from 1 to ${native}.`, 'invalid_request_error', null, 'dimensions') };
      }
      dims = parsed.dimensions;
    }
    const base64 = parsed.encoding_format === 'base64';
    if (parsed.encoding_format !== undefined && parsed.encoding_format !== 'base64' && parsed.encoding_format !== 'float') {
      return { status: 400, info, body: oaError("Invalid value for 'encoding_format': expected 'float' or 'base64'.", 'invalid_request_error', null, 'encoding_format') };
    }
    const data = texts.map((t, index) => {
      const v = standinEmbedding(t, dims);
      let embedding: string | number[];
      if (base64) {
        const buf = Buffer.alloc(dims * 4);
        for (let i = 0; i < dims; i++) buf.writeFloatLE(v[i] ?? 0, i * 4);
        embedding = buf.toString('base64');
      } else {
        embedding = Array.from(v);
      }
      return { object: 'embedding', index, embedding };
    });
    return {
      status: 200,
      info: { ...info, tokens },
      body: { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
    };
  }, {
    ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}),
    faultBody: (status) => status === 429
      ? oaError('Rate limit reached for text-embedding-3-small on tokens per min (TPM). Please try again in 0s.', 'tokens', 'rate_limit_exceeded')
      : oaError(`The server had an error while processing your request (stand-in fault ${status}).`, 'server_error', null),
  });
  Object.defineProperty(server, 'embeddingRequests', {
    get: () => server.requests.filter((r) => r.path === '/v1/embeddings' && r.status === 200),
  });
  return Object.assign(server as StandinServer & { readonly embeddingRequests: RecordedRequest[] }, { baseURL: `${server.origin}/v1`, apiKey });
}
