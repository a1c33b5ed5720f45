import { Injectable, Logger } from '@nestjs/common';
import { CandleSeriesService } from '../candles';
import { CorrelationQueryService } from '../correlation';
import type { JobOutcome } from '../platform/jobs';
import { VolatilityQueryService } from '../volatility';
import { CORRELATION_CONDITIONS, INDICATOR_CONDITIONS } from './alert-conditions';
import { AlertFiring } from './alert-firing.service';
import type { AlertRule } from './alert-rule.entity';
import { AlertRulesStore } from './alert-rules.store';
import { decideBatch } from './batch-evaluation';
import { BuiltinAlertEvaluator, type BuiltinOutcome } from './builtin-alert.evaluator';
import { indicatorValue } from './indicator-values';

const groupBy = <T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  return groups;
};

/**
 * Indicator rules after the hourly `metrics` step and correlation rules
 * after the daily `correlation` step, on what those steps just stored; the
 * built-in volatility and correlation rules with them. Both run inside their
 * job, which holds the job's advisory lock: one instance evaluates, the
 * others log the job as skipped.
 */
@Injectable()
export class JobAlertEvaluator {
  private readonly logger = new Logger(JobAlertEvaluator.name);

  constructor(
    private readonly store: AlertRulesStore,
    private readonly firing: AlertFiring,
    private readonly metrics: VolatilityQueryService,
    private readonly candles: CandleSeriesService,
    private readonly correlations: CorrelationQueryService,
    private readonly builtins: BuiltinAlertEvaluator,
  ) {}

  async indicators(
    instruments: readonly string[] | undefined,
    signal: AbortSignal,
  ): Promise<JobOutcome> {
    const rules = (await this.store.active(INDICATOR_CONDITIONS)).filter(
      (r) => !instruments || instruments.includes(r.instrument),
    );
    const valued: Array<{ rule: AlertRule; value: number | null }> = [];
    for (const [instrument, group] of groupBy(rules, (r) => r.instrument)) {
      if (signal.aborted) break;
      const metric = await this.metrics.latest(instrument);
      if (!metric) continue;
      const needsCloses = group.some((r) =>
        ['price_cross_sma', 'bollinger_break', 'change_pct'].includes(r.conditionType),
      );
      const maxHours = Math.max(0, ...group.map((r) => r.condition.hours ?? 0));
      const timeMs = Date.parse(metric.time);
      const series = needsCloses
        ? await this.candles.midSeries({
            instrument,
            from: new Date(timeMs - (maxHours + 24 * 7) * 3_600_000),
          })
        : { times: [], close: [] };
      for (const rule of group)
        valued.push({ rule, value: indicatorValue(rule.condition, { ...metric, timeMs }, series) });
    }
    return withBuiltins(
      await this.apply(valued, rules.length),
      await this.builtins.volatility(instruments),
    );
  }

  async correlation(signal: AbortSignal): Promise<JobOutcome> {
    const rules = await this.store.active(CORRELATION_CONDITIONS);
    const valued: Array<{ rule: AlertRule; value: number | null }> = [];
    for (const [window, group] of groupBy(rules, (r) => String(r.condition.window))) {
      if (signal.aborted) break;
      const matrix = await this.correlations.matrix(Number(window), undefined).catch(() => null);
      if (!matrix) continue;
      const at = new Map(matrix.instruments.map((instrument, i) => [instrument, i]));
      for (const rule of group) {
        const i = at.get(rule.instrument);
        const j = rule.instrument2 ? at.get(rule.instrument2) : undefined;
        valued.push({
          rule,
          value: i === undefined || j === undefined ? null : matrix.matrix[i][j],
        });
      }
    }
    return withBuiltins(
      await this.apply(valued, rules.length),
      await this.builtins.correlation(signal),
    );
  }

  private async apply(
    valued: ReadonlyArray<{ rule: AlertRule; value: number | null }>,
    evaluated: number,
  ): Promise<JobOutcome> {
    const { fires, sides } = decideBatch(valued, new Date());
    await this.store.writeSides(sides);
    const { fired, stale } = await this.firing.fire(fires);
    if (stale.length) this.logger.log(`${stale.length} rule(s) changed while evaluated; skipped`);
    return {
      recordsProcessed: fired.length,
      details: { rules: evaluated, fired: fired.length, skipped_changed: stale.length },
    };
  }
}

/**
 * The users' rules' outcome plus the built-in rules' (`details.builtin`).
 * Built-in alerts are not records of the run, as they were not when the
 * metrics and correlation steps raised them: a run's count stays its rows.
 */
function withBuiltins(users: JobOutcome, builtin: BuiltinOutcome): JobOutcome {
  return { ...users, details: { ...users.details, builtin: { ...builtin } } };
}
