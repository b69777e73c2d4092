export { maskTransform, maskPlan } from './transform.js';
export { classify } from './classify.js';
export { Pseudonyms, MASK_KINDS, type MaskKind } from './pseudonyms.js';
export type { MaskOptions } from './options.js';
