// Lint: typescript-eslint's recommended rules plus the project's determinism and layering rules.
import tseslint from 'typescript-eslint';
import layers from './scripts/lint/boundaries.js';
import { typedCasts } from './scripts/lint/typed-casts.js';

const determinism = [
  { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Use the seeded rng from the generator context.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.seedpipe/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', ...determinism],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@faker-js/faker', importNames: ['faker'], message: 'Use the injected Faker from the generator context.' }] },
      ],
    },
  },
  {
    // stages → only src's public surface; the engine never imports stages; the CLI only stage indexes.
    files: ['src/**/*.ts', 'stages/**/*.ts'],
    plugins: { seedpipe: layers },
    rules: { 'seedpipe/boundaries': 'error' },
  },
  {
    // Datasets: no casts on what the typed dataset API already types (c.row, c.parent, c.params, lookups).
    files: ['config/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...determinism, ...typedCasts] },
  },
  {
    files: ['test/**', 'scripts/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
