import { Global, Module } from '@nestjs/common';
import { EventPublisher } from './event-publisher.service';

/** The publisher, global so jobs and the price stream can publish without importing the gateway. */
@Global()
@Module({ providers: [EventPublisher], exports: [EventPublisher] })
export class PubSubModule {}
