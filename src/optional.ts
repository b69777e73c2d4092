/**
 * Optional peer dependencies: the heavy SDKs of some stages (S3, Pinecone, LanceDB, OpenAI) are
 * not installed with seedpipe. A stage loads its SDK when it is first used, and a missing one is
 * a usage error that names the packages and the command that installs them, at the versions this
 * release supports (its `peerDependencies`).
 */
import { createRequire } from 'node:module';
import { SeedpipeError } from './errors.js';

const require = createRequire(import.meta.url);

function peerRange(pkg: string): string | undefined {
  const own = require('seedpipe/package.json') as { peerDependencies?: Record<string, string> };
  return own.peerDependencies?.[pkg];
}

/** Whether `e` says that `pkg` itself cannot be found (not a broken dependency inside it). */
function isMissing(e: unknown, pkg: string): boolean {
  const err = e as { code?: unknown; message?: unknown };
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' && err?.code !== 'MODULE_NOT_FOUND') return false;
  const msg = String(err.message);
  return msg.includes(`'${pkg}'`) || msg.includes(`'${pkg}/`) || msg.includes(`"${pkg}"`);
}

/**
 * The error for a stage whose packages are not installed. `feature` names what needs them, e.g.
 * "the S3 sink (--s3)"; `packages` lists every package the stage needs, installed or not, so one
 * command installs them all.
 */
export function missingDependencyError(feature: string, packages: readonly string[], cause?: unknown): SeedpipeError {
  const specs = packages.map((p) => {
    const range = peerRange(p);
    return range ? `${p}@${range}` : p;
  });
  const names = packages.length === 1 ? `the optional package ${packages[0]}` : `the optional packages ${packages.join(' and ')}`;
  return new SeedpipeError('OPTIONAL_DEPENDENCY_MISSING', `${feature} needs ${names}, which ${packages.length === 1 ? 'is' : 'are'} not installed; install ${packages.length === 1 ? 'it' : 'them'} with: npm install ${specs.map((s) => (/[<> |]/.test(s) ? `'${s}'` : s)).join(' ')}`, {
    disposition: 'usage',
    data: { feature, packages: [...packages] },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Throws the missing-dependency error unless every package resolves (nothing is loaded). */
export function assertInstalled(feature: string, packages: readonly string[]): void {
  for (const pkg of packages) {
    try {
      require.resolve(pkg);
    } catch (e) {
      // An import-only package resolves for `import` but not for require.resolve: it is there.
      if ((e as { code?: unknown }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') continue;
      if (isMissing(e, pkg)) throw missingDependencyError(feature, packages, e);
      throw e;
    }
  }
}

/**
 * Loads an optional package synchronously (CommonJS packages: the AWS SDK, Pinecone, LanceDB and
 * Arrow ship one), resolved from seedpipe's own location as a static import would be.
 */
export function requireOptional<M>(pkg: string, feature: string, packages: readonly string[] = [pkg]): M {
  try {
    return require(pkg) as M;
  } catch (e) {
    if (isMissing(e, pkg)) throw missingDependencyError(feature, packages, e);
    throw e;
  }
}

/** Loads an optional package as an ES module (for packages whose ESM and CommonJS builds differ). */
export async function importOptional<M>(pkg: string, feature: string, packages: readonly string[] = [pkg]): Promise<M> {
  try {
    return (await import(pkg)) as M;
  } catch (e) {
    if (isMissing(e, pkg)) throw missingDependencyError(feature, packages, e);
    throw e;
  }
}
