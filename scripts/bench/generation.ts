/**
 * Generation benchmarks: the engine generating chat `messages` to CSV bytes (one thread) next to a
 * bare faker loop producing similar rows (no determinism, no keys, no encoding checks), and the
 * CLI's peak RSS writing the whole chat dataset to CSV at ~100k, ~1M and ~10M messages.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Faker, base, en } from '@faker-js/faker';
import { loadDataset, makePlan } from '../../src/index.js';
import { World } from '../../src/generate/world.js';
import { BatchMaker } from '../../src/pipeline/batches.js';

const BIN = fileURLToPath(new URL('../../bin/seedpipe.js', import.meta.url));

export async function engineRowsPerSec(rows = 500_000): Promise<{ rowsPerSec: number; bytesPerRow: number }> {
  const { def } = await loadDataset('chat');
  const plan = makePlan(def, { profile: 'medium' });
  const t = plan.tables.find((x) => x.name === 'messages')!;
  const maker = new BatchMaker(new World(plan.resolved));
  maker.make(t.info, 0, 4096, false); // warm-up
  const t0 = performance.now();
  let bytes = 0;
  for (let s = 0; s < rows; s += 4096) bytes += maker.make(t.info, s, Math.min(rows, s + 4096), false).csv.length;
  const ms = performance.now() - t0;
  return { rowsPerSec: Math.round((rows / ms) * 1000), bytesPerRow: Math.round(bytes / rows) };
}

/** A plain faker loop producing message-like CSV lines: what a naive generator does per row. */
export function bareFakerRowsPerSec(rows = 500_000): { rowsPerSec: number; bytesPerRow: number } {
  const faker = new Faker({ locale: [en, base], seed: 1 });
  const t0 = performance.now();
  let s = '';
  let bytes = 0;
  for (let i = 0; i < rows; i++) {
    const content = faker.datatype.boolean(0.6) ? faker.lorem.sentence() : faker.lorem.paragraph(2);
    const created = faker.date.past();
    s += `${i + 1},${faker.number.int({ min: 1, max: 1000 })},${faker.number.int({ min: 1, max: 10000 })},,"${content}",${created.toISOString()},${created.toISOString()}\n`;
    if (s.length > 1 << 16) {
      bytes += Buffer.byteLength(s);
      s = '';
    }
  }
  bytes += s.length;
  const ms = performance.now() - t0;
  return { rowsPerSec: Math.round((rows / ms) * 1000), bytesPerRow: Math.round(bytes / rows) };
}

export interface RssPoint {
  label: string;
  messages: number;
  seconds: number;
  peakRssMB: number;
  rowsPerSec: number;
}

/** Runs the CLI writing the chat dataset to CSV and reads its JSON summary. */
export function cliRun(label: string, args: string[]): RssPoint {
  const out = mkdtempSync(join(tmpdir(), 'seedpipe-bench-'));
  try {
    const r = spawnSync(process.execPath, [BIN, 'run', 'chat', '--skip-db', '--out', out, '--json', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`seedpipe ${args.join(' ')} failed: ${r.stderr}`);
    const j = JSON.parse(r.stdout) as { seconds: number; peakRssMB: number; tables: { table: string; rows: number }[] };
    const messages = j.tables.find((t) => t.table === 'messages')!.rows;
    const total = j.tables.reduce((a, t) => a + t.rows, 0);
    return { label, messages, seconds: j.seconds, peakRssMB: j.peakRssMB, rowsPerSec: Math.round(total / j.seconds) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function rssLadder(opts: { tenMillion: boolean; workers: string }): RssPoint[] {
  const points = [
    cliRun('~100k messages', ['--profile', 'light', '--set', 'messagesPerChannel=1000', '--workers', opts.workers]),
    cliRun('~1M messages', ['--profile', 'medium', '--workers', opts.workers]),
  ];
  if (opts.tenMillion) points.push(cliRun('~10M messages', ['--profile', 'heavy', '--workers', opts.workers]));
  return points;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const engine = await engineRowsPerSec();
  const bare = bareFakerRowsPerSec();
  console.log(`messages to CSV, one thread: seedpipe ${engine.rowsPerSec} rows/s (${engine.bytesPerRow} B/row) vs bare faker loop ${bare.rowsPerSec} rows/s`);
  for (const p of rssLadder({ tenMillion: process.argv.includes('--10m'), workers: '1' })) console.log(p);
}
