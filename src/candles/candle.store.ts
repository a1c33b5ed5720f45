import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PrometheusService } from '../platform/observability';
import type { ProviderCandle } from '../market-data';
import { assertValidCandles } from './candle-validation';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export const emptyCounts = (): UpsertCounts => ({ inserted: 0, updated: 0, unchanged: 0 });

export function addCounts(a: UpsertCounts, b: UpsertCounts): UpsertCounts {
  return {
    inserted: a.inserted + b.inserted,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
  };
}

const SIDES = ['bid', 'ask', 'mid'] as const;
const PARTS = ['open', 'high', 'low', 'close'] as const;
const PRICE_COLUMNS = SIDES.flatMap((s) => PARTS.map((p) => `${p}_${s}`));
const VALUE_COLUMNS = [...PRICE_COLUMNS, 'volume', 'complete'];
const ALL_COLUMNS = ['instrument', 'time', 'granularity', ...VALUE_COLUMNS];
const TYPES = [
  'text[]',
  'timestamptz[]',
  'text[]',
  ...PRICE_COLUMNS.map(() => 'numeric[]'),
  'int[]',
  'bool[]',
];

/**
 * One statement per chunk: the rows travel as 17 arrays and unnest() turns
 * them into a table, so the bind-parameter count stays at 17 whatever the
 * chunk size (no 65535-parameter ceiling) and PostgreSQL parses one plan.
 *
 * The DO UPDATE only fires when a value differs, so a rerun leaves rows,
 * their updated_at and their tuple versions untouched; a stored complete
 * candle is never downgraded by a late incomplete copy. `xmax = 0` tells a
 * fresh insert from an update in RETURNING.
 */
const UPSERT_SQL = `
WITH input AS (
  SELECT * FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}`).join(', ')})
    AS t(${ALL_COLUMNS.join(', ')})
), written AS (
  INSERT INTO oanda_candles AS c (${ALL_COLUMNS.join(', ')})
  SELECT ${ALL_COLUMNS.join(', ')} FROM input
  ON CONFLICT (instrument, time, granularity) DO UPDATE SET
    ${VALUE_COLUMNS.map((col) => `${col} = EXCLUDED.${col}`).join(', ')}, updated_at = now()
  WHERE (NOT c.complete OR EXCLUDED.complete)
    AND (${VALUE_COLUMNS.map((col) => `c.${col}`).join(', ')})
        IS DISTINCT FROM (${VALUE_COLUMNS.map((col) => `EXCLUDED.${col}`).join(', ')})
  RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted,
       count(*) FILTER (WHERE NOT inserted)::int AS updated
FROM written`;

/** Rows per statement; 5000 keeps each statement well under a second and memory small. */
export const DEFAULT_CHUNK_SIZE = 5000;

/**
 * The write side of oanda_candles: validated, bulk, idempotent upserts keyed
 * on (instrument, time, granularity).
 */
@Injectable()
export class CandleStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: PrometheusService,
  ) {}

  /**
   * Validates every candle first (an invalid one rejects the whole call before
   * anything is written, so stored data is never half-replaced), then writes
   * in chunks inside one transaction.
   */
  async upsert(
    candles: readonly ProviderCandle[],
    options: { chunkSize?: number } = {},
  ): Promise<UpsertCounts> {
    if (candles.length === 0) return emptyCounts();
    assertValidCandles(candles);
    const rows = dedupeSorted(candles);
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    const chunks: ProviderCandle[][] = [];
    for (let i = 0; i < rows.length; i += chunkSize) chunks.push(rows.slice(i, i + chunkSize));

    const perInstrument = new Map<string, number>();
    const write = async (manager: EntityManager): Promise<UpsertCounts> => {
      let total = emptyCounts();
      for (const chunk of chunks) {
        const counts = await this.writeChunk(manager, chunk);
        total = addCounts(total, counts);
        // Chunks are sorted by instrument, so a mixed chunk is rare; attribute writes to its first one.
        const key = chunk[0].instrument;
        perInstrument.set(key, (perInstrument.get(key) ?? 0) + counts.inserted + counts.updated);
      }
      return total;
    };
    // One chunk is one statement, atomic already; more need a transaction so a failure stores nothing.
    const counts =
      chunks.length === 1
        ? await write(this.dataSource.manager)
        : await this.dataSource.transaction(write);
    for (const [instrument, n] of perInstrument) this.metrics.recordCandlesStored(instrument, n);
    return { ...counts, unchanged: candles.length - counts.inserted - counts.updated };
  }

  private async writeChunk(
    manager: EntityManager,
    chunk: readonly ProviderCandle[],
  ): Promise<UpsertCounts> {
    const columns: unknown[][] = ALL_COLUMNS.map(() => new Array<unknown>(chunk.length));
    chunk.forEach((c, i) => {
      columns[0][i] = c.instrument;
      columns[1][i] = c.time.toISOString();
      columns[2][i] = c.granularity;
      let col = 3;
      for (const side of SIDES) {
        const ohlc = c[side];
        columns[col++][i] = ohlc.o;
        columns[col++][i] = ohlc.h;
        columns[col++][i] = ohlc.l;
        columns[col++][i] = ohlc.c;
      }
      columns[col++][i] = c.volume;
      columns[col][i] = c.complete;
    });
    const [result] = await manager.query<Array<{ inserted: number; updated: number }>>(
      UPSERT_SQL,
      columns,
    );
    return {
      inserted: result.inserted,
      updated: result.updated,
      unchanged: chunk.length - result.inserted - result.updated,
    };
  }
}

/**
 * ON CONFLICT cannot touch one row twice in a statement, so duplicates in the
 * input collapse to the last copy. Sorting by key makes concurrent writers
 * lock rows in the same order (no deadlocks between sync and backfill).
 */
function dedupeSorted(candles: readonly ProviderCandle[]): ProviderCandle[] {
  const byKey = new Map<string, ProviderCandle>();
  for (const c of candles) byKey.set(`${c.instrument}|${c.granularity}|${c.time.getTime()}`, c);
  const rows = [...byKey.values()];
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort(
    (a, b) =>
      cmp(a.instrument, b.instrument) ||
      cmp(a.granularity, b.granularity) ||
      a.time.getTime() - b.time.getTime(),
  );
  return rows;
}
