import { INestApplication, Logger } from '@nestjs/common';
import { DEFAULT_DASHBOARD_DIR, dashboardBuilt, dashboardMiddleware } from './dashboard.middleware';

/**
 * Serves the dashboard at / from the app's own HTTP server (no second server).
 * Mounted before Nest registers its routes; it only answers what is not the
 * API, Swagger, probes, metrics or Socket.IO, so those keep their handlers.
 */
export function mountDashboard(app: INestApplication, root: string = DEFAULT_DASHBOARD_DIR): void {
  if (!dashboardBuilt(root)) {
    new Logger('Dashboard').warn(
      `no dashboard bundle in ${root}: run \`npm run build:web\` (npm start does) to serve it at /`,
    );
  }
  app.use(dashboardMiddleware(root));
}
