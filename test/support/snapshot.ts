/**
 * Snapshot files for seeded output: `UPDATE_SNAPSHOTS=1` writes them; otherwise a missing or
 * different snapshot fails, so any unintended change in generated output shows up.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function matchSnapshot(file: string, actual: unknown): void {
  const text = JSON.stringify(actual, null, 2) + '\n';
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  assert.ok(existsSync(file), `snapshot ${file} is missing; run the test with UPDATE_SNAPSHOTS=1 to create it`);
  assert.deepEqual(JSON.parse(text), JSON.parse(readFileSync(file, 'utf8')), `output differs from ${file}; if the change is intended, update it with UPDATE_SNAPSHOTS=1 and bump the generator version`);
}
