import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertInstalled, importOptional, isSeedpipeError, missingDependencyError, requireOptional } from '../../../src/index.js';

const MISSING = 'seedpipe-test-no-such-package';
const isMissingError = (e: unknown): boolean => isSeedpipeError(e) && e.code === 'OPTIONAL_DEPENDENCY_MISSING' && e.disposition === 'usage';

test('a missing optional package is a usage error naming every package of the stage and the install command', async () => {
  assert.throws(() => requireOptional(MISSING, 'The X sink', [MISSING, 'other-pkg']), (e: unknown) => {
    assert.ok(isMissingError(e));
    assert.equal((e as Error).message, `The X sink needs the optional packages ${MISSING} and other-pkg, which are not installed; install them with: npm install ${MISSING} other-pkg`);
    assert.deepEqual((e as { data: { packages: string[] } }).data.packages, [MISSING, 'other-pkg']);
    return true;
  });
  // Packages declared as peers are named with the supported range.
  assert.match(missingDependencyError('The X sink', ['openai']).message, /the optional package openai, which is not installed; install it with: npm install openai@\^6/);
  await assert.rejects(importOptional(MISSING, 'The X sink'), isMissingError);
  assert.throws(() => assertInstalled('The X sink', ['zod', MISSING]), (e: unknown) => isMissingError(e) && /npm install zod seedpipe-test-no-such-package$/.test((e as Error).message));
});

test('installed packages load; a package that fails inside is that failure, not "not installed"', async () => {
  assert.equal(typeof requireOptional<{ Pinecone: unknown }>('@pinecone-database/pinecone', 'Pinecone').Pinecone, 'function');
  assertInstalled('OpenAI', ['openai']);
  const dir = await mkdtemp(join(tmpdir(), 'sp-optional-'));
  try {
    const broken = join(dir, 'broken.cjs');
    await writeFile(broken, `require('${MISSING}-inner');\n`);
    assert.throws(() => requireOptional(broken, 'X'), (e: unknown) => !isSeedpipeError(e) && /seedpipe-test-no-such-package-inner/.test((e as Error).message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
