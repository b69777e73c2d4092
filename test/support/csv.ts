/** Streams a CSV file's records (header first) with csv-parse; memory stays flat. */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

export async function* csvRecords(path: string): AsyncGenerator<string[]> {
  const parser = createReadStream(path).pipe(parse({ relax_column_count: false }));
  for await (const rec of parser) yield rec as string[];
}

export async function readCsv(path: string): Promise<{ header: string[]; rows: string[][] }> {
  const rows: string[][] = [];
  let header: string[] | undefined;
  for await (const r of csvRecords(path)) {
    if (!header) header = r;
    else rows.push(r);
  }
  return { header: header ?? [], rows };
}
