import { describe, expect, it } from 'vitest';
import type { ConversationUpdate } from '../api/types';
import { activity, inboxItem } from '../test/fixtures';
import { applyActivity, applyConversationUpdate, markRead, mergeInboxPage, unreadConversations } from './inbox';

const order = (items: { conversation_id: number }[]) => items.map((i) => i.conversation_id);

const list = () =>
  mergeInboxPage([], [
    inboxItem({ conversation_id: 1, last_activity_at: '2026-11-24T12:00:00Z', unread: true, unread_count: 2 }),
    inboxItem({ conversation_id: 2, last_activity_at: '2026-11-24T11:00:00Z' }),
    inboxItem({ conversation_id: 3, last_activity_at: '2026-11-24T10:00:00Z' }),
  ]);

describe('mergeInboxPage', () => {
  it('orders by last activity desc, conversation id desc on ties', () => {
    const items = mergeInboxPage([], [
      inboxItem({ conversation_id: 4, last_activity_at: '2026-11-24T10:00:00Z' }),
      inboxItem({ conversation_id: 9, last_activity_at: '2026-11-24T10:00:00Z' }),
      inboxItem({ conversation_id: 5, last_activity_at: '2026-11-24T11:00:00Z' }),
    ]);
    expect(order(items)).toEqual([5, 9, 4]);
  });

  it('dedupes by conversation and takes the page as authoritative for unread state', () => {
    const refreshed = mergeInboxPage(list(), [inboxItem({ conversation_id: 1, last_activity_at: '2026-11-24T12:00:00Z', unread: false, unread_count: 0 })]);
    expect(order(refreshed)).toEqual([1, 2, 3]);
    expect(refreshed[0]?.unread).toBe(false);
  });

  it('does not move a row back in time when the page is older than a live event', () => {
    const live = applyActivity(list(), activity({ id: 500, conversation_id: 3, occurred_at: '2026-11-24T13:00:00Z' }), true).items;
    const stalePage = mergeInboxPage(live, [inboxItem({ conversation_id: 3, last_activity_at: '2026-11-24T10:00:00Z' })]);
    expect(order(stalePage)).toEqual([3, 1, 2]);
  });
});

describe('applyActivity', () => {
  it('moves the conversation to the top, updates the preview and counts a new incoming activity', () => {
    const { items, known } = applyActivity(
      list(),
      activity({ id: 900, conversation_id: 3, direction: 'incoming', body: 'Can you come Tuesday?', occurred_at: '2026-11-24T13:00:00Z' }),
      true,
    );
    expect(known).toBe(true);
    expect(order(items)).toEqual([3, 1, 2]);
    expect(items[0]).toMatchObject({ unread: true, unread_count: 1, preview: { activity_id: 900, body: 'Can you come Tuesday?' } });
  });

  it('counts a created event replayed after a reconnect only once', () => {
    const a = activity({ id: 900, conversation_id: 2, occurred_at: '2026-11-24T13:00:00Z' });
    const once = applyActivity(list(), a, true).items;
    const twice = applyActivity(once, a, true).items;
    expect(twice.find((i) => i.conversation_id === 2)?.unread_count).toBe(1);
    expect(unreadConversations(twice)).toBe(2);
  });

  it('does not count outgoing texts or updates as unread', () => {
    const out = applyActivity(list(), activity({ id: 901, conversation_id: 2, direction: 'outgoing', status: 'queued', occurred_at: '2026-11-24T13:00:00Z' }), true).items;
    expect(out[0]).toMatchObject({ conversation_id: 2, unread: false, unread_count: 0 });
    const upd = applyActivity(list(), activity({ id: 902, conversation_id: 3, occurred_at: '2026-11-24T13:00:00Z' }), false).items;
    expect(upd[0]).toMatchObject({ conversation_id: 3, unread: false, unread_count: 0 });
  });

  it('refreshes the preview when the previewed activity changes status, without reordering', () => {
    const start = applyActivity(list(), activity({ id: 903, conversation_id: 2, direction: 'outgoing', status: 'queued', occurred_at: '2026-11-24T13:00:00Z' }), true).items;
    const next = applyActivity(start, activity({ id: 903, conversation_id: 2, direction: 'outgoing', status: 'delivered', occurred_at: '2026-11-24T13:00:00Z' }), false).items;
    expect(order(next)).toEqual([2, 1, 3]);
    expect(next[0]?.preview?.status).toBe('delivered');
  });

  it('ignores an older activity that is not the preview', () => {
    const items = applyActivity(list(), activity({ id: 1, conversation_id: 1, occurred_at: '2026-11-20T00:00:00Z' }), true).items;
    expect(items).toEqual(list());
  });

  it('reports a conversation it does not list', () => {
    const result = applyActivity(list(), activity({ id: 5, conversation_id: 77 }), true);
    expect(result.known).toBe(false);
    expect(order(result.items)).toEqual([1, 2, 3]);
  });

  it('cuts the preview body to 140 characters', () => {
    const long = 'x'.repeat(300);
    const items = applyActivity(list(), activity({ id: 6, conversation_id: 3, body: long, occurred_at: '2026-11-25T00:00:00Z' }), true).items;
    expect(items[0]?.preview?.body).toHaveLength(140);
  });
});

describe('applyConversationUpdate', () => {
  const update = (id: number, at: string, direction: 'incoming' | 'outgoing' = 'incoming'): ConversationUpdate => {
    const { unread: _u, unread_count: _c, ...rest } = inboxItem({ conversation_id: id, last_activity_at: at });
    return { ...rest, preview: { activity_id: 1, activity_type: 'message', direction, status: 'received', body: 'x' } };
  };

  it('keeps the existing unread state and moves the row', () => {
    const items = applyConversationUpdate(list(), update(1, '2026-11-24T14:00:00Z'));
    expect(order(items)).toEqual([1, 2, 3]);
    expect(items[0]).toMatchObject({ unread: true, unread_count: 2 });
    const moved = applyConversationUpdate(list(), update(3, '2026-11-24T14:00:00Z'));
    expect(order(moved)).toEqual([3, 1, 2]);
  });

  it('adds an unknown conversation, unread when the last activity came in', () => {
    const incoming = applyConversationUpdate(list(), update(50, '2026-11-24T15:00:00Z'));
    expect(incoming[0]).toMatchObject({ conversation_id: 50, unread: true, unread_count: 1 });
    const outgoing = applyConversationUpdate(list(), update(51, '2026-11-24T15:00:00Z', 'outgoing'));
    expect(outgoing[0]).toMatchObject({ conversation_id: 51, unread: false, unread_count: 0 });
  });

  it('ignores an update older than the row', () => {
    expect(applyConversationUpdate(list(), update(1, '2026-11-24T09:00:00Z'))).toEqual(list());
  });
});

describe('read state', () => {
  it('markRead clears one conversation and the unread total follows', () => {
    expect(unreadConversations(list())).toBe(1);
    const items = markRead(list(), 1);
    expect(items[0]).toMatchObject({ unread: false, unread_count: 0 });
    expect(unreadConversations(items)).toBe(0);
  });
});
