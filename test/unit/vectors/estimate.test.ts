import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CostEstimator, estimateCost, estimateTokens, pricePerMillion } from '../../../stages/sinks/vectors/embedders/estimate.js';

test('estimate: tokens ≈ ceil(chars / 4)', () => {
  assert.equal(estimateTokens(''), 0);
  assert.equal(estimateTokens('abc'), 1);
  assert.equal(estimateTokens('abcd'), 1);
  assert.equal(estimateTokens('abcde'), 2);
});

test('estimate: prices per 1M tokens by model; local is free; unknown is null', () => {
  assert.equal(pricePerMillion('openai:text-embedding-3-small'), 0.02);
  assert.equal(pricePerMillion('openai:text-embedding-3-large'), 0.13);
  assert.equal(pricePerMillion('openai:text-embedding-ada-002'), 0.10);
  assert.equal(pricePerMillion('text-embedding-3-small'), 0.02);
  assert.equal(pricePerMillion('local'), 0);
  assert.equal(pricePerMillion('local:hash-384'), 0);
  assert.equal(pricePerMillion('openai:some-other-model'), null);
});

test('estimate: streams texts and prices them', async () => {
  async function* texts(): AsyncGenerator<string> {
    for (let i = 0; i < 1000; i++) yield 'x'.repeat(400); // 100 tokens each
  }
  const est = await estimateCost(texts(), 'openai:text-embedding-3-large');
  assert.equal(est.texts, 1000);
  assert.equal(est.tokens, 100_000);
  assert.equal(est.chars, 400_000);
  assert.ok(Math.abs((est.usd ?? 0) - 0.013) < 1e-12);
  const unknown = new CostEstimator('openai:custom');
  unknown.add('hello');
  assert.deepEqual(unknown.result(), { embedder: 'openai:custom', texts: 1, tokens: 2, chars: 5, pricePerMillionTokens: null, usd: null });
  assert.equal((await estimateCost(['a', 'b'], 'local')).usd, 0);
});
