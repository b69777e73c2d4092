/**
 * A sink's encoding is asked again after every sink opened (the Postgres sink picks binary COPY from
 * the catalog there), and its second choice (`orElse`) is taken when the run has no encoder for the
 * first, or when the source makes the second itself and not the first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunInfo, defineDataset, makePlan, runPipeline } from '../../../src/index.js';
import { generatorSource } from '../../../stages/sources/generator/index.js';
import { copyBinaryEncoder } from '../../../stages/encoders/copy-binary/index.js';
import { copyCsvEncoder } from '../../../stages/encoders/copy-csv/index.js';
import { PGCOPY_HEADER } from '../../../src/stage-kit.js';
import { ArraySources, RecordingSink, info, runOf } from '../../support/fake-stages.js';

const ds = defineDataset({ name: 'd', seed: 1, refDate: '2025-01-01T00:00:00Z', tables: { t: { rows: 50, columns: { id: { type: 'bigint' }, v: { type: 'text', gen: (c) => `v${c.i}` } } } } });

class ChoosingSink extends RecordingSink {
  opened = false;
  constructor() {
    super('db', () => (this.opened ? { format: 'copy-binary', orElse: 'copy-csv' } : { format: 'copy-csv' }));
  }

  override async open(run: Parameters<RecordingSink['open']>[0]): Promise<void> {
    await super.open(run);
    this.opened = true;
  }
}

test('the answer after open counts: the generator makes copy-binary in place of copy-csv', async () => {
  const plan = makePlan(ds);
  const sink = new ChoosingSink();
  await runPipeline({ run: buildRunInfo(plan), sources: generatorSource(plan), encoders: [copyCsvEncoder(), copyBinaryEncoder()], sinks: [sink] });
  const stream = sink.rec.streams.get('t')!;
  assert.equal(stream.format, 'copy-binary');
  assert.ok(stream.header.equals(PGCOPY_HEADER));
  assert.equal(sink.rec.batches.get('t')!.reduce((n, b) => n + b.count, 0), 50);
});

test('orElse: without the copy-binary encoder the sink gets copy-csv', async () => {
  const plan = makePlan(ds);
  const sink = new ChoosingSink();
  await runPipeline({ run: buildRunInfo(plan), sources: generatorSource(plan), encoders: [copyCsvEncoder()], sinks: [sink] });
  assert.equal(sink.rec.streams.get('t')!.format, 'copy-csv');
  assert.equal(Buffer.concat(sink.rec.batches.get('t')!.map((b) => b.bytes)).toString().split('\n')[0], '1,v0');
});

test('orElse: a source that passes copy-csv bytes through (and not copy-binary) keeps the sink on copy-csv', async () => {
  const t = info('t', ['id', 'v']);
  // Makes encodings that have `line` (copy-csv), not binary ones.
  const sources = new ArraySources([{ info: t, rows: [['1', 'a'], ['2', 'b']] }], { makesEncodings: true });
  const sink = new ChoosingSink();
  await runPipeline({ run: runOf([t]), sources, encoders: [copyCsvEncoder(), copyBinaryEncoder()], sinks: [sink] });
  assert.equal(sink.rec.streams.get('t')!.format, 'copy-csv');
  assert.equal(sources.tables[0]!.requests[0]!.rows, false, 'bytes passed through, no row values asked for');
});
