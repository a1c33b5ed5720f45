import { availableParallelism } from 'node:os';

/**
 * `npm run start:cluster`: main.ts with WORKERS defaulting to this machine's
 * cores (availableParallelism) instead of 1. An explicit WORKERS wins. The
 * workers the primary forks run this file too and inherit WORKERS, so they
 * start as workers (main.ts decides by cluster.isPrimary).
 */
if (!process.env.WORKERS) process.env.WORKERS = String(availableParallelism());
void import('./main');
