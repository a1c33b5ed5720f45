import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { resolveDashboardPath } from './dashboard-paths';

/** Where `npm run build:web` puts the bundle (web/vite.config.mts), relative to the working directory. */
export const DEFAULT_DASHBOARD_DIR = resolve(process.cwd(), 'dist', 'web');

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  // The page holds an API key and has admin buttons: no framing, no referrer.
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

export function dashboardBuilt(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}

const isFile = (file: string): boolean => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/**
 * Express middleware serving the built dashboard: static files of the bundle
 * and index.html for any other page route (SPA fallback). GET and HEAD only;
 * everything else, and every reserved path, goes on to the Nest routes.
 */
export function dashboardMiddleware(root: string = DEFAULT_DASHBOARD_DIR) {
  const index = join(root, 'index.html');
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const target = resolveDashboardPath(root, req.path);
    if (target.kind === 'pass') return next();
    const file = target.kind === 'index' ? index : target.file;
    if (!isFile(file)) return next();
    res.set(SECURITY_HEADERS);
    res.set(
      'Cache-Control',
      target.kind === 'file' && target.immutable
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    );
    res.sendFile(file, { dotfiles: 'deny' }, (error) => {
      if (error && !res.headersSent) next();
    });
  };
}
