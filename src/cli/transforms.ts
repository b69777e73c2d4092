/**
 * Transforms from flags, shared by `export` and `copy`: `--mask`, `--filter`, `--sample`, and the
 * per-table `--where` of the Postgres source. Secrets (the masking key) come from the environment or
 * a file, never from the command line (other users can read a process's arguments).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Transform } from '../contracts.js';
import { usageError } from '../errors.js';
import { filterTransform } from '../../stages/transforms/filter/index.js';
import { maskTransform, type MaskKind } from '../../stages/transforms/mask/index.js';
import { sampleTransform } from '../../stages/transforms/sample/index.js';
import type { Io } from './main.js';

export interface TransformFlags {
  /** `true` (bare `--mask`), `auto`, or `table.column=kind,…` (explicit choices on top of the heuristics). */
  mask?: string | boolean;
  maskKeyFile?: string;
  /** false with --no-mask-auto. */
  maskAuto?: boolean;
  filter?: string[];
  sample?: number;
  sampleSeed?: number;
  sampleKey?: string[];
}

/** `table: text` → [table, text]; `what` names the flag in errors. */
export function perTable(values: readonly string[] | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const m = /^\s*([^:\s]+)\s*:\s*([\s\S]+)$/.exec(v);
    if (!m) throw usageError('FLAG_INVALID', `${what} ${JSON.stringify(v)}: expected "table: condition"`);
    out[m[1]!] = out[m[1]!] ? `(${out[m[1]!]}) AND (${m[2]!.trim()})` : m[2]!.trim();
  }
  return out;
}

function maskKey(flags: TransformFlags, io: Io): string {
  if (flags.maskKeyFile) {
    try {
      return readFileSync(resolve(io.cwd, flags.maskKeyFile), 'utf8').trim();
    } catch (e) {
      throw usageError('MASK_KEY_INVALID', `cannot read the masking key from --mask-key-file ${flags.maskKeyFile}: ${(e as Error).message}`);
    }
  }
  const k = io.env.SEEDPIPE_MASK_KEY;
  if (!k) throw usageError('MASK_KEY_INVALID', '--mask needs a secret key: set SEEDPIPE_MASK_KEY or pass --mask-key-file FILE (at least 16 characters; the same key gives the same masked data)');
  return k;
}

/** `users.email=email,users.bio=keep` → explicit column choices. */
function maskColumns(spec: string): Record<string, MaskKind | 'keep'> {
  const out: Record<string, MaskKind | 'keep'> = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^=]+)=([a-z_]+)$/.exec(part);
    if (!m) throw usageError('FLAG_INVALID', `--mask ${part}: expected table.column=kind (kinds: email, name, first_name, last_name, phone, address, city, postal, text, id, uuid, keep) or auto`);
    out[m[1]!.trim()] = m[2] as MaskKind | 'keep';
  }
  return out;
}

/** The transforms of every sink, in order: filter, sample, then mask. */
export function flagTransforms(flags: TransformFlags, io: Io): Transform[] {
  const out: Transform[] = [];
  const where = perTable(flags.filter, '--filter');
  if (Object.keys(where).length) out.push(filterTransform({ where }));
  if (flags.sample !== undefined) {
    const keys: Record<string, string[]> = {};
    for (const k of flags.sampleKey ?? []) {
      const m = /^([^=]+)=(.+)$/.exec(k);
      if (!m) throw usageError('FLAG_INVALID', `--sample-key ${k}: expected table=column[+column…]`);
      keys[m[1]!.trim()] = m[2]!.split('+').map((s) => s.trim());
    }
    out.push(sampleTransform({ rate: flags.sample, ...(flags.sampleSeed !== undefined ? { seed: flags.sampleSeed } : {}), keys }));
  }
  if (flags.mask !== undefined && flags.mask !== false) {
    const spec = typeof flags.mask === 'string' && flags.mask !== 'auto' ? flags.mask : '';
    out.push(maskTransform({ key: maskKey(flags, io), columns: maskColumns(spec), auto: flags.maskAuto !== false }));
  }
  return out;
}

/** `--sample`: a share above 0 and at most 1. */
export function rateArg(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !(n > 0 && n <= 1)) throw usageError('FLAG_INVALID', `--sample ${v}: expected a share above 0 and at most 1, e.g. 0.1`);
  return n;
}
