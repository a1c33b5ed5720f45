import type { DataSource } from 'typeorm';

/** Metric columns as volatility_metrics names them. */
const METRICS = [
  'volatility_20',
  'volatility_50',
  'sma_15',
  'sma_20',
  'sma_30',
  'sma_50',
  'ema_12',
  'ema_26',
  'bb_upper',
  'bb_middle',
  'bb_lower',
  'atr',
  'rsi_14',
  'macd',
  'macd_signal',
  'macd_histogram',
  'stoch_k',
  'stoch_d',
  'williams_r',
];

/**
 * `hours` hourly candles per instrument from `start`, in one INSERT ... SELECT: random five-decimal
 * mids, bid/ask 0.7 pip either side, every 97th candle incomplete.
 */
export async function insertExportCandles(
  db: DataSource,
  instruments: string[],
  start: Date,
  hours: number,
): Promise<void> {
  await db.query(
    `INSERT INTO oanda_candles (instrument, time, granularity,
       open_bid, high_bid, low_bid, close_bid, open_ask, high_ask, low_ask, close_ask,
       open_mid, high_mid, low_mid, close_mid, volume, complete)
     SELECT instrument, $2::timestamptz + n * interval '1 hour', 'H1',
       m - 0.00007, m + 0.00093, m - 0.00107, m + 0.00013,
       m + 0.00007, m + 0.00107, m - 0.00093, m + 0.00027,
       m, m + 0.001, m - 0.001, m + 0.0002, (n % 500) + 1, n % 97 <> 0
     FROM unnest($1::text[]) AS i(instrument),
          generate_series(0, $3::int - 1) AS n,
          LATERAL (SELECT round((1.08 + random() * 0.01)::numeric, 5) AS m) AS price`,
    [instruments, start.toISOString(), hours],
  );
}

/** Hourly metric rows; the first 49 of each instrument have NULL 50-period values, as after a short history. */
export async function insertExportMetrics(
  db: DataSource,
  instruments: string[],
  start: Date,
  hours: number,
): Promise<void> {
  const values = METRICS.map((m) =>
    /_50$/.test(m) ? `CASE WHEN n < 49 THEN NULL ELSE random() END` : `random() * 100`,
  );
  await db.query(
    `INSERT INTO volatility_metrics (instrument, time, ${METRICS.join(', ')})
     SELECT instrument, $2::timestamptz + n * interval '1 hour', ${values.join(', ')}
     FROM unnest($1::text[]) AS i(instrument), generate_series(0, $3::int - 1) AS n`,
    [instruments, start.toISOString(), hours],
  );
}

/** One row per day, window and unordered pair of `instruments`; every 7th correlation NULL. */
export async function insertExportCorrelations(
  db: DataSource,
  instruments: string[],
  firstDay: string,
  days: number,
  windows: number[],
): Promise<void> {
  await db.query(
    `INSERT INTO correlation_matrix (pair1, pair2, time, correlation, window_size, sample_size)
     SELECT a, b, $2::date + d, CASE WHEN (d + w) % 7 = 0 THEN NULL ELSE round((random() * 2 - 1)::numeric, 6) END,
            w, w - (d % 3)
     FROM unnest($1::text[]) AS x(a), unnest($1::text[]) AS y(b),
          generate_series(0, $3::int - 1) AS d, unnest($4::int[]) AS ww(w)
     WHERE a < b`,
    [instruments, firstDay, days, windows],
  );
}
