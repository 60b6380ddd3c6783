import { describe, expect, it } from 'vitest';
import { activity } from '../test/fixtures';
import { compareActivities, mergeActivities, reconcile, removeActivity } from './activities';

const ids = (list: { id: number }[]) => list.map((a) => a.id);

describe('mergeActivities', () => {
  it('orders oldest first by occurred_at, then id', () => {
    const merged = mergeActivities(
      [],
      [
        activity({ id: 5, occurred_at: '2026-11-24T18:00:02Z' }),
        activity({ id: 9, occurred_at: '2026-11-24T18:00:01.500Z' }),
        activity({ id: 2, occurred_at: '2026-11-24T18:00:02.000Z' }),
        activity({ id: 1, occurred_at: '2026-11-23T09:00:00Z' }),
      ],
    );
    // 2 and 5 share the instant (one written with millis, one without): id breaks the tie.
    expect(ids(merged)).toEqual([1, 9, 2, 5]);
  });

  it('keeps one entry per id when pages, live events and replays overlap', () => {
    const page1 = [activity({ id: 3, occurred_at: '2026-11-24T10:00:00Z' }), activity({ id: 4, occurred_at: '2026-11-24T11:00:00Z' })];
    const page2 = [activity({ id: 1, occurred_at: '2026-11-24T08:00:00Z' }), activity({ id: 3, occurred_at: '2026-11-24T10:00:00Z' })];
    const live = [activity({ id: 4, occurred_at: '2026-11-24T11:00:00Z' }), activity({ id: 6, occurred_at: '2026-11-24T12:00:00Z' })];
    const merged = mergeActivities(mergeActivities(mergeActivities([], page1), page2), live);
    expect(ids(merged)).toEqual([1, 3, 4, 6]);
  });

  it('does not mutate its input', () => {
    const list = [activity({ id: 1 })];
    mergeActivities(list, [activity({ id: 0, occurred_at: '2020-01-01T00:00:00Z' })]);
    expect(ids(list)).toEqual([1]);
  });

  it('moves an activity when an update changes its time', () => {
    const list = mergeActivities([], [
      activity({ id: 1, occurred_at: '2026-11-24T10:00:00Z' }),
      activity({ id: 2, occurred_at: '2026-11-24T11:00:00Z' }),
    ]);
    const moved = mergeActivities(list, [activity({ id: 1, occurred_at: '2026-11-24T12:00:00Z', updated_at: '2026-11-24T19:00:00Z' })]);
    expect(ids(moved)).toEqual([2, 1]);
  });
});

describe('pending → sent reconciliation by id', () => {
  const sent = activity({
    id: 42,
    direction: 'outgoing',
    status: 'queued',
    pending: true,
    body: 'On our way',
    occurred_at: '2026-11-24T18:00:00.000Z',
    updated_at: '2026-11-24T18:00:00.000Z',
  });
  const delivered = { ...sent, status: 'delivered', pending: false, openphone_id: 'AC1', updated_at: '2026-11-24T18:00:03.000Z' };

  it('replaces the pending copy in place when activity.updated arrives', () => {
    const list = mergeActivities([activity({ id: 41, occurred_at: '2026-11-24T17:00:00Z' })], [sent]);
    const after = mergeActivities(list, [delivered]);
    expect(ids(after)).toEqual([41, 42]);
    expect(after[1]).toMatchObject({ status: 'delivered', pending: false });
  });

  it('ignores the POST response when the update already won the race', () => {
    const after = mergeActivities(mergeActivities([], [delivered]), [sent]);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: 'delivered', pending: false });
  });

  it('treats activity.created for the sent text as the same row', () => {
    const created = { ...sent, status: 'sent', pending: false, updated_at: '2026-11-24T18:00:01.000Z' };
    const after = mergeActivities(mergeActivities([], [sent]), [created]);
    expect(after).toHaveLength(1);
    expect(after[0]?.status).toBe('sent');
  });
});

describe('reconcile', () => {
  const transcript = [{ identifier: '+16175550134', content: 'Hi', start: 0, end: 1 }];

  it('keeps a fetched transcript when a live event (without one) updates the activity', () => {
    const withTranscript = activity({ id: 1, activity_type: 'call', ai_transcript: transcript });
    const { ai_transcript: _omitted, ...event } = activity({ id: 1, activity_type: 'call', ai_summary: ['Quote requested'], updated_at: '2026-11-24T19:00:00Z' });
    const result = reconcile(withTranscript, event);
    expect(result.ai_summary).toEqual(['Quote requested']);
    expect(result.ai_transcript).toEqual(transcript);
  });

  it('takes the transcript from an older copy without taking its stale fields', () => {
    const fresh = activity({ id: 1, status: 'completed', updated_at: '2026-11-24T19:00:00Z' });
    const older = activity({ id: 1, status: 'ringing', ai_transcript: transcript, updated_at: '2026-11-24T18:00:00Z' });
    const result = reconcile(fresh, older);
    expect(result.status).toBe('completed');
    expect(result.ai_transcript).toEqual(transcript);
  });

  it('lets an equal revision replace the existing copy', () => {
    const a = activity({ id: 1, body: 'old' });
    expect(reconcile(a, { ...a, body: 'new' }).body).toBe('new');
  });
});

describe('compareActivities', () => {
  it('sorts by time before id', () => {
    const early = activity({ id: 99, occurred_at: '2026-01-01T00:00:00Z' });
    const late = activity({ id: 1, occurred_at: '2026-01-02T00:00:00Z' });
    expect(compareActivities(early, late)).toBeLessThan(0);
    expect(compareActivities(late, early)).toBeGreaterThan(0);
  });
});

describe('removeActivity', () => {
  it('drops the deleted id and keeps the rest in order', () => {
    const list = mergeActivities([], [activity({ id: 1 }), activity({ id: 2 }), activity({ id: 3 })]);
    expect(removeActivity(list, 2).map((a) => a.id)).toEqual([1, 3]);
    expect(removeActivity(list, 9).map((a) => a.id)).toEqual([1, 2, 3]);
  });
});
