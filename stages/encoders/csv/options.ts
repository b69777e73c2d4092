/** Options of the `csv` encoder. */
export interface CsvEncoderOptions {
  /** Start each table's stream with a header line of its exported column names. Default true. */
  header?: boolean;
}
