import { useState } from 'preact/hooks';
import { ApiError, deleteJson, patchJson, postJson } from '../api';
import { useDashboard } from '../context';
import { formatUtc, pairLabel } from '../format';
import { useApi } from '../hooks';

interface Rule {
  id: string;
  instrument?: string;
  instruments?: [string, string];
  condition: { type: string; level?: number };
  frequency: string;
  active: boolean;
  last_triggered_at: string | null;
  webhook_url: string | null;
}

/** The conditions the editor offers with a single level (the API takes more; see the README). */
const TYPES = [
  'price_cross_above',
  'price_cross_below',
  'price_above',
  'price_below',
  'rsi_above',
  'rsi_below',
];
const FREQUENCIES = ['once_per_bar', 'once', 'every_time'];

/** Create, list, pause/resume, test and delete this key's alert rules (DESIGN.md section 12). */
export function AlertRules({ onChange }: { onChange: () => void }) {
  const { instruments, selected } = useDashboard();
  const rules = useApi<{ rules: Rule[]; limit: number }>('/api/v1/alerts');
  const [instrument, setInstrument] = useState(selected);
  const [type, setType] = useState(TYPES[0]);
  const [level, setLevel] = useState('');
  const [frequency, setFrequency] = useState(FREQUENCIES[0]);
  const [webhook, setWebhook] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const act = async (work: () => Promise<unknown>): Promise<void> => {
    setMessage(null);
    try {
      await work();
      rules.reload();
      onChange();
    } catch (error) {
      setMessage(error instanceof ApiError ? error.message : String(error));
    }
  };
  const create = (event: Event): void => {
    event.preventDefault();
    // Number('abc') is NaN, which JSON sends as null: say so here, naming the field, instead.
    if (level.trim() === '' || !Number.isFinite(Number(level))) {
      setMessage(`level must be a number, like 1.095 (got "${level}")`);
      return;
    }
    void act(async () => {
      const created = await postJson<{ webhook_secret?: string }>('/api/v1/alerts', {
        instrument,
        condition: { type, level: Number(level) },
        frequency,
        ...(webhook ? { webhook_url: webhook } : {}),
      });
      setSecret(created.webhook_secret ?? null);
      setLevel('');
    });
  };
  const list = rules.data?.rules ?? [];
  return (
    <div class="alert-rules">
      <h3 class="small">Rules</h3>
      <form class="rule-form" onSubmit={create} aria-label="New alert rule">
        <select
          aria-label="Instrument"
          value={instrument}
          onChange={(e) => setInstrument(e.currentTarget.value)}
        >
          {instruments.map((i) => (
            <option key={i.name} value={i.name}>
              {pairLabel(i.name)}
            </option>
          ))}
        </select>
        <select
          aria-label="Condition"
          value={type}
          onChange={(e) => setType(e.currentTarget.value)}
        >
          {TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <input
          aria-label="Level"
          name="level"
          inputMode="decimal"
          required
          placeholder="level"
          value={level}
          onInput={(e) => setLevel(e.currentTarget.value)}
        />
        <select
          aria-label="Frequency"
          value={frequency}
          onChange={(e) => setFrequency(e.currentTarget.value)}
        >
          {FREQUENCIES.map((f) => (
            <option key={f}>{f}</option>
          ))}
        </select>
        <input
          aria-label="Webhook URL"
          type="url"
          placeholder="webhook URL (optional)"
          value={webhook}
          onInput={(e) => setWebhook(e.currentTarget.value)}
        />
        <button type="submit">Add rule</button>
      </form>
      {message && (
        <div class="state state-error" role="alert">
          {message}
        </div>
      )}
      {secret && (
        <div class="state" data-secret>
          Webhook secret (shown once): <code>{secret}</code>
        </div>
      )}
      {rules.error ? (
        <div class="state state-empty">Rules unavailable: {rules.error.message}</div>
      ) : list.length === 0 ? (
        <div class="state state-empty">No rules yet.</div>
      ) : (
        <ul class="rule-list">
          {list.map((r) => (
            <li key={r.id} data-rule={r.id} class={r.active ? '' : 'muted'}>
              <strong>
                {r.instruments
                  ? r.instruments.map(pairLabel).join(' × ')
                  : pairLabel(r.instrument ?? '')}
              </strong>{' '}
              {r.condition.type} {r.condition.level ?? ''}{' '}
              <span class="small">({r.frequency})</span>{' '}
              {r.last_triggered_at && (
                <time class="muted small">last {formatUtc(r.last_triggered_at, true)}</time>
              )}{' '}
              <button
                type="button"
                onClick={() =>
                  void act(() => patchJson(`/api/v1/alerts/${r.id}`, { active: !r.active }))
                }
              >
                {r.active ? 'Pause' : 'Resume'}
              </button>{' '}
              <button
                type="button"
                title="Deliver a test event now (history, live and webhook)"
                onClick={() => void act(() => postJson(`/api/v1/alerts/${r.id}/test`, {}))}
              >
                Test
              </button>{' '}
              <button
                type="button"
                onClick={() => void act(() => deleteJson(`/api/v1/alerts/${r.id}`))}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
