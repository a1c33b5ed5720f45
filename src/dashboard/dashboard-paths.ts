import { extname, resolve, sep } from 'node:path';

/**
 * Paths the dashboard never answers: the API, Swagger, probes, metrics and
 * Socket.IO keep their own 404s and handlers whatever the SPA fallback does.
 */
export const RESERVED_PREFIXES = [
  '/api',
  '/docs',
  '/docs-json',
  '/docs-yaml',
  '/health',
  '/metrics',
  '/socket.io',
] as const;

export function isReservedPath(path: string): boolean {
  const lower = path.toLowerCase();
  return RESERVED_PREFIXES.some((p) => lower === p || lower.startsWith(`${p}/`));
}

export type DashboardTarget =
  { kind: 'file'; file: string; immutable: boolean } | { kind: 'index' } | { kind: 'pass' };

/**
 * What a GET for `urlPath` should get: a file of the bundle (only inside
 * `root`), the SPA's index.html for a page route (no file extension), or
 * nothing (`pass`: the rest of the app answers, a 404 for a missing asset).
 */
export function resolveDashboardPath(root: string, urlPath: string): DashboardTarget {
  if (isReservedPath(urlPath)) return { kind: 'pass' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'pass' };
  }
  if (decoded.includes('\0')) return { kind: 'pass' };
  if (decoded === '/' || decoded === '/index.html') return { kind: 'index' };
  if (!extname(decoded)) return { kind: 'index' };
  const base = resolve(root);
  const file = resolve(base, `.${decoded}`);
  // resolve() collapses ../ segments: anything outside the bundle folder is not ours to serve.
  if (!file.startsWith(base + sep)) return { kind: 'pass' };
  // Vite names assets by content hash, so they can be cached for good.
  return { kind: 'file', file, immutable: decoded.startsWith('/assets/') };
}
