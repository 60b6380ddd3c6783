// Cursor pagination bookkeeping shared by the inbox and the timeline. Pure: the view holds the
// state and asks `begin` for a ticket before each fetch; a ticket from before a `reset` is stale, so
// a slow response for the previous contact (or from before a resync) is dropped, not merged.

export interface Pager {
  /** Cursor of the next (older) page; null before the first page and after the last. */
  readonly cursor: string | null;
  /** The first page has been received. */
  readonly started: boolean;
  readonly done: boolean;
  readonly loading: boolean;
  readonly error: string | null;
  readonly generation: number;
}

export interface Ticket {
  readonly generation: number;
  readonly cursor: string | null;
}

export const initialPager: Pager = {
  cursor: null,
  started: false,
  done: false,
  loading: false,
  error: null,
  generation: 0,
};

/** Starts loading the next page, or returns null when there is nothing to do right now. */
export function begin(p: Pager): { pager: Pager; ticket: Ticket } | null {
  if (p.loading || p.done) return null;
  return { pager: { ...p, loading: true, error: null }, ticket: { generation: p.generation, cursor: p.cursor } };
}

export function isCurrent(p: Pager, t: Ticket): boolean {
  return p.generation === t.generation;
}

export function received(p: Pager, t: Ticket, nextCursor: string | null): Pager {
  if (!isCurrent(p, t)) return p;
  return { ...p, cursor: nextCursor, started: true, done: nextCursor === null, loading: false, error: null };
}

export function failed(p: Pager, t: Ticket, error: string): Pager {
  if (!isCurrent(p, t)) return p;
  return { ...p, loading: false, error };
}

/** Forget everything (another contact, logout); in-flight tickets become stale. */
export function reset(p: Pager): Pager {
  return { ...initialPager, generation: p.generation + 1 };
}

/**
 * A ticket to refetch the newest page (after a resync) without touching the cursor of the older
 * pages already loaded. Null before the first page: the pending first load already covers it.
 */
export function refreshTicket(p: Pager): Ticket | null {
  return p.started ? { generation: p.generation, cursor: null } : null;
}
