import {
  distinctDecimals,
  evaluateCorrelationAlert,
  inCooldown,
  onePerPair,
  sideOf,
  type CorrelationAlertDecision,
} from './builtin-correlation';

const rules = { change: 0.2, level: 0.7, hysteresis: 0.02 };
const HOUR = 3_600_000;

describe('sideOf (hysteresis band around a line)', () => {
  it('should put the band edges outside the band and everything strictly between inside', () => {
    expect(sideOf(0.72, 0.7, 0.02)).toBe('above');
    expect(sideOf(0.68, 0.7, 0.02)).toBe('below');
    expect(sideOf(0.7199, 0.7, 0.02)).toBeNull();
    expect(sideOf(0.6801, 0.7, 0.02)).toBeNull();
    expect(sideOf(0.7, 0.7, 0.02)).toBeNull();
    expect(sideOf(-0.72, -0.7, 0.02)).toBe('below');
    expect(sideOf(-0.68, -0.7, 0.02)).toBe('above');
  });

  it('should be a plain comparison with no hysteresis', () => {
    expect(sideOf(0.7, 0.7, 0)).toBe('above');
    expect(sideOf(0.6999, 0.7, 0)).toBe('below');
  });
});

describe('evaluateCorrelationAlert with hysteresis', () => {
  it('should not alert for 0.702 -> 0.695 (the flap of issue 9)', () => {
    expect(evaluateCorrelationAlert('A/B', 0.695, 0.702, rules)).toBeNull();
    expect(evaluateCorrelationAlert('A/B', 0.702, 0.695, rules)).toBeNull();
    expect(evaluateCorrelationAlert('A/B', -0.695, -0.702, rules)).toBeNull();
  });

  it('should count a crossing only once the value passes the level by the margin', () => {
    expect(evaluateCorrelationAlert('A/B', 0.7199, 0.6, rules)).toBeNull();
    expect(evaluateCorrelationAlert('A/B', 0.72, 0.6, rules)).toMatchObject({
      kind: 'cross',
      threshold: 0.7,
      severity: 'critical',
    });
    // From inside the band (0.69 is not clearly below) there is no crossing to count.
    expect(evaluateCorrelationAlert('A/B', 0.75, 0.69, rules)).toBeNull();
    expect(evaluateCorrelationAlert('A/B', -0.72, -0.68, rules)).toMatchObject({
      kind: 'cross',
      threshold: -0.7,
      severity: 'critical',
    });
    expect(evaluateCorrelationAlert('A/B', -0.6801, -0.75, rules)).toBeNull();
    expect(evaluateCorrelationAlert('A/B', -0.68, -0.75, rules)).toMatchObject({
      threshold: -0.7,
      severity: 'warning',
    });
  });

  it('should judge a crossing against the last value that was clearly on one side', () => {
    // 0.65 (stored) -> 0.71 (previous, in the band) -> 0.73: one crossing, on this step.
    expect(
      evaluateCorrelationAlert('A/B', 0.73, 0.71, rules, { upper: 0.65, lower: 0.65 }),
    ).toMatchObject({ kind: 'cross', threshold: 0.7 });
    // 0.75 (stored) -> 0.71 -> 0.72: still above, never left; no alert.
    expect(
      evaluateCorrelationAlert('A/B', 0.72, 0.71, rules, { upper: 0.75, lower: 0.75 }),
    ).toBeNull();
  });

  it('should still alert on a large move inside or across the band', () => {
    expect(evaluateCorrelationAlert('A/B', 0.71, 0.51, rules)).toMatchObject({
      kind: 'change',
      severity: 'warning',
    });
  });

  it('should print enough decimals that "from" and "to" differ', () => {
    const alert = evaluateCorrelationAlert('A/B', 0.7204, 0.5201, rules);
    expect(alert?.message).toContain('moved from 0.52 to 0.72');
    // With no hysteresis a crossing can be this small: 2 decimals would print 0.70 twice.
    const close = evaluateCorrelationAlert('A/B', 0.7004, 0.6996, { ...rules, hysteresis: 0 });
    expect(close?.message).toContain('moved from 0.6996 to 0.7004');
    const tiny = evaluateCorrelationAlert('A/B', 0.70049, 0.50051, { ...rules, hysteresis: 0 });
    expect(tiny?.message).toMatch(/moved from 0\.50 to 0\.70/);
  });
});

describe('distinctDecimals', () => {
  it('should add decimals until two different values print differently', () => {
    expect(distinctDecimals(0.702, 0.695)).toBe(2);
    expect(distinctDecimals(0.7021, 0.7049)).toBe(3);
    expect(distinctDecimals(0.70201, 0.70249)).toBe(4);
    expect(distinctDecimals(0.7, 0.7)).toBe(6);
    expect(distinctDecimals(0.1, 0.2)).toBe(2);
  });
});

describe('inCooldown', () => {
  const t = Date.UTC(2026, 10, 25);
  it('should block a second alert strictly within the cooldown and allow it at the boundary', () => {
    expect(inCooldown(null, t, 24 * HOUR)).toBe(false);
    expect(inCooldown(t, t, 24 * HOUR)).toBe(true);
    expect(inCooldown(t - 24 * HOUR + 1, t, 24 * HOUR)).toBe(true);
    expect(inCooldown(t - 24 * HOUR, t, 24 * HOUR)).toBe(false);
    expect(inCooldown(t - 47 * HOUR, t, 48 * HOUR)).toBe(true);
  });

  it('should never block with no cooldown, or from a newer alert', () => {
    expect(inCooldown(t, t, 0)).toBe(false);
    expect(inCooldown(t + HOUR, t, 24 * HOUR)).toBe(false);
  });
});

describe('onePerPair', () => {
  const decision = (severity: CorrelationAlertDecision['severity']): CorrelationAlertDecision => ({
    severity,
    threshold: 0.7,
    kind: 'cross',
    message: '',
  });
  it('should keep the most severe decision of a pair, the first on a tie', () => {
    const picked = onePerPair([
      { pair1: 'A', pair2: 'B', window: 100, decision: decision('warning') },
      { pair1: 'A', pair2: 'C', window: 100, decision: decision('warning') },
      { pair1: 'A', pair2: 'B', window: 200, decision: decision('critical') },
      { pair1: 'A', pair2: 'C', window: 200, decision: decision('warning') },
    ]);
    expect(picked.map((p) => `${p.pair2}${p.window}`)).toEqual(['C100', 'B200']);
  });
});

describe('evaluateCorrelationAlert (messages and severities)', () => {
  it('should stay quiet for small moves and without a previous value', () => {
    expect(evaluateCorrelationAlert('A/B', 0.5, 0.4, rules)).toBeNull();
    expect(evaluateCorrelationAlert('A/B', 0.9, null, rules)).toBeNull();
  });

  it('should warn on a move of at least 0.2 that crosses nothing', () => {
    const alert = evaluateCorrelationAlert('A/B', 0.3, 0.1, rules);
    expect(alert).toMatchObject({ severity: 'warning', kind: 'change', threshold: 0.2 });
    expect(alert?.message).toContain('from 0.10 to 0.30');
  });

  it('should be critical when the pair enters the strong zone, on either side', () => {
    expect(evaluateCorrelationAlert('A/B', 0.72, 0.65, rules)).toMatchObject({
      severity: 'critical',
      kind: 'cross',
      threshold: 0.7,
    });
    expect(evaluateCorrelationAlert('A/B', -0.75, -0.6, rules)).toMatchObject({
      severity: 'critical',
      threshold: -0.7,
    });
  });

  it('should warn when the pair leaves the strong zone, and be critical for a move of 0.4', () => {
    expect(evaluateCorrelationAlert('A/B', 0.68, 0.72, rules)).toMatchObject({
      severity: 'warning',
      kind: 'cross',
    });
    expect(evaluateCorrelationAlert('A/B', 0.45, 0.05, rules)).toMatchObject({
      severity: 'critical',
      kind: 'change',
    });
  });
});
