import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  MONTHS_AHEAD,
  PartitionedTable,
  purgeBefore,
  type PartitionScheme,
  type PurgeOptions,
  type PurgeResult,
  type PurgeTarget,
} from '../platform/database';
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
 * candle is never downgraded by a late incomplete copy. The `existing` CTE
 * tells a fresh insert from an update: every part of a WITH statement reads
 * the same snapshot, taken before the INSERT, so it lists the keys stored
 * before. (`RETURNING xmax = 0`, the usual trick, is refused on a
 * partitioned table: "cannot retrieve a system column in this context".)
 */
const UPSERT_SQL = `
WITH input AS (
  SELECT * FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}`).join(', ')})
    AS t(${ALL_COLUMNS.join(', ')})
), existing AS (
  SELECT c.instrument, c.time, c.granularity FROM oanda_candles c
    JOIN input i ON c.instrument = i.instrument AND c.time = i.time AND c.granularity = i.granularity
), written AS (
  INSERT INTO oanda_candles AS c (${ALL_COLUMNS.join(', ')})
  SELECT ${ALL_COLUMNS.join(', ')} FROM input
  ON CONFLICT (instrument, time, granularity) DO UPDATE SET
    ${VALUE_COLUMNS.map((col) => `${col} = EXCLUDED.${col}`).join(', ')}, updated_at = now()
  WHERE (NOT c.complete OR EXCLUDED.complete)
    AND (${VALUE_COLUMNS.map((col) => `c.${col}`).join(', ')})
        IS DISTINCT FROM (${VALUE_COLUMNS.map((col) => `EXCLUDED.${col}`).join(', ')})
  RETURNING c.instrument, c.time, c.granularity
)
SELECT count(*) FILTER (WHERE e.instrument IS NULL)::int AS inserted,
       count(*) FILTER (WHERE e.instrument IS NOT NULL)::int AS updated
FROM written w LEFT JOIN existing e USING (instrument, time, granularity)`;

/** Rows per statement; 5000 keeps each statement well under a second and memory small. */
export const DEFAULT_CHUNK_SIZE = 5000;

/** oanda_candles is partitioned by UTC month on `time` (migration 1764200000001-PartitionTimeSeries). */
export const CANDLE_PARTITIONS: PartitionScheme = {
  table: 'oanda_candles',
  column: 'time',
  unit: 'month',
};

const PURGE_TARGET: PurgeTarget = {
  table: 'oanda_candles',
  column: 'time',
  kind: 'timestamptz',
  instrumentColumns: ['instrument'],
  partitions: CANDLE_PARTITIONS,
  // candle_summary is kept by DELETE triggers, and dropping a month fires none: the drop's
  // transaction takes the month's rows off the counts and re-reads the bounds it held.
  dropHooks: {
    before: (partition) =>
      `UPDATE candle_summary s SET candle_count = s.candle_count - d.n
       FROM (SELECT instrument, granularity, count(*) AS n FROM ${partition} GROUP BY 1, 2) d
       WHERE s.instrument = d.instrument AND s.granularity = d.granularity`,
    // Retention drops the oldest months, so mostly only first_time moves; each bound is
    // re-read (an index probe per partition) only where it lay in the dropped month.
    after: (until) => [
      { sql: 'DELETE FROM candle_summary WHERE candle_count <= 0', params: [] },
      {
        sql: `UPDATE candle_summary s SET first_time = (SELECT min(time) FROM oanda_candles c
                WHERE c.instrument = s.instrument AND c.granularity = s.granularity)
              WHERE s.first_time < $1`,
        params: [until],
        onlyIf: 'SELECT 1 FROM candle_summary WHERE first_time < $1 LIMIT 1',
      },
      {
        sql: `UPDATE candle_summary s SET
                last_time = (SELECT max(time) FROM oanda_candles c
                             WHERE c.instrument = s.instrument AND c.granularity = s.granularity),
                last_complete_time = (SELECT max(time) FROM oanda_candles c
                                      WHERE c.instrument = s.instrument
                                        AND c.granularity = s.granularity AND c.complete)
              WHERE s.last_time < $1 OR s.last_complete_time < $1`,
        params: [until],
        onlyIf:
          'SELECT 1 FROM candle_summary WHERE last_time < $1 OR last_complete_time < $1 LIMIT 1',
      },
    ],
  },
};

/**
 * The write side of oanda_candles: validated, bulk, idempotent upserts keyed
 * on (instrument, time, granularity), the table's monthly partitions (made
 * ahead at boot and by the retention job, and on demand before a write that
 * needs an older or later month: a backfill of years back) and its purge.
 */
@Injectable()
export class CandleStore implements OnApplicationBootstrap {
  private readonly logger = new Logger(CandleStore.name);
  private readonly partitions: PartitionedTable;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: PrometheusService,
  ) {
    this.partitions = new PartitionedTable(dataSource, CANDLE_PARTITIONS);
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.maintainPartitions(new Date());
    } catch (error) {
      // Not fatal: writes create what they need, and a row without a partition lands in the default one.
      this.logger.warn(`could not create candle partitions: ${(error as Error).message}`);
    }
  }

  /** Partitions of this month and the next MONTHS_AHEAD, and homes for rows found in the default partition. */
  async maintainPartitions(now: Date, options: { dryRun?: boolean } = {}): Promise<string[]> {
    if (options.dryRun) return this.partitions.missing(now, MONTHS_AHEAD);
    const created = await this.partitions.maintain(now, MONTHS_AHEAD);
    if (created.length) this.logger.log(`created candle partitions ${created.join(', ')}`);
    return created;
  }

  /** Removes candles older than `cutoff`: whole months dropped, the month holding the cutoff trimmed. */
  purgeBefore(cutoff: Date, options: PurgeOptions = {}): Promise<PurgeResult> {
    return purgeBefore(this.dataSource, PURGE_TARGET, cutoff, {
      ...options,
      onDrop: (p) => this.partitions.forget(p),
    });
  }

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
    // Before the transaction: DDL there would hold its locks until every chunk is written.
    await this.partitions.ensureFor(rows.map((c) => c.time.getTime()));
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
