import { AppConfig } from '../src/platform/config/app-config';
import { CandleGapsService } from '../src/ingestion/candle-gaps.service';
import { CandleSyncService } from '../src/ingestion/candle-sync.service';
import { historyWindowStart } from '../src/ingestion/history-window';
import { startTestApp, TestApp } from './utils/test-app';

// A Wednesday afternoon; two days back is Monday 12:34, inside trading hours.
const NOW = new Date('2026-11-18T12:34:00Z');
const INSTRUMENTS = ['EUR_USD', 'GBP_USD'];

// Issue 9 item 15: after a clean first fill, candles:gaps reported one missing candle per
// instrument at the hour before the first stored candle: the initial sync rounded its window
// start up, the gap finder's window start rounded down. Both now use historyWindowStart
// (candles:gaps: `--from` or historyWindowStart(now, --days default DATA_RETENTION_DAYS)).
describe('candles:gaps window after a first fill by the hourly sync', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DATA_RETENTION_DAYS: '2' }, 'gaps_window');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('should find no gap, at the window edge or anywhere else', async () => {
    const outcome = await t.app.get(CandleSyncService).syncAll({
      signal: new AbortController().signal,
      instruments: INSTRUMENTS,
      now: NOW,
    });
    expect(outcome.status).toBe('success');

    const days = t.app.get(AppConfig).retention.days;
    const from = historyWindowStart(NOW, days, 'H1');
    expect(from.toISOString()).toBe('2026-11-16T13:00:00.000Z');
    for (const instrument of INSTRUMENTS) {
      const gaps = await t.app
        .get(CandleGapsService)
        .find({ instrument, granularity: 'H1', from, to: NOW, now: NOW });
      expect({ instrument, gaps }).toEqual({ instrument, gaps: [] });
      const [first] = await t.dataSource.query<Array<{ time: Date }>>(
        `SELECT min(time) AS time FROM oanda_candles WHERE instrument = $1`,
        [instrument],
      );
      // The sync started exactly where the gap scan starts.
      expect(first.time.toISOString()).toBe(from.toISOString());
    }
  });
});
