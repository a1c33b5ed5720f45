import { Injectable, Logger } from '@nestjs/common';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { AppConfig } from '../../platform/config';
import { instrumentSpec } from '../../platform/config';
import { sleep } from '../../platform/time';
import { assertInstruments, candleRange } from '../market-data-params';
import type {
  FetchCandlesParams,
  MarketDataProvider,
  PriceStreamEvent,
  ProviderCandle,
  ProviderInstrument,
  SelfTestResult,
  StreamPricesParams,
} from '../market-data-provider.interface';
import { simulatedCandlePages, simulatedTick } from './simulated-candles';
import { PathModel } from './simulated-path';

/** Same page limit as OANDA, so consumers see the same paging behaviour. */
export const SIMULATED_PAGE_SIZE = 5000;
const HEARTBEAT_INTERVAL_MS = 5000;

/**
 * The built-in market: history and live ticks from a deterministic model
 * (see simulated-path.ts), no network. The default provider without an OANDA key.
 */
@Injectable()
export class SimulatedMarketProvider implements MarketDataProvider {
  readonly name = 'simulated' as const;
  private readonly logger = new Logger(SimulatedMarketProvider.name);
  private readonly model: PathModel;

  constructor(private readonly config: AppConfig) {
    this.model = new PathModel(config.market.simulatedSeed);
  }

  async listInstruments(params: {
    instruments?: readonly string[];
  }): Promise<ProviderInstrument[]> {
    const names = params.instruments ?? this.config.market.instruments;
    assertInstruments(names);
    return names.map((name) => {
      const spec = instrumentSpec(name);
      return {
        name,
        displayName: `${spec.base}/${spec.quote}`,
        displayPrecision: spec.displayPrecision,
        pipLocation: spec.pipLocation,
      };
    });
  }

  async *fetchCandles(params: FetchCandlesParams): AsyncIterable<ProviderCandle[]> {
    const now = Date.now();
    const { from, to } = candleRange(params, now);
    const pages = simulatedCandlePages(this.model, {
      instrument: params.instrument,
      granularity: params.granularity,
      from,
      to,
      now,
      pageSize: SIMULATED_PAGE_SIZE,
    });
    for (const page of pages) {
      params.signal?.throwIfAborted();
      yield page;
      // Generating is CPU work: let timers and sockets breathe between pages.
      await yieldToEventLoop();
    }
  }

  /**
   * A tick per instrument every SIMULATED_TICK_INTERVAL_MS and a heartbeat
   * every 5 s, like OANDA's stream. While the market is closed the Friday
   * close keeps being sent (tradeable: false) so consumers and dashboards
   * still see prices at weekends.
   */
  async *streamPrices(params: StreamPricesParams): AsyncIterable<PriceStreamEvent> {
    assertInstruments(params.instruments);
    const { signal } = params;
    if (signal.aborted) return;
    const interval = this.config.market.simulatedTickIntervalMs;
    this.logger.log(
      `Simulated price stream for ${params.instruments.length} instruments every ${interval} ms`,
    );
    yield { type: 'status', connected: true };
    let lastHeartbeat = Date.now();
    while (!signal.aborted) {
      const now = Date.now();
      for (const instrument of params.instruments) {
        yield { type: 'price', tick: simulatedTick(this.model, instrument, now) };
      }
      if (now - lastHeartbeat >= HEARTBEAT_INTERVAL_MS) {
        lastHeartbeat = now;
        yield { type: 'heartbeat', time: new Date(now) };
      }
      if (!(await sleep(interval, signal))) break;
    }
  }

  async selfTest(params: { signal?: AbortSignal }): Promise<SelfTestResult> {
    const started = performance.now();
    try {
      params.signal?.throwIfAborted();
      const instrument = this.config.market.instruments[0] ?? 'EUR_USD';
      const tick = simulatedTick(this.model, instrument, Date.now());
      return {
        ok: true,
        provider: this.name,
        latencyMs: performance.now() - started,
        message: `seed ${this.model.seed}: ${instrument} ${tick.bid}/${tick.ask}`,
      };
    } catch (error) {
      return {
        ok: false,
        provider: this.name,
        latencyMs: performance.now() - started,
        message: error instanceof Error ? error.message : String(error),
      };
    }
  }
}
