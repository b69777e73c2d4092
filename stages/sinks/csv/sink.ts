/**
 * CSV sink: one RFC 4180 file per table with a header row, written under a temporary name and
 * renamed into place only when the whole run commits, then `metadata.csv` and, last,
 * `manifest.json`. Aborting removes the temporary files: a failed run leaves the directory as it was.
 */
import { mkdir, rename, writeFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RowBatch, RunInfo, Sink, SinkSummary, TableInfo, TableResult, TableWriter } from '../../../src/contracts.js';
import { buildManifest, renderMetadataCsv, MANIFEST_FILE, METADATA_FILE, type ManifestFile } from '../../../src/manifest.js';
import { createEncoder } from '../../../src/encode/csv.js';
import { HashingFileWriter } from './file-writer.js';
import type { CsvSinkOptions } from './options.js';

export class CsvSink implements Sink {
  readonly name = 'csv';
  private run: RunInfo | undefined;
  private readonly dir: string;
  private readonly writers = new Set<HashingFileWriter>();
  private readonly staged: { tmp: string; final: string; file: ManifestFile }[] = [];
  private committed = false;

  constructor(private readonly opts: CsvSinkOptions) {
    this.dir = resolve(opts.dir);
  }

  fileName(table: string): string {
    const shard = this.run?.shard;
    const base = shard ? `${table}.part-${shard.index}-of-${shard.count}` : table;
    return `${base}.csv${this.opts.gzip ? '.gz' : ''}`;
  }

  async open(run: RunInfo): Promise<void> {
    this.run = run;
    await mkdir(this.dir, { recursive: true });
  }

  async table(info: TableInfo): Promise<TableWriter> {
    if (!info.exported) {
      let rows = 0;
      return { write: async (b) => void (rows += b.count), close: async () => ({ table: info.name, rows: 0, bytes: 0, details: { skipped: 'table not exported', generated: rows } }) };
    }
    const file = this.fileName(info.name);
    const tmp = join(this.dir, `.${file}.tmp-${process.pid}`);
    const w = new HashingFileWriter(tmp, this.opts.gzip ? { level: this.opts.gzipLevel ?? 6 } : null);
    this.writers.add(w);
    await w.write(createEncoder(info).header);
    let rows = 0;
    return {
      write: async (b: RowBatch) => {
        rows += b.count;
        await w.write(b.csv);
      },
      close: async (): Promise<TableResult> => {
        const { bytes, sha256 } = await w.finish();
        this.writers.delete(w);
        this.staged.push({ tmp, final: join(this.dir, file), file: { table: info.name, file, rows, bytes, sha256 } });
        return { table: info.name, rows, bytes, details: { path: join(this.dir, file), sha256 } };
      },
    };
  }

  async commit(results: readonly TableResult[]): Promise<SinkSummary> {
    for (const s of this.staged) await rename(s.tmp, s.final);
    const manifest = buildManifest(this.run!, this.staged.map((s) => s.file), { finishedAt: new Date(), compression: this.opts.gzip ? 'gzip' : 'none' });
    const shard = this.run!.shard;
    const suffix = shard ? `.part-${shard.index}-of-${shard.count}` : '';
    await writeFile(join(this.dir, METADATA_FILE.replace('.csv', `${suffix}.csv`)), renderMetadataCsv(manifest));
    await writeFile(join(this.dir, MANIFEST_FILE.replace('.json', `${suffix}.json`)), JSON.stringify(manifest, null, 2) + '\n');
    this.committed = true;
    return { sink: 'csv', location: this.dir, tables: results.filter((r) => !r.details?.skipped) };
  }

  async abort(): Promise<void> {
    if (this.committed) return;
    await Promise.allSettled([...this.writers].map((w) => w.discard()));
    this.writers.clear();
    await Promise.allSettled(this.staged.map((s) => rm(s.tmp, { force: true })));
    this.staged.length = 0;
  }
}
