import { parseChannelMessage } from './event-validation';

const now = '2026-11-21T10:00:00.000Z';

describe('parseChannelMessage', () => {
  it('should accept a well-formed message of each channel', () => {
    const valid = {
      price_updates: {
        instrument: 'EUR_USD',
        price: { bid: 1.1, ask: 1.1002, mid: 1.1001, time: now },
        timestamp: now,
      },
      volatility_alerts: {
        instrument: 'EUR_USD',
        volatility: 0.2,
        threshold: 0.15,
        severity: 'warning',
        message: 'm',
        timestamp: now,
      },
      correlation_alerts: {
        pair1: 'EUR_USD',
        pair2: 'GBP_USD',
        correlation: 0.8,
        previous: null,
        threshold: 0.7,
        severity: 'critical',
        message: 'm',
        timestamp: now,
      },
      data_ready: { data_type: 'best_pairs', count: 12, timestamp: now },
    } as const;
    for (const [channel, payload] of Object.entries(valid)) {
      const parsed = parseChannelMessage(channel as keyof typeof valid, JSON.stringify(payload));
      expect(parsed).toEqual({ ok: true, payload });
    }
  });

  it('should reject text that is not JSON', () => {
    const parsed = parseChannelMessage('data_ready', '{nope');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(/^not JSON/);
  });

  it('should reject messages of the wrong shape, naming the channel', () => {
    const bad: Array<[Parameters<typeof parseChannelMessage>[0], unknown]> = [
      [
        'price_updates',
        { instrument: 'EUR_USD', price: { bid: '1.1', ask: 1, mid: 1, time: now }, timestamp: now },
      ],
      ['price_updates', { instrument: 'EUR_USD', timestamp: now }],
      ['price_updates', [1, 2]],
      [
        'volatility_alerts',
        {
          instrument: 'EUR_USD',
          volatility: 0.2,
          threshold: 0.1,
          severity: 'info',
          message: '',
          timestamp: now,
        },
      ],
      [
        'correlation_alerts',
        {
          pair1: 'A',
          pair2: 'B',
          correlation: NaN,
          previous: null,
          threshold: 1,
          severity: 'warning',
          message: '',
          timestamp: now,
        },
      ],
      ['data_ready', { data_type: 'everything', count: 1, timestamp: now }],
      ['data_ready', null],
    ];
    for (const [channel, payload] of bad) {
      expect(parseChannelMessage(channel, JSON.stringify(payload))).toEqual({
        ok: false,
        error: `not a valid ${channel} message`,
      });
    }
  });
});
