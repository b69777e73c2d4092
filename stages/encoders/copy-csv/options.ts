/** Options of the `copy-csv` encoders: none; the two formats are the two ways a load treats deferred columns. */
export type CopyCsvEncoderOptions = Record<string, never>;
