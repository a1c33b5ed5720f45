import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { isConnectionError } from './connection-errors';
import { retryDelayMs, withDbRetry } from './db-retry';

/** An error shaped like node-postgres' DatabaseError (message + SQLSTATE code). */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('isConnectionError', () => {
  it.each([
    [
      'terminated by a restart (57P01)',
      pgError('57P01', 'terminating connection due to administrator command'),
    ],
    [
      'crash shutdown (57P02)',
      pgError('57P02', 'terminating connection because of crash of another server process'),
    ],
    ['starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['shutting down (57P03)', pgError('57P03', 'the database system is shutting down')],
    ['class 08 connection exception', pgError('08006', 'connection failure')],
    ['class 08 unable to connect', pgError('08001', 'sqlclient_unable_to_establish_sqlconnection')],
    [
      'refused (Node)',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['reset (Node)', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['node-postgres, connection cut', new Error('Connection terminated unexpectedly')],
    [
      'node-postgres, connect timeout',
      new Error('Connection terminated due to connection timeout'),
    ],
    [
      'node-postgres, dead client',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['pg-pool timeout', new Error('timeout exceeded when trying to connect')],
    ['message only, starting up', new Error('the database system is starting up')],
    [
      'TypeORM, transaction released with its dead connection',
      new QueryRunnerAlreadyReleasedError(),
    ],
    [
      'TypeORM, connection of a released query runner',
      new QueryRunnerProviderAlreadyReleasedError(),
    ],
  ])('should retry: %s', (_, error) => {
    expect(isConnectionError(error)).toBe(true);
  });

  it('should look inside TypeORM, cause and AggregateError wrappers', () => {
    const driver = pgError('57P01', 'terminating connection due to administrator command');
    expect(isConnectionError(new QueryFailedError('SELECT 1', [], driver))).toBe(true);
    expect(isConnectionError(new Error('sync failed', { cause: driver }))).toBe(true);
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), {
      code: 'ECONNREFUSED',
    });
    expect(isConnectionError(new AggregateError([refused, refused], ''))).toBe(true);
  });

  it.each([
    ['unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['syntax error', pgError('42601', 'syntax error at or near "SELEC"')],
    ['invalid datetime', pgError('22008', 'date/time field value out of range')],
    ['query canceled', pgError('57014', 'canceling statement due to statement timeout')],
    ['a code that only starts with 08', pgError('0800', 'not a SQLSTATE')],
    ['a plain error', new Error('instrument EUR_USD has no candles')],
    [
      'TypeORM wrapping a constraint error',
      new QueryFailedError('INSERT', [], pgError('23505', 'dup')),
    ],
  ])('should not retry: %s', (_, error) => {
    expect(isConnectionError(error)).toBe(false);
  });

  it('should not retry what is not an error object', () => {
    for (const value of [undefined, null, 'ECONNREFUSED', 57, {}])
      expect(isConnectionError(value)).toBe(false);
  });

  it('should stop following a cause chain that loops', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    const b: Error & { cause?: unknown } = new Error('b', { cause: a });
    a.cause = b;
    expect(isConnectionError(a)).toBe(false);
  });
});

describe('retryDelayMs', () => {
  it('should double from the base up to the cap, adding at most 25 % jitter', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 6, 10].map((a) => retryDelayMs(a, 250, 4000, none))).toEqual([
      250, 500, 1000, 2000, 4000, 4000, 4000,
    ]);
    expect(retryDelayMs(2, 250, 4000, () => 1)).toBe(625);
  });
});

describe('withDbRetry', () => {
  const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const fast = { baseDelayMs: 1, maxDelayMs: 5, what: 'test' };

  it('should retry connection errors until the work succeeds, reporting each retry', async () => {
    let calls = 0;
    const retries: number[] = [];
    const result = await withDbRetry(
      async () => {
        calls += 1;
        if (calls < 4) throw refused();
        return 'stored';
      },
      { ...fast, budgetMs: 10_000, onRetry: ({ attempt }) => retries.push(attempt) },
    );
    expect(result).toBe('stored');
    expect(calls).toBe(4);
    expect(retries).toEqual([1, 2, 3]);
  });

  it('should rethrow any other error at once', async () => {
    let calls = 0;
    const bad = pgError('23505', 'duplicate key');
    await expect(
      withDbRetry(
        async () => {
          calls += 1;
          throw bad;
        },
        { ...fast, budgetMs: 10_000 },
      ),
    ).rejects.toBe(bad);
    expect(calls).toBe(1);
  });

  it('should give up with the last connection error once the budget is spent', async () => {
    let calls = 0;
    await expect(
      withDbRetry(
        async () => {
          calls += 1;
          throw refused();
        },
        { ...fast, budgetMs: 30 },
      ),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(calls).toBeGreaterThan(1);
  });

  it('should not retry at all with a zero budget', async () => {
    let calls = 0;
    await expect(
      withDbRetry(
        async () => {
          calls += 1;
          throw refused();
        },
        { ...fast, budgetMs: 0 },
      ),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(calls).toBe(1);
  });

  it('should stop waiting when its signal aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = withDbRetry(
      async () => {
        calls += 1;
        throw refused();
      },
      { what: 'test', budgetMs: 60_000, baseDelayMs: 60_000, signal: controller.signal },
    );
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(calls).toBe(1);
  });
});
