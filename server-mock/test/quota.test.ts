import { nextUtcMidnight, quotaChange, quotaView, utcDay } from '../src/quota';

describe('the UTC quota day', () => {
  it.each([
    ['2026-11-25T00:00:00.000Z', '2026-11-25', '2026-11-26T00:00:00Z'],
    ['2026-11-25T23:59:59.999Z', '2026-11-25', '2026-11-26T00:00:00Z'],
    ['2026-11-30T12:00:00.000Z', '2026-11-30', '2026-12-01T00:00:00Z'],
    ['2026-12-31T23:59:59.999Z', '2026-12-31', '2027-01-01T00:00:00Z'],
    ['2028-02-28T08:00:00.000Z', '2028-02-28', '2028-02-29T00:00:00Z'],
    // 01:30 in UTC+2 is still the previous UTC day (docs/research/research-api.md §6: reset 12 AM UTC).
    ['2026-11-25T01:30:00+02:00', '2026-11-24', '2026-11-25T00:00:00Z']
  ])('at %s the day is %s and it resets at %s', (moment, day, resetsAt) => {
    expect(utcDay(new Date(moment))).toBe(day);
    expect(nextUtcMidnight(new Date(moment))).toBe(resetsAt);
  });

  it('reports what remains, never below zero', () => {
    const now = new Date('2026-11-25T10:00:00Z');
    expect(quotaView(0, 5000, now)).toEqual({
      day: '2026-11-25',
      daily_limit: 5000,
      used: 0,
      remaining: 5000,
      resets_at: '2026-11-26T00:00:00Z'
    });
    expect(quotaView(1200, 1000, now)).toMatchObject({
      used: 1200,
      remaining: 0
    });
  });
});

describe('quotaChange', () => {
  const now = new Date('2026-11-26T00:05:00Z');
  it("shows a change of today's use", () => {
    expect(quotaChange('2026-11-26', 40, 5000, now)).toMatchObject({
      day: '2026-11-26',
      used: 40,
      remaining: 4960
    });
  });
  it('shows nothing for a refund of yesterday (a run charged before midnight, refunded after)', () => {
    expect(quotaChange('2026-11-25', 0, 5000, now)).toBeNull();
  });
});
