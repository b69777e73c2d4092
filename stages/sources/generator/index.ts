export { GeneratorSources, generatorSource } from './source.js';
export type { GeneratorOptions } from './options.js';
