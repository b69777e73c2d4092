/**
 * A real S3-compatible server for tests: a single-node Ceph cluster with the RADOS Gateway, started
 * by scripts/services/start-ceph-rgw.sh in a temp dir on free ports (~15 s). Start it once per test
 * file (`before`/`after`). Needs scripts/services/install-ceph.sh (as root).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import type { ColumnInfo, RunInfo, SinkBatch, TableInfo } from '../../src/contracts.js';

export interface TestS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Seconds the cluster took to start. */
  startSeconds: number;
  /** PID of the radosgw daemon (from its pid file), e.g. to SIGSTOP it. */
  rgwPid(): number | undefined;
  /** Stops the cluster (kills its daemons by PID) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const START = join(ROOT, 'scripts/services/start-ceph-rgw.sh');
const STOP = join(ROOT, 'scripts/services/stop-ceph-rgw.sh');
/** The test cluster keeps its data in memory only: no need for radosgw's ~6 s clean shutdown. */
const STOP_ENV = { CEPH_STOP_GRACE_SECS: '1' };

/** A port nothing listens on right now (the kernel's pick for listen(0) on 127.0.0.1). */
async function freePort(avoid: readonly number[] = []): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await new Promise<number>((res, rej) => {
      const srv = createServer();
      srv.once('error', rej);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        const p = typeof addr === 'object' && addr ? addr.port : 0;
        srv.close(() => res(p));
      });
    });
    if (port > 0 && !avoid.includes(port)) return port;
  }
  throw new Error('no free TCP port found on 127.0.0.1');
}

/**
 * Environment for the daemons: without AWS_* variables (the machine sets AWS_CA_BUNDLE, which has
 * no business with a plain-http local server) and with the cluster's own settings only.
 */
function serviceEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('CEPH_')) env[k] = v;
  return { ...env, ...extra };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', rej);
    child.once('close', (code) => res({ code, stdout, stderr }));
  });
}

export async function startTestS3(): Promise<TestS3> {
  if (spawnSync('sh', ['-c', 'command -v radosgw'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('radosgw is not installed: run `bash scripts/services/install-ceph.sh` as root (Debian: radosgw ceph-mon ceph-osd)');
  }
  if (!existsSync(START)) throw new Error(`missing ${START}`);
  const base = await mkdtemp(join(tmpdir(), 'seedpipe-rgw-'));
  const dir = join(base, 'cluster');
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    spawnSync('bash', [STOP, dir], { env: serviceEnv(STOP_ENV), stdio: 'ignore' });
    spawnSync('rm', ['-rf', base], { stdio: 'ignore' });
  };
  // A test process that exits without calling stop() must not leave daemons behind.
  process.once('exit', stopSync);

  const started = performance.now();
  let lastError = '';
  // Ports are free when picked but may be taken before the daemons bind them: retry with new ones.
  for (let attempt = 0; attempt < 3; attempt++) {
    const rgwPort = await freePort();
    const monPort = await freePort([rgwPort]);
    const r = await run('bash', [START, dir, String(rgwPort), String(monPort)], serviceEnv());
    const endpoint = r.stdout.trim().split('\n').pop() ?? '';
    if (r.code === 0 && endpoint.startsWith('http://')) {
      return {
        endpoint,
        accessKeyId: 'SEEDACCESSKEY',
        secretAccessKey: 'SEEDSECRETKEY',
        region: 'us-east-1',
        startSeconds: (performance.now() - started) / 1000,
        rgwPid() {
          try { const pid = Number(readFileSync(join(dir, 'run', 'client.rgw.pid'), 'utf8').trim()); return pid > 0 ? pid : undefined; } catch { return undefined; }
        },
        async stop() {
          if (stopped) return;
          stopped = true;
          process.removeListener('exit', stopSync);
          await run('bash', [STOP, dir], serviceEnv(STOP_ENV));
          await rm(base, { recursive: true, force: true });
        },
      };
    }
    lastError = `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-15).join('\n')}`;
  }
  stopSync();
  process.removeListener('exit', stopSync);
  throw new Error(`Ceph RGW did not start: ${lastError}`);
}

/** An S3 client for the test server: path-style, explicit credentials, checksums only when required. */
export function testS3Client(env: Pick<TestS3, 'endpoint' | 'accessKeyId' | 'secretAccessKey'> & { region?: string }): S3Client {
  return new S3Client({
    endpoint: env.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

// ---------------------------------------------------------------------------------------------
// Fixtures: literal RunInfo/TableInfo and CSV batches, built without the generator.

export function tableInfo(name: string, columns: readonly string[], opts: { hidden?: readonly string[]; rows?: number; exported?: boolean } = {}): TableInfo {
  const cols: ColumnInfo[] = columns.map((c) => ({ name: c, type: 'text', nullable: true, exported: !(opts.hidden ?? []).includes(c), deferred: false }));
  return { name, columns: cols, primaryKey: [columns[0] ?? 'id'], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: opts.exported ?? true, rows: opts.rows ?? 0, firstRow: 0 };
}

export function runInfo(tables: readonly TableInfo[], over: Partial<RunInfo> = {}): RunInfo {
  return {
    dataset: 'test',
    seed: 42,
    profile: 'light',
    scale: 1,
    refDate: '2024-01-01T00:00:00.000Z',
    startedAt: '2024-03-05T07:08:09.000Z',
    versions: { seedpipe: '0.1.0', faker: '10.0.0', node: process.version },
    tables,
    ...over,
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote or newline. */
export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A batch whose CSV holds the exported columns of `info` (LF line endings, no header). */
export function csvBatch(info: TableInfo, start: number, rows: unknown[][]): SinkBatch {
  const exported = info.columns.map((c, i) => (c.exported ? i : -1)).filter((i) => i >= 0);
  const csv = rows.map((r) => exported.map((i) => csvField(r[i])).join(',') + '\n').join('');
  return { table: info.name, start, count: rows.length, rows, bytes: Buffer.from(csv) };
}

/**
 * Deterministic batches of a wide table (`id,name,note`), about `totalBytes` of CSV in all, generated
 * on the fly (never held whole). Notes include commas, quotes and newlines now and then.
 */
export function* bigBatches(info: TableInfo, totalBytes: number, rowsPerBatch = 4096): Generator<SinkBatch> {
  let bytes = 0;
  let i = 0;
  while (bytes < totalBytes) {
    const rows: unknown[][] = [];
    for (let k = 0; k < rowsPerBatch; k++, i++) {
      let x = (i * 2654435761) >>> 0;
      x = (x ^ (x >>> 13)) >>> 0;
      const note = x % 97 === 0 ? `multi\nline, "quoted" ${x}` : `note-${x.toString(36)}-${'abcdefghij'.repeat(1 + (x % 7))}`;
      rows.push([i, `name_${(x % 100000).toString().padStart(5, '0')}`, note]);
    }
    const b = csvBatch(info, i - rowsPerBatch, rows);
    bytes += b.bytes.length;
    yield b;
  }
}
