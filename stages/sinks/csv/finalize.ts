/**
 * Finalize a sharded CSV run: every shard's part manifest (`manifest.part-03-of-16.json`, or the
 * unpadded `manifest.part-3-of-16.json` of earlier releases) merged into `manifest.json` and
 * `metadata.csv` listing every part file.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  mergeShardManifests, parseManifest, partFileNames, renderMetadataCsv, SeedpipeError, MANIFEST_FILE, METADATA_FILE,
  type RunInfo, type ShardFiles,
} from '../../../src/stage-kit.js';

/** Writes `dir/manifest.json` for the `count` shards of `run` (the run without its shard); returns the number of part files. */
export async function finalizeCsvShards(dir: string, count: number, run: RunInfo): Promise<number> {
  const shards: ShardFiles[] = [];
  for (let index = 0; index < count; index++) {
    const path = partFileNames('manifest', '.json', { index, count }).map((n) => join(dir, n)).find((p) => existsSync(p));
    if (!path) continue;
    const m = parseManifest(await readFile(path, 'utf8'), path);
    shards.push({ shard: m.shard ?? { index, count }, compression: m.compression, files: m.files });
  }
  const { manifest, missing } = mergeShardManifests(run, shards, count, new Date());
  if (missing.length) throw new SeedpipeError('CSV_SHARDS_INCOMPLETE', `${dir}: shard(s) ${missing.join(', ')} of ${count} have not completed; run them before finalizing`, { disposition: 'usage' });
  await writeFile(join(dir, METADATA_FILE), renderMetadataCsv(manifest));
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest.files.length;
}
