/**
 * Finds and imports a dataset: a built-in name (a folder of `config/`) or a path to a module whose
 * default export (or `dataset` export) is the result of `defineDataset`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SeedpipeError, usageError } from '../errors.js';
import { defineDataset } from './define.js';
import type { DatasetDef } from './types.js';

export const CONFIG_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'config');

export function builtinDatasets(): string[] {
  if (!existsSync(CONFIG_DIR)) return [];
  return readdirSync(CONFIG_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(CONFIG_DIR, d.name, 'dataset.ts')))
    .map((d) => d.name)
    .sort();
}

/** Resolves `nameOrPath` to an absolute module path. */
export function resolveDatasetPath(nameOrPath: string, cwd = process.cwd()): string {
  if (/^[a-z_][a-z0-9_-]*$/.test(nameOrPath) && existsSync(join(CONFIG_DIR, nameOrPath, 'dataset.ts'))) return join(CONFIG_DIR, nameOrPath, 'dataset.ts');
  const p = resolve(cwd, nameOrPath);
  for (const candidate of [p, join(p, 'dataset.ts'), join(p, 'index.ts')]) if (existsSync(candidate) && !candidate.endsWith('/')) {
    if (candidate === p && !/\.[cm]?[jt]s$/.test(p)) continue;
    return candidate;
  }
  throw usageError('DATASET_UNKNOWN', `unknown dataset "${nameOrPath}": not a built-in (${builtinDatasets().join(', ')}) nor a dataset module path`);
}

export async function loadDatasetModule(path: string): Promise<DatasetDef> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof SeedpipeError) throw e;
    throw new SeedpipeError('DATASET_LOAD_FAILED', `could not load dataset module ${path}: ${(e as Error).message}`, { disposition: 'usage', cause: e });
  }
  const def = (mod.default ?? mod.dataset) as DatasetDef | undefined;
  if (!def || typeof def !== 'object') throw usageError('DATASET_LOAD_FAILED', `${path} must export a dataset (export default defineDataset({ … }))`);
  return Object.isFrozen(def) ? def : defineDataset(def);
}

export async function loadDataset(nameOrPath: string, cwd?: string): Promise<{ def: DatasetDef; path: string }> {
  const path = resolveDatasetPath(nameOrPath, cwd);
  return { def: await loadDatasetModule(path), path };
}
