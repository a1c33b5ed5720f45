import type { LiveAlert } from './live';

export interface AlertItem {
  id: number;
  alert: LiveAlert;
  receivedAt: number;
}

const MAX_ITEMS = 200;

/** Alerts heard on the socket during this visit, newest first. */
export class AlertsStore {
  items: AlertItem[] = [];
  /** Instruments with a volatility alert in this visit (the board highlights them). */
  readonly volatile = new Map<string, 'warning' | 'critical'>();
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  add(alert: LiveAlert): void {
    this.items = [{ id: this.nextId++, alert, receivedAt: Date.now() }, ...this.items].slice(
      0,
      MAX_ITEMS,
    );
    if (alert.kind === 'volatility')
      this.volatile.set(alert.event.instrument, alert.event.severity);
    for (const listener of this.listeners) listener();
  }
}
