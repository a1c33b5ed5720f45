import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Logger,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { VerifiedKey } from '../auth';
import { actorOf, CurrentKey, OwnRecords } from '../auth';
import { NoQuery } from '../platform/validation';
import { AlertRulesService } from './alert-rules.service';
import { AlertEventsQuery } from './dto/alert-events.query';
import { CreateAlertRuleBody, UpdateAlertRuleBody } from './dto/alert-rule.body';
import {
  AlertEventDto,
  AlertEventPageDto,
  AlertRuleDto,
  AlertRuleListDto,
  BuiltinAlertEventPageDto,
  BuiltinAlertRuleDto,
  BuiltinAlertRuleListDto,
  CreatedAlertRuleDto,
} from './dto/alert-rule.response';

/** The owner of what a request touches: its key, or the single implicit owner (0) when AUTH_MODE=off. */
const ownerOf = (key: VerifiedKey | undefined): number => key?.id ?? 0;

const EXAMPLE_RULE = {
  instrument: 'EUR_USD',
  condition: { type: 'price_cross_above', level: 1.095 },
  price: 'mid',
  frequency: 'once_per_bar',
  cooldown_seconds: 0,
  hysteresis: 0.0001,
  expires_at: null,
  webhook_url: 'https://example.com/hooks/fx',
};

/**
 * Alert rules and their history (DESIGN.md section 12). A key sees and
 * changes only its own rules (the `read` scope is enough for that); another
 * key's rule answers 404.
 */
@ApiTags('alerts')
@OwnRecords()
@Controller('alerts')
export class AlertsController {
  private readonly logger = new Logger('Alerts');

  constructor(private readonly alerts: AlertRulesService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a rule; the answer carries webhook_secret, the only time it is shown',
  })
  @ApiBody({ type: CreateAlertRuleBody, examples: { price: { value: EXAMPLE_RULE } } })
  @ApiCreatedResponse({ type: CreatedAlertRuleDto })
  @ApiBadRequestResponse({ description: 'A field is invalid (named in the message)' })
  @ApiConflictResponse({ description: 'ALERT_RULES_PER_KEY reached' })
  async create(
    @Query() _query: NoQuery,
    @Body() body: CreateAlertRuleBody,
    @CurrentKey() key: VerifiedKey | undefined,
  ): Promise<CreatedAlertRuleDto> {
    const { rule, secret } = await this.alerts.create(ownerOf(key), body);
    // The secret is never logged: only that the rule has one.
    this.logger.log(
      `${actorOf(key)} created alert rule ${rule.id} (${rule.conditionType}${secret ? ', webhook' : ''})`,
    );
    return { ...AlertRuleDto.from(rule), ...(secret ? { webhook_secret: secret } : {}) };
  }

  @Get()
  @ApiOperation({ summary: "This key's rules" })
  @ApiOkResponse({ type: AlertRuleListDto })
  async list(
    @Query() _query: NoQuery,
    @CurrentKey() key: VerifiedKey | undefined,
  ): Promise<AlertRuleListDto> {
    const rules = await this.alerts.list(ownerOf(key));
    return {
      count: rules.length,
      limit: this.alerts.limit,
      rules: rules.map((r) => AlertRuleDto.from(r)),
    };
  }

  @Get('events')
  @ApiOperation({ summary: "This key's alert history, newest first, with a cursor" })
  @ApiOkResponse({ type: AlertEventPageDto })
  async events(
    @Query() query: AlertEventsQuery,
    @CurrentKey() key: VerifiedKey | undefined,
  ): Promise<AlertEventPageDto> {
    return this.alerts.history(ownerOf(key), { limit: query.limit, cursor: query.cursor });
  }

  // Before ':id', which would otherwise take "builtin" as a rule id.
  @Get('builtin')
  @ApiOperation({
    summary: 'The built-in rules (volatility ratio, correlation moves), read-only',
    description:
      'Configured by the VOLATILITY_ALERT_* and CORRELATION_ALERT_* settings; they deliver volatility_alert and correlation_alert.',
  })
  @ApiOkResponse({ type: BuiltinAlertRuleListDto })
  async builtin(@Query() _query: NoQuery): Promise<BuiltinAlertRuleListDto> {
    const rules = await this.alerts.builtinRules();
    return { count: rules.length, rules: rules.map((r) => BuiltinAlertRuleDto.fromBuiltin(r)) };
  }

  @Get('builtin/events')
  @ApiOperation({ summary: "The built-in rules' history, newest first, with a cursor" })
  @ApiOkResponse({ type: BuiltinAlertEventPageDto })
  async builtinEvents(@Query() query: AlertEventsQuery): Promise<BuiltinAlertEventPageDto> {
    return this.alerts.builtinHistory({ limit: query.limit, cursor: query.cursor });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One rule' })
  @ApiOkResponse({ type: AlertRuleDto })
  @ApiNotFoundResponse({ description: 'No such rule for this key' })
  async get(
    @Param('id') id: string,
    @Query() _query: NoQuery,
    @CurrentKey() key: VerifiedKey | undefined,
  ): Promise<AlertRuleDto> {
    return AlertRuleDto.from(await this.alerts.get(ownerOf(key), id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a rule (any field of the create body)',
    description:
      'Changing the condition, instrument, price or hysteresis forgets the side the rule was on.',
  })
  @ApiOkResponse({ type: CreatedAlertRuleDto })
  @ApiNotFoundResponse({ description: 'No such rule for this key' })
  async update(
    @Param('id') id: string,
    @Query() _query: NoQuery,
    @Body() body: UpdateAlertRuleBody,
    @CurrentKey() key: VerifiedKey | undefined,
  ): Promise<CreatedAlertRuleDto> {
    const { rule, secret } = await this.alerts.update(ownerOf(key), id, body);
    return { ...AlertRuleDto.from(rule), ...(secret ? { webhook_secret: secret } : {}) };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a rule (its history stays)' })
  @ApiOkResponse({ type: AlertRuleDto })
  @ApiNotFoundResponse({ description: 'No such rule for this key' })
  async remove(
    @Param('id') id: string,
    @Query() _query: NoQuery,
    @CurrentKey() key: VerifiedKey | undefined,
  ): Promise<AlertRuleDto> {
    const rule = await this.alerts.remove(ownerOf(key), id);
    this.logger.log(`${actorOf(key)} deleted alert rule ${rule.id}`);
    return AlertRuleDto.from(rule);
  }

  @Get(':id/events')
  @ApiOperation({ summary: "One rule's history, newest first, with a cursor" })
  @ApiOkResponse({ type: AlertEventPageDto })
  @ApiNotFoundResponse({ description: 'No such rule for this key' })
  async ruleEvents(
    @Param('id') id: string,
    @Query() query: AlertEventsQuery,
    @CurrentKey() key: VerifiedKey | undefined,
  ): Promise<AlertEventPageDto> {
    return this.alerts.history(ownerOf(key), {
      ruleId: id,
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Deliver a test event now: history, alert_triggered and the signed webhook (type alert.test)',
  })
  @ApiCreatedResponse({ type: AlertEventDto })
  @ApiNotFoundResponse({ description: 'No such rule for this key' })
  async test(
    @Param('id') id: string,
    @Query() _query: NoQuery,
    @CurrentKey() key: VerifiedKey | undefined,
  ): Promise<AlertEventDto> {
    return this.alerts.test(ownerOf(key), id);
  }
}
