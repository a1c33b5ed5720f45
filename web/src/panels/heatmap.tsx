import { Fragment } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { useDashboard } from '../context';
import {
  contrastText,
  correlationRgb,
  formatNumber,
  formatUtc,
  pairLabel,
  rgbCss,
} from '../format';
import { useApi } from '../hooks';
import type { CorrelationMatrixDto, CorrelationPairDto } from '../types';
import { Loading, Panel } from '../ui';
import { Sparkline } from './sparkline';

const CATEGORY_TEXT: Record<string, string> = {
  negatively_correlated: 'negatively correlated (hedging)',
  uncorrelated: 'uncorrelated (diversification)',
  moderately_correlated: 'moderately correlated',
  highly_correlated: 'highly correlated',
};

function PairDetail({ pair1, pair2, window }: { pair1: string; pair2: string; window: number }) {
  const res = useApi<CorrelationPairDto>('/api/v1/correlation/pairs', {
    pair1,
    pair2,
    window,
    limit: 90,
  });
  const history = res.data
    ? [...res.data.history].sort((a, b) => a.date.localeCompare(b.date))
    : [];
  return (
    <div class="pair-detail" id="heatmap-detail" aria-live="polite">
      <h3>
        {pairLabel(pair1)} × {pairLabel(pair2)} <span class="muted">window {window}</span>
      </h3>
      {res.error ? (
        <div class="state state-error">Could not load: {res.error.message}</div>
      ) : !res.data ? (
        <Loading />
      ) : !res.data.latest ? (
        <div class="state state-empty">No history for this pair.</div>
      ) : (
        <>
          <p>
            Latest r = <strong>{formatNumber(res.data.latest.correlation, 3)}</strong> on{' '}
            {res.data.latest.date}
            {' — '}
            <span data-field="category">
              {res.data.latest.category ? CATEGORY_TEXT[res.data.latest.category] : 'no category'}
            </span>
          </p>
          <p class="muted">
            {history.length} day(s) of history{' '}
            {history.length > 1 && `from ${history[0].date} to ${history[history.length - 1].date}`}
          </p>
          <Sparkline values={history.map((h) => h.correlation ?? NaN)} width={260} height={48} />
        </>
      )}
    </div>
  );
}

export function HeatmapPanel({ windows }: { windows: number[] }) {
  const { select } = useDashboard();
  const [window, setWindow] = useState(windows[0] ?? 100);
  const [date, setDate] = useState('');
  const [hover, setHover] = useState<string>('');
  const [picked, setPicked] = useState<[string, string] | null>(null);
  const grid = useRef<HTMLDivElement>(null);
  const res = useApi<CorrelationMatrixDto>('/api/v1/correlation/matrix', {
    window,
    date: date || undefined,
  });
  const data = res.data;
  const n = data?.instruments.length ?? 0;
  const today = useMemo(() => new Date().toISOString().slice(0, 10), []);

  // Arrow keys move between cells (one tab stop for the whole grid).
  const onKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    const index = Number(target.dataset.index);
    if (!Number.isFinite(index) || n === 0) return;
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: n,
      ArrowUp: -n,
    };
    const delta = moves[e.key];
    if (delta === undefined) return;
    const next = index + delta;
    if (next < 0 || next >= n * n) return;
    e.preventDefault();
    const cells = grid.current?.querySelectorAll<HTMLButtonElement>('button.cell');
    const cell = cells?.[next];
    if (!cell) return;
    cells.forEach((c) => (c.tabIndex = -1));
    cell.tabIndex = 0;
    cell.focus();
  };

  const tools = (
    <>
      <label>
        window{' '}
        <select
          id="heatmap-window"
          value={window}
          onChange={(e) => setWindow(Number((e.target as HTMLSelectElement).value))}
        >
          {windows.map((w) => (
            <option key={w} value={w}>
              {w}
            </option>
          ))}
        </select>
      </label>
      <label>
        date{' '}
        <input
          id="heatmap-date"
          type="date"
          max={today}
          value={date}
          onChange={(e) => setDate((e.target as HTMLInputElement).value)}
        />
      </label>
    </>
  );

  return (
    <Panel
      id="heatmap"
      title="Correlation matrix"
      tools={tools}
      loading={res.loading}
      error={res.error?.status === 404 ? null : res.error}
      empty={res.error?.status === 404 || (data !== null && n === 0)}
      emptyText={
        date
          ? `No matrix for ${date} (window ${window}).`
          : 'No correlation matrix yet: the daily job computes it.'
      }
      onRetry={res.reload}
    >
      {!data ? (
        <Loading />
      ) : (
        <>
          <p class="muted small">
            {data.date} · window {data.window} hourly returns · calculated{' '}
            {formatUtc(data.calculated_at)}
          </p>
          <div class="heatmap-scroll">
            <div
              class="heatmap"
              ref={grid}
              role="grid"
              aria-label="Correlation matrix: arrow keys move, Enter opens a pair"
              data-size={n}
              style={{
                gridTemplateColumns: `minmax(4.2em, auto) repeat(${n}, minmax(1.6em, 2.8em))`,
              }}
              onKeyDown={onKey}
            >
              <span class="corner" />
              {data.instruments.map((i) => (
                <span key={`c-${i}`} class="col-label" title={pairLabel(i)}>
                  {i.replace('_', '')}
                </span>
              ))}
              {data.instruments.map((row, r) => (
                <Fragment key={row}>
                  <span class="row-label">{pairLabel(row)}</span>
                  {data.instruments.map((col, c) => {
                    const value = data.matrix[r]?.[c] ?? null;
                    const rgb = correlationRgb(value);
                    const label = `${pairLabel(row)} × ${pairLabel(col)}: ${value === null ? 'no value' : value.toFixed(3)}`;
                    return (
                      <button
                        type="button"
                        key={`${row}-${col}`}
                        class={`cell ${picked && picked[0] === row && picked[1] === col ? 'picked' : ''}`}
                        role="gridcell"
                        tabIndex={r === 0 && c === 0 ? 0 : -1}
                        data-index={r * n + c}
                        data-row={row}
                        data-col={col}
                        data-value={value === null ? '' : String(value)}
                        style={{ background: rgbCss(rgb), color: contrastText(rgb) }}
                        title={label}
                        aria-label={label}
                        onMouseEnter={() => setHover(label)}
                        onFocus={() => setHover(label)}
                        onClick={() => row !== col && setPicked([row, col])}
                      >
                        <span class="cell-value">
                          {value === null ? '' : value.toFixed(2).replace(/^(-?)0\./, '$1.')}
                        </span>
                      </button>
                    );
                  })}
                </Fragment>
              ))}
            </div>
          </div>
          <div class="heatmap-foot">
            <div class="legend-scale" aria-hidden="true">
              <span>−1</span>
              <span class="gradient" />
              <span>+1</span>
            </div>
            <span class="hover-readout" aria-live="polite">
              {hover || 'Hover or focus a cell for its value; click it for the pair history.'}
            </span>
          </div>
          {picked && (
            <>
              <PairDetail pair1={picked[0]} pair2={picked[1]} window={window} />
              <button type="button" class="linkish" onClick={() => select(picked[0])}>
                Chart {pairLabel(picked[0])}
              </button>
            </>
          )}
        </>
      )}
    </Panel>
  );
}
