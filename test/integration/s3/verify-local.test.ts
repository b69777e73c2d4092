// verify on a local generation folder (what the CSV sink writes): intact, tampered, no manifest.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SeedpipeError } from '../../../src/errors.js';
import { buildManifest, MANIFEST_FILE } from '../../../src/manifest.js';
import { verify } from '../../../src/verify.js';
import { runInfo, tableInfo } from '../../support/s3.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seedpipe-verify-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a local folder verifies, then reports a changed file; a folder without manifest is an error', async () => {
  const csv = Buffer.from('id,note\n1,"a\nb"\n2,c\n');
  await writeFile(join(dir, 'notes.csv'), csv);
  const m = buildManifest(runInfo([tableInfo('notes', ['id', 'note'])]), [{ table: 'notes', file: 'notes.csv', rows: 2, bytes: csv.length, sha256: createHash('sha256').update(csv).digest('hex') }], {
    finishedAt: new Date('2024-03-05T07:09:00Z'),
    compression: 'none',
  });
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(m));
  const ok = await verify(dir);
  assert.equal(ok.ok, true, JSON.stringify(ok.files));
  assert.equal(ok.files[0]?.actual?.rows, 2);

  await writeFile(join(dir, 'notes.csv'), 'id,note\n1,x\n2,c\n3,d\n');
  const bad = await verify(dir);
  assert.equal(bad.ok, false);
  assert.match(bad.files[0]?.problem ?? '', /sha256 differs; rows 3 ≠ 2/);

  const empty = await mkdtemp(join(tmpdir(), 'seedpipe-verify-empty-'));
  try {
    await assert.rejects(verify(empty), (e: unknown) => e instanceof SeedpipeError && e.code === 'VERIFY_MANIFEST_MISSING');
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
  await assert.rejects(verify(join(dir, 'nope')), (e: unknown) => e instanceof SeedpipeError && e.code === 'VERIFY_TARGET_NOT_FOUND');
});
