export { embedTextTransform, parseTemplate, defaultTemplate, EMBED_TEXT_COLUMN } from './transform.js';
export type { EmbedTextOptions } from './options.js';
