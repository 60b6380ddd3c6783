// The inbox list: one row per conversation, most recent activity first (last_activity_at desc,
// conversation_id desc — the server's order), with the calling user's unread state.
import type { Activity, ConversationUpdate, InboxItem } from '../api/types';
import { timeOf } from './activities';

export function compareInbox(a: InboxItem, b: InboxItem): number {
  return timeOf(b.last_activity_at) - timeOf(a.last_activity_at) || b.conversation_id - a.conversation_id;
}

/** Merges a page from the server: its rows are authoritative (including unread state). */
export function mergeInboxPage(items: readonly InboxItem[], page: readonly InboxItem[]): InboxItem[] {
  const byId = new Map<number, InboxItem>();
  for (const item of items) byId.set(item.conversation_id, item);
  for (const item of page) {
    const current = byId.get(item.conversation_id);
    // A page fetched before a live event must not move the row back in time.
    byId.set(item.conversation_id, current && timeOf(current.last_activity_at) > timeOf(item.last_activity_at) ? current : item);
  }
  return [...byId.values()].sort(compareInbox);
}

/**
 * `conversation.updated`: the row's new summary. The event has no per-user read state, so an
 * existing row keeps its own; a conversation not listed yet counts as unread when its newest
 * activity came in (someone wrote to us), read when we wrote last.
 */
export function applyConversationUpdate(items: readonly InboxItem[], update: ConversationUpdate): InboxItem[] {
  const current = items.find((i) => i.conversation_id === update.conversation_id);
  if (current && timeOf(current.last_activity_at) > timeOf(update.last_activity_at)) return items.slice();
  const incoming = update.preview?.direction === 'incoming';
  const next: InboxItem = current
    ? { ...current, ...update }
    : { ...update, unread: incoming, unread_count: incoming ? 1 : 0 };
  return [next, ...items.filter((i) => i.conversation_id !== update.conversation_id)].sort(compareInbox);
}

export interface ActivityResult {
  items: InboxItem[];
  /** False when the conversation is not listed: the caller refetches the first page to learn it. */
  known: boolean;
}

/**
 * `activity.created` / `activity.updated` on topic `inbox`. A newer activity becomes the preview and
 * moves the row to the top; an update of the activity already previewed refreshes the preview (a
 * text going from queued to delivered). A newly created incoming activity counts as one more unread,
 * once: a created event replayed after a reconnect is recognised because it is already the preview.
 */
export function applyActivity(items: readonly InboxItem[], activity: Activity, created: boolean): ActivityResult {
  const current = items.find((i) => i.conversation_id === activity.conversation_id);
  if (!current) return { items: items.slice(), known: false };

  const isPreview = current.preview?.activity_id === activity.id;
  const newer = timeOf(activity.occurred_at) >= timeOf(current.last_activity_at);
  if (!isPreview && !newer) return { items: items.slice(), known: true };

  const countsUnread = created && !isPreview && activity.direction === 'incoming';
  const next: InboxItem = {
    ...current,
    last_activity_at: newer ? activity.occurred_at : current.last_activity_at,
    last_activity_type: activity.activity_type,
    preview: {
      activity_id: activity.id,
      activity_type: activity.activity_type,
      direction: activity.direction,
      status: activity.status,
      body: activity.body === null ? null : activity.body.slice(0, 140),
    },
    unread: current.unread || countsUnread,
    unread_count: current.unread_count + (countsUnread ? 1 : 0),
  };
  const rest = items.filter((i) => i !== current);
  return { items: [next, ...rest].sort(compareInbox), known: true };
}

export function markRead(items: readonly InboxItem[], conversationId: number): InboxItem[] {
  return items.map((i) => (i.conversation_id === conversationId ? { ...i, unread: false, unread_count: 0 } : i));
}

/** Conversations with anything unread (the tab title's count). */
export function unreadConversations(items: readonly InboxItem[]): number {
  return items.reduce((n, i) => n + (i.unread ? 1 : 0), 0);
}
