import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from './src/platform/config/app-config';
import { appDataSourceOptions } from './src/entities';

/** Data source for the typeorm CLI (`npm run migration:*`); same options as the app. */
export default new DataSource(appDataSourceOptions(AppConfig.fromEnv()));
