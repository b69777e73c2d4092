/**
 * The CLI as an installed package runs it: `npm run build` compiles dist/, and a folder holding bin/,
 * dist/ and package.json without the TypeScript sources next to them makes bin/seedpipe.js take the
 * compiled code (no tsx, no transform at start-up), as it does under node_modules/seedpipe.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Builds dist/ and lays out the package under `dir`; returns the path of its bin/seedpipe.js. */
export function installedCli(dir: string): string {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const root = join(dir, 'installed-seedpipe');
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync(join(ROOT, 'bin/seedpipe.js'), join(root, 'bin/seedpipe.js'));
  copyFileSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  // Compiled modules resolve from their real path (the checkout's dist/), and so do their dependencies.
  symlinkSync(join(ROOT, 'dist'), join(root, 'dist'));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  return join(root, 'bin/seedpipe.js');
}
