// The layering rule of the repository, as an ESLint rule (see ARCHITECTURE.md, "Boundaries"):
//   - a stage (stages/<kind>/<name>/…) imports from src/ only its public surfaces, src/stage-kit.ts
//     and src/index.ts, and from stages/ only files of its own folder (a bundle folder, BUNDLES, also
//     the index of other folders of its kind: stages/encoders/standard gathers the standard encoders);
//   - the engine (src/ outside src/cli/) never imports a stage;
//   - the CLI (src/cli/) imports a stage only through its folder's index (stages/<kind>/<name>/index.ts).
// Static imports, re-exports and dynamic import() with a literal path are checked; package imports are not.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STAGE_KINDS = new Set(['sources', 'transforms', 'encoders', 'sinks']);
const PUBLIC_SRC = new Set(['src/stage-kit', 'src/index']);
/** Stage folders that bundle other folders of their kind for library users (through their index only). */
const BUNDLES = new Set(['stages/encoders/standard']);

/** Repository-relative path with `/` separators and without its extension (`.js` specifiers name `.ts` files). */
function repoPath(abs, root) {
  return relative(root, abs).split(sep).join('/').replace(/\.(m?[jt]s)$/, '');
}

/** `stages/<kind>/<name>` of a path inside a stage folder, else undefined. */
function stageFolder(p) {
  const m = /^stages\/([^/]+)\/([^/]+)\//.exec(p);
  return m && STAGE_KINDS.has(m[1]) ? `stages/${m[1]}/${m[2]}` : undefined;
}

export function violation(fromPath, toPath) {
  const from = fromPath;
  const to = toPath;
  const stage = stageFolder(from);
  if (stage) {
    if (to.startsWith('src/') && !PUBLIC_SRC.has(to)) return `a stage imports only src/stage-kit.ts or src/index.ts from the engine, not ${to}`;
    const kind = stage.slice(0, stage.lastIndexOf('/') + 1);
    if (BUNDLES.has(stage) && to.startsWith(kind) && /^stages\/[^/]+\/[^/]+\/index$/.test(to)) return undefined;
    if (to.startsWith('stages/') && !to.startsWith(`${stage}/`)) return `a stage imports only files of its own folder (${stage}/), not ${to}: move what both need into src/stage-kit.ts`;
    if (!to.startsWith('src/') && !to.startsWith('stages/')) return `a stage imports only src/stage-kit.ts, src/index.ts and its own folder, not ${to}`;
    return undefined;
  }
  if (from.startsWith('src/cli/')) {
    if (to.startsWith('stages/') && !/^stages\/[^/]+\/[^/]+\/index$/.test(to)) return `the CLI imports a stage only through its folder's index (stages/<kind>/<name>/index.ts), not ${to}`;
    return undefined;
  }
  if (from.startsWith('src/') && to.startsWith('stages/')) return `the engine (src/ outside src/cli/) never imports a stage (${to}); the CLI assembles stages`;
  return undefined;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'keep stages, engine and CLI in their layers' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: { boundary: '{{why}}' },
  },
  create(context) {
    const root = context.options[0]?.root ?? ROOT;
    const file = context.physicalFilename ?? context.filename;
    const from = repoPath(file, root);
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const why = violation(from, repoPath(resolve(dirname(file), source), root));
      if (why) context.report({ node, messageId: 'boundary', data: { why } });
    };
    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { boundaries: rule } };
