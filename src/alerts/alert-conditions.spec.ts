import {
  barOf,
  judgementOf,
  shouldFire,
  sideOf,
  thresholdsOf,
  transition,
} from './alert-conditions';

describe('alert conditions', () => {
  describe(sideOf.name, () => {
    it('should put the hysteresis band on the side away from the target', () => {
      // price_above 1.095 with one pip: fires at the level, re-arms only at 1.0949 or lower.
      expect(sideOf(1.095, 1.095, 0.0001, 1)).toBe(1);
      expect(sideOf(1.09495, 1.095, 0.0001, 1)).toBe(0);
      expect(sideOf(1.0949, 1.095, 0.0001, 1)).toBe(-1);
      expect(sideOf(1.095, 1.095, 0.0001, -1)).toBe(-1);
      expect(sideOf(1.09505, 1.095, 0.0001, -1)).toBe(0);
      expect(sideOf(1.0951, 1.095, 0.0001, -1)).toBe(1);
    });

    it('should give a strict side without hysteresis and a symmetric band for either-way crossings', () => {
      expect(sideOf(69.9, 70, 0, 1)).toBe(-1);
      expect(sideOf(0.5, 0, 0.2, 'any')).toBe(1);
      expect(sideOf(-0.1, 0, 0.2, 'any')).toBe(0);
      expect(sideOf(-0.3, 0, 0.2, 'any')).toBe(-1);
    });

    it('should agree with thresholdsOf', () => {
      const { up, down } = thresholdsOf(1.095, 0.0001, 1);
      expect(sideOf(up, 1.095, 0.0001, 1)).toBe(1);
      expect(sideOf(down, 1.095, 0.0001, 1)).toBe(-1);
    });
  });

  describe(transition.name, () => {
    const crossUp = judgementOf({ type: 'price_cross_above', level: 1 });
    const above = judgementOf({ type: 'price_above', level: 1 });

    it('should need a known previous side for a crossing but not for a level condition', () => {
      expect(transition(crossUp, 0, 1)).toEqual({ side: 1, change: 'none' });
      expect(transition(above, 0, 1)).toEqual({ side: 1, change: 'enter' });
      expect(transition(crossUp, -1, 1)).toEqual({ side: 1, change: 'enter' });
    });

    it('should keep the side inside the band and report a holding level condition as stay', () => {
      expect(transition(crossUp, 1, 0)).toEqual({ side: 1, change: 'none' });
      expect(transition(above, 1, 0)).toEqual({ side: 1, change: 'stay' });
      expect(transition(crossUp, 1, -1)).toEqual({ side: -1, change: 'none' });
    });
  });

  describe(shouldFire.name, () => {
    const t0 = Date.UTC(2026, 10, 25, 10, 5);
    it('should fire once_per_bar at most once per H1 bar', () => {
      const policy = { frequency: 'once_per_bar' as const, cooldownSeconds: 0 };
      expect(shouldFire(policy, 'enter', null, t0)).toBe(true);
      expect(shouldFire(policy, 'enter', t0, t0 + 10 * 60_000)).toBe(false);
      expect(shouldFire(policy, 'stay', t0, barOf(t0) + 3_600_000)).toBe(true);
    });

    it('should respect every_time cooldowns and fire once only on entry', () => {
      const every = { frequency: 'every_time' as const, cooldownSeconds: 60 };
      expect(shouldFire(every, 'enter', t0, t0 + 59_000)).toBe(false);
      expect(shouldFire(every, 'enter', t0, t0 + 60_000)).toBe(true);
      expect(shouldFire(every, 'stay', null, t0)).toBe(false);
      expect(shouldFire({ frequency: 'once', cooldownSeconds: 0 }, 'stay', null, t0)).toBe(false);
      expect(shouldFire({ frequency: 'once', cooldownSeconds: 0 }, 'none', null, t0)).toBe(false);
    });
  });
});
