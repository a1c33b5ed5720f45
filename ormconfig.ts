import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from './src/platform/config/app-config';
import { buildDataSourceOptions } from './src/platform/database/data-source-options';

/** Data source for the typeorm CLI (`npm run migration:*`); same options as the app. */
export default new DataSource(buildDataSourceOptions(AppConfig.fromEnv()));
