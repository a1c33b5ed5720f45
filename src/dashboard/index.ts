/** The public surface of dashboard: other folders import only what is exported here. */
export { mountDashboard } from './mount-dashboard';
