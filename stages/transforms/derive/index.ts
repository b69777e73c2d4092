export { deriveTransform } from './transform.js';
export type { DeriveOptions, DerivedColumn } from './options.js';
