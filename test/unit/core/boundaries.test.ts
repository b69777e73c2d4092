/** The layering lint rule: stages → only src's public surface; the engine never imports stages; the CLI only stage indexes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { RuleTester } from 'eslint';
import layers, { violation } from '../../../scripts/lint/boundaries.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

test('stages import only src/stage-kit, src/index and their own folder', () => {
  assert.equal(violation('stages/sinks/csv/sink', 'src/stage-kit'), undefined);
  assert.equal(violation('stages/sinks/csv/sink', 'src/index'), undefined);
  assert.equal(violation('stages/sinks/csv/sink', 'stages/sinks/csv/file-writer'), undefined);
  assert.equal(violation('stages/sinks/vectors/embedders/local', 'stages/sinks/vectors/retry'), undefined);
  assert.match(violation('stages/sinks/csv/sink', 'src/errors')!, /only src\/stage-kit/);
  assert.match(violation('stages/sinks/csv/sink', 'stages/encoders/csv/encoder')!, /own folder/);
  assert.match(violation('stages/sinks/csv/sink', 'config/chat/dataset')!, /only src\/stage-kit/);
  // The standard encoder bundle gathers other encoders through their index, and nothing else.
  assert.equal(violation('stages/encoders/standard/encoder', 'stages/encoders/csv/index'), undefined);
  assert.match(violation('stages/encoders/standard/encoder', 'stages/encoders/csv/encoder')!, /own folder/);
  assert.match(violation('stages/encoders/standard/encoder', 'stages/sinks/csv/index')!, /own folder/);
  assert.match(violation('stages/encoders/csv/encoder', 'stages/encoders/jsonl/index')!, /own folder/);
});

test('the engine never imports a stage; the CLI only through a stage folder index', () => {
  assert.match(violation('src/pipeline/run', 'stages/sinks/csv/index')!, /never imports a stage/);
  assert.equal(violation('src/cli/sinks', 'stages/sinks/csv/index'), undefined);
  assert.match(violation('src/cli/sinks', 'stages/sinks/postgres/client')!, /folder's index/);
  assert.equal(violation('src/pipeline/run', 'src/pipeline/flow'), undefined);
  assert.equal(violation('test/unit/x', 'stages/sinks/postgres/client'), undefined, 'tests may reach in');
});

test('the rule reports static imports, re-exports and literal dynamic imports', () => {
  const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } });
  const at = (p: string) => `${ROOT}${p}`;
  tester.run('boundaries', layers.rules.boundaries, {
    valid: [
      { code: "import { SinkLifecycle } from '../../../src/stage-kit.js';", filename: at('stages/sinks/csv/sink.ts') },
      { code: "import pg from 'pg';", filename: at('stages/sinks/postgres/client.ts') },
      { code: "const m = await import('../../stages/sinks/s3/index.js');", filename: at('src/cli/sinks.ts') },
      { code: 'const m = await import(url);', filename: at('src/pipeline/worker.ts') },
    ],
    invalid: [
      { code: "import { SeedpipeError } from '../../../src/errors.js';", filename: at('stages/sinks/csv/sink.ts'), errors: 1 },
      { code: "export { CsvSink } from '../../stages/sinks/csv/sink.js';", filename: at('src/cli/sinks.ts'), errors: 1 },
      { code: "const m = await import('../../stages/sinks/csv/index.js');", filename: at('src/pipeline/run.ts'), errors: 1 },
    ],
  });
});
