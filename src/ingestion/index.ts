/** The public surface of ingestion: other folders import only what is exported here. */
export { BackfillHooks } from './backfill-hooks.service';
export { IngestionModule } from './ingestion.module';
