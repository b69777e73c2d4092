export { filterTransform } from './transform.js';
export { compileExpression, type Compiled } from './expression.js';
export type { FilterOptions } from './options.js';
