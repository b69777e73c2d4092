export { standardEncoders } from './encoder.js';
export type { StandardEncoderOptions } from './options.js';
