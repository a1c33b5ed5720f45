import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { BestPair } from './best-pair.entity';
import type { BestPairCategory } from '../correlation';
import type { RankedPair } from './rank';

export interface StoredBestPair extends RankedPair {
  date: string;
  window: number;
  calculatedAt: Date;
}

interface RawBestPair {
  pair1: string;
  pair2: string;
  correlation: number;
  category: BestPairCategory;
  reason: string;
  rank: number;
  window_size: number;
  date: string;
  calculated_at: Date;
}

/** best_pairs_tracker reads and writes; the only place that touches the table. */
@Injectable()
export class BestPairsStore {
  constructor(@InjectRepository(BestPair) private readonly repo: Repository<BestPair>) {}

  /** Replaces one day+window's recommendations in one transaction (readers never see half a set). */
  async replace(
    date: string,
    window: number,
    rows: readonly RankedPair[],
    calculatedAt: Date,
  ): Promise<number> {
    return this.repo.manager.transaction(async (tx) => {
      await tx.query(`DELETE FROM best_pairs_tracker WHERE time = $1::date AND window_size = $2`, [
        date,
        window,
      ]);
      if (rows.length === 0) return 0;
      await tx.query(
        `INSERT INTO best_pairs_tracker (time, pair1, pair2, correlation, category, reason, rank, window_size, calculated_at)
         SELECT $1::date, u.pair1, u.pair2, u.correlation, u.category, u.reason, u.rank, $2, $3
         FROM unnest($4::text[], $5::text[], $6::float8[], $7::text[], $8::text[], $9::int[])
           AS u(pair1, pair2, correlation, category, reason, rank)`,
        [
          date,
          window,
          calculatedAt,
          rows.map((r) => r.pair1),
          rows.map((r) => r.pair2),
          rows.map((r) => r.correlation),
          rows.map((r) => r.category),
          rows.map((r) => r.reason),
          rows.map((r) => r.rank),
        ],
      );
      return rows.length;
    });
  }

  async latestDate(window: number): Promise<string | null> {
    const [row] = await this.repo.query<Array<{ date: string | null }>>(
      `SELECT max(time)::text AS date FROM best_pairs_tracker WHERE window_size = $1`,
      [window],
    );
    return row?.date ?? null;
  }

  /** The best `perCategory` of each category of one day and window, by category then rank. */
  async top(date: string, window: number, perCategory: number): Promise<StoredBestPair[]> {
    const rows = await this.repo.query<RawBestPair[]>(
      `SELECT pair1, pair2, correlation, category, reason, rank, window_size, time::text AS date, calculated_at
       FROM best_pairs_tracker WHERE time = $1::date AND window_size = $2 AND rank <= $3
       ORDER BY category, rank`,
      [date, window, perCategory],
    );
    return rows.map((r) => ({
      pair1: r.pair1,
      pair2: r.pair2,
      correlation: Number(r.correlation),
      category: r.category,
      reason: r.reason,
      rank: r.rank,
      window: r.window_size,
      date: r.date,
      calculatedAt: new Date(r.calculated_at),
    }));
  }

  async totals(date: string, window: number): Promise<Partial<Record<BestPairCategory, number>>> {
    const rows = await this.repo.query<Array<{ category: BestPairCategory; n: number }>>(
      `SELECT category, count(*)::int AS n FROM best_pairs_tracker WHERE time = $1::date AND window_size = $2 GROUP BY category`,
      [date, window],
    );
    return Object.fromEntries(rows.map((r) => [r.category, r.n]));
  }
}
