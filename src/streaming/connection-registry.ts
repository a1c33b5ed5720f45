/**
 * Counters for the Socket.IO side of one instance: who is connected, what
 * was sent, what was refused. Room membership itself lives in Socket.IO's
 * adapter (the source of truth); this only keeps the numbers for
 * `server_stats`, health and metrics.
 */
export class ConnectionRegistry {
  private connected = 0;
  private peak = 0;
  private refused = 0;
  private limited = 0;
  private sent = 0;
  private readonly sentByEvent = new Map<string, number>();
  readonly startedAt = Date.now();

  connect(): number {
    this.connected += 1;
    this.peak = Math.max(this.peak, this.connected);
    return this.connected;
  }

  disconnect(): number {
    this.connected = Math.max(0, this.connected - 1);
    return this.connected;
  }

  refuse(): void {
    this.refused += 1;
  }

  rateLimited(): void {
    this.limited += 1;
  }

  /** One emit that reached `recipients` sockets counts as that many messages. */
  recordSent(event: string, recipients: number): void {
    if (recipients <= 0) return;
    this.sent += recipients;
    this.sentByEvent.set(event, (this.sentByEvent.get(event) ?? 0) + recipients);
  }

  get clients(): number {
    return this.connected;
  }

  get messagesSent(): number {
    return this.sent;
  }

  snapshot(): {
    clients: number;
    peak_clients: number;
    refused_connections: number;
    rate_limited_messages: number;
    messages_sent: number;
    messages_by_event: Record<string, number>;
    uptime: number;
  } {
    return {
      clients: this.connected,
      peak_clients: this.peak,
      refused_connections: this.refused,
      rate_limited_messages: this.limited,
      messages_sent: this.sent,
      messages_by_event: Object.fromEntries(this.sentByEvent),
      uptime: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }
}

/** Sizes of the price rooms that have members, e.g. `{ price_EUR_USD: 12 }`. */
export function priceRoomSizes(
  rooms: ReadonlyMap<string, ReadonlySet<string>>,
  prefix = 'price_',
): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const [room, members] of rooms) {
    if (room.startsWith(prefix) && members.size > 0) sizes[room] = members.size;
  }
  return sizes;
}

/** How many distinct sockets are in any of `rooms` (a socket in two rooms counts once). */
export function distinctMembers(
  rooms: ReadonlyMap<string, ReadonlySet<string>>,
  names: readonly string[],
): number {
  const sets = names.map((n) => rooms.get(n)).filter((s): s is ReadonlySet<string> => !!s);
  if (sets.length === 0) return 0;
  if (sets.length === 1) return sets[0].size;
  const seen = new Set<string>();
  for (const set of sets) for (const id of set) seen.add(id);
  return seen.size;
}
