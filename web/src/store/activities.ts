// The timeline's list of activities: one entry per id, oldest first by (occurred_at, id) — the
// order the contract pages in, reversed, so the newest sits next to the reply box.
//
// Every source of activities (timeline pages, the POST that sends a text, live events, resume
// replays, a refetch after resync) goes through `mergeActivities`, so the same activity never shows
// twice and a stale copy never overwrites a fresher one.
import type { Activity } from '../api/types';

export function timeOf(iso: string | null | undefined): number {
  if (!iso) return 0;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** Ascending by occurred_at, then id (ties happen: a call and its voicemail share a second). */
export function compareActivities(a: Activity, b: Activity): number {
  return timeOf(a.occurred_at) - timeOf(b.occurred_at) || a.id - b.id;
}

/**
 * The version of one activity to keep when two arrive with the same id. The newer `updated_at`
 * wins, so a late replay or the POST response racing the `activity.updated` that already said
 * "delivered" cannot turn the message back to pending. On a tie the incoming copy wins (same
 * revision; it may carry fields the other lacked). Live events omit `ai_transcript`, so a
 * transcript already fetched is carried over instead of being dropped.
 */
export function reconcile(existing: Activity, incoming: Activity): Activity {
  if (timeOf(incoming.updated_at) < timeOf(existing.updated_at)) {
    if (existing.ai_transcript === undefined && incoming.ai_transcript !== undefined) {
      return { ...existing, ai_transcript: incoming.ai_transcript };
    }
    return existing;
  }
  if (incoming.ai_transcript === undefined && existing.ai_transcript !== undefined) {
    return { ...incoming, ai_transcript: existing.ai_transcript };
  }
  return incoming;
}

/** Returns a new sorted, id-unique list; `list` must already be sorted and unique. */
export function mergeActivities(list: readonly Activity[], incoming: readonly Activity[]): Activity[] {
  if (incoming.length === 0) return list.slice();
  const byId = new Map<number, Activity>();
  for (const a of list) byId.set(a.id, a);
  for (const a of incoming) {
    const current = byId.get(a.id);
    byId.set(a.id, current ? reconcile(current, a) : a);
  }
  return [...byId.values()].sort(compareActivities);
}

/**
 * Drops an activity the server deleted: `activity.deleted` says a provider's copy of a text sent
 * from here was folded into the row already shown (its `replaced_by`).
 */
export function removeActivity(list: readonly Activity[], id: number): Activity[] {
  return list.filter((a) => a.id !== id);
}
