// The layering of src/, enforced by `npm run lint`:
//   - a folder is a feature (src/<feature>) or a platform part (src/platform/<part>);
//   - another folder is imported only through its index.ts (its public surface), never its files;
//   - the platform never imports a feature;
//   - nothing imports the composition root (the files directly under src/).
// Relative imports only: packages are not folders of ours. Tests (test/, *.spec.ts) may reach
// into internals, which is what they test; this rule covers src/ code.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const isFile = (path) => existsSync(path) && statSync(path).isFile();

function resolveImport(fromFile, spec) {
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')])
    if (isFile(candidate)) return candidate;
  return `${base}.ts`;
}

/** `{ folder, root }` of a file under src/, or undefined outside src/. */
export function folderOf(srcRoot, file) {
  const rel = relative(srcRoot, file);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  if (parts.length === 1) return { folder: null, root: srcRoot };
  const depth = parts[0] === 'platform' && parts.length > 2 ? 2 : 1;
  return { folder: parts.slice(0, depth).join('/'), root: join(srcRoot, ...parts.slice(0, depth)) };
}

function srcRootOf(file) {
  const parts = file.split(sep);
  const at = parts.lastIndexOf('src');
  return at < 0 ? undefined : parts.slice(0, at + 1).join(sep);
}

const rule = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Folders of src/ import each other only through index.ts; the platform imports no feature',
    },
    messages: {
      internals:
        "'{{spec}}' reaches into {{target}}'s internals; import it from '{{index}}' (its index.ts), and export what you need there",
      platform: "platform ({{source}}) must not import the feature {{target}} ('{{spec}}')",
      root: "'{{spec}}' imports the composition root; only src/*.ts may wire features together",
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const srcRoot = srcRootOf(file);
    if (!srcRoot || /\.spec\.ts$/.test(file)) return {};
    const source = folderOf(srcRoot, file);
    if (!source) return {};
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const targetFile = resolveImport(file, spec);
      const target = folderOf(srcRoot, targetFile);
      if (!target) return;
      if (target.folder === null) {
        if (source.folder !== null)
          context.report({ node: node.source, messageId: 'root', data: { spec } });
        return;
      }
      // The composition root wires everything (and lazy-loads single files to keep the CLI fast).
      if (target.folder === source.folder || source.folder === null) return;
      if (source.folder?.startsWith('platform') && !target.folder.startsWith('platform')) {
        context.report({
          node: node.source,
          messageId: 'platform',
          data: { spec, source: source.folder, target: target.folder },
        });
        return;
      }
      if (targetFile !== join(target.root, 'index.ts')) {
        let index = relative(dirname(file), target.root);
        if (!index.startsWith('.')) index = `./${index}`;
        context.report({
          node: node.source,
          messageId: 'internals',
          data: { spec, target: target.folder, index },
        });
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { boundaries: rule } };
