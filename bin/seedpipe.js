#!/usr/bin/env node
// Entry point: runs the CLI under the heap settings of src/heap.mjs (flat memory at any row count).
// Flags already given by the user (NODE_OPTIONS or node flags) win. An installed package runs the
// compiled JavaScript in dist/; a checkout of the repository (TypeScript sources next to this file)
// runs the sources through tsx, so what is tested is what was edited.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const fromSources = existsSync(new URL('../src/cli/main.ts', import.meta.url));
const { HEAP_FLAGS } = await import(fromSources ? '../src/heap.mjs' : '../dist/src/heap.mjs');
const given = `${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`;
const missing = HEAP_FLAGS.filter((f) => !given.includes(f.split('=')[0]));

if (missing.length > 0 && process.env.SEEDPIPE_NO_REEXEC !== '1') {
  const child = spawn(process.execPath, [...process.execArgv, ...missing, process.argv[1], ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, SEEDPIPE_NO_REEXEC: '1' },
  });
  // On a terminal Ctrl-C reaches the child directly (same process group): the parent only waits.
  // Signals sent to this process alone (schedulers, kill) are passed on.
  const interactive = Boolean(process.stdin.isTTY);
  process.on('SIGINT', () => {
    if (!interactive) child.kill('SIGINT');
  });
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
} else {
  if (fromSources) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  const { main } = await import(fromSources ? '../src/cli/main.ts' : '../dist/src/cli/main.js');
  process.exitCode = await main(process.argv.slice(2));
}
