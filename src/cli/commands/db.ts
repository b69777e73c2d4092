/**
 * `seedpipe db start|stop|status|url|psql`: the embedded default server under .seedpipe/postgres.
 * Each dataset has its own database there (`run chat` → database `chat`); `url` and `psql` take
 * `--database NAME`, else the database of the last run.
 */
import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { displayUrl, embeddedStatus, startEmbedded, stopEmbedded } from '../../db/embedded.js';
import { listDatabases } from '../../db/databases.js';
import { usageError } from '../../errors.js';
import type { Io } from '../main.js';
import { embeddedDir, resolveDb } from '../database.js';

const DATABASE = ['--database <name>', 'database on the embedded Postgres (default: the last run’s; `seedpipe db status` lists them)'] as const;

async function embeddedTarget(io: Io, database: string | undefined) {
  const s = await embeddedStatus(embeddedDir(io));
  if (!s.running || !s.url) throw usageError('DB_NOT_RUNNING', 'the embedded database is not running; run "seedpipe db start"');
  // Only the embedded server: --db and DATABASE_URL are not this command's business.
  return resolveDb({ ...io, env: {}, config: {} }, undefined, { start: false, ...(database ? { database } : {}) });
}

export function registerDb(program: Command, io: Io): void {
  const db = program.command('db').description('manage the embedded PostgreSQL that runs use when no database is given (one database per dataset)');
  db.command('start')
    .description('start it (created on first use under .seedpipe/postgres)')
    .action(async () => {
      const s = await startEmbedded({ dir: embeddedDir(io), notice: (l) => io.err(`seedpipe: ${l}\n`) });
      io.out(`${s.alreadyRunning ? 'already running' : 'started'}: ${displayUrl(s.url)} (data in ${embeddedDir(io)})\n`);
    });
  db.command('stop')
    .description('stop it (data is kept)')
    .action(async () => {
      const r = await stopEmbedded(embeddedDir(io), (l) => io.err(`seedpipe: ${l}\n`));
      io.out(r.wasRunning ? 'stopped\n' : 'not running\n');
    });
  db.command('status')
    .description('is it running, where, and which dataset databases it holds')
    .option('--json', 'as JSON')
    .action(async (o: { json?: boolean }) => {
      const s = await embeddedStatus(embeddedDir(io));
      const databases = s.running && s.url ? await listDatabases(s.url) : [];
      const view = { running: s.running, url: s.url ? displayUrl(s.url) : null, port: s.port ?? null, dataDir: s.dataDir, databases };
      io.out(o.json ? JSON.stringify(view) + '\n' : `${s.running ? 'running' : 'stopped'}${s.url ? ` at ${displayUrl(s.url)}` : ''}\ndata: ${s.dataDir}\n${s.running ? `databases: ${databases.join(', ') || '(none yet)'}\n` : ''}`);
    });
  db.command('url')
    .description('print the connection URL of a dataset’s database (with the local-only password) for apps and psql')
    .option(...DATABASE)
    .action(async (o: { database?: string }) => {
      io.out((await embeddedTarget(io, o.database)).url + '\n');
    });
  db.command('psql')
    .description('open psql on a dataset’s database')
    .option(...DATABASE)
    .allowUnknownOption()
    .argument('[args...]', 'extra psql arguments')
    .action(async (args: string[], o: { database?: string }) => {
      const t = await embeddedTarget(io, o.database);
      const r = spawnSync('psql', [t.url, ...args], { stdio: 'inherit' });
      if (r.error) throw usageError('PSQL_NOT_FOUND', 'psql is not installed; install the PostgreSQL client (e.g. apt-get install postgresql-client) or connect with the URL from "seedpipe db url"');
    });
}
