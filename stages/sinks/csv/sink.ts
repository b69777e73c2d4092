/**
 * CSV sink: one RFC 4180 file per table with a header row (the `csv` encoding), written under a
 * temporary name and renamed into place only when the whole run commits, then `metadata.csv` and,
 * last, `manifest.json`. A shard writes `<table>.part-03-of-16.csv` and its own part manifest, merged
 * by `finalizeCsvShards`. Aborting removes the temporary files: a failed run leaves the directory as it was.
 *
 * Memory: per table being written, one batch plus the file streams' buffers (64 KiB each).
 */
import { mkdir, rename, writeFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  buildManifest, isSeedpipeError, partFileName, Phases, renderMetadataCsv, SeedpipeError, SinkLifecycle, usageError,
  type ManifestFile, type RunInfo, type RunObserver, type Sink, type SinkInput, type SinkSummary, type TableInfo, type TableResult, type TableStream, type TableWriter,
} from '../../../src/stage-kit.js';
import { HashingFileWriter } from './file-writer.js';
import { removeCsvLeftovers, tempFileName } from './leftovers.js';
import type { CsvSinkOptions } from './options.js';

export class CsvSink implements Sink {
  readonly name = 'csv';
  private run: RunInfo | undefined;
  private readonly dir: string;
  private readonly format: 'csv' | 'jsonl' | 'parquet';
  private readonly writers = new Set<HashingFileWriter>();
  private readonly staged: { tmp: string; final: string; file: ManifestFile }[] = [];
  /** metadata.csv and the manifest, staged under temporary names. */
  private readonly extras: { tmp: string; final: string }[] = [];
  private stagedResults: readonly TableResult[] | undefined;
  /** Files this run moved into place (a commit that fails halfway removes them: nothing half-visible). */
  private readonly published: string[] = [];
  private readonly life = new SinkLifecycle({ sink: 'csv', stateCode: 'CSV_SINK_STATE', undo: () => this.undo() });

  constructor(private readonly opts: CsvSinkOptions) {
    this.dir = resolve(opts.dir);
    this.format = opts.format ?? 'csv';
    if (!['csv', 'jsonl', 'parquet'].includes(this.format)) throw usageError('CSV_SINK_OPTIONS', `format must be csv, jsonl or parquet, not "${String(opts.format)}"`);
    if (this.format === 'parquet' && opts.gzip) throw usageError('CSV_SINK_OPTIONS', 'parquet files are compressed inside (snappy): leave out --gzip');
  }

  fileName(table: string): string {
    return partFileName(table, `.${this.format}${this.opts.gzip ? '.gz' : ''}`, this.run?.shard);
  }

  /** The CSV of exported tables; tables left out of exports are only counted. */
  input(info: TableInfo): SinkInput {
    return info.exported ? { format: this.format } : {};
  }

  private readonly phases = new Phases('csv');

  open(run: RunInfo, observer?: RunObserver): Promise<void> {
    this.phases.observe(observer);
    return this.life.open(async () => {
      this.run = run;
      await mkdir(this.dir, { recursive: true }).catch((e: unknown) => {
        throw new SeedpipeError('CSV_DIR_UNWRITABLE', `cannot create the output directory ${this.dir}: ${e instanceof Error ? e.message : String(e)}; pass another --out`, { data: { dir: this.dir }, cause: e });
      });
      // Temporary files of a killed run into the same directory.
      for (const line of await removeCsvLeftovers(this.dir)) this.opts.notice?.(line);
    });
  }

  async table(info: TableInfo, stream: TableStream): Promise<TableWriter> {
    this.life.assertOpen(`table ${info.name}`);
    if (!info.exported) {
      let rows = 0;
      return { write: async (b) => void (rows += b.count), close: async () => ({ table: info.name, rows: 0, bytes: 0, details: { skipped: 'table not exported', generated: rows } }) };
    }
    const file = this.fileName(info.name);
    const tmp = join(this.dir, tempFileName(file, process.pid));
    const w = new HashingFileWriter(tmp, stream, this.opts.gzip ? { level: this.opts.gzipLevel ?? 6 } : null, this.opts.openFile);
    this.writers.add(w);
    await w.start();
    return {
      write: (b) => w.write(b),
      close: async (): Promise<TableResult> => {
        const { bytes, sha256 } = await w.finish();
        this.writers.delete(w);
        const rows = w.rows;
        this.staged.push({ tmp, final: join(this.dir, file), file: { table: info.name, file, rows, bytes, sha256 } });
        return { table: info.name, rows, bytes, details: { path: join(this.dir, file), sha256 } };
      },
    };
  }

  /**
   * Before any sink commits: `metadata.csv` and the manifest written under temporary names next to
   * the table files, so a full disk fails the run before the database commits, not after.
   */
  async stage(results: readonly TableResult[]): Promise<void> {
    this.life.assertOpen('stage');
    await this.writeStaged(results);
  }

  /** What `stage` writes; `commit` without a `stage` before it (a single sink) writes it itself. */
  private async writeStaged(results: readonly TableResult[]): Promise<void> {
    const run = this.run!;
    const manifest = buildManifest(run, this.staged.map((s) => s.file), { finishedAt: new Date(), compression: this.opts.gzip ? 'gzip' : 'none' });
    // A shard's manifest is `manifest.part-03-of-16.json`, merged by finalize into `manifest.json`.
    for (const [name, body] of [[partFileName('metadata', '.csv', run.shard), renderMetadataCsv(manifest)], [partFileName('manifest', '.json', run.shard), JSON.stringify(manifest, null, 2) + '\n']] as const) {
      const tmp = join(this.dir, tempFileName(name, process.pid));
      this.extras.push({ tmp, final: join(this.dir, name) });
      await writeFile(tmp, body).catch((e: unknown) => {
        throw new SeedpipeError('CSV_WRITE_FAILED', `writing ${tmp}: ${e instanceof Error ? e.message : String(e)}; check free space and permissions of the output directory`, { data: { path: tmp }, cause: e });
      });
    }
    this.stagedResults = results;
  }

  commit(results: readonly TableResult[]): Promise<SinkSummary> {
    return this.life.commit(() => this.publish(results).catch((e: unknown) => {
      throw isSeedpipeError(e) ? e : new SeedpipeError('CSV_WRITE_FAILED', `publishing the files in ${this.dir}: ${e instanceof Error ? e.message : String(e)}`, { data: { dir: this.dir }, cause: e });
    }));
  }

  /**
   * Only renames (no space needed): the previous run's manifest goes first (the directory no longer
   * claims a complete set), then every file moves into place, `metadata.csv`, and the manifest last.
   */
  private async publish(results: readonly TableResult[]): Promise<SinkSummary> {
    if (this.stagedResults === undefined) await this.writeStaged(results);
    const run = this.run!;
    await rm(join(this.dir, partFileName('manifest', '.json', run.shard)), { force: true });
    await this.phases.step('publishing files', async (tick) => {
      for (const [i, s] of this.staged.entries()) {
        tick(i, s.file.file);
        await rename(s.tmp, s.final);
        this.published.push(s.final);
      }
      tick(this.staged.length);
    }, this.staged.length);
    for (const x of this.extras) {
      await rename(x.tmp, x.final);
      this.published.push(x.final);
    }
    return { sink: 'csv', location: this.dir, tables: results.filter((r) => !r.details?.skipped) };
  }

  abort(reason: unknown): Promise<void> {
    return this.life.abort(reason);
  }

  get undone(): string | undefined {
    return this.life.undone;
  }

  private async undo(): Promise<string> {
    const files = this.writers.size + this.staged.length + this.extras.length;
    await Promise.allSettled([...this.writers].map((w) => w.discard()));
    this.writers.clear();
    await Promise.allSettled([...this.staged, ...this.extras].map((s) => rm(s.tmp, { force: true })));
    await Promise.allSettled(this.published.map((p) => rm(p, { force: true })));
    const published = this.published.length;
    this.staged.length = 0;
    this.extras.length = 0;
    this.published.length = 0;
    return `removed ${files} unfinished file(s) in ${this.dir}${published ? ` (${published} of them already moved into place)` : ''}`;
  }
}
