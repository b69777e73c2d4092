/**
 * Sharded runs on an existing scheduler: `seedpipe prepare` once, `seedpipe run --mode shard
 * --shard k/n` (or `--shards n` with JOB_COMPLETION_INDEX / AWS_BATCH_JOB_ARRAY_INDEX) in parallel,
 * then `seedpipe finalize` once: constraints re-created and validated, S3 and CSV manifests written.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadDataset } from '../../dataset/load.js';
import { SeedpipeError } from '../../errors.js';
import { MANIFEST_FILE } from '../../manifest.js';
import { makePlan } from '../../plan/plan.js';
import { buildRunInfo } from '../../pipeline/run-info.js';
import type { Io } from '../main.js';
import { resolveDb } from '../database.js';
import { addDbTimeoutFlags, confirmOnTty, connectWithTimeouts, generationTime, s3Connection, type SinkFlags } from '../stages.js';
import { datasetOf } from '../settings.js';
import { intIn } from '../options.js';
import { addProfileFlags, planOptionsOf, type RunFlags } from './run.js';

export function registerShards(program: Command, io: Io): void {
  addDbTimeoutFlags(addProfileFlags(program.command('prepare').description('prepare a database for a sharded load: create/empty the tables, set their foreign keys and indexes aside').argument('[dataset]', 'built-in name or path (default: "dataset" of the config file)'))
    .option('--db <url>', 'database (default: DATABASE_URL, else db.url of the config file, else database <dataset> on the embedded Postgres)')
    .option('--create-tables', 'create missing tables from the dataset’s DDL')
    .option('-y, --yes', 'empty tables holding rows without asking')
    .option('--confirm-production', 'allow a non-local database'))
    .action(async (dataset: string | undefined, f: RunFlags & Pick<SinkFlags, 'dbConnectTimeout' | 'dbStatementTimeout'>) => {
      const { def } = await loadDataset(datasetOf(io, dataset), io.cwd);
      const plan = makePlan(def, { ...planOptionsOf(f, io), shard: undefined });
      const db = await resolveDb(io, f.db, { start: true, database: def.name });
      const { prepareShardedLoad } = await import('../../../stages/sinks/postgres/index.js');
      const r = await prepareShardedLoad({
        url: db.url,
        dataset: def.name,
        schema: def.schema ?? 'public',
        connect: (url) => connectWithTimeouts(url, f),
        tables: plan.tables.map((t) => t.info),
        createTables: f.createTables === true || db.embedded,
        yes: f.yes === true,
        confirmProduction: f.confirmProduction === true,
        confirm: (tables) => confirmOnTty(io, `Empty ${tables.length} table(s) (${tables.join(', ')}) in ${db.display}?`),
      });
      io.out(`prepared ${db.display}: ${r.created.length} table(s) created, ${r.foreignKeys} foreign key(s) and ${r.indexes} index(es) set aside until finalize\n`);
    });

  addDbTimeoutFlags(addProfileFlags(program.command('finalize').description('finish a sharded load: re-create and validate constraints, move sequences, write S3/CSV manifests').argument('[dataset]', 'built-in name or path (default: "dataset" of the config file)'))
    .option('--shards <n>', 'how many shards ran (1–100,000)', intIn(1, 100_000))
    .option('--db <url>', 'database to finalize (default: DATABASE_URL, else db.url of the config file, else database <dataset> on the embedded Postgres)')
    .option('--skip-db', 'no database to finalize')
    .option('--s3 <url>', 's3://bucket/prefix the shards uploaded to')
    .option('--s3-generation <yyyymmdd_hhmmss>', 'the shards’ generation folder')
    .option('--s3-endpoint <url>', 'S3-compatible endpoint')
    .option('--s3-region <region>', 'S3 region')
    .option('--out <dir>', 'directory of the shards’ CSV part files')
    .option('--confirm-production', 'allow a non-local database'))
    .action(async (dataset: string | undefined, f: RunFlags & Pick<SinkFlags, 'dbConnectTimeout' | 'dbStatementTimeout'> & { s3Generation?: string; s3Endpoint?: string; s3Region?: string }) => {
      if (!f.shards) throw new SeedpipeError('SHARDS_COUNT_MISSING', 'finalize needs --shards n (how many shards ran)', { disposition: 'usage' });
      const count = f.shards;
      const { def } = await loadDataset(datasetOf(io, dataset), io.cwd);
      const plan = makePlan(def, { ...planOptionsOf({ ...f, shards: undefined }, io), shard: undefined });
      const run = buildRunInfo(plan);
      if (!f.skipDb) {
        const db = await resolveDb(io, f.db, { start: false, database: def.name });
        const { finalizeShardedLoad } = await import('../../../stages/sinks/postgres/index.js');
        const r = await finalizeShardedLoad({ url: db.url, dataset: def.name, schema: def.schema ?? 'public', tables: run.tables, confirmProduction: f.confirmProduction === true, connect: (url) => connectWithTimeouts(url, f) });
        io.out(`finalized ${db.display}: ${r.indexes} index(es) and ${r.foreignKeys} foreign key(s) re-created and validated\n`);
      }
      if (f.s3) {
        if (!f.s3Generation) throw new SeedpipeError('S3_GENERATION_MISSING', 'finalize --s3 needs --s3-generation (the folder every shard wrote to)', { disposition: 'usage' });
        const { buildS3Client, finalizeS3Shards, generationFolder } = await import('../../../stages/sinks/s3/index.js');
        const conn = s3Connection(f, io);
        const url = `${f.s3.replace(/\/+$/, '')}/${generationFolder(generationTime(f.s3Generation))}/`;
        const r = await finalizeS3Shards(buildS3Client(conn), { url, run, count, ...(conn.endpoint ? { endpoint: conn.endpoint } : {}) });
        io.out(`wrote ${url}${MANIFEST_FILE} (${r.manifest.files.length} part files)\n`);
      }
      if (f.out) {
        const { finalizeCsvShards } = await import('../../../stages/sinks/csv/index.js');
        io.out(`wrote ${join(f.out, MANIFEST_FILE)} (${await finalizeCsvShards(f.out, count, run)} part files)\n`);
      }
    });
}
