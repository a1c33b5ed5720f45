import type { PriceUpdateEvent } from '../platform/pubsub';

/*
 * Batched, conflated price delivery (DESIGN.md section 6: `subscribe {pairs,
 * batch: true}` -> `price_batch`), on Socket.IO's public API only.
 *
 * Why rooms per pair-set: a batch holds "the latest price of each of this
 * socket's pairs", so two sockets with the same pairs get byte-identical
 * frames. Putting every batched socket into one room per distinct pair-set
 * lets `server.to(room).emit` encode the frame once per group and write the
 * same buffer to every member; the encoder runs once per group per burst,
 * never once per socket. Real subscriptions cluster on a few pair-sets, and
 * even 10,000 sockets with arbitrary 3-pair sets of 20 instruments make at
 * most 1,140 groups.
 *
 * Why conflation per burst: a provider ticks many pairs at once (the
 * simulated market all 20 every interval, OANDA in bursts), and the ticks of
 * one burst reach this process in the same turn of the event loop. Holding
 * them until that turn ends (setImmediate) and keeping only the newest price
 * per instrument gives each socket at most one frame per burst, and a price
 * superseded within the burst is never sent.
 */

/** Every batched socket is also in this room, so per-message broadcasts can skip them with `except`. */
export const BATCH_ROOM = 'batch';
const GROUP_PREFIX = 'batch:';

/** The group room of a pair-set: same pairs in any order, same room. */
export function batchGroupRoom(pairs: Iterable<string>): string {
  return GROUP_PREFIX + [...pairs].sort().join(',');
}

/** The pairs of a group room name, or null for any other room. */
export function groupRoomPairs(room: string): string[] | null {
  if (!room.startsWith(GROUP_PREFIX)) return null;
  const body = room.slice(GROUP_PREFIX.length);
  return body ? body.split(',') : [];
}

/** The prices of one group in a burst, in the group's (sorted) pair order; empty if none of its pairs ticked. */
export function batchFor(
  pairs: readonly string[],
  latest: ReadonlyMap<string, PriceUpdateEvent>,
): PriceUpdateEvent[] {
  const prices: PriceUpdateEvent[] = [];
  for (const pair of pairs) {
    const price = latest.get(pair);
    if (price) prices.push(price);
  }
  return prices;
}

/**
 * Collects the price updates of one burst, newest per instrument, and hands
 * them over once the current event-loop turn is done.
 */
export class PriceConflator {
  private pending = new Map<string, PriceUpdateEvent>();
  private scheduled = false;
  private bursts = 0;
  private superseded = 0;

  constructor(
    private readonly flush: (latest: ReadonlyMap<string, PriceUpdateEvent>) => void,
    private readonly schedule: (drain: () => void) => void = (fn) => void setImmediate(fn),
  ) {}

  offer(event: PriceUpdateEvent): void {
    if (this.pending.has(event.instrument)) this.superseded += 1;
    this.pending.set(event.instrument, event);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.drain());
  }

  /** Flushes what is pending now (also what the scheduled callback does). */
  drain(): void {
    this.scheduled = false;
    if (this.pending.size === 0) return;
    const latest = this.pending;
    this.pending = new Map();
    this.bursts += 1;
    this.flush(latest);
  }

  get stats(): { bursts: number; superseded: number } {
    return { bursts: this.bursts, superseded: this.superseded };
  }
}
