/** `seedpipe verify <s3 url | dir>`: re-read every file of a generation and check it against its manifest. */
import type { Command } from 'commander';
import { SeedpipeError } from '../../errors.js';
import { verify, type VerifyReport } from '../../verify.js';
import type { Io } from '../main.js';
import { table } from '../output.js';
import { s3Connection } from '../stages.js';

export function registerVerify(program: Command, io: Io): void {
  program
    .command('verify')
    .description('check every file of a generation (local directory or s3://bucket/prefix/generation_…/) against its manifest')
    .argument('<target>')
    .option('--s3-endpoint <url>', 'S3-compatible endpoint (default AWS_ENDPOINT_URL_S3)')
    .option('--s3-region <region>', 'S3 region')
    .option('--json', 'print the report as JSON')
    .action(async (target: string, o: { s3Endpoint?: string; s3Region?: string; json?: boolean }) => {
      const report: VerifyReport = target.startsWith('s3://')
        ? await (await import('../../../stages/sinks/s3/index.js')).verifyS3(target, s3Connection(o, io))
        : await verify(target);
      if (o.json) io.out(JSON.stringify(report) + '\n');
      else {
        io.out(
          table(
            ['file', 'ok', 'rows', 'bytes', 'problem'],
            report.files.map((f) => [f.file, f.ok ? 'ok' : 'FAIL', String(f.actual?.rows ?? '-'), String(f.actual?.bytes ?? '-'), f.problem ?? '']),
          ),
        );
      }
      if (!report.ok) throw new SeedpipeError('VERIFY_FAILED', `${report.files.filter((f) => !f.ok).length} file(s) do not match the manifest`, { disposition: 'data-quality' });
    });
}
