#!/usr/bin/env node
// Entry point: runs the CLI under the heap settings of src/heap.mjs (flat memory at any row count),
// in a child process when node was started without them (signals are forwarded, the exit status is the child’s).
// Flags already given by the user (NODE_OPTIONS or node flags) win. An installed package runs the
// compiled JavaScript in dist/; a checkout of the repository (TypeScript sources next to this file)
// runs the sources through tsx, so what is tested is what was edited.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const fromSources = existsSync(new URL('../src/cli/main.ts', import.meta.url));
const { HEAP_FLAGS } = await import(fromSources ? '../src/heap.mjs' : '../dist/src/heap.mjs');
const given = `${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`;
const missing = HEAP_FLAGS.filter((f) => !given.includes(f.split('=')[0]));

// Exit status of a child ended by a signal: the shell's 128 + signal number.
const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGQUIT: 131, SIGKILL: 137, SIGTERM: 143 };

if (missing.length > 0 && process.env.SEEDPIPE_NO_REEXEC !== '1') {
  // The IPC channel tells the child when this process is gone, even after `kill -9`: it then aborts
  // its run like on SIGTERM, so nothing keeps loading without the process that was launched.
  const child = spawn(process.execPath, [...process.execArgv, ...missing, process.argv[1], ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, SEEDPIPE_NO_REEXEC: '1' },
  });
  // Every interrupt is passed on. On a terminal Ctrl-C also reaches the child directly (same process
  // group); the child counts the same signal twice within a moment as one.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    });
  }
  child.on('exit', (code, signal) => {
    process.exit(signal ? (SIGNAL_EXIT[signal] ?? 128) : (code ?? 1));
  });
} else {
  if (fromSources) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  const { main } = await import(fromSources ? '../src/cli/main.ts' : '../dist/src/cli/main.js');
  const code = await main(process.argv.slice(2));
  // After an error or an interrupt the clean-up is done (sinks undid their writes before main
  // returned) and the error is printed: nothing left over may keep the process alive. What did: a
  // TLS handshake with an index host that never answers outlives the fetch that timed out (the
  // abort does not reach a connect in progress; undici gives it up after its 10 s connect timeout),
  // and a stopped upload's socket. stdout and stderr are synchronous for files and pipes here.
  if (code !== 0) process.exit(code);
  process.exitCode = code;
}
