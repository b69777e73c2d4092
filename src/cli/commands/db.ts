/** `seedpipe db start|stop|status|url|psql`: the embedded default database under .seedpipe/postgres. */
import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { displayUrl, embeddedStatus, startEmbedded, stopEmbedded } from '../../db/embedded.js';
import { usageError } from '../../errors.js';
import type { Io } from '../main.js';
import { embeddedDir } from '../database.js';

export function registerDb(program: Command, io: Io): void {
  const db = program.command('db').description('manage the embedded PostgreSQL that runs use when no database is given');
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
    .description('is it running, and where')
    .option('--json', 'as JSON')
    .action(async (o: { json?: boolean }) => {
      const s = await embeddedStatus(embeddedDir(io));
      const view = { running: s.running, url: s.url ? displayUrl(s.url) : null, port: s.port ?? null, dataDir: s.dataDir };
      io.out(o.json ? JSON.stringify(view) + '\n' : `${s.running ? 'running' : 'stopped'}${s.url ? ` at ${displayUrl(s.url)}` : ''}\ndata: ${s.dataDir}\n`);
    });
  db.command('url')
    .description('print the connection URL (with the local-only password) for apps and psql')
    .action(async () => {
      const s = await embeddedStatus(embeddedDir(io));
      if (!s.running || !s.url) throw usageError('DB_NOT_RUNNING', 'the embedded database is not running; run "seedpipe db start"');
      io.out(s.url + '\n');
    });
  db.command('psql')
    .description('open psql on it')
    .allowUnknownOption()
    .argument('[args...]', 'extra psql arguments')
    .action(async (args: string[]) => {
      const s = await embeddedStatus(embeddedDir(io));
      if (!s.running || !s.url) throw usageError('DB_NOT_RUNNING', 'the embedded database is not running; run "seedpipe db start"');
      const r = spawnSync('psql', [s.url, ...args], { stdio: 'inherit' });
      if (r.error) throw usageError('PSQL_NOT_FOUND', 'psql is not installed; install the PostgreSQL client (e.g. apt-get install postgresql-client) or connect with the URL from "seedpipe db url"');
    });
}
