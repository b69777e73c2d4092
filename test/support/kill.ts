/** Runs the CLI as a user does and interrupts it: a signal to the launched wrapper or to the CLI under it. */
import { spawn, execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { BIN } from './cli.js';
import { isRunning } from './postgres.js';

export interface Killed {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** PID of the CLI process under the wrapper. */
  cli: number;
}

export interface KillOptions {
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /** Send the signal once stderr matches this (a table or step finished)… */
  when: RegExp;
  /** …and this many milliseconds more. Default 0. */
  afterMs?: number;
  /** …and then once this holds (polled every 10 ms), e.g. a stand-in has received the writes to undo. */
  until?: () => boolean;
  signal: NodeJS.Signals;
  to: 'wrapper' | 'cli';
}

export function runAndKill(o: KillOptions): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const e = { ...process.env, ...o.env };
    for (const [k, v] of Object.entries(e)) if (v === undefined) delete e[k];
    const child = spawn(process.execPath, [BIN, ...o.args], { cwd: o.cwd, env: e, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    let cli = 0;
    const limit = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (sent || !o.when.test(stderr)) return;
      sent = true;
      const fire = (): void => {
        if (o.until && !o.until()) {
          setTimeout(fire, 10);
          return;
        }
        cli = Number(execFileSync('pgrep', ['-P', String(child.pid)]).toString().trim().split('\n')[0]);
        process.kill(o.to === 'wrapper' ? child.pid! : cli, o.signal);
      };
      setTimeout(fire, o.afterMs ?? 0);
    });
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(limit);
      if (!sent) reject(new Error(`the run ended before ${String(o.when)}: ${stderr}`));
      else resolve({ code, signal: sig, stderr, cli });
    });
  });
}

export async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 600 && isRunning(pid); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(!isRunning(pid), `process ${pid} still runs`);
}
