import { ConsoleLogger, INestApplication, LogLevel, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import compression from 'compression';
import { constants as zlib } from 'node:zlib';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { restCorsOptions } from './auth/cors-policy';
import { AppConfig } from './platform/config/app-config';
import { RawEnv } from './platform/config/env.validation';
import { mountDashboard } from './dashboard/mount-dashboard';
import { AppLogger } from './platform/observability/app-logger';
import { AppIoAdapter } from './streaming/socket-io.adapter';
import { HttpErrorFilter } from './platform/validation/http-error.filter';
import { StrictValidationPipe } from './platform/validation/strict-validation.pipe';

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

export interface CreateAppHooks {
  /** Called with the Socket.IO server once the gateway creates it (during `app.init()`). */
  onSocketServer?: (server: unknown) => void;
}

/**
 * Builds the HTTP app exactly as `main.ts` runs it (prefix, validation,
 * Swagger, shutdown hooks) without listening, so tests boot the real thing.
 */
export async function createApp(
  overrides: RawEnv = {},
  hooks: CreateAppHooks = {},
): Promise<INestApplication> {
  const config = AppConfig.load(overrides);
  const app = await NestFactory.create(AppModule.forRoot(overrides), {
    logger: createLogger(config),
    abortOnError: false,
    // Shutdown: new requests get 503 at once, idle keep-alive sockets do not hold the close.
    return503OnClosing: true,
    forceCloseConnections: true,
  });
  // gzip or br (Accept-Encoding) for bodies over 1 KB: a 5000-candle page is ~1 MB of JSON and
  // shrinks about tenfold. The fastest levels: on a small box CPU is what runs out first, and
  // they keep most of the size gain (gzip 9 or br 11 would cost several times the CPU per page).
  app.use(
    compression({
      threshold: 1024,
      level: zlib.Z_BEST_SPEED,
      brotli: { params: { [zlib.BROTLI_PARAM_QUALITY]: 1 } },
    }),
  );
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  // One input rule for every route (src/platform/validation): strict query DTOs, bounded error messages.
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter(app.getHttpAdapter()));
  // SIGTERM/SIGINT: close everything, then exit 0 (not re-raise the signal, which would exit 143).
  app.enableShutdownHooks([], { useProcessExit: true });
  // Socket.IO options (limits, ping timing) and WEBSOCKET_PORT come from config.
  app.useWebSocketAdapter(new AppIoAdapter(app, config, hooks.onSocketServer));
  // CORS_ORIGINS allow-list; empty = same origin only (DESIGN.md section 11).
  app.enableCors(restCorsOptions(config.auth.corsOrigins));

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
      // "Authorize" takes the key either way; each requirement alone is enough.
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'fxp_... API key' }, 'bearer')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
  // The web dashboard at / (built into dist/web); never answers /api, /docs, /health, /metrics.
  mountDashboard(app);
  return app;
}
