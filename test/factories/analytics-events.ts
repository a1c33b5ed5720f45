import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { TEST_REDIS_URL } from '../utils/test-env';
import { waitFor } from '../utils/wait-for';

type Message = Record<string, unknown>;

/** Collects the JSON messages of Redis channels on a separate node-redis connection (as a second instance would). */
export interface ChannelRecorder {
  messages(channel: string): Message[];
  /** Resolves once `predicate` holds for the channel's messages, or rejects after `timeoutMs`. */
  waitFor(
    channel: string,
    predicate: (messages: Message[]) => boolean,
    timeoutMs?: number,
  ): Promise<Message[]>;
  /**
   * Resolves once everything published before the call has been received: a
   * marker is published on each channel after it, and Redis delivers a
   * channel's messages in the order it processed the PUBLISHes (the app's
   * were answered before the caller got here). For asserting that nothing
   * (more) came, without sleeping.
   */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const MARKER = '__recorder_marker';

export async function recordChannels(
  prefix: string,
  channels: readonly string[],
): Promise<ChannelRecorder> {
  const client = createClient({ url: TEST_REDIS_URL });
  client.on('error', () => undefined);
  await client.connect();
  const publisher = client.duplicate();
  publisher.on('error', () => undefined);
  await publisher.connect();
  const received = new Map<string, Message[]>(channels.map((c) => [c, []]));
  const markers = new Set<string>();
  for (const channel of channels) {
    await client.subscribe(`${prefix}${channel}`, (message) => {
      const parsed = JSON.parse(message) as Message;
      if (typeof parsed[MARKER] === 'string') markers.add(`${channel}:${parsed[MARKER]}`);
      else received.get(channel)!.push(parsed);
    });
  }
  return {
    messages: (channel) => received.get(channel) ?? [],
    waitFor: async (channel, predicate, timeoutMs = 5000) => {
      await waitFor(() => predicate(received.get(channel) ?? []), {
        timeout: timeoutMs,
        interval: 25,
        what: `messages on ${channel}; got ${JSON.stringify(received.get(channel) ?? [])}`,
      });
      return received.get(channel) ?? [];
    },
    settled: async () => {
      const id = randomBytes(4).toString('hex');
      for (const channel of channels)
        await publisher.publish(`${prefix}${channel}`, JSON.stringify({ [MARKER]: id }));
      await waitFor(() => channels.every((c) => markers.has(`${c}:${id}`)), {
        timeout: 5_000,
        interval: 10,
        what: 'the recorder markers',
      });
    },
    close: async () => {
      if (publisher.isOpen) await publisher.quit();
      if (client.isOpen) await client.quit();
    },
  };
}
