import { useEffect, useMemo, useState } from 'preact/hooks';
import { useDashboard } from '../context';
import {
  contrastText,
  formatNumber,
  heatRgb,
  normalise,
  pairLabel,
  rgbCss,
  toPips,
} from '../format';
import { useApi } from '../hooks';
import type { AlertsStore } from '../alerts-store';
import type { VolatilityListDto, VolatilityMetricDto } from '../types';
import { Loading, Panel } from '../ui';

/** The server's default warning ratio (VOLATILITY_ALERT_WARNING_RATIO); live alerts mark rows too. */
const WARNING_RATIO = 1.5;

interface BoardRow {
  instrument: string;
  hv20: number | null;
  hv50: number | null;
  ratio: number | null;
  atrPips: number | null;
  rsi: number | null;
  /** %B: where the price sits in the Bollinger bands (0 = lower, 1 = upper). */
  percentB: number | null;
  alert: 'warning' | 'critical' | null;
}

type Key = Exclude<keyof BoardRow, 'alert'>;

const COLUMNS: Array<{ key: Key; label: string; title: string }> = [
  { key: 'instrument', label: 'Pair', title: 'Instrument' },
  { key: 'hv20', label: 'HV20 %', title: 'Annualised historical volatility over 20 hours' },
  { key: 'hv50', label: 'HV50 %', title: 'Annualised historical volatility over 50 hours' },
  {
    key: 'ratio',
    label: 'HV20/50',
    title: 'Short over long volatility: above 1 means volatility is rising',
  },
  { key: 'atrPips', label: 'ATR pips', title: 'Average true range (14) in pips' },
  { key: 'rsi', label: 'RSI', title: 'RSI 14' },
  {
    key: 'percentB',
    label: '%B',
    title:
      'Position in the Bollinger bands: 0 lower band, 1 upper band; outside 0..1 is outside the bands',
  },
];

export function VolatilityPanel({ alerts }: { alerts: AlertsStore }) {
  const { byName, ticker, feed } = useDashboard();
  const res = useApi<VolatilityListDto>('/api/v1/metrics/volatility');
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: 'ratio', desc: true });
  const [, setAlertVersion] = useState(0);
  useEffect(() => alerts.subscribe(() => setAlertVersion((v) => v + 1)), [alerts]);
  // New hourly metrics: reload.
  useEffect(
    () => feed.dataReady.on((e) => e.data_type === 'volatility' && res.reload()),
    [feed, res.reload],
  );

  const rows = useMemo(() => {
    const list: BoardRow[] = (res.data?.metrics ?? []).map((m: VolatilityMetricDto) => {
      const meta = byName.get(m.instrument);
      const mid = ticker.rows.get(m.instrument)?.mid ?? m.sma_20 ?? null;
      const width = m.bb_upper !== null && m.bb_lower !== null ? m.bb_upper - m.bb_lower : null;
      const ratio =
        m.volatility_20 !== null && m.volatility_50 ? m.volatility_20 / m.volatility_50 : null;
      const live = alerts.volatile.get(m.instrument) ?? null;
      return {
        instrument: m.instrument,
        hv20: m.volatility_20 === null ? null : m.volatility_20 * 100,
        hv50: m.volatility_50 === null ? null : m.volatility_50 * 100,
        ratio,
        atrPips: m.atr === null || !meta ? null : toPips(m.atr, meta.pip_location),
        rsi: m.rsi_14,
        percentB:
          width && mid !== null && Number.isFinite(mid) && m.bb_lower !== null
            ? (mid - m.bb_lower) / width
            : null,
        alert: live ?? (ratio !== null && ratio >= WARNING_RATIO ? 'warning' : null),
      };
    });
    const dir = sort.desc ? -1 : 1;
    return list.sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * dir;
    });
    // ticker.version: %B follows the live price when the board re-renders.
  }, [res.data, sort, byName, ticker, alerts.volatile.size, ticker.version]);

  const ranges = useMemo(() => {
    const range = (k: Key) => {
      const vals = rows.map((r) => r[k]).filter((v): v is number => typeof v === 'number');
      return [Math.min(...vals), Math.max(...vals)] as const;
    };
    return {
      hv20: range('hv20'),
      hv50: range('hv50'),
      ratio: range('ratio'),
      atrPips: range('atrPips'),
    };
  }, [rows]);

  const heat = (k: 'hv20' | 'hv50' | 'ratio' | 'atrPips', v: number | null) => {
    if (v === null) return undefined;
    const rgb = heatRgb(normalise(v, ranges[k][0], ranges[k][1]));
    return { background: rgbCss(rgb), color: contrastText(rgb) };
  };

  const header = (c: (typeof COLUMNS)[number]) => {
    const active = sort.key === c.key;
    return (
      <th
        key={c.key}
        scope="col"
        class={c.key === 'instrument' ? '' : 'num'}
        aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}
      >
        <button
          type="button"
          class="sort"
          title={c.title}
          onClick={() =>
            setSort({ key: c.key, desc: active ? !sort.desc : c.key !== 'instrument' })
          }
        >
          {c.label}
          <span aria-hidden="true">{active ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <Panel
      id="volatility"
      title="Volatility board"
      loading={res.loading}
      error={res.error}
      onRetry={res.reload}
      empty={res.data !== null && res.data.metrics.length === 0}
      emptyText="No volatility metrics yet: the hourly job computes them."
    >
      {!res.data ? (
        <Loading />
      ) : (
        <div class="table-wrap">
          <table class="vol-board">
            <thead>
              <tr>{COLUMNS.map(header)}</tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={r.instrument}
                  class={r.alert ? `on-alert alert-${r.alert}` : ''}
                  data-instrument={r.instrument}
                >
                  <th scope="row">
                    {pairLabel(r.instrument)}
                    {r.alert && <span class={`tag tag-${r.alert}`}>{r.alert}</span>}
                  </th>
                  <td class="num" style={heat('hv20', r.hv20)}>
                    {formatNumber(r.hv20, 2)}
                  </td>
                  <td class="num" style={heat('hv50', r.hv50)}>
                    {formatNumber(r.hv50, 2)}
                  </td>
                  <td class="num" style={heat('ratio', r.ratio)}>
                    {formatNumber(r.ratio, 2)}
                  </td>
                  <td class="num" style={heat('atrPips', r.atrPips)}>
                    {formatNumber(r.atrPips, 1)}
                  </td>
                  <td
                    class={`num ${r.rsi !== null && (r.rsi >= 70 || r.rsi <= 30) ? 'extreme' : ''}`}
                  >
                    {formatNumber(r.rsi, 1)}
                  </td>
                  <td
                    class={`num ${r.percentB !== null && (r.percentB > 1 || r.percentB < 0) ? 'extreme' : ''}`}
                  >
                    {formatNumber(r.percentB, 2)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {res.data.missing.length > 0 && (
            <p class="muted small">No metrics yet for {res.data.missing.join(', ')}.</p>
          )}
        </div>
      )}
    </Panel>
  );
}
