/**
 * The production guard: before touching a non-local database, show the target and the tables to
 * be replaced, then count down; Ctrl-C (SIGINT) during the countdown aborts with nothing changed.
 */
import { SeedpipeError } from '../../errors.js';
import type { Plan } from '../../plan/plan.js';
import type { Io } from '../main.js';
import type { DbTarget } from '../database.js';
import { parseDatabaseTarget } from '../../../stages/sinks/postgres/index.js';

export async function productionGuard(io: Io, db: DbTarget, planned: Plan | readonly string[], flags: { countdown?: number; mode: string }): Promise<void> {
  const t = parseDatabaseTarget(db.url);
  const tables = Array.isArray(planned) ? planned : (planned as Plan).tables.map((x) => x.name);
  io.err(`PRODUCTION DATABASE\n  host: ${t.hosts.join(',')}:${t.port}\n  database: ${t.database || '(default)'}\n  mode: ${flags.mode}\n`);
  io.err(`  tables ${flags.mode === 'replace' ? 'to be replaced' : flags.mode === 'reset' ? 'to be emptied' : 'to be written'} (${tables.length}): ${tables.join(', ')}\n`);
  const seconds = flags.countdown ?? 10;
  let aborted = false;
  const onSig = (): void => {
    aborted = true;
  };
  process.once('SIGINT', onSig);
  try {
    for (let s = seconds; s > 0 && !aborted; s--) {
      io.err(`  starting in ${s} s — press Ctrl-C to abort\n`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    process.removeListener('SIGINT', onSig);
  }
  if (aborted) throw new SeedpipeError('ABORTED_BY_USER', 'aborted during the production countdown; nothing was changed', { disposition: 'usage' });
}
