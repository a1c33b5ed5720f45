/** The public surface of health: other folders import only what is exported here. */
export { HealthModule } from './health.module';
