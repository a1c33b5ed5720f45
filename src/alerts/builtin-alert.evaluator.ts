import { Injectable } from '@nestjs/common';
import { CorrelationStore } from '../correlation';
import { AppConfig } from '../platform/config';
import { VolatilityMetricsStore } from '../volatility';
import { AlertFiring, type FireRequest } from './alert-firing.service';
import type { AlertRule } from './alert-rule.entity';
import { AlertRulesStore } from './alert-rules.store';
import {
  judgeCorrelation,
  judgeVolatility,
  type BuiltinJudgement,
  type CorrelationCandidate,
} from './builtin-decisions';
import { BuiltinRulesRegistrar } from './builtin-rules.registrar';
import { isLive } from './rule-runtime';

export interface BuiltinOutcome {
  rules: number;
  judged: number;
  fired: number;
  skipped_changed: number;
}

/**
 * The built-in rules' evaluation, in the alerts steps of the hourly and daily
 * jobs (so one instance runs it, under the job's lock): each rule judges the
 * source rows it has not judged yet; a firing commits the rule's new
 * watermark and clock (checked against the version read) with its
 * alert_events row, then goes out on volatility_alert / correlation_alert.
 */
@Injectable()
export class BuiltinAlertEvaluator {
  constructor(
    private readonly registrar: BuiltinRulesRegistrar,
    private readonly store: AlertRulesStore,
    private readonly firing: AlertFiring,
    private readonly metrics: VolatilityMetricsStore,
    private readonly correlations: CorrelationStore,
    private readonly config: AppConfig,
  ) {}

  /** Volatility rules on each instrument's newest metrics row. */
  async volatility(instruments: readonly string[] | undefined): Promise<BuiltinOutcome> {
    await this.registrar.ensure();
    const now = new Date();
    const rules = (await this.store.builtins('volatility')).filter(
      (r) => isLive(r, now.getTime()) && (!instruments || instruments.includes(r.instrument)),
    );
    const newest = new Map(
      (await this.metrics.latest(rules.map((r) => r.instrument))).map((m) => [m.instrument, m]),
    );
    const judged = rules
      .map((rule) => judgeVolatility(rule, newest.get(rule.instrument), now))
      .filter((j): j is BuiltinJudgement<AlertRule> => j !== null);
    return this.apply(rules.length, judged, now);
  }

  /** Correlation rules on the newest calculation day of every window. */
  async correlation(signal: AbortSignal): Promise<BuiltinOutcome> {
    await this.registrar.ensure();
    const now = new Date();
    const rules = (await this.store.builtins('correlation')).filter((r) =>
      isLive(r, now.getTime()),
    );
    const byPair = new Map<string, CorrelationCandidate[]>();
    for (const window of this.config.analytics.correlationWindows) {
      if (signal.aborted) break;
      const date = await this.correlations.latestDate(window);
      if (!date) continue;
      const rows = (await this.correlations.rowsWithIdOn(date, window)).filter(
        (r) => r.correlation !== null,
      );
      const previous = await this.correlations.previous(date, rows);
      const references = await this.correlations.lastOutsideBands(
        date,
        rows,
        this.config.analytics.correlationAlertLevel,
        this.config.analytics.correlationAlertHysteresis,
      );
      for (const row of rows) {
        const key = `${row.pair1}|${row.pair2}|${row.window}`;
        const prev = previous.get(key);
        const list = byPair.get(`${row.pair1}|${row.pair2}`) ?? [];
        list.push({
          id: row.id,
          window: row.window,
          date,
          correlation: row.correlation,
          previous:
            prev && prev.correlation !== null
              ? { correlation: prev.correlation, date: prev.date }
              : null,
          reference: references.get(key),
        });
        byPair.set(`${row.pair1}|${row.pair2}`, list);
      }
    }
    const judged = rules
      .map((rule) =>
        judgeCorrelation(rule, byPair.get(`${rule.instrument}|${rule.instrument2}`) ?? [], now),
      )
      .filter((j): j is BuiltinJudgement<AlertRule> => j !== null);
    return this.apply(rules.length, judged, now);
  }

  private async apply(
    rules: number,
    judged: ReadonlyArray<BuiltinJudgement<AlertRule>>,
    now: Date,
  ): Promise<BuiltinOutcome> {
    const fires: FireRequest[] = [];
    const quiet: Array<{ id: string; expectedVersion: number; watermark: number }> = [];
    for (const { rule, watermark, fire } of judged) {
      if (!fire) {
        quiet.push({ id: rule.id, expectedVersion: rule.stateVersion, watermark });
        continue;
      }
      fires.push({
        rule,
        value: fire.value,
        at: now,
        write: {
          id: rule.id,
          expectedVersion: rule.stateVersion,
          side: null,
          value: fire.value,
          at: now,
          deactivate: false,
          watermark,
          clock: fire.clock,
        },
        builtin: { severity: fire.severity, broadcast: fire.broadcast },
      });
    }
    const staleQuiet = await this.store.writeWatermarks(quiet);
    const { fired, stale } = await this.firing.fire(fires);
    return {
      rules,
      judged: judged.length,
      fired: fired.length,
      skipped_changed: stale.length + staleQuiet.size,
    };
  }
}
