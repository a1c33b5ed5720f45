import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../platform/config';
import { instrumentSpec } from '../platform/config';
import { familyOf } from './alert-conditions';
import { AlertEventsStore } from './alert-events.store';
import { AlertFiring } from './alert-firing.service';
import {
  type InputContext,
  resolveRule,
  type RuleDefinition,
  type RuleInput,
} from './alert-rule-input';
import { AlertRule } from './alert-rule.entity';
import { AlertRulesStore } from './alert-rules.store';
import {
  AlertEventDto,
  AlertEventPageDto,
  BuiltinAlertEventDto,
  BuiltinAlertEventPageDto,
} from './dto/alert-rule.response';
import { SYSTEM_OWNER } from './builtin-rules';
import { decodeEventCursor, encodeEventCursor } from './event-cursor';
import { PriceAlertEvaluator } from './price-alert.evaluator';
import { addressProblem, urlProblem } from './webhook-sender';
import { newWebhookSecret } from './webhook-signature';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Rules of one owner (an API key's id; 0 when AUTH_MODE=off). Another
 * owner's rule does not exist as far as a caller can tell: 404, never 403.
 */
@Injectable()
export class AlertRulesService {
  private readonly logger = new Logger('Alerts');

  constructor(
    private readonly config: AppConfig,
    private readonly store: AlertRulesStore,
    private readonly events: AlertEventsStore,
    private readonly firing: AlertFiring,
    private readonly prices: PriceAlertEvaluator,
  ) {}

  private context(): InputContext {
    return {
      isTracked: (i) => this.config.isTracked(i),
      correlationWindows: this.config.analytics.correlationWindows,
      // 1 / 10^4, not 10^-4 (which is 0.00009999999999999999 in floating point).
      pipOf: (i) => 1 / 10 ** -instrumentSpec(i).pipLocation,
      nowMs: Date.now(),
    };
  }

  async create(
    owner: number,
    input: RuleInput,
  ): Promise<{ rule: AlertRule; secret: string | null }> {
    const resolved = resolveRule(input, null, this.context());
    if (!resolved.ok) throw new BadRequestException(resolved.problems);
    await this.checkWebhook(resolved.rule.webhookUrl);
    const limit = this.config.alerts.rulesPerKey;
    if ((await this.store.countOwned(owner)) >= limit)
      throw new ConflictException(
        `this key already has ${limit} alert rules (ALERT_RULES_PER_KEY); delete some first`,
      );
    const secret = resolved.rule.webhookUrl ? newWebhookSecret() : null;
    const now = new Date();
    const rule = Object.assign(new AlertRule(), {
      ...resolved.rule,
      id: randomUUID(),
      ownerKeyId: owner,
      conditionType: resolved.rule.condition.type,
      webhookSecret: secret,
      createdAt: now,
      updatedAt: now,
      stateSide: null,
      stateValue: null,
      stateVersion: 0,
      lastTriggeredAt: null,
      triggerCount: 0,
    });
    await this.store.insert(rule);
    this.changed(rule);
    return { rule, secret };
  }

  get limit(): number {
    return this.config.alerts.rulesPerKey;
  }

  async list(owner: number): Promise<AlertRule[]> {
    return this.store.listOwned(owner);
  }

  async get(owner: number, id: string): Promise<AlertRule> {
    const rule = UUID.test(id) ? await this.store.findOwned(id.toLowerCase(), owner) : null;
    if (!rule) throw new NotFoundException(`alert rule ${id.slice(0, 64)} not found`);
    return rule;
  }

  async update(
    owner: number,
    id: string,
    input: RuleInput,
  ): Promise<{ rule: AlertRule; secret: string | null }> {
    const current = await this.get(owner, id);
    const resolved = resolveRule(input, definitionOf(current), this.context());
    if (!resolved.ok) throw new BadRequestException(resolved.problems);
    const next = resolved.rule;
    if (next.webhookUrl !== current.webhookUrl) await this.checkWebhook(next.webhookUrl);
    // A rule that gains a webhook gets a secret (shown in this answer only); one that keeps its URL keeps its secret.
    const secret = next.webhookUrl && !current.webhookSecret ? newWebhookSecret() : null;
    const resetState =
      JSON.stringify(next.condition) !== JSON.stringify(current.condition) ||
      next.instrument !== current.instrument ||
      next.instrument2 !== current.instrument2 ||
      next.priceComponent !== current.priceComponent ||
      next.hysteresis !== current.hysteresis;
    const updated = await this.store.update(
      current.id,
      owner,
      {
        ...next,
        conditionType: next.condition.type,
        webhookSecret: next.webhookUrl ? (secret ?? current.webhookSecret) : null,
      },
      resetState,
    );
    if (!updated) throw new NotFoundException(`alert rule ${id.slice(0, 64)} not found`);
    this.changed(updated);
    return { rule: updated, secret };
  }

  async remove(owner: number, id: string): Promise<AlertRule> {
    const rule = await this.get(owner, id);
    if (!(await this.store.remove(rule.id, owner)))
      throw new NotFoundException(`alert rule ${id.slice(0, 64)} not found`);
    this.prices.forget(rule.id);
    return rule;
  }

  /** Delivers a test event of the rule now: history row, socket event and (if set) the signed webhook. */
  async test(owner: number, id: string): Promise<AlertEventDto> {
    const rule = await this.get(owner, id);
    const value = rule.condition.level ?? rule.condition.percent ?? 0;
    const { fired } = await this.firing.fire([{ rule, value, write: null, at: new Date() }]);
    return AlertEventDto.from(fired[0]);
  }

  async history(
    owner: number,
    options: { ruleId?: string; limit?: number; cursor?: string },
  ): Promise<AlertEventPageDto> {
    if (options.ruleId) await this.get(owner, options.ruleId);
    const page = await this.page(owner, options);
    return {
      count: page.rows.length,
      events: page.rows.map((e) => AlertEventDto.from(e)),
      next_cursor: page.next ? encodeEventCursor(page.next.at, page.next.id) : null,
    };
  }

  /**
   * The built-in rules (read-only: no key owns them, so PATCH and DELETE on
   * their ids answer 404 like another key's rule).
   */
  builtinRules(): Promise<AlertRule[]> {
    return this.store.allBuiltins();
  }

  /**
   * The built-in rules' history. Any key may read it: the same alerts go to
   * every socket in the pair's room as volatility_alert / correlation_alert,
   * and it holds nothing of any key's rules.
   */
  async builtinHistory(options: {
    limit?: number;
    cursor?: string;
  }): Promise<BuiltinAlertEventPageDto> {
    const page = await this.page(SYSTEM_OWNER, options);
    return {
      count: page.rows.length,
      events: page.rows.map((e) => BuiltinAlertEventDto.fromBuiltin(e)),
      next_cursor: page.next ? encodeEventCursor(page.next.at, page.next.id) : null,
    };
  }

  private page(owner: number, options: { ruleId?: string; limit?: number; cursor?: string }) {
    const after = options.cursor === undefined ? undefined : decodeEventCursor(options.cursor);
    if (after === null)
      throw new BadRequestException(
        'cursor is invalid: pass the next_cursor value of a previous response unchanged',
      );
    return this.events.page(owner, {
      ruleId: options.ruleId?.toLowerCase(),
      after,
      limit: options.limit ?? 50,
    });
  }

  private async checkWebhook(url: string | null): Promise<void> {
    if (!url) return;
    const parsed = urlProblem(url);
    if ('problem' in parsed) throw new BadRequestException(`webhook_url ${parsed.problem}`);
    let problem: string | null;
    try {
      problem = await addressProblem(parsed.url, this.config.alerts.webhookAllowPrivate);
    } catch (error) {
      problem = (error as Error).message;
    }
    if (problem) throw new BadRequestException(`webhook_url ${problem}`);
  }

  /** A price rule changed here: the stream leader (if this instance) takes it at once, others on their refresh. */
  private changed(rule: AlertRule): void {
    if (familyOf(rule.conditionType) === 'price') void this.prices.refresh();
  }
}

function definitionOf(rule: AlertRule): RuleDefinition {
  return {
    instrument: rule.instrument,
    instrument2: rule.instrument2,
    condition: rule.condition,
    priceComponent: rule.priceComponent,
    frequency: rule.frequency,
    cooldownSeconds: rule.cooldownSeconds,
    hysteresis: rule.hysteresis,
    expiresAt: rule.expiresAt,
    webhookUrl: rule.webhookUrl,
    message: rule.message,
    active: rule.active,
  };
}
