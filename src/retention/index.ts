/** The public surface of retention: other folders import only what is exported here. */
export { RetentionModule } from './retention.module';
