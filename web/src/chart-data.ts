import { getJson } from './api';
import type { Bar } from './indicators';
import type { CandlesResponseDto, VolatilityHistoryDto, VolatilityMetricDto } from './types';

export type ChartGranularity = 'H1' | 'H4' | 'D';

export const BUCKET_SECONDS: Record<ChartGranularity, number> = {
  H1: 3600,
  H4: 4 * 3600,
  D: 86400,
};
/** How much calendar time one page covers, per granularity (about 500 bars of H1 data behind it). */
export const PAGE_SECONDS: Record<ChartGranularity, number> = {
  H1: 30 * 86400,
  H4: 90 * 86400,
  D: 365 * 86400,
};

const toSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/**
 * Mid H1 bars in [from, to], following `next_cursor` until the range is done
 * (the candles API pages forward from `from`).
 */
export async function loadH1Bars(
  instrument: string,
  fromSec: number,
  toSec: number | null,
  signal: AbortSignal,
): Promise<Bar[]> {
  const bars: Bar[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const res: CandlesResponseDto = await getJson<CandlesResponseDto>(
      `/api/v1/candles/${instrument}`,
      {
        granularity: 'H1',
        from: new Date(fromSec * 1000).toISOString(),
        to: toSec === null ? undefined : new Date(toSec * 1000).toISOString(),
        limit: 5000,
        cursor: cursor ?? undefined,
      },
      signal,
    );
    for (const c of res.candles) {
      if (!c.mid) continue;
      bars.push({
        time: toSeconds(c.time),
        open: c.mid.o,
        high: c.mid.h,
        low: c.mid.l,
        close: c.mid.c,
      });
    }
    cursor = res.next_cursor;
    if (!cursor || res.candles.length === 0) break;
  }
  return bars;
}

/** RSI and MACD per hour from the volatility history API, ascending by time. */
export async function loadIndicatorHistory(
  instrument: string,
  fromSec: number,
  signal: AbortSignal,
): Promise<VolatilityMetricDto[]> {
  const res = await getJson<VolatilityHistoryDto>(
    `/api/v1/metrics/volatility/${instrument}`,
    { from: new Date(fromSec * 1000).toISOString(), limit: 5000 },
    signal,
  );
  return [...res.history].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

export { toSeconds };
