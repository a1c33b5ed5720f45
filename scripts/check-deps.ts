/**
 * Prints the dependency graph between the folders of src/ and fails when it has a cycle.
 *
 * A "folder" is a feature (src/<feature>) or a platform part (src/platform/<part>); files directly
 * under src/ (main.ts, app.module.ts, cli.ts, ...) are the composition root, which may import anything
 * and which nothing imports. Only relative imports count: packages are not folders of ours.
 *
 * `npm run check:deps` (add --json for the graph as JSON). Exit 1 when there is a cycle.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

// npm runs scripts from the package root (and so does Jest, which has no __dirname in ESM mode).
const ROOT = resolve(process.cwd(), 'src');
const IMPORT_RE =
  /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return /\.tsx?$/.test(name) && !/\.spec\.ts$/.test(name) ? [path] : [];
  });
}

/** The folder a file belongs to, or null for the composition root (files directly under src/). */
export function folderOf(file: string): string | null {
  const parts = relative(ROOT, file).split(sep);
  if (parts.length === 1) return null;
  if (parts[0] === 'platform') return parts.length > 2 ? `platform/${parts[1]}` : 'platform';
  return parts[0];
}

/** The file an import names: `x` is x.ts, x.tsx or the folder x's index.ts. */
function resolveFile(target: string): string {
  for (const candidate of [target, `${target}.ts`, `${target}.tsx`, join(target, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return `${target}.ts`;
}

export function buildGraph(files: string[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = folderOf(file);
    if (from === null) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(IMPORT_RE)) {
      const spec = match[1] ?? match[2];
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(ROOT + sep)) continue;
      const to = folderOf(resolveFile(target));
      if (to === null)
        throw new Error(`${relative(ROOT, file)} imports the composition root (${spec})`);
      if (to !== from) graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** Tarjan's strongly connected components; every component with more than one folder is a cycle. */
export function findCycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) visit(node);
  return cycles;
}

function main(): void {
  const graph = buildGraph(walk(ROOT));
  const cycles = findCycles(graph);
  const platformToFeature = [...graph].flatMap(([from, tos]) =>
    from.startsWith('platform')
      ? [...tos].filter((to) => !to.startsWith('platform')).map((to) => `${from} -> ${to}`)
      : [],
  );
  if (process.argv.includes('--json')) {
    const json = Object.fromEntries([...graph].map(([k, v]) => [k, [...v].sort()]));
    console.log(JSON.stringify({ graph: json, cycles, platformToFeature }, null, 2));
  } else {
    for (const [from, tos] of [...graph].sort(([a], [b]) => a.localeCompare(b))) {
      console.log(`${from.padEnd(24)} -> ${[...tos].sort().join(', ') || '(nothing)'}`);
    }
    console.log(`\n${graph.size} folders, ${cycles.length} cycle(s)`);
    for (const cycle of cycles) console.log(`cycle: ${cycle.join(' <-> ')}`);
    for (const edge of platformToFeature) console.log(`platform depends on a feature: ${edge}`);
  }
  if (cycles.length > 0 || platformToFeature.length > 0) process.exitCode = 1;
}

if (typeof require !== 'undefined' && require.main === module) main();
