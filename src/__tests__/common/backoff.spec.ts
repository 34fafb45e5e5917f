import { backoffDelay } from '../../common/backoff';

describe('backoffDelay', () => {
  const options = { initialMs: 2000, maxMs: 60000 };

  it('doubles from the initial delay without jitter at the midpoint', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5].map(n => backoffDelay(n, options, mid))).toEqual([
      2000, 4000, 8000, 16000, 32000
    ]);
  });

  it('never exceeds the maximum', () => {
    expect(backoffDelay(30, options, () => 0.999)).toBe(60000);
  });

  it('spreads retries by the jitter fraction', () => {
    expect(backoffDelay(1, options, () => 0)).toBe(1600);
    expect(backoffDelay(1, options, () => 0.999999)).toBe(2400);
  });
});
