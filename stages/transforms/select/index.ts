export { selectTransform } from './transform.js';
export type { SelectOptions } from './options.js';
