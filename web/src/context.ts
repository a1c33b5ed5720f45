import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Capabilities } from './capabilities';
import type { LiveFeed } from './live';
import type { TickerStore } from './ticker-store';
import type { InstrumentDto } from './types';

export interface Dashboard {
  instruments: InstrumentDto[];
  byName: Map<string, InstrumentDto>;
  feed: LiveFeed;
  ticker: TickerStore;
  /** true: admin key or auth off; false: read-only key; null: unknown (the server decides). */
  admin: boolean | null;
  /** Optional routes this server has. */
  caps: Capabilities;
  /** The chart's instrument; the ticker and the heatmap can change it. */
  selected: string;
  select: (instrument: string) => void;
}

export const DashboardContext = createContext<Dashboard | null>(null);

export function useDashboard(): Dashboard {
  const value = useContext(DashboardContext);
  if (!value) throw new Error('useDashboard outside the dashboard');
  return value;
}
