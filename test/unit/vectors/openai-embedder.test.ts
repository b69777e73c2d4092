import { test } from 'node:test';
import { countTokens } from '../../../stages/sinks/vectors/embedders/tokens.js';
import assert from 'node:assert/strict';
import { OpenAIEmbedder, decodeBase64Embedding, type EmbeddingsClient } from '../../../stages/sinks/vectors/embedders/openai.js';

type Body = { model: string; input: string[]; dimensions?: number };

/** A fake of the SDK's embeddings resource: records bodies, answers or throws per call. */
function fakeClient(dims: number, script: ((body: Body, call: number) => unknown)[] = []): { client: EmbeddingsClient; bodies: Body[]; inFlight: { max: number } } {
  const bodies: Body[] = [];
  const inFlight = { now: 0, max: 0 };
  const client: EmbeddingsClient = {
    embeddings: {
      async create(body) {
        const call = bodies.length;
        bodies.push(body);
        inFlight.now++;
        inFlight.max = Math.max(inFlight.max, inFlight.now);
        try {
          await new Promise((r) => setImmediate(r));
          const step = script[call];
          if (step) {
            const r = step(body, call);
            if (r instanceof Error || (typeof r === 'object' && r !== null && 'status' in r)) throw r;
          }
          return {
            data: body.input.map((t, index) => ({ index, embedding: Array.from({ length: dims }, (_, i) => (i === 0 ? t.length : 1)) })),
            usage: { prompt_tokens: body.input.length },
          };
        } finally {
          inFlight.now--;
        }
      },
    },
  };
  return { client, bodies, inFlight };
}

function apiError(status: number, message: string, headers: Record<string, string> = {}, code?: string): Error {
  return Object.assign(new Error(`${status} ${message}`), { status, headers: new Headers(headers), error: { message, ...(code ? { code } : {}) } });
}

const noSleep = { sleep: async () => {} };

test('openai embedder: id, dimensions and configuration errors', () => {
  const { client } = fakeClient(1536);
  const e = new OpenAIEmbedder({ model: 'text-embedding-3-small', client });
  assert.equal(e.id, 'openai:text-embedding-3-small:1536');
  assert.equal(e.dimensions, 1536);
  assert.equal(new OpenAIEmbedder({ model: 'text-embedding-3-large', dimensions: 256, client }).id, 'openai:text-embedding-3-large:256');
  assert.throws(() => new OpenAIEmbedder({ model: 'text-embedding-3-small' }), { code: 'EMBEDDINGS_CONFIG', message: /OPENAI_API_KEY/ });
  assert.throws(() => new OpenAIEmbedder({ model: 'my-model', apiKey: 'k' }), { code: 'EMBEDDINGS_CONFIG', message: /dimensions/ });
  assert.throws(() => new OpenAIEmbedder({ model: 'text-embedding-ada-002', apiKey: 'k', dimensions: 512 }), { code: 'EMBEDDINGS_CONFIG' });
  assert.throws(() => new OpenAIEmbedder({ model: 'text-embedding-3-small', apiKey: 'k', dimensions: 4096 }), { code: 'EMBEDDINGS_CONFIG' });
});

test('openai embedder: requests bounded by inputs and by the token budget, results in input order', async () => {
  const { client, bodies } = fakeClient(4);
  const e = new OpenAIEmbedder({ model: 'm', dimensions: 4, client, maxInputsPerRequest: 10, maxTokensPerRequest: 100 });
  // 25 short texts (1 token each) and 3 texts of 60 tokens (240 chars).
  const texts = [...Array.from({ length: 25 }, (_, i) => `t${i}`), 'x'.repeat(240), 'y'.repeat(240), 'z'.repeat(240)];
  const out = await e.embed(texts);
  assert.equal(out.length, texts.length);
  out.forEach((v, i) => assert.equal(v[0], (texts[i] as string).length));
  for (const b of bodies) {
    assert.ok(b.input.length <= 10);
    assert.ok(b.input.reduce((n, t) => n + countTokens(t), 0) <= 100 || b.input.length === 1, 'tokens as the API counts them (cl100k_base)');
    assert.equal('dimensions' in b, true, 'explicit dimensions are sent');
  }
  assert.deepEqual(bodies.flatMap((b) => b.input), texts, 'every text sent exactly once, in order');
  // Greedy: each request is as full as the two limits allow.
  const expected: number[] = [];
  let n = 0;
  let w = 0;
  for (const t of texts) {
    const c = countTokens(t);
    if (n > 0 && (n === 10 || w + c > 100)) { expected.push(n); n = 0; w = 0; }
    n++;
    w += c;
  }
  expected.push(n);
  assert.deepEqual(bodies.map((b) => b.input.length), expected);
});

test('openai embedder: texts over the model\'s input limit are cut at a token boundary; short texts are never tokenized', () => {
  const { client } = fakeClient(4);
  const e = new OpenAIEmbedder({ model: 'text-embedding-3-small', client });
  assert.equal(e.maxInputTokens, 8191);
  assert.equal(e.preferredBatch, 2048);
  const short = 'a short text';
  assert.deepEqual(e.fit(short), { text: short, truncated: false });
  const long = 'The quick brown fox jumps over the lazy dog. '.repeat(1000); // ~10k tokens
  const fitted = e.fit(long);
  assert.equal(fitted.truncated, true);
  assert.ok(countTokens(fitted.text) <= 8191 && countTokens(fitted.text) > 8000, 'as much text as the limit allows');
  assert.ok(long.startsWith(fitted.text));
  const unicode = '世界'.repeat(9000);
  const u = e.fit(unicode);
  assert.ok(u.truncated && countTokens(u.text) <= 8191 && !/\uFFFD/.test(u.text), 'no broken characters');
  assert.equal(new OpenAIEmbedder({ model: 'my-model', dimensions: 4, client }).fit(long).truncated, false, 'unknown models have no limit unless given');
});

test('openai embedder: limits are clamped to the API maxima', async () => {
  const { client, bodies } = fakeClient(2);
  const e = new OpenAIEmbedder({ model: 'm', dimensions: 2, client, maxInputsPerRequest: 1_000_000, maxTokensPerRequest: 10_000_000 });
  await e.embed(Array.from({ length: 5000 }, () => 'word'));
  assert.deepEqual(bodies.map((b) => b.input.length), [2048, 2048, 904]);
});

test('openai embedder: native dimensions are not sent; empty texts become a space', async () => {
  const { client, bodies } = fakeClient(1536);
  const e = new OpenAIEmbedder({ model: 'text-embedding-3-small', client });
  await e.embed(['', 'a']);
  assert.equal('dimensions' in (bodies[0] as Body), false);
  assert.deepEqual(bodies[0]?.input, [' ', 'a']);
});

test('openai embedder: concurrency is bounded across calls', async () => {
  const { client, inFlight } = fakeClient(2);
  const e = new OpenAIEmbedder({ model: 'm', dimensions: 2, client, maxInputsPerRequest: 1, concurrency: 3 });
  await Promise.all([e.embed(['a', 'b', 'c', 'd']), e.embed(['e', 'f', 'g', 'h'])]);
  assert.equal(inFlight.max, 3);
});

test('openai embedder: 429 / 5xx / network errors are retried, honouring retry-after', async () => {
  const sleeps: number[] = [];
  const { client, bodies } = fakeClient(2, [
    () => apiError(429, 'Rate limit', { 'retry-after-ms': '7' }),
    () => apiError(500, 'oops'),
    () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }),
  ]);
  const e = new OpenAIEmbedder({ model: 'm', dimensions: 2, client, retry: { sleep: async (ms) => { sleeps.push(ms); }, random: () => 0, baseDelayMs: 100 } });
  const out = await e.embed(['a']);
  assert.equal(out.length, 1);
  assert.equal(bodies.length, 4);
  assert.deepEqual(sleeps, [7, 100, 200]);
  assert.deepEqual(e.stats(), { requests: 4, retries: 3, texts: 1, tokens: 1, cacheHits: 0 });
});

test('openai embedder: 401 stops at once with EMBEDDINGS_AUTH and no key in the message', async () => {
  const key = 'sk-proj-SECRET-abcdef123456';
  const { client, bodies } = fakeClient(2, [() => apiError(401, `Incorrect API key provided: ${key}.`)]);
  const e = new OpenAIEmbedder({ model: 'm', dimensions: 2, client, apiKey: key, retry: noSleep });
  await assert.rejects(e.embed(['a']), (err: Error & { code?: string; disposition?: string }) => {
    assert.equal(err.code, 'EMBEDDINGS_AUTH');
    assert.equal(err.disposition, 'fatal');
    assert.match(err.message, /401/);
    assert.match(err.message, /OPENAI_API_KEY/);
    assert.ok(!err.message.includes(key), err.message);
    return true;
  });
  assert.equal(bodies.length, 1);
});

test('openai embedder: 400, 403, 404 and insufficient_quota each stop with their own code', async () => {
  const cases: [Error, string][] = [
    [apiError(400, "'$.input' is invalid"), 'EMBEDDINGS_BAD_REQUEST'],
    [apiError(403, 'You are not allowed to use this model'), 'EMBEDDINGS_AUTH'],
    [apiError(404, 'The model does not exist'), 'EMBEDDINGS_NOT_FOUND'],
    [apiError(429, 'You exceeded your current quota', {}, 'insufficient_quota'), 'EMBEDDINGS_QUOTA'],
  ];
  for (const [err, code] of cases) {
    const { client, bodies } = fakeClient(2, [() => err]);
    const e = new OpenAIEmbedder({ model: 'm', dimensions: 2, client, retry: noSleep });
    await assert.rejects(e.embed(['a']), { code });
    assert.equal(bodies.length, 1, code);
  }
});

test('openai embedder: exhausted retries give a retriable EMBEDDINGS_UNAVAILABLE', async () => {
  const { client, bodies } = fakeClient(2, Array.from({ length: 10 }, () => () => apiError(503, 'busy')));
  const e = new OpenAIEmbedder({ model: 'm', dimensions: 2, client, retry: { ...noSleep, maxAttempts: 3 } });
  await assert.rejects(e.embed(['a']), { code: 'EMBEDDINGS_UNAVAILABLE', disposition: 'retriable' });
  assert.equal(bodies.length, 3);
});

test('openai embedder: a failed request stops its siblings', async () => {
  const { client, bodies } = fakeClient(2, [() => apiError(401, 'bad key')]);
  const e = new OpenAIEmbedder({ model: 'm', dimensions: 2, client, maxInputsPerRequest: 1, concurrency: 1, retry: noSleep });
  await assert.rejects(e.embed(['a', 'b', 'c', 'd', 'e']), { code: 'EMBEDDINGS_AUTH' });
  assert.equal(bodies.length, 1);
});

test('openai embedder: wrong-length vectors are refused', async () => {
  const { client } = fakeClient(3);
  const e = new OpenAIEmbedder({ model: 'm', dimensions: 2, client });
  await assert.rejects(e.embed(['a']), { code: 'EMBEDDINGS_BAD_RESPONSE' });
});

test('decodeBase64Embedding: little-endian float32', () => {
  const buf = Buffer.alloc(12);
  [0.5, -1.25, 3.0000001].forEach((x, i) => buf.writeFloatLE(x, i * 4));
  assert.deepEqual(Array.from(decodeBase64Embedding(buf.toString('base64'))), [0.5, -1.25, Math.fround(3.0000001)]);
  assert.throws(() => decodeBase64Embedding(Buffer.alloc(5).toString('base64')));
});
