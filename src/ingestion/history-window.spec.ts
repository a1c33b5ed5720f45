import { historyWindowStart } from './history-window';

describe('historyWindowStart', () => {
  it('should round up to the next candle when the cutoff falls inside one (retention deletes that candle)', () => {
    const now = new Date('2026-11-25T17:20:00Z');
    expect(historyWindowStart(now, 365, 'H1').toISOString()).toBe('2025-11-25T18:00:00.000Z');
    expect(historyWindowStart(now, 1, 'M15').toISOString()).toBe('2026-11-24T17:30:00.000Z');
  });

  it('should keep a cutoff that is already on the grid', () => {
    const now = new Date('2026-11-25T17:00:00Z');
    expect(historyWindowStart(now, 3, 'H1').toISOString()).toBe('2026-11-22T17:00:00.000Z');
    expect(historyWindowStart(now.getTime() + 1, 3, 'H1').toISOString()).toBe(
      '2026-11-22T18:00:00.000Z',
    );
  });

  it('should not round granularities without a UTC grid', () => {
    const now = new Date('2026-11-25T17:20:00Z');
    expect(historyWindowStart(now, 10, 'D').toISOString()).toBe('2026-11-15T17:20:00.000Z');
  });
});
