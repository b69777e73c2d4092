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

/** The built-in datasets: `config/` next to `src/`, in the sources and in the compiled `dist/`. */
export const CONFIG_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'config');
/** Built-in dataset modules are `.ts` in the sources and `.js` once compiled. */
const BUILTIN_FILE = import.meta.url.endsWith('.ts') ? 'dataset.ts' : 'dataset.js';
/** Module files tried, in order, when a dataset path names a folder. */
const FOLDER_FILES = ['dataset.ts', 'dataset.mts', 'dataset.js', 'dataset.mjs', 'index.ts', 'index.mts', 'index.js', 'index.mjs'];

export function builtinDatasets(): string[] {
  if (!existsSync(CONFIG_DIR)) return [];
  return readdirSync(CONFIG_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(CONFIG_DIR, d.name, BUILTIN_FILE)))
    .map((d) => d.name)
    .sort();
}

/** Resolves `nameOrPath` to an absolute module path. */
export function resolveDatasetPath(nameOrPath: string, cwd = process.cwd()): string {
  if (/^[a-z_][a-z0-9_-]*$/.test(nameOrPath) && existsSync(join(CONFIG_DIR, nameOrPath, BUILTIN_FILE))) return join(CONFIG_DIR, nameOrPath, BUILTIN_FILE);
  const p = resolve(cwd, nameOrPath);
  for (const candidate of [p, ...FOLDER_FILES.map((f) => join(p, f))]) if (existsSync(candidate) && !candidate.endsWith('/')) {
    if (candidate === p && !/\.[cm]?[jt]s$/.test(p)) continue;
    return candidate;
  }
  throw usageError('DATASET_UNKNOWN', `unknown dataset "${nameOrPath}": not a built-in (${builtinDatasets().join(', ')}) nor a dataset module path`);
}

let tsLoader: Promise<unknown> | undefined;

/**
 * TypeScript dataset files need a loader. From the sources one is active already (this file is
 * TypeScript); the compiled package registers tsx on the first `.ts` dataset, never before, so
 * library use runs on plain Node.
 */
function ensureTsLoader(): Promise<unknown> {
  return (tsLoader ??= (async () => {
    if (!import.meta.url.endsWith('.ts')) (await import('tsx/esm/api')).register();
    (await import('tsx/cjs/api')).register();
  })());
}

export async function loadDatasetModule(path: string): Promise<DatasetDef> {
  let mod: Record<string, unknown>;
  try {
    if (/\.[cm]?ts$/.test(path)) await ensureTsLoader();
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof SeedpipeError) throw e;
    throw new SeedpipeError('DATASET_LOAD_FAILED', `could not load dataset module ${path}: ${(e as Error).message}`, { disposition: 'usage', cause: e });
  }
  // A `.ts` file in a package without "type": "module" is a CommonJS module (as the user's own tsc
  // sees it): import() then returns `module.exports` as `default`, and the export is inside it.
  const cjs = mod.default as Record<string, unknown> | undefined;
  if (cjs && typeof cjs === 'object' && '__esModule' in cjs) mod = cjs;
  const def = (mod.default ?? mod.dataset) as DatasetDef | undefined;
  if (!def || typeof def !== 'object') throw usageError('DATASET_LOAD_FAILED', `${path} must export a dataset (export default defineDataset({ … }))`);
  return Object.isFrozen(def) ? def : defineDataset(def);
}

export async function loadDataset(nameOrPath: string, cwd?: string): Promise<{ def: DatasetDef; path: string }> {
  const path = resolveDatasetPath(nameOrPath, cwd);
  return { def: await loadDatasetModule(path), path };
}
