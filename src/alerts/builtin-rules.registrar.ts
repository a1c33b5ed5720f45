import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CorrelationStore } from '../correlation';
import { AppConfig } from '../platform/config';
import { VolatilityMetricsStore } from '../volatility';
import { AlertRulesStore } from './alert-rules.store';
import { builtinDefinitions, SYSTEM_OWNER } from './builtin-rules';

/**
 * Keeps the built-in rules in alert_rules equal to the configuration: at
 * boot, and again before an evaluation if the boot could not (the database
 * was not reachable then). Idempotent, so every instance may do it.
 */
@Injectable()
export class BuiltinRulesRegistrar implements OnApplicationBootstrap {
  private readonly logger = new Logger('Alerts');
  private synced = false;

  constructor(
    private readonly config: AppConfig,
    private readonly rules: AlertRulesStore,
    private readonly metrics: VolatilityMetricsStore,
    private readonly correlations: CorrelationStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.ensure();
    } catch (error) {
      this.logger.warn(
        `built-in alert rules not synced at boot (${(error as Error).message}); the next evaluation retries`,
      );
    }
  }

  /** Upserts the built-in rules once per process. */
  async ensure(): Promise<void> {
    if (this.synced) return;
    const { analytics, market } = this.config;
    const definitions = builtinDefinitions({ ...analytics, instruments: market.instruments });
    // A rule new to this database judges only rows stored after it: no alert about old history.
    const [metricsFrom, correlationFrom] = await Promise.all([
      this.metrics.maxId(),
      this.correlations.maxId(),
    ]);
    const changed = await this.rules.upsertBuiltins(
      SYSTEM_OWNER,
      definitions.map((d) => ({
        ...d,
        initialWatermark: d.kind === 'volatility' ? metricsFrom : correlationFrom,
      })),
    );
    this.synced = true;
    if (changed) this.logger.log(`built-in alert rules: ${changed} added or changed`);
  }
}
