import { useEffect, useState } from 'preact/hooks';
import type { AlertsStore } from '../alerts-store';
import { useDashboard } from '../context';
import { formatUtc, pairLabel } from '../format';
import { useApi } from '../hooks';
import type { LiveAlert } from '../live';
import { Panel } from '../ui';
import { AlertRules } from './alert-rules';

interface HistoryEvent {
  id?: number | string;
  instrument?: string;
  /** The rule's condition: `type` and its parameters. */
  condition?: { type?: string } | string;
  delivery_status?: string;
  /** Sent by the rule's Test button (POST /alerts/{id}/test), not by its condition. */
  test?: boolean;
  message?: string;
  triggered_at?: string;
}

function describe(alert: LiveAlert): {
  title: string;
  severity: string;
  message: string;
  at: string;
} {
  if (alert.kind === 'volatility') {
    const e = alert.event;
    return {
      title: `Volatility ${pairLabel(e.instrument)}`,
      severity: e.severity,
      message: e.message,
      at: e.timestamp,
    };
  }
  const e = alert.event;
  return {
    title: `Correlation ${pairLabel(e.pair1)} × ${pairLabel(e.pair2)}`,
    severity: e.severity,
    message: e.message,
    at: e.timestamp,
  };
}

export function AlertsPanel({ alerts }: { alerts: AlertsStore }) {
  const [items, setItems] = useState(alerts.items);
  useEffect(() => alerts.subscribe(() => setItems(alerts.items)), [alerts]);
  // Stored alert history (user alert rules, DESIGN.md section 12) where the server has it.
  const { caps } = useDashboard();
  const hasHistory = caps.has('/api/v1/alerts/events');
  const history = useApi<{ events?: HistoryEvent[] } | HistoryEvent[]>(
    hasHistory ? '/api/v1/alerts/events' : null,
    { limit: 20 },
  );
  const past = Array.isArray(history.data) ? history.data : (history.data?.events ?? []);
  return (
    <Panel id="alerts" title="Alerts">
      {caps.has('/api/v1/alerts') && <AlertRules onChange={history.reload} />}
      <h3 class="small">Live</h3>
      {items.length === 0 ? (
        <div class="state state-empty">
          No alerts since this page opened. Volatility and correlation alerts appear here as they
          happen.
        </div>
      ) : (
        <ol class="feed" aria-live="polite">
          {items.slice(0, 50).map(({ id, alert }) => {
            const d = describe(alert);
            return (
              <li key={id} class={`alert-item sev-${d.severity}`} data-kind={alert.kind}>
                <span class={`tag tag-${d.severity}`}>{d.severity}</span> <strong>{d.title}</strong>
                <div>{d.message}</div>
                <time class="muted small">{formatUtc(d.at, true)}</time>
              </li>
            );
          })}
        </ol>
      )}
      <h3 class="small">History</h3>
      {!hasHistory ? (
        <div class="state state-empty">This server keeps no alert history yet.</div>
      ) : history.loading && !history.data ? (
        <div class="state state-loading">Loading…</div>
      ) : history.error ? (
        <div class="state state-empty">History unavailable: {history.error.message}</div>
      ) : past.length === 0 ? (
        <div class="state state-empty">No stored alerts.</div>
      ) : (
        <ol class="feed">
          {past.map((e, i) => (
            <li key={e.id ?? i} class="alert-item">
              <strong>{e.instrument ? pairLabel(e.instrument) : ''}</strong>{' '}
              {typeof e.condition === 'string' ? e.condition : e.condition?.type}{' '}
              {e.test && <span class="tag">test</span>}
              <div>{e.message}</div>
              <time class="muted small">{formatUtc(e.triggered_at, true)}</time>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
