export { copyBinaryEncoder, encoders, COPY_BINARY } from './encoder.js';
