import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeedpipeError } from '../../../src/index.js';
import { defaultTemplate, embedTextTransform } from '../../../stages/transforms/embed-text/index.js';
import { table, through } from './helpers.js';

const channels = table('channels', { id: 'bigint', owner_id: 'bigint', name: 'text', description: 'text', created_at: 'timestamptz' }, {
  foreignKeys: [{ columns: ['owner_id'], table: 'users', refColumns: ['id'], nullable: false }],
});
const rows = [[1, 5, 'general', 'Everything', new Date('2025-01-01T00:00:00Z')], [2, 6, 'random', null, new Date('2025-01-02T00:00:00Z')]];

test('a template fills columns (NULL as nothing, dates as ISO) into an embed_text column that files do not export', async () => {
  const r = (await through(embedTextTransform({ tables: { channels: '{name}: {description} ({created_at}) {{x}}' } }), channels, rows))!;
  const col = r.info.columns.at(-1)!;
  assert.deepEqual([col.name, col.exported], ['embed_text', false]);
  assert.deepEqual(r.rows.map((x) => x.at(-1)), ['general: Everything (2025-01-01T00:00:00.000Z) {x}', 'random:  (2025-01-02T00:00:00.000Z) {x}']);
});

test('a function of the row (a dataset embed.text) works the same', async () => {
  const r = (await through(embedTextTransform({ tables: { channels: (c) => `#${String(c.name)}` }, column: 'text' }), channels, rows))!;
  assert.deepEqual(r.rows.map((x) => x.at(-1)), ['#general', '#random']);
});

test('unknown columns and malformed templates fail when the run is assembled', () => {
  assert.throws(() => embedTextTransform({ tables: { channels: '{nope}' } }).forTable(channels), (e) => isSeedpipeError(e) && e.code === 'EMBED_TEMPLATE_COLUMN' && /description/.test(e.message));
  assert.throws(() => embedTextTransform({ tables: { channels: '{name' } }).forTable(channels), (e) => isSeedpipeError(e) && e.code === 'EMBED_TEMPLATE_INVALID');
});

test('the default template is the text columns that are not keys', () => {
  assert.equal(defaultTemplate(channels), '{name}\n{description}');
  assert.equal(defaultTemplate(table('ids', { id: 'bigint' })), undefined);
});
