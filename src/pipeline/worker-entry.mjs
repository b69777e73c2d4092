// Worker bootstrap in plain JavaScript: registers the TypeScript loader in this thread, then runs
// the worker (loader hooks given on the command line do not reach worker threads on Node 20).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
