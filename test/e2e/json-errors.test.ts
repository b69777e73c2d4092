/** User errors through the CLI: one line (and with --json one JSON object), never a stack trace. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

test('--out under a file (not a directory): CSV_DIR_UNWRITABLE naming --out, as text and as JSON', async () => {
  const work = await mkdtemp(join(tmpdir(), 'sp-json-errors-'));
  try {
    const file = join(work, 'a-file');
    await writeFile(file, 'x');
    for (const json of [false, true]) {
      const r = await runCli(['run', 'chat', '--profile', 'light', '--scale', '0.1', '--skip-db', '--heartbeat', '0', '--out', join(file, 'out'), ...(json ? ['--json'] : [])], { cwd: work, timeoutMs: 60_000 });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /CSV_DIR_UNWRITABLE/);
      assert.match(r.stderr, /--out/);
      assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at |unexpected error/);
      if (!json) assert.equal(r.stdout, '');
      else {
        const { error } = JSON.parse(r.stdout) as { error: { code: string; exitCode: number; message: string } };
        assert.equal(error.code, 'CSV_DIR_UNWRITABLE');
        assert.equal(error.exitCode, 1);
        assert.match(error.message, /a-file/);
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
