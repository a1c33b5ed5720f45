import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  purgeBefore,
  type PurgeOptions,
  type PurgeResult,
  type PurgeTarget,
} from '../platform/database';
import { Correlation } from './correlation.entity';

/** A correlation row's key, the keyset position of a page. */
export interface CorrelationKey {
  time: string;
  window_size: number;
  pair1: string;
  pair2: string;
}

export interface CorrelationPageFilter {
  instruments: readonly string[];
  window?: number;
  /** Inclusive days, 'YYYY-MM-DD'. */
  fromDay?: string;
  toDay?: string;
  after?: CorrelationKey;
}

const CHUNK = 5000;

/** One stored correlation (pair1 < pair2). */
export interface CorrelationRow {
  pair1: string;
  pair2: string;
  window: number;
  /** null = not computable (too few common times or no variance). */
  correlation: number | null;
  sampleSize: number;
}

/** One day and window's values and when the newest of them was calculated (null: no rows). */
export interface DayValues {
  values: Array<{ pair1: string; pair2: string; correlation: number | null }>;
  calculatedAt: Date | null;
}

export interface StoredCorrelation extends CorrelationRow {
  date: string;
  calculatedAt: Date;
}

const key = (r: { pair1: string; pair2: string; window: number }): string =>
  `${r.pair1}|${r.pair2}|${r.window}`;
export { key as correlationKey };

interface RawStored {
  pair1: string;
  pair2: string;
  window_size: number;
  correlation: number | null;
  sample_size: number | null;
  date: string;
  calculated_at: Date;
}

const fromRaw = (r: RawStored): StoredCorrelation => ({
  pair1: r.pair1,
  pair2: r.pair2,
  window: r.window_size,
  correlation: r.correlation === null ? null : Number(r.correlation),
  sampleSize: r.sample_size ?? 0,
  date: r.date,
  calculatedAt: new Date(r.calculated_at),
});

// `time::text`: pg would turn a DATE into a JS Date at local midnight.
const SELECT_STORED = `SELECT pair1, pair2, window_size, correlation, sample_size,
  time::text AS date, calculated_at FROM correlation_matrix`;

/** Kept one heap: a calculation date per day is small enough that batched deletes cost little (README, scale). */
const PURGE_TARGET: PurgeTarget = {
  table: 'correlation_matrix',
  column: 'time',
  kind: 'date',
  instrumentColumns: ['pair1', 'pair2'],
};

/** correlation_matrix reads, writes and purges; the only place that touches the table. */
@Injectable()
export class CorrelationStore {
  constructor(@InjectRepository(Correlation) private readonly repo: Repository<Correlation>) {}

  /**
   * Up to `limit` rows whose two pairs are both in `filter.instruments`, in
   * the unique key's order (day, window, pair1, pair2), after the keyset
   * position `after` (exports read in such batches). Days as 'YYYY-MM-DD'.
   */
  page(filter: CorrelationPageFilter, limit: number): Promise<Array<Record<string, unknown>>> {
    const params: unknown[] = [filter.instruments];
    const clauses = ['pair1 = ANY($1)', 'pair2 = ANY($1)'];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      clauses.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.window !== undefined) add('window_size = ?', filter.window);
    if (filter.fromDay) add('time >= ?::date', filter.fromDay);
    if (filter.toDay) add('time <= ?::date', filter.toDay);
    const after = filter.after;
    if (after) {
      params.push(after.time, after.window_size, after.pair1, after.pair2);
      const n = params.length;
      clauses.push(
        `(time, window_size, pair1, pair2) > ($${n - 3}::date, $${n - 2}, $${n - 1}, $${n})`,
      );
    }
    params.push(limit);
    return this.repo.query(
      `SELECT time::text AS time, window_size, pair1, pair2, correlation, sample_size, calculated_at
         FROM correlation_matrix
        WHERE ${clauses.join(' AND ')}
        ORDER BY time, window_size, pair1, pair2 LIMIT $${params.length}`,
      params,
    );
  }

  /** Removes rows dated before the cutoff's UTC date, in batches (the retention job). */
  purgeBefore(cutoff: Date, options: PurgeOptions = {}): Promise<PurgeResult> {
    return purgeBefore(this.repo.manager.connection, PURGE_TARGET, cutoff, options);
  }

  /**
   * Upserts one day's rows, idempotent per (pair1, pair2, date, window).
   * Returns the keys of rows that did not exist before (a rerun inserts none).
   */
  async upsert(
    date: string,
    rows: readonly CorrelationRow[],
    calculatedAt: Date,
  ): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const result = await this.repo.query<
        Array<{ pair1: string; pair2: string; window_size: number; inserted: boolean }>
      >(
        `INSERT INTO correlation_matrix (pair1, pair2, time, correlation, window_size, sample_size, calculated_at)
         SELECT u.pair1, u.pair2, $1::date, u.correlation, u.window_size, u.sample_size, $2
         FROM unnest($3::text[], $4::text[], $5::float8[], $6::int[], $7::int[])
           AS u(pair1, pair2, correlation, window_size, sample_size)
         ON CONFLICT (pair1, pair2, time, window_size) DO UPDATE SET
           correlation = EXCLUDED.correlation, sample_size = EXCLUDED.sample_size,
           calculated_at = EXCLUDED.calculated_at
         RETURNING pair1, pair2, window_size, (xmax = 0) AS inserted`,
        [
          date,
          calculatedAt,
          chunk.map((r) => r.pair1),
          chunk.map((r) => r.pair2),
          chunk.map((r) => r.correlation),
          chunk.map((r) => r.window),
          chunk.map((r) => r.sampleSize),
        ],
      );
      for (const r of result) {
        if (r.inserted) inserted.add(key({ ...r, window: r.window_size }));
      }
    }
    return inserted;
  }

  /**
   * The latest known correlation before `date` of each given pair+window
   * ("the previous calculation"), one index lookup per pair.
   */
  async previous(
    date: string,
    pairs: ReadonlyArray<{ pair1: string; pair2: string; window: number }>,
  ): Promise<Map<string, StoredCorrelation>> {
    const found = new Map<string, StoredCorrelation>();
    for (let start = 0; start < pairs.length; start += CHUNK) {
      const chunk = pairs.slice(start, start + CHUNK);
      const rows = await this.repo.query<RawStored[]>(
        `SELECT p.pair1, p.pair2, p.window_size, prev.correlation, prev.sample_size, prev.date, prev.calculated_at
         FROM unnest($2::text[], $3::text[], $4::int[]) AS p(pair1, pair2, window_size)
         CROSS JOIN LATERAL (
           SELECT c.correlation, c.sample_size, c.time::text AS date, c.calculated_at
           FROM correlation_matrix c
           WHERE c.pair1 = p.pair1 AND c.pair2 = p.pair2 AND c.window_size = p.window_size
             AND c.time < $1::date AND c.correlation IS NOT NULL
           ORDER BY c.time DESC LIMIT 1
         ) prev`,
        [date, chunk.map((p) => p.pair1), chunk.map((p) => p.pair2), chunk.map((p) => p.window)],
      );
      for (const r of rows) {
        const stored = fromRaw(r);
        found.set(key(stored), stored);
      }
    }
    return found;
  }

  /**
   * Per pair+window, the latest stored value before `date` that lies outside
   * each hysteresis band (|v - level| >= h, |v + level| >= h): what a crossing
   * of +level / -level is judged against (see CrossingReference).
   */
  async lastOutsideBands(
    date: string,
    pairs: ReadonlyArray<{ pair1: string; pair2: string; window: number }>,
    level: number,
    hysteresis: number,
  ): Promise<Map<string, { upper: number | null; lower: number | null }>> {
    const found = new Map<string, { upper: number | null; lower: number | null }>();
    const side = (sign: 1 | -1): string => `(
      SELECT c.correlation FROM correlation_matrix c
      WHERE c.pair1 = p.pair1 AND c.pair2 = p.pair2 AND c.window_size = p.window_size
        AND c.time < $1::date AND c.correlation IS NOT NULL
        AND abs(c.correlation ${sign > 0 ? '-' : '+'} $5) >= $6 - 1e-12
      ORDER BY c.time DESC LIMIT 1)`;
    for (let start = 0; start < pairs.length; start += CHUNK) {
      const chunk = pairs.slice(start, start + CHUNK);
      const rows = await this.repo.query<
        Array<{
          pair1: string;
          pair2: string;
          window_size: number;
          upper: number | null;
          lower: number | null;
        }>
      >(
        `SELECT p.pair1, p.pair2, p.window_size, ${side(1)} AS upper, ${side(-1)} AS lower
         FROM unnest($2::text[], $3::text[], $4::int[]) AS p(pair1, pair2, window_size)`,
        [
          date,
          chunk.map((p) => p.pair1),
          chunk.map((p) => p.pair2),
          chunk.map((p) => p.window),
          level,
          hysteresis,
        ],
      );
      for (const r of rows) {
        found.set(key({ ...r, window: r.window_size }), {
          upper: r.upper === null ? null : Number(r.upper),
          lower: r.lower === null ? null : Number(r.lower),
        });
      }
    }
    return found;
  }

  /** Keys (pair1|pair2|window) of the rows stored for one day: what an upsert would update. */
  async keysOn(date: string): Promise<Set<string>> {
    const rows = await this.repo.query<
      Array<{ pair1: string; pair2: string; window_size: number }>
    >(`SELECT pair1, pair2, window_size FROM correlation_matrix WHERE time = $1::date`, [date]);
    return new Set(rows.map((r) => key({ ...r, window: r.window_size })));
  }

  /** Newest calculation date stored for a window (optionally on or before `onOrBefore`). */
  async latestDate(window: number, onOrBefore?: string): Promise<string | null> {
    const [row] = await this.repo.query<Array<{ date: string | null }>>(
      `SELECT max(time)::text AS date FROM correlation_matrix
       WHERE window_size = $1 AND ($2::date IS NULL OR time <= $2::date)`,
      [window, onOrBefore ?? null],
    );
    return row?.date ?? null;
  }

  /** Every row of one day and window with its id (the alerts' built-in rules judge each id once). */
  async rowsWithIdOn(
    date: string,
    window: number,
  ): Promise<Array<StoredCorrelation & { id: number }>> {
    const rows = await this.repo.query<Array<RawStored & { id: string }>>(
      `SELECT id, pair1, pair2, window_size, correlation, sample_size, time::text AS date, calculated_at
       FROM correlation_matrix WHERE time = $1::date AND window_size = $2 ORDER BY pair1, pair2`,
      [date, window],
    );
    return rows.map((r) => ({ ...fromRaw(r), id: Number(r.id) }));
  }

  /** The newest row id (0 when empty): where a new built-in alert rule starts judging. */
  async maxId(): Promise<number> {
    const [row] = await this.repo.query<Array<{ id: string | null }>>(
      `SELECT max(id)::text AS id FROM correlation_matrix`,
    );
    return Number(row?.id ?? 0);
  }

  /**
   * The values of one day and window, unordered, without what the matrix and
   * the ranking do not read (sample size, dates as objects): 19,900 rows at
   * 200 instruments, read twice per window by every daily run.
   */
  async valuesOn(date: string, window: number): Promise<DayValues> {
    const rows = await this.repo.query<
      Array<{ pair1: string; pair2: string; correlation: number | null; at: number }>
    >(
      // Whole milliseconds, as a JS Date of the timestamptz holds them.
      `SELECT pair1, pair2, correlation, floor(extract(epoch FROM calculated_at) * 1000)::float8 AS at
         FROM correlation_matrix WHERE time = $1::date AND window_size = $2`,
      [date, window],
    );
    let calculatedAt = 0;
    const values = rows.map((r) => {
      if (r.at > calculatedAt) calculatedAt = r.at;
      return {
        pair1: r.pair1,
        pair2: r.pair2,
        correlation: r.correlation === null ? null : Number(r.correlation),
      };
    });
    return { values, calculatedAt: rows.length ? new Date(calculatedAt) : null };
  }

  /** One pair's rows for a window, newest first. */
  async pairHistory(
    pair1: string,
    pair2: string,
    window: number,
    limit: number,
  ): Promise<StoredCorrelation[]> {
    const rows = await this.repo.query<RawStored[]>(
      `${SELECT_STORED} WHERE pair1 = $1 AND pair2 = $2 AND window_size = $3 ORDER BY time DESC LIMIT $4`,
      [pair1, pair2, window, limit],
    );
    return rows.map(fromRaw);
  }
}
