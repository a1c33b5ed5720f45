import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  Between,
  DataSource,
  FindOptionsWhere,
  LessThanOrEqual,
  MoreThanOrEqual,
  Repository,
} from 'typeorm';
import { MONTHS_AHEAD, PartitionedTable, type PartitionScheme } from '../platform/database';
import {
  purgeBefore,
  type PurgeOptions,
  type PurgeResult,
  type PurgeTarget,
} from '../platform/database';
import { METRIC_COLUMNS, type MetricColumns } from './indicators';
import { VolatilityMetric } from './volatility-metric.entity';

/** Rows of one instrument: inclusive bounds, and a keyset position (strictly after). */
export interface MetricRange {
  instrument: string;
  from?: Date;
  to?: Date;
  after?: Date;
}

/** Rows per INSERT: unnest takes one array per column, so the statement size does not grow with it. */
const CHUNK = 5000;

export interface UpsertResult {
  /** Rows inserted or changed (an identical recomputation writes nothing). */
  written: number;
  /** Epoch ms of the newest row that did not exist before, if any. */
  newestInsertedMs: number | null;
}

const columnList = METRIC_COLUMNS.join(', ');
/**
 * `existing` lists the times stored before: every part of a WITH statement
 * reads the snapshot taken before the INSERT. (`RETURNING xmax = 0` is
 * refused on a partitioned table.)
 */
const UPSERT_SQL = `
  WITH input AS (
    SELECT to_timestamp(u.t / 1000.0) AS time, ${METRIC_COLUMNS.map((c) => `u.${c}`).join(', ')}
    FROM unnest($2::float8[], ${METRIC_COLUMNS.map((_, i) => `$${i + 3}::float8[]`).join(', ')})
      AS u(t, ${columnList})
  ), existing AS (
    SELECT v.time FROM volatility_metrics v JOIN input i ON v.instrument = $1 AND v.time = i.time
  ), up AS (
    INSERT INTO volatility_metrics (instrument, time, ${columnList})
    SELECT $1, time, ${columnList} FROM input
    ON CONFLICT (instrument, time) DO UPDATE SET
      ${METRIC_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(',\n      ')}
    WHERE (${METRIC_COLUMNS.map((c) => `volatility_metrics.${c}`).join(', ')})
      IS DISTINCT FROM (${METRIC_COLUMNS.map((c) => `EXCLUDED.${c}`).join(', ')})
    RETURNING time
  )
  SELECT count(*)::int AS written,
         (max(extract(epoch FROM up.time) * 1000) FILTER (WHERE e.time IS NULL))::float8 AS newest_inserted
  FROM up LEFT JOIN existing e USING (time)`;

function* timesFrom(times: ArrayLike<number>, from: number): Generator<number> {
  for (let i = from; i < times.length; i += 1) yield times[i];
}

/** volatility_metrics is partitioned by UTC month on `time` (migration 1764200000001-PartitionTimeSeries). */
export const METRIC_PARTITIONS: PartitionScheme = {
  table: 'volatility_metrics',
  column: 'time',
  unit: 'month',
};

const PURGE_TARGET: PurgeTarget = {
  table: 'volatility_metrics',
  column: 'time',
  kind: 'timestamptz',
  instrumentColumns: ['instrument'],
  partitions: METRIC_PARTITIONS,
  // volatility_metrics_summary is kept by DELETE triggers, and dropping a month fires none.
  dropHooks: {
    before: (partition) =>
      `UPDATE volatility_metrics_summary s SET row_count = s.row_count - d.n
       FROM (SELECT instrument, count(*) AS n FROM ${partition} GROUP BY 1) d
       WHERE s.instrument = d.instrument`,
    after: (until) => [
      { sql: 'DELETE FROM volatility_metrics_summary WHERE row_count <= 0', params: [] },
      {
        sql: `UPDATE volatility_metrics_summary s SET newest_time =
                (SELECT max(time) FROM volatility_metrics m WHERE m.instrument = s.instrument)
              WHERE s.newest_time < $1`,
        params: [until],
        onlyIf: 'SELECT 1 FROM volatility_metrics_summary WHERE newest_time < $1 LIMIT 1',
      },
    ],
  },
};

/**
 * volatility_metrics reads, writes, monthly partitions and purges; the only
 * place that touches the table.
 */
@Injectable()
export class VolatilityMetricsStore implements OnApplicationBootstrap {
  private readonly logger = new Logger(VolatilityMetricsStore.name);
  private readonly partitions: PartitionedTable;

  constructor(
    @InjectRepository(VolatilityMetric) private readonly repo: Repository<VolatilityMetric>,
    private readonly dataSource: DataSource,
  ) {
    this.partitions = new PartitionedTable(dataSource, METRIC_PARTITIONS);
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.maintainPartitions(new Date());
    } catch (error) {
      // Not fatal: writes create what they need, and a row without a partition lands in the default one.
      this.logger.warn(`could not create metric partitions: ${(error as Error).message}`);
    }
  }

  /** Partitions of this month and the next MONTHS_AHEAD, and homes for rows found in the default partition. */
  async maintainPartitions(now: Date, options: { dryRun?: boolean } = {}): Promise<string[]> {
    if (options.dryRun) return this.partitions.missing(now, MONTHS_AHEAD);
    const created = await this.partitions.maintain(now, MONTHS_AHEAD);
    if (created.length) this.logger.log(`created metric partitions ${created.join(', ')}`);
    return created;
  }

  /** Removes rows older than `cutoff`: whole months dropped, the month holding the cutoff trimmed. */
  /**
   * Up to `limit` rows of one instrument ascending by time, every indicator
   * column, after the keyset position `after` (exports read in such batches).
   */
  page(range: MetricRange, limit: number): Promise<Array<Record<string, unknown>>> {
    const params: unknown[] = [range.instrument];
    let where = 'instrument = $1';
    const add = (sql: string, value: Date | undefined): void => {
      if (!value) return;
      params.push(value);
      where += ` AND ${sql} $${params.length}`;
    };
    add('time >=', range.from);
    add('time <=', range.to);
    add('time >', range.after);
    params.push(limit);
    return this.dataSource.query(
      `SELECT instrument, time, ${METRIC_COLUMNS.join(', ')} FROM volatility_metrics
        WHERE ${where} ORDER BY time LIMIT $${params.length}`,
      params,
    );
  }

  purgeBefore(cutoff: Date, options: PurgeOptions = {}): Promise<PurgeResult> {
    return purgeBefore(this.dataSource, PURGE_TARGET, cutoff, {
      ...options,
      onDrop: (p) => this.partitions.forget(p),
    });
  }

  /**
   * Upserts rows `from..times.length-1` of the computed columns, idempotent on
   * (instrument, time). NaN goes in as NULL ("not enough history").
   */
  async upsert(
    instrument: string,
    times: ArrayLike<number>,
    columns: MetricColumns,
    from: number,
  ): Promise<UpsertResult> {
    let written = 0;
    let newestInsertedMs: number | null = null;
    if (from >= times.length) return { written, newestInsertedMs };
    await this.partitions.ensureFor(timesFrom(times, from));
    for (let start = from; start < times.length; start += CHUNK) {
      const end = Math.min(start + CHUNK, times.length);
      const params: unknown[] = [
        instrument,
        Array.from({ length: end - start }, (_, k) => times[start + k]),
      ];
      for (const column of METRIC_COLUMNS) {
        const values = columns[column];
        const out = new Array<number | null>(end - start);
        for (let i = start; i < end; i += 1) {
          const v = values[i];
          // pg would send NaN as the float 'NaN', not NULL.
          out[i - start] = Number.isFinite(v) ? v : null;
        }
        params.push(out);
      }
      const [row] = await this.repo.query<
        Array<{ written: number; newest_inserted: number | null }>
      >(UPSERT_SQL, params);
      written += row.written;
      if (row.newest_inserted !== null) {
        newestInsertedMs = Math.max(newestInsertedMs ?? 0, Number(row.newest_inserted));
      }
    }
    return { written, newestInsertedMs };
  }

  /**
   * How many metric rows an instrument has and the newest one's time (epoch ms),
   * from volatility_metrics_summary (kept by triggers in every writer's own
   * transaction; see the MetricsSummary migration): a key lookup, not a count.
   */
  async coverage(instrument: string): Promise<{ count: number; newestMs: number | null }> {
    const [row] = await this.repo.query<Array<{ n: number; t: number | null }>>(
      `SELECT row_count::int AS n, (extract(epoch FROM newest_time) * 1000)::float8 AS t
       FROM volatility_metrics_summary WHERE instrument = $1`,
      [instrument],
    );
    if (!row) return { count: 0, newestMs: null };
    return { count: row.n, newestMs: row.t === null ? null : Number(row.t) };
  }

  /** Every stored metric time of an instrument, epoch ms ascending. */
  async times(instrument: string): Promise<Float64Array> {
    const rows = await this.repo.query<Array<{ t: number }>>(
      `SELECT (extract(epoch FROM time) * 1000)::float8 AS t FROM volatility_metrics
       WHERE instrument = $1 ORDER BY time`,
      [instrument],
    );
    return Float64Array.from(rows, (r) => Number(r.t));
  }

  /** Newest row per instrument (index lookups, not a scan of the whole table). */
  async latest(instruments: readonly string[]): Promise<VolatilityMetric[]> {
    if (instruments.length === 0) return [];
    const rows = await Promise.all(
      instruments.map((instrument) =>
        this.repo.findOne({ where: { instrument }, order: { time: 'DESC' } }),
      ),
    );
    return rows.filter((r): r is VolatilityMetric => r !== null);
  }

  /** The newest row id (0 when empty): where a new built-in alert rule starts judging. */
  async maxId(): Promise<number> {
    const [row] = await this.repo.query<Array<{ id: string | null }>>(
      `SELECT max(id)::text AS id FROM volatility_metrics`,
    );
    return Number(row?.id ?? 0);
  }

  /** Rows with from <= time <= to, newest first, at most `limit`. */
  async history(
    instrument: string,
    range: { from?: Date; to?: Date; limit: number },
  ): Promise<VolatilityMetric[]> {
    const where: FindOptionsWhere<VolatilityMetric> = { instrument };
    if (range.from && range.to) where.time = Between(range.from, range.to);
    else if (range.from) where.time = MoreThanOrEqual(range.from);
    else if (range.to) where.time = LessThanOrEqual(range.to);
    return this.repo.find({ where, order: { time: 'DESC' }, take: range.limit });
  }
}
