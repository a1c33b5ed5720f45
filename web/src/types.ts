/**
 * The server's own event and DTO types, imported as types only (nothing of
 * the server reaches the bundle). If the API changes shape, `npm run
 * typecheck:web` fails here instead of the page breaking in a browser.
 */
export type {
  ClientToServerEvents,
  CorrelationAlertEvent,
  DataReadyEvent,
  PriceUpdateEvent,
  ServerToClientEvents,
  VolatilityAlertEvent,
} from '../../src/platform/pubsub/events';
export type {
  CandleDto,
  CandlesResponseDto,
  OhlcDto,
} from '../../src/candles/dto/candles-response.dto';
export type {
  InstrumentDto,
  InstrumentsResponseDto,
} from '../../src/candles/dto/instruments-response.dto';
export type {
  CorrelationMatrixDto,
  CorrelationPairDto,
} from '../../src/correlation/dto/correlation.dto';
export type { BestPairDto, BestPairsDto } from '../../src/best-pairs/dto/best-pairs.dto';
export type { BestPairCategory } from '../../src/correlation/categorise';
export type {
  VolatilityHistoryDto,
  VolatilityListDto,
  VolatilityMetricDto,
} from '../../src/volatility/dto/volatility-metric.dto';
export type { SessionsResponse, SessionStateDto } from '../../src/sessions/dto/sessions.response';
export type { JobRunDto, JobRunsResponse } from '../../src/jobs/dto/job-run.response';
export type { DetailedHealth, SchedulerJobHealth } from '../../src/health/detailed-health.service';
export type { InstrumentFreshness } from '../../src/health/data-freshness';
export type { AllPricesResponseDto } from '../../src/prices/dto/price.response';
