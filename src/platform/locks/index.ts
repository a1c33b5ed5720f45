/** The public surface of platform/locks: other folders import only what is exported here. */
export { tryAdvisoryLock } from './advisory-lock';
export { LeaderElection } from './leader-election';
