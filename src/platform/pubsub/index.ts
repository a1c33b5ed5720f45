/** The public surface of platform/pubsub: other folders import only what is exported here. */
export { EventPublisher } from './event-publisher.service';
export { CHANNELS, ownerRoom, priceRoom } from './events';
export type {
  AlertTriggeredEvent,
  AlertTriggeredMessage,
  Channel,
  ChannelPayloads,
  ClientToServerEvents,
  CorrelationAlertEvent,
  DataReadyEvent,
  HandshakeAuth,
  PriceResponse,
  PriceBatchEvent,
  PriceUpdateEvent,
  ServerToClientEvents,
  ServiceStatusEvent,
  Severity,
  VolatilityAlertEvent,
} from './events';
export { PubSubModule } from './pubsub.module';
export { PUBSUB } from './pubsub';
export type { PubSub, PubSubKind } from './pubsub';
