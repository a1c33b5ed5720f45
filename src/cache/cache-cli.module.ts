import { Module } from '@nestjs/common';
import { CacheModule } from './cache.module';
import { CacheClearCommand, CacheWarmCommand } from './cache.commands';

/**
 * The cache commands, imported by CliModule only. They are kept out of
 * CacheModule (and so out of AppModule) because nest-commander is CommonJS
 * that require()s the ESM-only @nestjs/common: fine in the CLI under Node's
 * require(esm), but it cannot load inside Jest's ESM runtime, so every
 * integration test booting AppModule would fail.
 */
@Module({ imports: [CacheModule], providers: [CacheWarmCommand, CacheClearCommand] })
export class CacheCliModule {}
