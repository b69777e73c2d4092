/** Options of the `embed-text` transform. */
export interface EmbedTextOptions {
  /**
   * The text to embed, per table: a template (`'{name}: {description}'`, columns in braces, `{{` and
   * `}}` for braces, NULL as nothing) or a function of the row (a dataset's `embed.text`). Tables not
   * named are left alone.
   */
  tables: Readonly<Record<string, string | ((row: Record<string, unknown>) => string)>>;
  /** Name of the column the text goes into. Default `embed_text`. */
  column?: string;
}
