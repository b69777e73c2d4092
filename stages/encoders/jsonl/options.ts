/** Options of the `jsonl` encoder: none; a table's exported columns, one JSON object per line. */
export type JsonlEncoderOptions = Record<string, never>;
