import { useState } from 'preact/hooks';
import { formatNumber, pairLabel } from '../format';
import { useApi } from '../hooks';
import type { BestPairCategory, BestPairsDto } from '../types';
import { Loading, Panel } from '../ui';

const CATEGORIES: Array<{ value: BestPairCategory; label: string }> = [
  { value: 'negatively_correlated', label: 'Hedging (negatively correlated)' },
  { value: 'uncorrelated', label: 'Diversification (uncorrelated)' },
  { value: 'moderately_correlated', label: 'Moderately correlated' },
  { value: 'highly_correlated', label: 'Highly correlated' },
];

function PairsTable({
  category,
  title,
  window,
}: {
  category: BestPairCategory;
  title: string;
  window: number;
}) {
  const res = useApi<BestPairsDto>('/api/v1/best-pairs', { category, limit: 10, window });
  return (
    <div class="subpanel" data-category={category}>
      <h3>{title}</h3>
      {res.error ? (
        <div class="state state-error" role="alert">
          Could not load: {res.error.message}{' '}
          <button type="button" onClick={res.reload}>
            Retry
          </button>
        </div>
      ) : !res.data ? (
        <Loading />
      ) : res.data.pairs.length === 0 ? (
        <div class="state state-empty">
          No pairs in this category{res.data.date ? ` on ${res.data.date}` : ' yet'}.
        </div>
      ) : (
        <div class="table-wrap">
          <table class="best-pairs">
            <thead>
              <tr>
                <th scope="col" class="num">
                  #
                </th>
                <th scope="col">Pair</th>
                <th scope="col" class="num">
                  r
                </th>
              </tr>
            </thead>
            <tbody>
              {res.data.pairs.map((p) => (
                <tr
                  key={`${p.pair1}-${p.pair2}`}
                  data-pair1={p.pair1}
                  data-pair2={p.pair2}
                  data-rank={p.rank}
                >
                  <td class="num" data-field="rank">
                    {p.rank}
                  </td>
                  <td class="pair-cell">
                    <span data-field="pair">
                      {pairLabel(p.pair1)} · {pairLabel(p.pair2)}
                    </span>
                    <div class="reason" data-field="reason">
                      {p.reason}
                    </div>
                  </td>
                  <td class={`num ${p.correlation < 0 ? 'neg' : 'pos'}`} data-field="correlation">
                    {formatNumber(p.correlation, 3)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function BestPairsPanel({ windows }: { windows: number[] }) {
  const [category, setCategory] = useState<'' | BestPairCategory>('');
  const [window, setWindow] = useState(windows[0] ?? 100);
  const shown = category ? CATEGORIES.filter((c) => c.value === category) : CATEGORIES.slice(0, 2);
  const tools = (
    <>
      <label>
        category{' '}
        <select
          id="best-pairs-category"
          value={category}
          onChange={(e) => setCategory((e.target as HTMLSelectElement).value as BestPairCategory)}
        >
          <option value="">hedging + diversification</option>
          {CATEGORIES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        window{' '}
        <select
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
    </>
  );
  return (
    <Panel id="best-pairs" title="Best pairs" tools={tools}>
      <div class="split">
        {shown.map((c) => (
          <PairsTable
            key={`${c.value}-${window}`}
            category={c.value}
            title={c.label}
            window={window}
          />
        ))}
      </div>
    </Panel>
  );
}
