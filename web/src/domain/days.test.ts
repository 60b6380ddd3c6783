import { describe, expect, it } from 'vitest';
import { activity } from '../test/fixtures';
import { dayLabel, groupByDay } from './days';

const now = new Date('2026-11-24T18:00:00Z');

describe('groupByDay', () => {
  it('groups consecutive activities by calendar day in the given time zone', () => {
    const list = [
      activity({ id: 1, occurred_at: '2026-11-22T23:30:00Z' }),
      activity({ id: 2, occurred_at: '2026-11-23T03:00:00Z' }),
      activity({ id: 3, occurred_at: '2026-11-23T20:00:00Z' }),
      activity({ id: 4, occurred_at: '2026-11-24T09:00:00Z' }),
    ];
    const utc = groupByDay(list, now, 'UTC');
    expect(utc.map((g) => [g.label, g.items.map((a) => a.id)])).toEqual([
      ['Sun, Nov 22', [1]],
      ['Yesterday', [2, 3]],
      ['Today', [4]],
    ]);
    // In Boston 03:00Z on the 23rd is still the evening of the 22nd.
    const boston = groupByDay(list, now, 'America/New_York');
    expect(boston.map((g) => [g.key, g.items.map((a) => a.id)])).toEqual([
      ['2026-11-22', [1, 2]],
      ['2026-11-23', [3]],
      ['2026-11-24', [4]],
    ]);
  });

  it('returns no groups for no activities', () => {
    expect(groupByDay([], now, 'UTC')).toEqual([]);
  });
});

describe('dayLabel', () => {
  it('adds the year only for other years', () => {
    expect(dayLabel('2026-03-05', now, 'UTC')).toBe('Thu, Mar 5');
    expect(dayLabel('2025-12-31', now, 'UTC')).toBe('Wed, Dec 31, 2025');
  });
});
