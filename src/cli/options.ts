/**
 * Shared flag parsers: each rejects bad input with a one-line usage error that states the accepted
 * range. Every numeric flag has a maximum: a typo (an extra zero, a unit missing) fails at once instead of
 * running out of memory or time later.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';

/** A parser for integers in [min, max]. */
export function intIn(min: number, max: number, what = 'an integer'): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected ${what} from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`);
    return n;
  };
}

/** `--scale`: a positive factor; the plan also bounds each table's resulting row count. */
export function scaleArg(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1e6) throw new InvalidArgumentError('expected a positive number up to 1,000,000 (e.g. 0.1 or 10)');
  return n;
}

export function seedArg(v: string): number {
  return intIn(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'an integer seed')(v);
}

export function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

export function list(v: string, prev: string[] = []): string[] {
  return [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
}

/** Most generation workers: each is a V8 isolate of up to ~300 MB, and more than 4 per core only adds memory. */
export function maxWorkers(): number {
  return Math.max(4, 4 * availableParallelism());
}

/** A percentage, 0–100. */
export function percentArg(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('expected a percentage from 0 to 100');
  return n;
}

/**
 * Generation workers for `--workers auto` on a machine with `cores` cores: two fewer than the cores, and
 * one thread (no workers) below four. A run's main thread encodes and feeds the sinks and a database on
 * the same machine takes about a core of its own, so workers only add throughput on cores nobody else
 * needs: measured on 2 cores, 2 workers loaded chat's 1M messages at 0.91× and erp at 0.93× the speed
 * of one thread (worker start-up and the hand-over of each batch cost more than the second core gives).
 */
export function autoWorkers(cores = availableParallelism()): number {
  return cores < 4 ? 1 : cores - 2;
}

/** `auto` (see `autoWorkers`); otherwise 1 … 4 × cores. */
export function workersArg(v: string): number | 'auto' {
  if (v === 'auto') return 'auto';
  return intIn(1, maxWorkers(), `auto or a worker count (this machine has ${availableParallelism()} cores)`)(v);
}

/** A size such as `8MiB`, `512KB` or `1048576` (bytes); KB/MB/GB are read as KiB/MiB/GiB, as S3 tools do. */
export function bytesArg(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError('expected a size such as 8MiB');
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * mult);
}

/** `--s3-part-size`: S3's limits for a multipart part, 5 MiB to 5 GiB; refused outside them, never silently moved. */
export function partSizeArg(v: string): number {
  const n = bytesArg(v);
  if (n < 5 * 1024 ** 2 || n > 5 * 1024 ** 3) throw new InvalidArgumentError('expected a part size from 5MiB to 5GiB (S3\'s limits for one part)');
  return n;
}
