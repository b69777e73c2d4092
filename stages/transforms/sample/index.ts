export { sampleTransform } from './transform.js';
export type { SampleOptions } from './options.js';
