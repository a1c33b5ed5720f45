import { Logger } from '@nestjs/common';
import { createClient, RedisClientType } from 'redis';
import { withTimeout } from '../time';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
export type RedisClient = RedisClientType;

/**
 * A node-redis client that keeps reconnecting with capped exponential backoff
 * (a Redis restart is a pause, not a crash) and logs state changes once each.
 * Commands issued while disconnected fail fast instead of queueing forever.
 */
export function createRedisClient(
  url: string,
  name: string,
  logger = new Logger('Redis'),
): RedisClient {
  let lastError = '';
  const client = createClient({
    url,
    name: `fx-data-pipeline:${name}`,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries: number) =>
        Math.min(100 * 2 ** retries, 5_000) + Math.floor(Math.random() * 100),
    },
  }) as RedisClient;
  client.on('error', (error: Error) => {
    if (error.message !== lastError) logger.warn(`${name}: ${error.message}`);
    lastError = error.message;
  });
  client.on('ready', () => {
    if (lastError) logger.log(`${name}: reconnected`);
    lastError = '';
  });
  return client;
}

/** Connects without letting an unreachable Redis stop the boot: the client keeps retrying in the background. */
export async function connectRedis(client: RedisClient, timeoutMs = 3_000): Promise<void> {
  const connecting = client.connect().then(() => undefined);
  connecting.catch(() => undefined);
  await Promise.race([
    connecting,
    new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
  ]);
}

/**
 * Closes a connection without letting an unreachable Redis hang shutdown:
 * close() waits for Redis to answer, so a connection that is not ready, or
 * does not answer within `timeoutMs`, is destroyed instead.
 */
export async function closeRedis(
  client: RedisClient | null,
  what = 'Redis close',
  timeoutMs = 2_000,
): Promise<void> {
  if (!client?.isOpen) return;
  if (!client.isReady) return client.destroy();
  await withTimeout(client.close(), timeoutMs, what).catch(() => client.destroy());
}
