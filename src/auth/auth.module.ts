import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { REDIS_CLIENT, type RedisClient } from '../platform/redis';
import { AppConfig } from '../platform/config';
import { ApiKey } from './api-key.entity';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysService } from './api-keys.service';
import { CONNECTION_SLOTS, createConnectionSlots } from './connection-slots';
import { KeysController } from './keys.controller';
import { createRateLimitStore, RATE_LIMIT_STORE } from './rate-limit-store';
import { RateLimitGuard } from './rate-limit.guard';
import { SocketAuthService } from './socket-auth.service';

/**
 * API keys, the REST guards (key + scope, then the rate limit: global guards
 * run in the order registered here), the Socket.IO handshake middleware and
 * key management. Not global: its guards apply app-wide as APP_GUARDs, and the
 * Socket.IO adapter looks SocketAuthService up from the application.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKey])],
  controllers: [KeysController],
  providers: [
    ApiKeysService,
    SocketAuthService,
    {
      provide: RATE_LIMIT_STORE,
      inject: [AppConfig, { token: REDIS_CLIENT, optional: true }],
      useFactory: (config: AppConfig, redis?: RedisClient) =>
        createRateLimitStore(config.redis.url, redis, config.redis.keyPrefix),
    },
    {
      provide: CONNECTION_SLOTS,
      inject: [AppConfig, { token: REDIS_CLIENT, optional: true }],
      useFactory: (config: AppConfig, redis?: RedisClient) =>
        createConnectionSlots(config.redis.url, redis, config.redis.keyPrefix),
    },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [ApiKeysService, SocketAuthService],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    // Only a process that serves (not the CLI) is open to anyone, and the CLI's stderr stays clean.
    if (this.config.auth.mode === 'off' && this.adapterHost.httpAdapter) {
      new Logger('Auth').warn(
        'AUTH_MODE=off: every route and socket is open to anyone who can reach this port ' +
          '(set AUTH_MODE=keys before exposing it)',
      );
    }
  }
}
