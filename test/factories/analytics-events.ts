import { createClient } from 'redis';
import { TEST_REDIS_URL } from '../utils/test-env';

/** Collects the JSON messages of Redis channels on a separate node-redis connection (as a second instance would). */
export interface ChannelRecorder {
  messages(channel: string): Array<Record<string, unknown>>;
  /** Resolves once `predicate` holds for the channel's messages, or rejects after `timeoutMs`. */
  waitFor(
    channel: string,
    predicate: (messages: Array<Record<string, unknown>>) => boolean,
    timeoutMs?: number,
  ): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export async function recordChannels(
  prefix: string,
  channels: readonly string[],
): Promise<ChannelRecorder> {
  const client = createClient({ url: TEST_REDIS_URL });
  client.on('error', () => undefined);
  await client.connect();
  const received = new Map<string, Array<Record<string, unknown>>>(channels.map((c) => [c, []]));
  for (const channel of channels) {
    await client.subscribe(`${prefix}${channel}`, (message) => {
      received.get(channel)!.push(JSON.parse(message) as Record<string, unknown>);
    });
  }
  return {
    messages: (channel) => received.get(channel) ?? [],
    waitFor: async (channel, predicate, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received.get(channel) ?? [])) {
        if (Date.now() > deadline) {
          throw new Error(
            `timed out waiting on ${channel}; got ${JSON.stringify(received.get(channel) ?? [])}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return received.get(channel) ?? [];
    },
    close: async () => {
      if (client.isOpen) await client.quit();
    },
  };
}

/** Gives in-flight publishes time to arrive before asserting that nothing (more) came. */
export const settle = (ms = 500): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
