import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../api';
import { useDashboard } from '../context';
import { formatPercent, formatPrice, formatNumber, pairLabel, toPips } from '../format';
import type { ConnectionState } from '../live';
import type { TickerRow } from '../ticker-store';
import type { CandlesResponseDto, InstrumentDto } from '../types';
import { Panel } from '../ui';
import { Sparkline } from './sparkline';

const STATE_TEXT: Record<ConnectionState, string> = {
  connecting: 'connecting…',
  connected: 'live',
  reconnecting: 'disconnected — reconnecting…',
  disconnected: 'disconnected',
  unauthorized: 'not signed in',
  refused: 'refused: too many connections',
};

export function ConnectionBadge() {
  const { feed } = useDashboard();
  const [state, setState] = useState<ConnectionState>(feed.current);
  useEffect(() => feed.state.on(setState), [feed]);
  return (
    <span
      class={`badge conn conn-${state}`}
      role="status"
      aria-live="polite"
      data-connection={state}
    >
      <span class="dot" aria-hidden="true" />
      {STATE_TEXT[state]}
    </span>
  );
}

/** Seeds each row with the last day of hourly closes; the last complete one is "previous H1 close". */
function useSeedHistory(instruments: InstrumentDto[]): void {
  const { ticker } = useDashboard();
  useEffect(() => {
    const controller = new AbortController();
    const from = new Date(Date.now() - 48 * 3600_000).toISOString();
    // After the panels' first requests: history is a nicety, prices and tables come first.
    const timer = setTimeout(() => seedAll(), 1500);
    const seedAll = () => instruments.forEach(({ name }) => seedOne(name));
    const seedOne = (name: string) => {
      getJson<CandlesResponseDto>(`/api/v1/candles/${name}`, { from, limit: 60 }, controller.signal)
        .then((res) => {
          const complete = res.candles.filter((c) => c.complete && c.mid);
          const closes = complete.map((c) => c.mid!.c).slice(-24);
          ticker.seed(name, closes, closes[closes.length - 1] ?? null);
        })
        .catch(() => {
          // The row still ticks; only the change column stays empty.
        });
    };
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [instruments, ticker]);
}

function Row({
  row,
  meta,
  selected,
  onSelect,
}: {
  row: TickerRow | undefined;
  meta: InstrumentDto;
  selected: boolean;
  onSelect: () => void;
}) {
  const precision = meta.display_precision;
  const spread =
    row && Number.isFinite(row.bid) ? toPips(row.ask - row.bid, meta.pip_location) : null;
  const change =
    row && row.previousClose && Number.isFinite(row.mid)
      ? ((row.mid - row.previousClose) / row.previousClose) * 100
      : null;
  // Two animation names alternate so every change restarts the flash.
  const flash =
    row && row.changes > 0 ? `flash-${row.direction > 0 ? 'up' : 'down'}-${row.changes % 2}` : '';
  return (
    <tr class={selected ? 'selected' : ''} data-instrument={meta.name}>
      <th scope="row">
        <button
          type="button"
          class="linkish"
          onClick={onSelect}
          aria-pressed={selected}
          title="Show on the chart"
        >
          {pairLabel(meta.name)}
        </button>
      </th>
      <td class={`num price ${flash}`} data-field="bid">
        {formatPrice(row?.bid, precision)}
      </td>
      <td class={`num price ${flash}`} data-field="ask">
        {formatPrice(row?.ask, precision)}
      </td>
      <td class="num" data-field="spread">
        {formatNumber(spread, 1)}
      </td>
      <td class={`num ${change === null ? '' : change >= 0 ? 'pos' : 'neg'}`} data-field="change">
        {formatPercent(change, 3)}
      </td>
      <td class="spark-cell">
        <Sparkline values={row?.spark ?? []} />
      </td>
    </tr>
  );
}

export function TickerPanel() {
  const { instruments, ticker, selected, select } = useDashboard();
  const [, setVersion] = useState(0);
  useEffect(() => ticker.subscribe(() => setVersion(ticker.version)), [ticker]);
  useSeedHistory(instruments);
  return (
    <Panel
      id="ticker"
      title="Live prices"
      tools={<ConnectionBadge />}
      empty={instruments.length === 0}
      emptyText="No instruments are tracked."
    >
      <div class="table-wrap">
        <table class="ticker">
          <thead>
            <tr>
              <th scope="col">Pair</th>
              <th scope="col" class="num">
                Bid
              </th>
              <th scope="col" class="num">
                Ask
              </th>
              <th scope="col" class="num" title="Spread in pips">
                Spread<span class="long"> (pips)</span>
              </th>
              <th scope="col" class="num" title="Change of mid since the previous H1 close">
                Chg<span class="long"> vs</span> H1
              </th>
              <th scope="col" class="spark-cell">
                Trend
              </th>
            </tr>
          </thead>
          <tbody>
            {instruments.map((meta) => (
              <Row
                key={meta.name}
                row={ticker.rows.get(meta.name)}
                meta={meta}
                selected={meta.name === selected}
                onSelect={() => select(meta.name)}
              />
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
