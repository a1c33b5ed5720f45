import type { TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AlertEventsStore } from '../../src/alerts/alert-events.store';
import type { AlertEvent } from '../../src/alerts/alert-event.entity';
import { AlertFiring } from '../../src/alerts/alert-firing.service';
import { AlertRule } from '../../src/alerts/alert-rule.entity';
import {
  AlertRulesStore,
  type FireWrite,
  type WatermarkWrite,
} from '../../src/alerts/alert-rules.store';
import { AlertWebhookOutboxStore } from '../../src/alerts/alert-webhook-outbox.store';
import { BuiltinAlertEvaluator } from '../../src/alerts/builtin-alert.evaluator';
import type { MetricRow } from '../../src/alerts/builtin-decisions';
import { builtinDefinitions, SYSTEM_OWNER } from '../../src/alerts/builtin-rules';
import { BuiltinRulesRegistrar } from '../../src/alerts/builtin-rules.registrar';
import { WebhookDeliveryWorker } from '../../src/alerts/webhook-delivery.worker';
import { CorrelationStore } from '../../src/correlation/correlation.store';
import type { RawEnv } from '../../src/platform/config/env.validation';
import { VolatilityMetricsStore } from '../../src/volatility/volatility-metrics.store';
import { compileService, edgeProviders, RecordingPubSub, testConfig } from './service-kit';

/** alert_rules in memory, with the store's version checks (a stale write changes nothing). */
class FakeRules {
  readonly rows = new Map<string, AlertRule>();

  constructor(env: RawEnv) {
    const config = testConfig(env);
    for (const d of builtinDefinitions({
      ...config.analytics,
      instruments: config.market.instruments,
    }))
      this.rows.set(
        d.builtin,
        Object.assign(new AlertRule(), {
          ...d,
          id: randomUUID(),
          ownerKeyId: SYSTEM_OWNER,
          conditionType: d.condition.type,
          priceComponent: 'mid',
          expiresAt: null,
          webhookUrl: null,
          webhookSecret: null,
          message: null,
          active: true,
          createdAt: new Date(),
          updatedAt: new Date(),
          stateSide: null,
          stateValue: null,
          stateVersion: 0,
          lastTriggeredAt: null,
          triggerCount: 0,
          stateWatermark: 0,
          stateClock: null,
        }),
      );
  }

  rule(builtin: string): AlertRule {
    return this.rows.get(builtin)!;
  }

  private byId(id: string): AlertRule | undefined {
    return [...this.rows.values()].find((r) => r.id === id);
  }

  /** Copies, as rows read from the database are. */
  async builtins(kind: string): Promise<AlertRule[]> {
    return [...this.rows.values()]
      .filter((r) => r.active && r.builtin?.startsWith(`${kind}:`))
      .map((r) => Object.assign(new AlertRule(), r));
  }

  async writeWatermarks(writes: readonly WatermarkWrite[]): Promise<Set<string>> {
    const stale = new Set<string>();
    for (const w of writes) {
      const r = this.byId(w.id);
      if (!r || r.stateVersion !== w.expectedVersion) stale.add(w.id);
      else Object.assign(r, { stateWatermark: w.watermark, stateVersion: r.stateVersion + 1 });
    }
    return stale;
  }

  async markFired(_tx: unknown, w: FireWrite): Promise<boolean> {
    const r = this.byId(w.id);
    if (!r || r.stateVersion !== w.expectedVersion || !r.active) return false;
    Object.assign(r, {
      stateVersion: r.stateVersion + 1,
      stateValue: w.value,
      lastTriggeredAt: w.at,
      triggerCount: r.triggerCount + 1,
      stateWatermark: w.watermark ?? r.stateWatermark,
      stateClock: w.clock ?? r.stateClock,
    });
    return true;
  }
}

/** The newest volatility_metrics row per instrument. */
class FakeMetrics {
  readonly newest = new Map<string, MetricRow & { instrument: string }>();
  private id = 100;

  put(instrument: string, hour: number, v20: number | null, v50: number | null): number {
    this.id += 1;
    this.newest.set(instrument, {
      instrument,
      id: this.id,
      time: new Date(Date.UTC(2026, 0, 5, hour)),
      volatility20: v20,
      volatility50: v50,
    });
    return this.id;
  }

  async latest(instruments: readonly string[]) {
    return instruments.flatMap((i) => (this.newest.has(i) ? [this.newest.get(i)!] : []));
  }
}

interface FakeCorrelationRow {
  id: number;
  pair1: string;
  pair2: string;
  window: number;
  correlation: number | null;
  date: string;
}

/** correlation_matrix as rows; `previous` and `lastOutsideBands` as the store computes them. */
class FakeCorrelations {
  readonly rows: FakeCorrelationRow[] = [];
  private id = 500;

  put(date: string, pair1: string, pair2: string, window: number, correlation: number | null) {
    this.id += 1;
    const i = this.rows.findIndex(
      (r) => r.date === date && r.pair1 === pair1 && r.pair2 === pair2 && r.window === window,
    );
    if (i >= 0) this.rows.splice(i, 1);
    this.rows.push({ id: this.id, pair1, pair2, window, correlation, date });
  }

  async latestDate(window: number): Promise<string | null> {
    const dates = this.rows.filter((r) => r.window === window).map((r) => r.date);
    return dates.length ? dates.sort().at(-1)! : null;
  }

  async rowsWithIdOn(date: string, window: number) {
    return this.rows
      .filter((r) => r.date === date && r.window === window)
      .map((r) => ({ ...r, sampleSize: window, calculatedAt: new Date() }));
  }

  private before(date: string, p: { pair1: string; pair2: string; window: number }) {
    return this.rows
      .filter(
        (r) =>
          r.date < date &&
          r.pair1 === p.pair1 &&
          r.pair2 === p.pair2 &&
          r.window === p.window &&
          r.correlation !== null,
      )
      .sort((a, b) => (a.date < b.date ? 1 : -1));
  }

  async previous(
    date: string,
    pairs: ReadonlyArray<{ pair1: string; pair2: string; window: number }>,
  ) {
    const out = new Map<string, { correlation: number | null; date: string }>();
    for (const p of pairs) {
      const [prev] = this.before(date, p);
      if (prev) out.set(`${p.pair1}|${p.pair2}|${p.window}`, prev);
    }
    return out;
  }

  async lastOutsideBands(
    date: string,
    pairs: ReadonlyArray<{ pair1: string; pair2: string; window: number }>,
    level: number,
    h: number,
  ) {
    const out = new Map<string, { upper: number | null; lower: number | null }>();
    for (const p of pairs) {
      const older = this.before(date, p);
      const find = (line: number) =>
        older.find((r) => Math.abs((r.correlation as number) - line) >= h - 1e-12)?.correlation ??
        null;
      out.set(`${p.pair1}|${p.pair2}|${p.window}`, { upper: find(level), lower: find(-level) });
    }
    return out;
  }
}

const ENV: RawEnv = {
  INSTRUMENTS: 'EUR_USD,GBP_USD,USD_JPY',
  VOLATILITY_ALERT_ABSOLUTE: 'GBP_USD:0.1',
  CORRELATION_WINDOWS: '100,200',
};

describe(`${BuiltinAlertEvaluator.name} (service tier)`, () => {
  let module: TestingModule;
  let evaluator: BuiltinAlertEvaluator;
  let rules: FakeRules;
  let metrics: FakeMetrics;
  let correlations: FakeCorrelations;
  let pubsub: RecordingPubSub;
  let events: AlertEvent[];
  const signal = new AbortController().signal;

  const build = async (env: RawEnv = ENV): Promise<void> => {
    rules = new FakeRules(env);
    metrics = new FakeMetrics();
    correlations = new FakeCorrelations();
    pubsub = new RecordingPubSub();
    events = [];
    module = await compileService({
      providers: [
        ...edgeProviders(testConfig(env), { pubsub }),
        { provide: AlertRulesStore, useValue: rules },
        { provide: VolatilityMetricsStore, useValue: metrics },
        { provide: CorrelationStore, useValue: correlations },
        { provide: BuiltinRulesRegistrar, useValue: { ensure: async () => undefined } },
        {
          provide: DataSource,
          useValue: { transaction: async (fn: (tx: unknown) => unknown) => fn({}) },
        },
        {
          provide: AlertEventsStore,
          useValue: { insert: async (_tx: unknown, e: AlertEvent) => void events.push(e) },
        },
        { provide: AlertWebhookOutboxStore, useValue: { insert: async () => undefined } },
        { provide: WebhookDeliveryWorker, useValue: { nudge: () => undefined } },
        AlertFiring,
        BuiltinAlertEvaluator,
      ],
    });
    evaluator = module.get(BuiltinAlertEvaluator);
  };

  afterEach(async () => {
    await module?.close();
  });

  describe('volatility', () => {
    beforeEach(() => build());

    it('should raise one volatility_alert per instrument for its newest candle: critical, warning, or the absolute line', async () => {
      metrics.put('EUR_USD', 10, 0.16, 0.1); // ratio 1.6: warning
      metrics.put('USD_JPY', 10, 0.21, 0.1); // ratio 2.1: critical, not also a warning
      metrics.put('GBP_USD', 10, 0.12, 0.1); // ratio 1.2, but above its absolute 0.1
      const outcome = await evaluator.volatility(undefined);
      expect(outcome).toEqual({ rules: 3, judged: 3, fired: 3, skipped_changed: 0 });
      const sent = pubsub.on('volatility_alerts');
      const by = (i: string) => sent.find((a) => a.instrument === i);
      expect(by('EUR_USD')).toEqual({
        instrument: 'EUR_USD',
        volatility: 0.16,
        threshold: 1.5,
        severity: 'warning',
        message: expect.stringContaining('at 2026-01-05T10:00:00.000Z'),
        timestamp: expect.any(String),
      });
      expect(by('USD_JPY')).toMatchObject({ severity: 'critical', threshold: 2 });
      expect(by('GBP_USD')).toMatchObject({ severity: 'warning', threshold: 0.1 });
      expect(sent).toHaveLength(3);
      // The history: one event each, owned by no key, with the payload that went out.
      expect(events.map((e) => e.ownerKeyId)).toEqual([SYSTEM_OWNER, SYSTEM_OWNER, SYSTEM_OWNER]);
      const eur = events.find((e) => e.instrument === 'EUR_USD')!;
      expect(eur).toMatchObject({ severity: 'warning', deliveryStatus: 'none', test: false });
      expect(eur.value).toBeCloseTo(1.6, 12);
      expect(eur.details).toEqual(by('EUR_USD'));
      expect(pubsub.on('alert_triggered')).toEqual([]);
    });

    it('should judge a row once: a rerun stays quiet, a new candle still above alerts again', async () => {
      metrics.put('EUR_USD', 10, 0.16, 0.1);
      await evaluator.volatility(['EUR_USD']);
      expect(await evaluator.volatility(['EUR_USD'])).toMatchObject({ judged: 0, fired: 0 });
      expect(pubsub.on('volatility_alerts')).toHaveLength(1);
      const id = metrics.put('EUR_USD', 11, 0.17, 0.1);
      expect(await evaluator.volatility(['EUR_USD'])).toMatchObject({ judged: 1, fired: 1 });
      expect(rules.rule('volatility:EUR_USD')).toMatchObject({
        stateWatermark: id,
        stateClock: new Date(Date.UTC(2026, 0, 5, 11)),
        triggerCount: 2,
      });
    });

    it('should move the watermark of a quiet rule, and skip a rule that changed meanwhile', async () => {
      const quiet = metrics.put('EUR_USD', 10, 0.1, 0.1);
      expect(await evaluator.volatility(['EUR_USD'])).toMatchObject({ judged: 1, fired: 0 });
      expect(rules.rule('volatility:EUR_USD').stateWatermark).toBe(quiet);

      metrics.put('EUR_USD', 11, 0.2, 0.1);
      // Another writer (a config change at a boot, a second instance) bumps the version first.
      const real = rules.markFired.bind(rules);
      rules.markFired = async (tx, w) => {
        rules.rule('volatility:EUR_USD').stateVersion += 1;
        return real(tx, w);
      };
      expect(await evaluator.volatility(['EUR_USD'])).toMatchObject({
        fired: 0,
        skipped_changed: 1,
      });
      expect(events).toEqual([]);
      expect(pubsub.on('volatility_alerts')).toEqual([]);
    });

    it('should say nothing without volatility_50 or for instruments not asked for', async () => {
      metrics.put('EUR_USD', 10, 0.2, null);
      metrics.put('USD_JPY', 10, 0.3, 0.1);
      expect(await evaluator.volatility(['EUR_USD'])).toMatchObject({ rules: 1, fired: 0 });
      expect(pubsub.on('volatility_alerts')).toEqual([]);
    });
  });

  describe('correlation', () => {
    const day1 = '2026-01-05';
    const day2 = '2026-01-06';

    it('should raise one correlation_alert per pair, the most severe of its windows, with from and to', async () => {
      await build();
      correlations.put(day1, 'EUR_USD', 'GBP_USD', 100, 0.1);
      correlations.put(day1, 'EUR_USD', 'GBP_USD', 200, 0.5);
      correlations.put(day2, 'EUR_USD', 'GBP_USD', 100, 0.35); // moved 0.25: warning
      correlations.put(day2, 'EUR_USD', 'GBP_USD', 200, 0.75); // crossed 0.7 upwards: critical
      correlations.put(day2, 'EUR_USD', 'USD_JPY', 100, -0.2); // no previous: nothing to compare
      const outcome = await evaluator.correlation(signal);
      expect(outcome).toMatchObject({ rules: 3, judged: 2, fired: 1 });
      expect(pubsub.on('correlation_alerts')).toEqual([
        {
          pair1: 'EUR_USD',
          pair2: 'GBP_USD',
          correlation: 0.75,
          previous: 0.5,
          threshold: 0.7,
          severity: 'critical',
          message: expect.stringMatching(/200 h window.*\(2026-01-05 -> 2026-01-06\)$/),
          timestamp: expect.any(String),
        },
      ]);
      expect(rules.rule('correlation:EUR_USD|GBP_USD').stateClock).toEqual(
        new Date(`${day2}T00:00:00Z`),
      );
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ instrument: 'EUR_USD/GBP_USD', severity: 'critical' });
    });

    it('should not judge a row twice, and keep a pair quiet within its cooldown on the calculation clock', async () => {
      await build({ ...ENV, CORRELATION_ALERT_COOLDOWN_HOURS: '48' });
      correlations.put(day1, 'EUR_USD', 'GBP_USD', 100, 0.1);
      correlations.put(day2, 'EUR_USD', 'GBP_USD', 100, 0.4);
      expect(await evaluator.correlation(signal)).toMatchObject({ fired: 1 });
      expect(await evaluator.correlation(signal)).toMatchObject({ judged: 0, fired: 0 });
      // Recalculated (a new row, like a deleted day computed again) and the next day: both in the 48 h.
      correlations.put(day2, 'EUR_USD', 'GBP_USD', 100, 0.45);
      expect(await evaluator.correlation(signal)).toMatchObject({ judged: 1, fired: 0 });
      correlations.put('2026-01-07', 'EUR_USD', 'GBP_USD', 100, 0.1);
      expect(await evaluator.correlation(signal)).toMatchObject({ judged: 1, fired: 0 });
      // Two days after the alert the cooldown is over.
      correlations.put('2026-01-08', 'EUR_USD', 'GBP_USD', 100, 0.5);
      expect(await evaluator.correlation(signal)).toMatchObject({ fired: 1 });
      expect(pubsub.on('correlation_alerts').map((a) => a.correlation)).toEqual([0.4, 0.5]);
    });

    it('should alert the same day again with no cooldown configured, and judge only the newest day', async () => {
      await build({ ...ENV, CORRELATION_ALERT_COOLDOWN_HOURS: '0' });
      correlations.put(day1, 'EUR_USD', 'GBP_USD', 100, 0.1);
      correlations.put(day2, 'EUR_USD', 'GBP_USD', 100, 0.4);
      await evaluator.correlation(signal);
      correlations.put(day2, 'EUR_USD', 'GBP_USD', 100, 0.45);
      // A rebuilt older day (--as-of) is history: not judged.
      correlations.put(day1, 'EUR_USD', 'USD_JPY', 100, 0.9);
      expect(await evaluator.correlation(signal)).toMatchObject({ judged: 1, fired: 1 });
      expect(pubsub.on('correlation_alerts').map((a) => a.pair2)).toEqual(['GBP_USD', 'GBP_USD']);
    });
  });
});
