import { InitialSchema1763700000000 } from './1763700000000-InitialSchema';
import { ApiKeys1764100000000 } from './1764100000000-ApiKeys';

/**
 * Every migration, oldest first. Listed explicitly (not globbed) so the app,
 * the typeorm CLI, jest and the compiled build all load the same classes.
 * `npm run migration:generate` writes a new file: add its class here.
 */
export const MIGRATIONS = [InitialSchema1763700000000, ApiKeys1764100000000];
