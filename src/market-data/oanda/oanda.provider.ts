import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AppConfig } from '../../platform/config';
import { PrometheusService } from '../../platform/observability';
import { assertInstruments, candleRange } from '../market-data-params';
import {
  PermanentProviderError,
  type FetchCandlesParams,
  type MarketDataProvider,
  type PriceStreamEvent,
  type ProviderCandle,
  type ProviderInstrument,
  type SelfTestResult,
  type StreamPricesParams,
} from '../market-data-provider.interface';
import { MAX_CANDLES_PER_REQUEST, parseCandlesResponse, planCandleRequest } from './oanda-candles';
import { OandaHttpClient } from './oanda-http-client';
import {
  OANDA_ADAPTER_OPTIONS,
  resolveOandaOptions,
  type OandaAdapterOptions,
  type ResolvedOandaOptions,
} from './oanda-options';
import { oandaPriceStream } from './oanda-price-stream';

/**
 * OANDA v20 adapter: candles from the REST host, live prices from the stream
 * host, both as documented at developer.oanda.com (v20 instrument, account
 * and pricing endpoints).
 */
@Injectable()
export class OandaMarketDataProvider implements MarketDataProvider {
  readonly name = 'oanda' as const;
  private readonly logger = new Logger(OandaMarketDataProvider.name);
  private readonly options: ResolvedOandaOptions;
  private readonly client: OandaHttpClient;

  constructor(
    private readonly config: AppConfig,
    metrics: PrometheusService,
    @Optional() @Inject(OANDA_ADAPTER_OPTIONS) options?: OandaAdapterOptions,
  ) {
    this.options = resolveOandaOptions(options);
    this.client = new OandaHttpClient(config.oanda, metrics, this.options);
  }

  private accountId(): string {
    const id = this.config.oanda.accountId;
    if (!id)
      throw new PermanentProviderError('OANDA_ACCOUNT_ID is not set: account endpoints need it');
    return id;
  }

  async listInstruments(params: {
    instruments?: readonly string[];
  }): Promise<ProviderInstrument[]> {
    const names = params.instruments ?? this.config.market.instruments;
    assertInstruments(names);
    const body = await this.client.getJson(
      { endpoint: 'instruments', what: 'GET account instruments' },
      `/v3/accounts/${encodeURIComponent(this.accountId())}/instruments`,
      { instruments: names.join(',') },
    );
    const list = (body as { instruments?: unknown } | null)?.instruments;
    if (!Array.isArray(list)) {
      throw new PermanentProviderError('account instruments response has no instruments array');
    }
    return list.map((raw: unknown) => {
      const i = raw as Record<string, unknown>;
      if (
        typeof i.name !== 'string' ||
        !Number.isInteger(i.displayPrecision) ||
        !Number.isInteger(i.pipLocation)
      ) {
        throw new PermanentProviderError(
          `malformed instrument in response: ${JSON.stringify(i.name)}`,
        );
      }
      return {
        name: i.name,
        displayName: typeof i.displayName === 'string' ? i.displayName : i.name.replace('_', '/'),
        displayPrecision: i.displayPrecision as number,
        pipLocation: i.pipLocation as number,
      };
    });
  }

  /**
   * Candles in [from, to) page by page (see planCandleRequest), each page
   * filtered to the range and to times after the last one yielded, so
   * overlapping windows never produce duplicates. The still-forming candle
   * comes through with complete=false.
   */
  async *fetchCandles(params: FetchCandlesParams): AsyncIterable<ProviderCandle[]> {
    const { from, to } = candleRange(params, Date.now());
    const { instrument, granularity, signal } = params;
    const path = `/v3/instruments/${encodeURIComponent(instrument)}/candles`;
    let position = { cursor: from, includeFirst: true };
    let lastTime = Number.NEGATIVE_INFINITY;
    while (position.cursor < to) {
      const plan = planCandleRequest(granularity, position, to, Date.now());
      const body = await this.client.getJson(
        { endpoint: 'candles', what: `GET ${instrument} ${granularity} candles` },
        path,
        plan.query,
        signal,
      );
      const candles = parseCandlesResponse(body, instrument, granularity);
      const fresh = candles.filter((c) => {
        const t = c.time.getTime();
        return t >= from && t < to && t > lastTime;
      });
      if (fresh.length > 0) {
        lastTime = fresh[fresh.length - 1].time.getTime();
        yield fresh;
      }
      if (plan.windowEnd !== undefined) {
        position = { cursor: plan.windowEnd, includeFirst: true };
        continue;
      }
      // count mode: a short page means the present was reached.
      const last = candles[candles.length - 1]?.time.getTime();
      if (
        candles.length < MAX_CANDLES_PER_REQUEST ||
        last === undefined ||
        last <= position.cursor
      ) {
        break;
      }
      position = { cursor: last, includeFirst: false };
    }
  }

  async *streamPrices(params: StreamPricesParams): AsyncIterable<PriceStreamEvent> {
    assertInstruments(params.instruments);
    yield* oandaPriceStream({
      client: this.client,
      accountId: this.accountId(),
      instruments: params.instruments,
      signal: params.signal,
      options: this.options,
      logger: this.logger,
    });
  }

  /** One cheap authenticated call: the account's spec of the first tracked instrument. */
  async selfTest(params: { signal?: AbortSignal }): Promise<SelfTestResult> {
    const started = performance.now();
    const instrument = this.config.market.instruments[0] ?? 'EUR_USD';
    try {
      params.signal?.throwIfAborted();
      const [spec] = await this.listInstruments({ instruments: [instrument] });
      return {
        ok: spec?.name === instrument,
        provider: this.name,
        latencyMs: performance.now() - started,
        message: spec
          ? `${spec.name} (${spec.displayName})`
          : `${instrument} not available to the account`,
      };
    } catch (error) {
      return {
        ok: false,
        provider: this.name,
        latencyMs: performance.now() - started,
        message: this.client.redact(error instanceof Error ? error.message : String(error)),
      };
    }
  }
}
