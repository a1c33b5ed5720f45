import { useEffect } from 'preact/hooks';
import { formatDuration } from '../format';
import { useApi, useNow } from '../hooks';
import type { SessionsResponse } from '../types';
import { Loading, Panel } from '../ui';

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** Segments of [open, close) on a 0..1440 minute day; a session across midnight gives two. */
export function segments(open: string, close: string): Array<[number, number]> {
  const a = minutesOf(open);
  const b = minutesOf(close);
  return a < b
    ? [[a, b]]
    : [
        [a, 1440],
        [0, b],
      ];
}

export function SessionsPanel() {
  const res = useApi<SessionsResponse>('/api/v1/sessions', { dst_aware: true });
  const now = useNow(1000);
  // Refresh once a minute: open/closed flips and DST changes come from the server.
  useEffect(() => {
    const timer = setInterval(res.reload, 60_000);
    return () => clearInterval(timer);
  }, [res.reload]);
  const data = res.data;
  const elapsed = data ? (now - Date.parse(data.at)) / 1000 : 0;
  const d = new Date(now);
  const nowMinutes = d.getUTCHours() * 60 + d.getUTCMinutes() + d.getUTCSeconds() / 60;
  return (
    <Panel
      id="sessions"
      title="Market sessions (UTC)"
      loading={res.loading && !data}
      error={res.error}
      onRetry={res.reload}
      empty={data !== null && data.sessions.length === 0}
    >
      {!data ? (
        <Loading />
      ) : (
        <>
          <p class="muted small">
            Now {d.toISOString().slice(11, 19)} UTC · open:{' '}
            {data.open_sessions.length ? data.open_sessions.join(', ') : 'none'}
            {data.overlaps.length > 0 &&
              ` · overlap: ${data.overlaps.map((o) => o.name).join(', ')}`}
          </p>
          <div class="timeline" role="list">
            <div class="hours" aria-hidden="true">
              {[0, 3, 6, 9, 12, 15, 18, 21].map((h) => (
                <span key={h} style={{ left: `${(h / 24) * 100}%` }}>
                  {String(h).padStart(2, '0')}
                </span>
              ))}
            </div>
            {data.sessions.map((s) => {
              const countdown =
                s.is_open && s.closes_in_seconds !== null
                  ? `closes in ${formatDuration(s.closes_in_seconds - elapsed)}`
                  : s.opens_in_seconds !== null
                    ? `opens in ${formatDuration(s.opens_in_seconds - elapsed)}`
                    : '';
              return (
                <div
                  class={`track ${s.is_open ? 'open' : ''}`}
                  key={s.name}
                  role="listitem"
                  data-session={s.name}
                >
                  <span class="track-label">
                    <strong>{s.name}</strong> {s.effective_open_utc}–{s.effective_close_utc}
                    <span class="muted">
                      {' '}
                      · {s.is_open ? 'open' : 'closed'} · {countdown}
                    </span>
                  </span>
                  <div
                    class="track-bar"
                    title={`${s.name}: ${s.local_open}–${s.local_close} ${s.timezone}`}
                  >
                    {segments(s.effective_open_utc, s.effective_close_utc).map(([a, b]) => (
                      <span
                        key={a}
                        class="seg"
                        style={{
                          left: `${(a / 1440) * 100}%`,
                          width: `${((b - a) / 1440) * 100}%`,
                        }}
                      />
                    ))}
                    <span
                      class="now"
                      style={{ left: `${(nowMinutes / 1440) * 100}%` }}
                      aria-hidden="true"
                    />
                  </div>
                </div>
              );
            })}
          </div>
          {data.upcoming_overlaps.length > 0 && (
            <p class="muted small">
              Next overlap: {data.upcoming_overlaps[0].name} at{' '}
              {data.upcoming_overlaps[0].start.slice(11, 16)} UTC
            </p>
          )}
        </>
      )}
    </Panel>
  );
}
