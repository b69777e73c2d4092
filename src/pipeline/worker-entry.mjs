// Worker bootstrap in plain JavaScript. From the sources (worker.ts next to this file) it registers
// the TypeScript loader in this thread first: loader hooks given on the command line do not reach
// worker threads on Node 20. The compiled package imports worker.js, and the dataset loader
// registers tsx itself when the dataset is a TypeScript file.
import { existsSync } from 'node:fs';

if (existsSync(new URL('./worker.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./worker.ts');
} else {
  await import('./worker.js');
}
