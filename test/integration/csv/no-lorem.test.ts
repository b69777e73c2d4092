/**
 * Every built-in dataset writes text a person believes: its CSV files at the light profile contain
 * none of faker's lorem ipsum words. Words that are also plain English (faker's own English word
 * lists, and a short list of everyday words such as "a", "in", "error", "id") are not evidence of
 * filler and are left out of the search, as are people's names (faker's first and last names:
 * "Carmen", "Dolores") and letters inside hex strings and UUIDs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { en } from '@faker-js/faker';
import { Rng, buildRunInfo, builtinDatasets, loadDataset, makePlan } from '../../../src/index.js';
import { TextHelpers, makeLexicon } from '../../../src/generate/text.js';
import { CsvSink } from '../../../stages/sinks/csv/index.js';
import { runPlan } from '../../support/pipeline.js';

/** Lorem words that are also everyday English or names of things (never a sign of filler on their own). */
const ENGLISH = new Set(['a', 'ad', 'at', 'in', 'id', 'error', 'sum', 'non', 'via', 'video', 'minus', 'super', 'versus', 'sit', 'apparatus', 'calculus', 'creator', 'apud', 'ea', 'est', 'ex', 'et', 'hic', 'nam', 'sol', 'vel', 'ut', 'tot', 'tres', 'una', 'vita', 'terra', 'turbo', 'thesis', 'thorax', 'theca', 'thema', 'villa', 'vis', 'vox', 'pax', 'spes', 'cum', 'cur', 'tam', 'ter', 'sub', 'ubi', 'unde', 'tunc', 'quo', 'bis', 'demo', 'color', 'aqua', 'aqua', 'cena']);
for (const list of Object.values(en.word ?? {})) for (const w of list as string[]) ENGLISH.add(w.toLowerCase());
for (const group of [en.person!.first_name, en.person!.last_name]) for (const list of Object.values(group ?? {})) for (const w of list as string[]) ENGLISH.add(w.toLowerCase());
const LOREM = new Set((en.lorem!.word as string[]).map((w) => w.toLowerCase()).filter((w) => !ENGLISH.has(w)));

const dirs: string[] = [];
const found = new Map<string, { file: string; words: Map<string, string> }[]>();

before(async () => {
  for (const name of builtinDatasets()) {
    const { def } = await loadDataset(name);
    const plan = makePlan(def, { profile: 'light' });
    const dir = await mkdtemp(join(tmpdir(), `seedpipe-lorem-${name}-`));
    dirs.push(dir);
    await runPlan({ plan, run: buildRunInfo(plan), sinks: [new CsvSink({ dir })] });
    const hits: { file: string; words: Map<string, string> }[] = [];
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.csv') && f !== 'metadata.csv')) {
      const text = await readFile(join(dir, file), 'utf8');
      const words = new Map<string, string>();
      // Whole words only: not letters glued to digits (hex, UUIDs, serial numbers).
      for (const m of text.matchAll(/(?<![0-9A-Za-z])[A-Za-z]+(?![0-9A-Za-z])/g)) {
        const w = m[0].toLowerCase();
        if (LOREM.has(w) && !words.has(w)) words.set(w, text.slice(Math.max(0, m.index - 40), m.index + 40).replace(/\n/g, ' '));
      }
      if (words.size > 0) hits.push({ file, words });
    }
    found.set(name, hits);
  }
});

after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

test('the lorem word list is a real test: it has hundreds of words and catches filler', () => {
  assert.ok(LOREM.size > 800, `${LOREM.size} lorem words`);
  for (const w of ['dolor', 'consectetur', 'adipisci', 'voluptatem', 'accusantium']) assert.ok(LOREM.has(w), w);
  // What filler looks like: the engine's lorem sentences are caught, word after word.
  const rng = new Rng();
  const text = new TextHelpers(rng.reset(Uint32Array.of(1, 2, 3, 4), 0), makeLexicon(en.lorem!.word as string[]));
  const words = Array.from({ length: 20 }, () => text.sentence()).join(' ').toLowerCase().match(/[a-z]+/g)!;
  assert.ok(words.filter((w) => LOREM.has(w)).length > words.length * 0.9, 'lorem sentences are flagged');
});

test('no built-in dataset writes lorem ipsum (every text column of every table, light profile)', () => {
  assert.deepEqual([...found.keys()].sort(), builtinDatasets());
  const report = [...found].flatMap(([ds, hits]) => hits.map((h) => `${ds}/${h.file}: ${[...h.words].slice(0, 5).map(([w, ctx]) => `"${w}" in …${ctx}…`).join('; ')}`));
  assert.deepEqual(report, []);
});
