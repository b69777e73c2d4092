/**
 * The lint rule that keeps datasets free of casts on what the typed dataset API already types:
 * `c.row`, `c.parent`, `c.params` and the results of `c.lookup`/`c.children`/`c.key`/`c.ref`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import config from '../../../eslint.config.js';
import { typedCasts } from '../../../scripts/lint/typed-casts.js';

const linter = new Linter({ configType: 'flat' });
const rules: Linter.Config[] = [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'no-restricted-syntax': ['error', ...typedCasts] } }];
const reported = (code: string): string[] => linter.verify(code, rules, 'config/x/tables.ts').map((m) => m.message);

test('a cast on c.row, c.parent or c.params, or of a lookup, is reported with what to do instead', () => {
  const casts = [
    'const a = (c) => c.row.rank as number;',
    'const a = (c) => (c.parent.created_at as Date).getTime();',
    'const a = (c) => c.params.scale as number;',
    'const a = (c) => c.row as { rank: number };',
    "const a = (c) => c.lookup('users', 0).email as string;",
    "const a = (c) => c.lookup('users', 0) as { email: string };",
    "const a = (c) => c.children('members', 0) as unknown[];",
    "const a = (c) => c.ref('users') as number;",
    'const a = (c) => c.row.plan as unknown as { start: number };',
  ];
  for (const code of casts) {
    const messages = reported(code);
    assert.ok(messages.length >= 1, `${code} is reported`);
    assert.match(messages[0]!, /declare the type instead/);
  }
});

test('typed reads, other casts and other names are not reported', () => {
  for (const code of [
    'const a = (c) => c.row.rank + 1;',
    "const a = (c) => c.lookup('users', 0).email;",
    'const a = (c) => (c.i % 2) as 0 | 1;',
    'const a = (c) => c.parentIndex as number;',
    "const a = ['x', 'y'] as const;",
    'const a = (row) => row.rank as number;',
  ]) assert.deepEqual(reported(code), [], code);
});

test('the repository lint applies it to every dataset file', () => {
  const blocks = config.filter((b) => b.files?.includes('config/**/*.ts'));
  const options = blocks.flatMap((b) => (b.rules?.['no-restricted-syntax'] as unknown[] | undefined) ?? []);
  for (const s of typedCasts) assert.ok(options.includes(s), `${s.selector} is on for config/`);
  assert.ok(options.some((o) => typeof o === 'object' && o !== null && String((o as { selector: string }).selector).includes('Math')), 'the determinism rule still applies there');
});
