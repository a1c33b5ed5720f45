import { Command, CommandRunner, Option } from 'nest-commander';
import { CacheStatsService } from './cache-stats.service';
import { CacheWarmers } from './cache-warmers';

/** One line on stderr and exit code 1: the user gets the reason, scripts get the failure. */
function fail(message: string): void {
  console.error(message);
  process.exitCode = 1;
}

interface WarmOptions {
  only?: string[];
}

/** `npm run cli -- cache:warm [--only price,metrics]`: fills the cache from the database. */
@Command({
  name: 'cache:warm',
  description:
    'Fill the Redis cache from the database (latest prices, and whatever other modules register)',
})
export class CacheWarmCommand extends CommandRunner {
  constructor(private readonly warmers: CacheWarmers) {
    super();
  }

  async run(_params: string[], options: WarmOptions): Promise<void> {
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    try {
      const results = await this.warmers.warmAll(controller.signal, options.only);
      console.log(JSON.stringify({ warmed: results }, null, 2));
      const failed = results.filter((r) => r.error).map((r) => r.name);
      if (failed.length) fail(`cache:warm failed for ${failed.join(', ')}`);
    } catch (error) {
      fail((error as Error).message);
    } finally {
      process.off('SIGINT', stop);
    }
  }

  @Option({
    flags: '--only <kinds>',
    description: 'Comma-separated warmers to run (default: all registered)',
  })
  parseOnly(value: string): string[] {
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
}

/** `npm run cli -- cache:clear`: deletes this service's keys (under REDIS_KEY_PREFIX) and nothing else. */
@Command({
  name: 'cache:clear',
  description: "Delete this service's cache keys (price, metrics, correlation_matrix, best_pairs)",
})
export class CacheClearCommand extends CommandRunner {
  constructor(private readonly stats: CacheStatsService) {
    super();
  }

  async run(): Promise<void> {
    try {
      const deleted = await this.stats.clear();
      console.log(JSON.stringify({ deleted }, null, 2));
    } catch (error) {
      fail(`cache:clear failed: ${(error as Error).message}`);
    }
  }
}
