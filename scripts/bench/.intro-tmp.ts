import { chmod, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { realCase } from './datasets.js';
const { startEmbedded, stopEmbedded } = await import('../../src/db/embedded.js');
const dir = await mkdtemp(join(tmpdir(), 'pgx-')); await chmod(dir, 0o755);
const server = await startEmbedded({ dir: join(dir, 'pg') });
try { const k = await realCase('lago', server.url, '/tmp/perfwork', Number(process.argv[2] ?? 1000)); console.log(k.dataset); }
finally { await stopEmbedded(join(dir, 'pg')); }
