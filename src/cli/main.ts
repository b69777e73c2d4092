/**
 * The CLI entry: builds the command tree (commander) and maps errors to exit codes. The only place
 * that knows about exit codes: 0 ok, 1 failure, 2 usage error (bad flag, dataset, profile).
 */
import { Command, CommanderError, Option } from 'commander';
import { isSeedpipeError, redact } from '../errors.js';
import { versions } from '../pipeline/run-info.js';
import { registerRun } from './commands/run.js';
import { registerPlan } from './commands/plan.js';
import { registerDb } from './commands/db.js';
import { registerValidate } from './commands/validate.js';
import { registerVerify } from './commands/verify.js';
import { registerOps } from './commands/ops.js';
import { registerIntrospect } from './commands/introspect.js';
import { registerShards } from './commands/shards.js';
import { registerInit } from './commands/init.js';
import type { SeedpipeConfig } from './config.js';
import { applyProjectSettings } from './settings.js';
import { addHelp } from './help.js';
import { registerExport } from './commands/export.js';
import { registerCopy } from './commands/copy.js';
import { registerClean } from './commands/clean.js';
import { isInterrupted, watchSignals } from './signals.js';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
  /** Terminal width of stderr when it is a terminal (progress and summary fit in it). */
  columns?: number;
  /** The config file's folder once one is found (the embedded database, `.env`, relative paths). */
  projectDir?: string;
  /** The validated config file, set before a command's action runs. */
  config?: Readonly<SeedpipeConfig>;
  configFile?: string;
  /**
   * The process's interrupts (absent when the CLI runs inside a program). A command that can undo
   * its work claims them and gets a signal that aborts on SIGINT/SIGTERM/SIGHUP; for any other
   * command an interrupt ends the process at once.
   */
  interrupts?: { claim(): AbortSignal };
}

export function defaultIo(): Io {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
    ...(process.stderr.isTTY && process.stderr.columns ? { columns: process.stderr.columns } : {}),
  };
}

export function buildProgram(io: Io): Command {
  const program = new Command('seedpipe')
    .description('Fill databases, data lakes and vector indexes with realistic, related, reproducible synthetic data.')
    .version(versions().seedpipe)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  program.addOption(new Option('--no-color', 'disable colours').hideHelp());
  registerRun(program, io);
  registerPlan(program, io);
  registerDb(program, io);
  registerValidate(program, io);
  registerVerify(program, io);
  registerOps(program, io);
  registerIntrospect(program, io);
  registerShards(program, io);
  registerExport(program, io);
  registerCopy(program, io);
  registerClean(program, io);
  registerInit(program, io);
  for (const c of program.commands) {
    for (const leaf of c.commands.length ? c.commands : [c]) {
      leaf.option('--config <file>', 'config file (default: the nearest seedpipe.config.{ts,mts,js,mjs,cjs,json} here or above)');
      leaf.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
    }
    c.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  }
  addHelp(program);
  // Config file and .env, then their values for options no flag set: before every action.
  program.hook('preAction', (_program, action) => applyProjectSettings(io, action));
  return program;
}

/**
 * Runs the CLI and returns the exit code. Without an `io` it is the process's own CLI: interrupts
 * abort the command (exit 128 + signal number) and a second one exits at once (the only exit call).
 */
export async function main(argv: string[], given?: Io): Promise<number> {
  const interrupts = given ? undefined : watchSignals({ err: (s) => process.stderr.write(s), exit: (code) => process.exit(code) });
  const io: Io = given ?? { ...defaultIo(), ...(interrupts ? { interrupts } : {}) };
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    const end = argv.indexOf('--');
    const json = (end < 0 ? argv : argv.slice(0, end)).includes('--json');
    return exitCodeFor(e, io, { json });
  } finally {
    interrupts?.dispose();
  }
}

/**
 * The exit code of an error, and its one line on stderr. With `--json`, stdout also gets one JSON
 * object `{"error":{"code","message","exitCode",…}}` (secrets redacted), never a stack trace.
 */
export function exitCodeFor(e: unknown, io: Io, o: { json?: boolean } = {}): number {
  const secrets = [io.env.AWS_SECRET_ACCESS_KEY, io.env.OPENAI_API_KEY, io.env.PINECONE_API_KEY, io.env.PGPASSWORD];
  const json = (error: Record<string, unknown>): void => {
    if (o.json) io.out(redact(JSON.stringify({ error }), secrets) + '\n');
  };
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    // commander already printed a one-line error
    json({ code: 'USAGE', reason: e.code.replace(/^commander\./, ''), message: e.message.replace(/^error: /, ''), exitCode: 2 });
    return 2;
  }
  if (isInterrupted(e) && isSeedpipeError(e)) {
    io.err(`seedpipe: ${redact(e.message, secrets)}\n`);
    const code = Number(e.data.exitCode) || 130;
    json({ code: e.code, message: redact(e.message, secrets), exitCode: code });
    return code;
  }
  if (isSeedpipeError(e)) {
    io.err(`seedpipe: ${redact(e.message, secrets)} [${e.code}]\n`);
    const code = e.disposition === 'usage' ? 2 : 1;
    // A command that already printed its JSON document with the failure in it (dry run) adds none.
    if (e.data.onStdout !== true) json({ code: e.code, message: redact(e.message, secrets), disposition: e.disposition, exitCode: code, ...(Object.keys(e.data).length ? { data: e.data } : {}) });
    return code;
  }
  const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
  io.err(`seedpipe: unexpected error: ${redact(msg, secrets)}\n`);
  json({ code: 'UNEXPECTED', message: redact(e instanceof Error ? e.message : String(e), secrets), exitCode: 1 });
  return 1;
}
