/** The public surface of ingestion: other folders import only what is exported here. */
export { BackfillHooks } from './backfill-hooks.service';
export { IngestionCliModule } from './ingestion-cli.module';
export { IngestionModule } from './ingestion.module';
