import { Injectable, OnModuleInit } from '@nestjs/common';
import { CacheWarmers } from '../cache';
import { CorrelationQueryService } from './correlation-query.service';

/** The correlation matrix cache warmer (`cache:warm`); the job step is in correlation.job-steps.ts. */
@Injectable()
export class CorrelationRegistrations implements OnModuleInit {
  constructor(
    private readonly query: CorrelationQueryService,
    private readonly warmers: CacheWarmers,
  ) {}

  onModuleInit(): void {
    this.warmers.register({ name: 'correlation_matrix', warm: () => this.query.refreshCache() });
  }
}
