import { useEffect, useState } from 'preact/hooks';
import { ApiError, postJson } from '../api';
import { useDashboard } from '../context';
import { formatUtc, pairLabel } from '../format';
import { useApi } from '../hooks';
import type {
  DetailedHealth,
  InstrumentFreshness,
  JobRunsResponse,
  SchedulerJobHealth,
} from '../types';
import { Loading, Panel } from '../ui';

function RunNow({ job, onDone }: { job: string; onDone: () => void }) {
  const [state, setState] = useState<{ busy: boolean; text: string }>({ busy: false, text: '' });
  const run = () => {
    setState({ busy: true, text: 'starting…' });
    postJson<{ id?: number | string }>(`/api/v1/jobs/${job}/run`, {})
      .then((res) => {
        setState({
          busy: false,
          text: `started${res?.id !== undefined ? ` (run ${res.id})` : ''}`,
        });
        onDone();
      })
      .catch((e: unknown) => {
        const status = e instanceof ApiError ? e.status : 0;
        const text =
          status === 409
            ? 'already running'
            : status === 403
              ? 'needs an admin key'
              : status === 404
                ? 'not available on this server'
                : `failed: ${e instanceof Error ? e.message : String(e)}`;
        setState({ busy: false, text });
      });
  };
  return (
    <span class="run-now">
      <button type="button" onClick={run} disabled={state.busy} data-job={job}>
        Run now
      </button>{' '}
      <span class="muted small" role="status">
        {state.text}
      </span>
    </span>
  );
}

const isSection = <T extends object>(v: T | { error: string }): v is T => !('error' in v);

function StatusDot({ ok, text }: { ok: boolean | null; text: string }) {
  return (
    <span class={`health ${ok === null ? 'unknown' : ok ? 'up' : 'down'}`}>
      <span class="dot" aria-hidden="true" />
      {text}
    </span>
  );
}

export function OperationsPanel() {
  const { admin } = useDashboard();
  const health = useApi<DetailedHealth>('/api/v1/health/detailed');
  const runs = useApi<JobRunsResponse>('/api/v1/jobs', { limit: 8 });
  useEffect(() => {
    const timer = setInterval(() => {
      health.reload();
      runs.reload();
    }, 15_000);
    return () => clearInterval(timer);
  }, [health.reload, runs.reload]);
  // 503 means "down" (PostgreSQL unreachable) but still carries the report: show it.
  const downReport =
    health.error?.status === 503 && health.error.body && typeof health.error.body === 'object'
      ? (health.error.body as DetailedHealth)
      : null;
  const h = downReport && 'checks' in downReport ? downReport : health.data;
  const jobs: SchedulerJobHealth[] = h && isSection(h.scheduler) ? h.scheduler.jobs : [];
  const freshness: InstrumentFreshness[] =
    h && isSection(h.data_freshness) ? h.data_freshness.instruments : [];
  const refresh = () => {
    health.reload();
    runs.reload();
  };
  return (
    <Panel
      id="operations"
      title="Operations"
      loading={health.loading}
      error={health.error}
      onRetry={health.reload}
    >
      {!h ? (
        <Loading />
      ) : (
        <>
          <div class="health-row">
            <StatusDot ok={h.status === 'ok'} text={`service ${h.status}`} />
            <StatusDot ok={h.checks.database.status === 'up'} text="PostgreSQL" />
            <StatusDot ok={h.checks.redis.status === 'up'} text="Redis" />
            <StatusDot
              ok={h.live_stream.enabled ? h.live_stream.connected : null}
              text={`stream ${h.live_stream.enabled ? (h.live_stream.connected ? 'connected' : 'down') : 'off here'}${
                h.live_stream.last_tick_age_seconds !== null
                  ? ` (last tick ${h.live_stream.last_tick_age_seconds}s ago)`
                  : ''
              }`}
            />
            <span class="health">
              socket clients <strong data-field="socket-clients">{h.socket_clients}</strong>
            </span>
            <span class="muted small">
              {h.instance_id} · v{h.version}
            </span>
          </div>
          {h.reasons.length > 0 && <p class="state state-error">{h.reasons.join('; ')}</p>}
          <h3 class="small">Jobs</h3>
          {'error' in h.scheduler ? (
            <div class="state state-error">Scheduler: {h.scheduler.error}</div>
          ) : jobs.length === 0 ? (
            <div class="state state-empty">No scheduled jobs on this instance.</div>
          ) : (
            <div class="table-wrap">
              <table class="jobs">
                <thead>
                  <tr>
                    <th scope="col">Job</th>
                    <th scope="col">Last run</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Next run</th>
                    {admin !== false && <th scope="col">Action</th>}
                  </tr>
                </thead>
                <tbody>
                  {jobs.map((j) => (
                    <tr key={j.name} data-job={j.name}>
                      <th scope="row">
                        {j.name}
                        <div class="muted small">
                          <code>{j.schedule}</code>
                        </div>
                      </th>
                      <td>{j.last_run ? formatUtc(j.last_run.start_time) : 'never'}</td>
                      <td>
                        {j.running ? (
                          <span class="tag tag-running">running</span>
                        ) : j.last_run ? (
                          <span
                            class={`tag tag-${j.last_run.status}`}
                            title={j.last_run.error_message ?? ''}
                          >
                            {j.last_run.status}
                            {j.last_run.duration_seconds !== null
                              ? ` ${j.last_run.duration_seconds.toFixed(1)}s`
                              : ''}
                          </span>
                        ) : (
                          '–'
                        )}
                      </td>
                      <td>{j.enabled ? formatUtc(j.next_run) : 'disabled'}</td>
                      {admin !== false && (
                        <td>
                          <RunNow job={j.name} onDone={refresh} />
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3 class="small">Recent runs</h3>
          {runs.error ? (
            <div class="state state-error">Could not load runs: {runs.error.message}</div>
          ) : !runs.data ? (
            <Loading />
          ) : runs.data.runs.length === 0 ? (
            <div class="state state-empty">No job has run yet.</div>
          ) : (
            <ul class="runs">
              {runs.data.runs.map((r) => (
                <li key={r.id}>
                  <span class={`tag tag-${r.status}`}>{r.status}</span> {r.job_name} ·{' '}
                  {formatUtc(r.start_time, true)}
                  {r.duration_seconds !== null && ` · ${r.duration_seconds.toFixed(2)} s`} ·{' '}
                  {r.records_processed} records
                  {r.error_message && <div class="neg small">{r.error_message}</div>}
                </li>
              ))}
            </ul>
          )}
          <h3 class="small">Data freshness</h3>
          {'error' in h.data_freshness ? (
            <div class="state state-error">{h.data_freshness.error}</div>
          ) : (
            <div class="freshness">
              {freshness.map((f) => (
                <span
                  key={f.instrument}
                  class={`chip fresh-${f.status}`}
                  title={`last complete candle ${formatUtc(f.last_complete_candle)}`}
                >
                  {pairLabel(f.instrument)} {f.status}
                </span>
              ))}
            </div>
          )}
        </>
      )}
    </Panel>
  );
}
