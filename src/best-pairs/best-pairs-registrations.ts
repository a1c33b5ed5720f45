import { Injectable, OnModuleInit } from '@nestjs/common';
import { CacheWarmers } from '../cache';
import { BestPairsQueryService } from './best-pairs-query.service';

/** The best pairs cache warmer (`cache:warm`); the job step is in best-pairs.job-steps.ts. */
@Injectable()
export class BestPairsRegistrations implements OnModuleInit {
  constructor(
    private readonly query: BestPairsQueryService,
    private readonly warmers: CacheWarmers,
  ) {}

  onModuleInit(): void {
    this.warmers.register({ name: 'best_pairs', warm: () => this.query.refreshCache() });
  }
}
