/** The public surface of platform/cli: other folders import only what is exported here. */
export { formatTable } from './format-table';
