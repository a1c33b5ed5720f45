import {
  ConsoleLogger,
  INestApplication,
  LogLevel,
  RequestMethod,
  ValidationPipe,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { RawEnv } from './config/env.validation';
import { mountDashboard } from './dashboard/mount-dashboard';
import { AppLogger } from './health/logging/app-logger';
import { AppIoAdapter } from './streaming/socket-io.adapter';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest's console logger at the configured level; JSON lines (with instance_id) when LOG_FORMAT=json. */
export function createLogger(
  config: AppConfig,
  hideContexts: readonly string[] = [],
): ConsoleLogger {
  const upTo = LEVELS.indexOf(config.app.logLevel as LogLevel);
  return new AppLogger(
    config.app.instanceId,
    {
      json: config.app.logFormat === 'json',
      logLevels: LEVELS.slice(0, upTo + 1),
      colors: config.app.logFormat !== 'json' && process.stdout.isTTY,
    },
    hideContexts,
  );
}

/**
 * Builds the HTTP app exactly as `main.ts` runs it (prefix, validation,
 * Swagger, shutdown hooks) without listening, so tests boot the real thing.
 */
export async function createApp(overrides: RawEnv = {}): Promise<INestApplication> {
  const config = AppConfig.load(overrides);
  const app = await NestFactory.create(AppModule.forRoot(overrides), {
    logger: createLogger(config),
    abortOnError: false,
    // Shutdown: new requests get 503 at once, idle keep-alive sockets do not hold the close.
    return503OnClosing: true,
    forceCloseConnections: true,
  });
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      transformOptions: { enableImplicitConversion: false },
    }),
  );
  // SIGTERM/SIGINT: close everything, then exit 0 (not re-raise the signal, which would exit 143).
  app.enableShutdownHooks([], { useProcessExit: true });
  // Socket.IO options (limits, ping timing) and WEBSOCKET_PORT come from config.
  app.useWebSocketAdapter(new AppIoAdapter(app, config));
  app.enableCors();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('FX Data Pipeline')
      .setVersion(config.app.version)
      .setDescription(
        'Self-hosted FX market data: hourly bid/ask/mid candles, volatility metrics and technical indicators, ' +
          'a daily correlation matrix with ranked best pairs, market sessions and live prices. ' +
          'Live prices and alerts are also pushed over Socket.IO (same port; see the README for the event contract). ' +
          'Prices are JSON numbers; times are ISO-8601 UTC.',
      )
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  // The web dashboard at / (built into dist/web); never answers /api, /docs, /health, /metrics.
  mountDashboard(app);
  return app;
}
