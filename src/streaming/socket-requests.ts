import { Injectable } from '@nestjs/common';
import type { ServerToClientEvents } from '../platform/pubsub';

type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** Request events another feature answers, and the reply event of each. */
export interface DelegatedRequests {
  request_price: 'price_response';
  request_all_prices: 'all_prices_response';
}
export type DelegatedRequest = keyof DelegatedRequests;

/** A handler's answer: the reply event with its payload, or an error for the client. */
export type RequestAnswer<R extends DelegatedRequest> =
  | { event: DelegatedRequests[R]; payload: Payload<DelegatedRequests[R]> }
  | { error: { code: string; message: string } };

export type RequestHandler<R extends DelegatedRequest> = (
  payload: unknown,
) => Promise<RequestAnswer<R>>;

/** Whether this instance holds the provider's live feed (for service status and server stats). */
export interface LiveFeedStatus {
  readonly enabled: boolean;
  readonly isLeader: boolean;
}

/**
 * Where features register the Socket.IO requests they answer, so the gateway
 * (connections, rooms, emits) depends on no feature: prices registers
 * `request_price` and `request_all_prices` and reports its live feed here.
 */
@Injectable()
export class SocketRequests {
  // Each entry was registered for its own event (handle() ties the two), so answer() may narrow it back.
  private readonly handlers = new Map<DelegatedRequest, (payload: unknown) => Promise<unknown>>();
  private feed: LiveFeedStatus = { enabled: false, isLeader: false };

  handle<R extends DelegatedRequest>(event: R, handler: RequestHandler<R>): void {
    if (this.handlers.has(event)) throw new Error(`${event} already has a handler`);
    this.handlers.set(event, handler);
  }

  answer<R extends DelegatedRequest>(event: R, payload: unknown): Promise<RequestAnswer<R>> {
    const handler = this.handlers.get(event);
    if (!handler)
      return Promise.resolve({
        error: { code: 'unavailable', message: `${event} is not served by this instance` },
      });
    return handler(payload) as Promise<RequestAnswer<R>>;
  }

  reportLiveFeed(feed: LiveFeedStatus): void {
    this.feed = feed;
  }

  get liveFeed(): LiveFeedStatus {
    return this.feed;
  }
}
