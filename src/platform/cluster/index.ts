/** The public surface of platform/cluster: other folders import only what is exported here. */
export { clusterRefusal } from './cluster-refusal';
export { runClusterPrimary, STOP_BACKSTOP_MS } from './cluster-primary';
export type { ClusterPrimaryOptions } from './cluster-primary';
export { holdStickyConnections } from './cluster-worker';
export type { StickyWorker } from './cluster-worker';
export { primaryLog } from './primary-log';
export type { PrimaryLog } from './primary-log';
export { RestartBackoff } from './restart-backoff';
