import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../platform/config';
import { parseInstrumentRequest } from '../streaming';
import { SocketRequests } from '../streaming';
import { PriceStreamService } from './price-stream.service';
import { PricesService } from './prices.service';

/** Answers the price requests of Socket.IO clients (registered with the gateway's request table). */
@Injectable()
export class PriceSocketRequests implements OnModuleInit {
  constructor(
    private readonly requests: SocketRequests,
    private readonly prices: PricesService,
    private readonly stream: PriceStreamService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.requests.reportLiveFeed(this.stream);
    this.requests.handle('request_price', async (payload) => {
      const parsed = parseInstrumentRequest(payload, this.config.market.instruments);
      if (!parsed.ok)
        return { error: { code: parsed.code, message: `request_price: ${parsed.message}` } };
      const price = await this.prices.current(parsed.instrument);
      if (!price)
        return { error: { code: 'no_price', message: `no price for ${parsed.instrument} yet` } };
      return { event: 'price_response', payload: price };
    });
    this.requests.handle('request_all_prices', async () => {
      const prices = await this.prices.all();
      return {
        event: 'all_prices_response',
        payload: { prices, count: prices.length, timestamp: new Date().toISOString() },
      };
    });
  }
}
