import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type LineData,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import {
  BUCKET_SECONDS,
  loadH1Bars,
  loadIndicatorHistory,
  PAGE_SECONDS,
  toSeconds,
  type ChartGranularity,
} from '../chart-data';
import { useDashboard } from '../context';
import { pairLabel } from '../format';
import {
  aggregateBars,
  bollinger,
  ema,
  mergeBars,
  sma,
  type Bar,
  type Series,
} from '../indicators';
import { Panel } from '../ui';
import type { VolatilityMetricDto } from '../types';

interface Handles {
  chart: IChartApi;
  candles: ISeriesApi<'Candlestick'>;
  overlays: Record<
    'sma20' | 'sma50' | 'ema12' | 'ema26' | 'bbUpper' | 'bbLower',
    ISeriesApi<'Line'>
  >;
  rsi: ISeriesApi<'Line'>;
  macd: ISeriesApi<'Line'>;
  signal: ISeriesApi<'Line'>;
  histogram: ISeriesApi<'Histogram'>;
}

const OVERLAY_COLOURS = {
  sma20: '#f59e0b',
  sma50: '#8b5cf6',
  ema12: '#10b981',
  ema26: '#ef4444',
  bbUpper: '#64748b',
  bbLower: '#64748b',
} as const;

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function themeOptions() {
  return {
    layout: {
      background: { type: ColorType.Solid, color: cssVar('--panel') || '#fff' },
      textColor: cssVar('--text') || '#111',
      // Required by the library's Apache-2.0 NOTICE: the TradingView link on the chart.
      attributionLogo: true,
    },
    grid: {
      vertLines: { color: cssVar('--grid') || '#eee' },
      horzLines: { color: cssVar('--grid') || '#eee' },
    },
  };
}

const line = (
  time: number,
  value: number | null,
): LineData<UTCTimestamp> | { time: UTCTimestamp } =>
  value === null ? { time: time as UTCTimestamp } : { time: time as UTCTimestamp, value };

function lineData(bars: readonly Bar[], values: Series) {
  return bars.map((b, i) => line(b.time, values[i]));
}

function createHandles(el: HTMLElement): Handles {
  const chart = createChart(el, {
    autoSize: true,
    ...themeOptions(),
    timeScale: { timeVisible: true, secondsVisible: false, rightOffset: 4 },
    rightPriceScale: { borderVisible: false },
    // Times are plotted as UTC epoch seconds; the library does not shift them to local time.
    localization: { dateFormat: 'yyyy-MM-dd' },
  });
  const candles = chart.addSeries(CandlestickSeries, {
    upColor: '#16a34a',
    downColor: '#dc2626',
    wickUpColor: '#16a34a',
    wickDownColor: '#dc2626',
    borderVisible: false,
  });
  const overlay = (color: string, title: string) =>
    chart.addSeries(LineSeries, {
      color,
      lineWidth: 1,
      title,
      priceLineVisible: false,
      lastValueVisible: false,
      crosshairMarkerVisible: false,
    });
  const overlays = {
    sma20: overlay(OVERLAY_COLOURS.sma20, 'SMA 20'),
    sma50: overlay(OVERLAY_COLOURS.sma50, 'SMA 50'),
    ema12: overlay(OVERLAY_COLOURS.ema12, 'EMA 12'),
    ema26: overlay(OVERLAY_COLOURS.ema26, 'EMA 26'),
    bbUpper: overlay(OVERLAY_COLOURS.bbUpper, 'BB up'),
    bbLower: overlay(OVERLAY_COLOURS.bbLower, 'BB low'),
  };
  const rsi = chart.addSeries(
    LineSeries,
    { color: '#0ea5e9', lineWidth: 1, title: 'RSI 14', priceLineVisible: false },
    1,
  );
  const macd = chart.addSeries(
    LineSeries,
    { color: '#2563eb', lineWidth: 1, title: 'MACD', priceLineVisible: false },
    2,
  );
  const signal = chart.addSeries(
    LineSeries,
    { color: '#f97316', lineWidth: 1, title: 'signal', priceLineVisible: false },
    2,
  );
  const histogram = chart.addSeries(
    HistogramSeries,
    { color: '#94a3b8', priceLineVisible: false, lastValueVisible: false },
    2,
  );
  const panes = chart.panes();
  panes[0]?.setStretchFactor(3);
  panes[1]?.setStretchFactor(1);
  panes[2]?.setStretchFactor(1);
  return { chart, candles, overlays, rsi, macd, signal, histogram };
}

function render(h: Handles, bars: Bar[], metrics: VolatilityMetricDto[], showPanes: boolean) {
  h.candles.setData(bars.map((b) => ({ ...b, time: b.time as UTCTimestamp })));
  const closes = bars.map((b) => b.close);
  const bands = bollinger(closes, 20, 2);
  h.overlays.sma20.setData(lineData(bars, sma(closes, 20)));
  h.overlays.sma50.setData(lineData(bars, sma(closes, 50)));
  h.overlays.ema12.setData(lineData(bars, ema(closes, 12)));
  h.overlays.ema26.setData(lineData(bars, ema(closes, 26)));
  h.overlays.bbUpper.setData(lineData(bars, bands.upper));
  h.overlays.bbLower.setData(lineData(bars, bands.lower));
  const m = showPanes ? metrics : [];
  const at = (row: VolatilityMetricDto) => toSeconds(row.time) as UTCTimestamp;
  h.rsi.setData(
    m.map((r) => (r.rsi_14 === null ? { time: at(r) } : { time: at(r), value: r.rsi_14 })),
  );
  h.macd.setData(
    m.map((r) => (r.macd === null ? { time: at(r) } : { time: at(r), value: r.macd })),
  );
  h.signal.setData(
    m.map((r) =>
      r.macd_signal === null ? { time: at(r) } : { time: at(r), value: r.macd_signal },
    ),
  );
  h.histogram.setData(
    m.map((r) =>
      r.macd_histogram === null
        ? { time: at(r) }
        : {
            time: at(r),
            value: r.macd_histogram,
            color: r.macd_histogram >= 0 ? '#16a34a88' : '#dc262688',
          },
    ),
  );
}

export function ChartPanel() {
  const { instruments, byName, selected, select, feed } = useDashboard();
  const [granularity, setGranularity] = useState<ChartGranularity>('H1');
  const [status, setStatus] = useState<{
    loading: boolean;
    error: ApiError | null;
    bars: number;
    olderDone: boolean;
  }>({
    loading: true,
    error: null,
    bars: 0,
    olderDone: false,
  });
  const [attempt, setAttempt] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const handles = useRef<Handles | null>(null);

  // One chart for the panel's life; themes re-colour it.
  useEffect(() => {
    if (!box.current) return;
    const h = createHandles(box.current);
    handles.current = h;
    const onTheme = () => h.chart.applyOptions(themeOptions());
    document.addEventListener('themechange', onTheme);
    return () => {
      document.removeEventListener('themechange', onTheme);
      h.chart.remove();
      handles.current = null;
    };
  }, []);

  // Data for the chosen instrument and granularity, older pages on scroll, live last bar.
  useEffect(() => {
    const h = handles.current;
    if (!h || !selected) return;
    const controller = new AbortController();
    const { signal } = controller;
    const meta = byName.get(selected);
    const firstAvailable = meta?.first_candle ? toSeconds(meta.first_candle) : 0;
    const bucket = BUCKET_SECONDS[granularity];
    const showPanes = granularity === 'H1';
    let h1: Bar[] = [];
    let metrics: VolatilityMetricDto[] = [];
    let bars: Bar[] = [];
    let loadingOlder = false;
    let olderDone = false;
    const container = box.current!;

    const publish = () => {
      bars = granularity === 'H1' ? h1 : aggregateBars(h1, bucket);
      render(h, bars, metrics, showPanes);
      container.dataset.instrument = selected;
      container.dataset.granularity = granularity;
      container.dataset.bars = String(bars.length);
      container.dataset.firstTime = bars[0] ? new Date(bars[0].time * 1000).toISOString() : '';
      container.dataset.firstClose = bars[0] ? String(bars[0].close) : '';
      setStatus({ loading: false, error: null, bars: bars.length, olderDone });
    };

    const fail = (e: unknown) => {
      if (signal.aborted) return;
      setStatus((s) => ({
        ...s,
        loading: false,
        error: e instanceof ApiError ? e : new ApiError(0, String(e)),
      }));
    };

    setStatus((s) => ({ ...s, loading: true, error: null }));
    delete container.dataset.bars;
    const now = Math.floor(Date.now() / 1000);
    const from = now - PAGE_SECONDS[granularity];
    Promise.all([
      loadH1Bars(selected, from, null, signal),
      showPanes
        ? loadIndicatorHistory(selected, from, signal).catch(() => [])
        : Promise.resolve([]),
    ])
      .then(([loaded, history]) => {
        if (signal.aborted) return;
        h1 = loaded;
        metrics = history;
        olderDone = from <= firstAvailable;
        publish();
        h.chart.timeScale().fitContent();
        if (bars.length > 150)
          h.chart
            .timeScale()
            .setVisibleLogicalRange({ from: bars.length - 150, to: bars.length + 4 });
      })
      .catch(fail);

    const loadOlder = () => {
      if (loadingOlder || olderDone || h1.length === 0) return;
      loadingOlder = true;
      setStatus((s) => ({ ...s, loading: true }));
      const to = h1[0].time - 1;
      const olderFrom = to - PAGE_SECONDS[granularity];
      Promise.all([
        loadH1Bars(selected, olderFrom, to, signal),
        showPanes
          ? loadIndicatorHistory(selected, olderFrom, signal).catch(() => metrics)
          : Promise.resolve([]),
      ])
        .then(([older, history]) => {
          if (signal.aborted) return;
          h1 = mergeBars(older, h1);
          if (showPanes) {
            const byTime = new Map(metrics.map((r) => [r.time, r]));
            for (const r of history) byTime.set(r.time, r);
            metrics = [...byTime.values()].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
          }
          olderDone = olderFrom <= firstAvailable;
          publish();
        })
        .catch(fail)
        .finally(() => {
          loadingOlder = false;
        });
    };
    const onRange = (range: { from: number; to: number } | null) => {
      if (range && range.from < 10) loadOlder();
    };
    h.chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);

    // The last bar follows live mids (at most one chart update per frame).
    let pending: { mid: number; time: number } | null = null;
    let frame: number | null = null;
    const flush = () => {
      frame = null;
      // A frame scheduled before the panel went away must not touch the disposed chart.
      if (signal.aborted || !pending || bars.length === 0) return;
      const { mid, time } = pending;
      pending = null;
      const start = Math.floor(time / bucket) * bucket;
      const last = bars[bars.length - 1];
      if (start < last.time) return;
      const bar: Bar =
        start === last.time
          ? { ...last, high: Math.max(last.high, mid), low: Math.min(last.low, mid), close: mid }
          : {
              time: start,
              open: last.close,
              high: Math.max(last.close, mid),
              low: Math.min(last.close, mid),
              close: mid,
            };
      if (start === last.time) bars[bars.length - 1] = bar;
      else bars.push(bar);
      h.candles.update({ ...bar, time: bar.time as UTCTimestamp });
      container.dataset.lastClose = String(mid);
    };
    const off = feed.prices.on((batch) => {
      for (const u of batch) {
        if (u.instrument !== selected) continue;
        pending = { mid: u.price.mid, time: Math.floor(Date.parse(u.price.time) / 1000) };
      }
      // The live bar redraws the whole chart: four times a second is plenty.
      if (pending && frame === null) {
        frame = window.setTimeout(() => requestAnimationFrame(flush), 250);
      }
    });

    return () => {
      controller.abort();
      off();
      if (frame !== null) clearTimeout(frame);
      // On unmount the chart effect's cleanup (chart.remove) may already have run.
      if (handles.current === h) h.chart.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
    };
  }, [selected, granularity, byName, feed, attempt]);

  const tools = (
    <>
      <label>
        <span class="sr-only">Pair</span>
        <select
          value={selected}
          onChange={(e) => select((e.target as HTMLSelectElement).value)}
          aria-label="Chart pair"
          id="chart-pair"
        >
          {instruments.map((i) => (
            <option key={i.name} value={i.name}>
              {pairLabel(i.name)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span class="sr-only">Granularity</span>
        <select
          value={granularity}
          onChange={(e) =>
            setGranularity((e.target as HTMLSelectElement).value as ChartGranularity)
          }
          aria-label="Chart granularity"
          id="chart-granularity"
        >
          <option value="H1">H1</option>
          <option value="H4">H4 (from H1)</option>
          <option value="D">D (from H1)</option>
        </select>
      </label>
    </>
  );

  return (
    <Panel
      id="chart"
      title={`Chart ${pairLabel(selected)} ${granularity}`}
      tools={tools}
      loading={status.loading}
    >
      {/* Errors render inline: the chart element must stay mounted. */}
      {status.error && (
        <div class="state state-error" role="alert">
          <span>Could not load candles: {status.error.message}</span>
          <button type="button" onClick={() => setAttempt((a) => a + 1)}>
            Retry
          </button>
        </div>
      )}
      <div class="chart-legend" aria-hidden="true">
        <span style={{ color: OVERLAY_COLOURS.sma20 }}>SMA 20</span>
        <span style={{ color: OVERLAY_COLOURS.sma50 }}>SMA 50</span>
        <span style={{ color: OVERLAY_COLOURS.ema12 }}>EMA 12</span>
        <span style={{ color: OVERLAY_COLOURS.ema26 }}>EMA 26</span>
        <span style={{ color: OVERLAY_COLOURS.bbUpper }}>Bollinger 20, 2</span>
        <span class="muted">
          {granularity === 'H1' ? 'panes: RSI 14, MACD 12/26/9' : 'RSI/MACD panes: H1 only'}
        </span>
        <span class="muted">times in UTC</span>
      </div>
      <div
        class="chart-box"
        ref={box}
        role="img"
        aria-label={`Candlestick chart of ${pairLabel(selected)}, ${granularity}, times in UTC`}
      />
      {!status.loading && !status.error && status.bars === 0 && (
        <div class="state state-empty">No candles stored for {pairLabel(selected)} yet.</div>
      )}
    </Panel>
  );
}
