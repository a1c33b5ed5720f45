import type { FunctionComponent } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, getJson, setApiKey, setUnauthorizedHandler } from './api';
import { AlertsStore } from './alerts-store';
import { Capabilities } from './capabilities';
import { clearKey, isRemembered, loadKey, saveKey, takeKeyFromUrl } from './auth';
import { DashboardContext, type Dashboard } from './context';
import { LiveFeed } from './live';
import { AlertsPanel } from './panels/alerts';
import { BestPairsPanel } from './panels/best-pairs';
import { HeatmapPanel } from './panels/heatmap';
import { OperationsPanel } from './panels/operations';
import { SessionsPanel } from './panels/sessions';
import { TickerPanel } from './panels/ticker';
import { VolatilityPanel } from './panels/volatility';
import { currentTheme, setTheme, watchSystemTheme, type Theme } from './theme';
import { TickerStore } from './ticker-store';
import type { AllPricesResponseDto, InstrumentsResponseDto } from './types';

interface Info {
  instruments: string[];
  correlation_windows?: number[];
  version?: string;
  provider?: string;
}

type Phase =
  | { kind: 'loading' }
  | { kind: 'signin'; message: string }
  | { kind: 'error'; message: string }
  | {
      kind: 'ready';
      info: Info;
      instruments: InstrumentsResponseDto['instruments'];
      admin: boolean | null;
      caps: Capabilities;
    };

/**
 * May this page offer admin actions? Without a key we got this far, so auth
 * is off: yes. With a key: the admin-only key list answers 200 (yes) or 403
 * (no); a server without key management leaves it to each action (null).
 */
async function probeAdmin(caps: Capabilities, hasKey: boolean): Promise<boolean | null> {
  if (!hasKey) return true;
  if (!caps.has('/api/v1/keys')) return null;
  try {
    await getJson('/api/v1/keys');
    return true;
  } catch (e) {
    return e instanceof ApiError && e.status === 403 ? false : null;
  }
}

function SignIn({
  message,
  onKey,
}: {
  message: string;
  onKey: (key: string, remember: boolean) => void;
}) {
  const [key, setKey] = useState('');
  const [remember, setRemember] = useState(isRemembered());
  return (
    <main class="signin">
      <form
        class="panel"
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) onKey(key.trim(), remember);
        }}
      >
        <h1>FX Data Pipeline</h1>
        <p role="alert">{message}</p>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          placeholder="fxp_…"
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
          required
        />
        <label class="check">
          <input
            type="checkbox"
            checked={remember}
            onChange={(e) => setRemember((e.target as HTMLInputElement).checked)}
          />{' '}
          Remember on this device
        </label>
        <button type="submit">Sign in</button>
        <p class="muted small">
          The first boot prints a sign-in link;{' '}
          <code>npm run cli -- keys:create --name me --scope read</code> makes a key.
        </p>
      </form>
    </main>
  );
}

/**
 * The chart (and lightweight-charts, the largest library) loads as its own
 * chunk after the first paint, so prices and tables show sooner.
 */
function LazyChart() {
  const [Chart, setChart] = useState<FunctionComponent | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    import('./panels/chart').then((m) => setChart(() => m.ChartPanel)).catch(() => setFailed(true));
  }, []);
  if (Chart) return <Chart />;
  return (
    <section id="chart" class="panel" aria-busy="true">
      <div class={`state ${failed ? 'state-error' : 'state-loading'}`}>
        {failed ? 'The chart could not be loaded; reload the page.' : 'Loading the chart…'}
      </div>
    </section>
  );
}

function ThemeToggle() {
  const [theme, setState] = useState<Theme>(currentTheme());
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      class="ghost"
      onClick={() => {
        setTheme(next);
        setState(next);
      }}
      aria-label={`Switch to ${next} theme`}
    >
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [key, setKey] = useState<string | null>(null);
  const [selected, setSelected] = useState('');
  const feed = useMemo(() => new LiveFeed(), []);
  const ticker = useMemo(() => new TickerStore(), []);
  const alerts = useMemo(() => new AlertsStore(), []);

  const start = (candidate: string | null) => {
    setApiKey(candidate);
    setKey(candidate);
    setPhase({ kind: 'loading' });
    Promise.all([
      getJson<Info>('/api/v1/info'),
      getJson<InstrumentsResponseDto>('/api/v1/instruments'),
      Capabilities.load(),
    ])
      .then(async ([info, list, caps]) => {
        const admin = await probeAdmin(caps, candidate !== null);
        setSelected((s) => s || list.instruments[0]?.name || '');
        setPhase({ kind: 'ready', info, instruments: list.instruments, admin, caps });
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) {
          setPhase({
            kind: 'signin',
            message: candidate ? 'That key was not accepted.' : 'This service needs an API key.',
          });
        } else {
          setPhase({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
        }
      });
  };

  useEffect(() => {
    const fromUrl = takeKeyFromUrl();
    if (fromUrl) saveKey(fromUrl, false);
    setUnauthorizedHandler(() => {
      feed.close();
      setPhase({ kind: 'signin', message: 'Your key was refused (401). Sign in again.' });
    });
    // Try without a key when none is stored: a server with AUTH_MODE=off needs none.
    start(fromUrl ?? loadKey());
    const offTheme = watchSystemTheme();
    // A sign-in link pasted into an open tab only changes the fragment.
    const onHash = () => {
      const pasted = takeKeyFromUrl();
      if (!pasted) return;
      saveKey(pasted, isRemembered());
      start(pasted);
    };
    window.addEventListener('hashchange', onHash);
    return () => {
      feed.close();
      offTheme();
      window.removeEventListener('hashchange', onHash);
    };
  }, []);

  // One socket per signed-in page.
  const ready = phase.kind === 'ready';
  useEffect(() => {
    if (!ready) return;
    const offState = feed.state.on((state) => {
      if (state === 'unauthorized')
        setPhase({ kind: 'signin', message: 'The live feed refused your key. Sign in again.' });
    });
    const offPrices = feed.prices.on((batch) => ticker.apply(batch));
    const offAlerts = feed.alerts.on((a) => alerts.add(a));
    feed.connect(key);
    // Prices right away, before the first tick.
    getJson<AllPricesResponseDto>('/api/v1/prices/all')
      .then((res) =>
        ticker.apply(
          res.prices.map((p) => ({
            instrument: p.instrument,
            price: { bid: p.bid, ask: p.ask, mid: p.mid, time: p.time },
            timestamp: p.time,
          })),
        ),
      )
      .catch(() => undefined);
    return () => {
      offState();
      offPrices();
      offAlerts();
      feed.close();
    };
  }, [ready, key]);

  const dashboard: Dashboard | null = useMemo(() => {
    if (phase.kind !== 'ready') return null;
    return {
      instruments: phase.instruments,
      byName: new Map(phase.instruments.map((i) => [i.name, i])),
      feed,
      ticker,
      admin: phase.admin,
      caps: phase.caps,
      selected,
      select: (name: string) => {
        setSelected(name);
        document.getElementById('chart')?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
      },
    };
  }, [phase, selected]);

  if (phase.kind === 'loading')
    return <div class="boot state state-loading">Loading the dashboard…</div>;
  if (phase.kind === 'signin')
    return (
      <SignIn
        message={phase.message}
        onKey={(k, remember) => {
          saveKey(k, remember);
          start(k);
        }}
      />
    );
  if (phase.kind === 'error')
    return (
      <div class="boot state state-error" role="alert">
        The service did not answer: {phase.message}{' '}
        <button type="button" onClick={() => start(key)}>
          Retry
        </button>
      </div>
    );

  const windows = phase.info.correlation_windows?.length
    ? phase.info.correlation_windows
    : [100, 200];
  return (
    <DashboardContext.Provider value={dashboard}>
      <a class="skip" href="#main">
        Skip to the panels
      </a>
      <header class="top">
        <h1>FX Data Pipeline</h1>
        <span class="muted small">
          {phase.instruments.length} pairs · {phase.info.provider ?? ''} · UTC
        </span>
        <nav aria-label="Panels" class="nav">
          {[
            ['ticker', 'Prices'],
            ['chart', 'Chart'],
            ['heatmap', 'Correlation'],
            ['best-pairs', 'Best pairs'],
            ['volatility', 'Volatility'],
            ['sessions', 'Sessions'],
            ['alerts', 'Alerts'],
            ['operations', 'Operations'],
          ].map(([id, label]) => (
            <a key={id} href={`#${id}`}>
              {label}
            </a>
          ))}
        </nav>
        <span class="spacer" />
        <ThemeToggle />
        {key && (
          <button
            type="button"
            class="ghost"
            onClick={() => {
              clearKey();
              feed.close();
              setApiKey(null);
              setKey(null);
              setPhase({ kind: 'signin', message: 'Signed out.' });
            }}
          >
            Sign out
          </button>
        )}
      </header>
      <main id="main" class="grid">
        <TickerPanel />
        <LazyChart />
        <SessionsPanel />
        <HeatmapPanel windows={windows} />
        <BestPairsPanel windows={windows} />
        <VolatilityPanel alerts={alerts} />
        <AlertsPanel alerts={alerts} />
        <OperationsPanel />
      </main>
      <footer class="foot small muted">
        <span>
          FX Data Pipeline {phase.info.version ?? ''} · <a href="/docs">API docs</a>
        </span>
        <span>
          Charts by{' '}
          <a href="https://www.tradingview.com/" target="_blank" rel="noopener noreferrer">
            TradingView
          </a>{' '}
          Lightweight Charts™ (Apache-2.0) · UI with Preact · live data over Socket.IO
        </span>
      </footer>
    </DashboardContext.Provider>
  );
}
