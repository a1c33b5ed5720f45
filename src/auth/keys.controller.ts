import { Body, Controller, Delete, Get, Logger, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { NoQuery } from '../platform/validation';
import { ApiKeysService, type VerifiedKey } from './api-keys.service';
import {
  ApiKeyDto,
  ApiKeyListResponse,
  CreateApiKeyBody,
  CreatedApiKeyDto,
} from './dto/api-key.dto';
import { actorOf, AdminOnly, CurrentKey } from './request-auth';

/** Key management over REST (admin scope), the same operations as `keys:*` in the CLI. */
@ApiTags('keys')
@AdminOnly()
@Controller('keys')
export class KeysController {
  private readonly logger = new Logger('Admin');

  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: 'Every API key (prefix, name, scopes, limits, last use, revocation)' })
  @ApiOkResponse({ type: ApiKeyListResponse })
  async list(@Query() _query: NoQuery): Promise<ApiKeyListResponse> {
    const rows = await this.keys.list();
    return { count: rows.length, keys: rows.map((r) => ApiKeyDto.from(r)) };
  }

  @Post()
  @ApiOperation({
    summary: 'Create a key; the response is the only time the key itself is shown',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(
    @Body() body: CreateApiKeyBody,
    @CurrentKey() by: VerifiedKey | undefined,
  ): Promise<CreatedApiKeyDto> {
    const { key, record } = await this.keys.create({
      name: body.name,
      scope: body.scope,
      rateLimitPerMinute: body.rate_limit_per_minute,
      maxConnections: body.max_connections,
    });
    this.logger.log(
      `${actorOf(by)} created key fxp_${record.prefix}… (${record.scopes.join(', ')})`,
    );
    return { ...ApiKeyDto.from(record), key };
  }

  @Delete(':prefix')
  @ApiOperation({
    summary: 'Revoke a key by its prefix',
    description: 'Every instance refuses it within 5 s and closes its open sockets.',
  })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiNotFoundResponse({ description: 'No key has this prefix' })
  @ApiConflictResponse({ description: 'Already revoked' })
  async revoke(
    @Param('prefix') prefix: string,
    @CurrentKey() by: VerifiedKey | undefined,
  ): Promise<ApiKeyDto> {
    const record = await this.keys.revoke(prefix);
    this.logger.log(`${actorOf(by)} revoked key fxp_${record.prefix}…`);
    return ApiKeyDto.from(record);
  }
}
