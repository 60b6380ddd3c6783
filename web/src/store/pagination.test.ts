import { describe, expect, it } from 'vitest';
import { begin, failed, initialPager, received, refreshTicket, reset } from './pagination';

describe('cursor pagination', () => {
  it('walks pages until next_cursor is null', () => {
    const first = begin(initialPager);
    expect(first?.ticket.cursor).toBeNull();
    const afterFirst = received(first!.pager, first!.ticket, 'c1');
    expect(afterFirst).toMatchObject({ cursor: 'c1', started: true, done: false, loading: false });

    const second = begin(afterFirst);
    expect(second?.ticket.cursor).toBe('c1');
    const end = received(second!.pager, second!.ticket, null);
    expect(end).toMatchObject({ done: true, loading: false });
    expect(begin(end)).toBeNull();
  });

  it('refuses a second load while one is in flight', () => {
    const first = begin(initialPager)!;
    expect(begin(first.pager)).toBeNull();
  });

  it('keeps the cursor after a failure so retry asks for the same page', () => {
    const first = begin(initialPager)!;
    const page1 = received(first.pager, first.ticket, 'c1');
    const second = begin(page1)!;
    const broken = failed(second.pager, second.ticket, 'offline');
    expect(broken).toMatchObject({ error: 'offline', loading: false, cursor: 'c1' });
    expect(begin(broken)?.ticket.cursor).toBe('c1');
  });

  it('drops responses for tickets issued before a reset', () => {
    const stale = begin(initialPager)!;
    const fresh = reset(stale.pager);
    expect(received(fresh, stale.ticket, 'old-cursor')).toBe(fresh);
    expect(failed(fresh, stale.ticket, 'x')).toBe(fresh);
    expect(begin(fresh)).not.toBeNull();
  });

  it('issues a refresh ticket for the newest page only once the first page arrived', () => {
    expect(refreshTicket(initialPager)).toBeNull();
    const first = begin(initialPager)!;
    const loaded = received(first.pager, first.ticket, 'c1');
    expect(refreshTicket(loaded)).toEqual({ generation: loaded.generation, cursor: null });
    expect(loaded.cursor).toBe('c1');
  });
});
