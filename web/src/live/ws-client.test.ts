import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveClient, backoffDelay } from './ws-client';
import type { LiveEvent, LiveStatus, SocketLike } from './ws-client';

/** A socket the test drives: it records what the client sends and delivers what the test says. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closed = false;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {
    this.closed = true;
    this.readyState = 3;
  }
  /** The server's side: open and say hello. */
  hello(epoch: string, seq: number): void {
    this.readyState = 1;
    this.frame({ type: 'hello', epoch, seq, heartbeat_s: 20 });
  }
  frame(value: object): void {
    this.onmessage?.({ data: JSON.stringify(value) } as MessageEvent);
  }
  event(seq: number, topic: string, event = 'activity.created', data: unknown = { id: seq }): void {
    this.frame({ type: 'event', seq, topic, event, data });
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006 } as CloseEvent);
  }
}

function setup(random = () => 0.5) {
  const sockets: FakeSocket[] = [];
  const client = new LiveClient({
    url: 'ws://test/ws',
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    random,
  });
  const statuses: LiveStatus[] = [];
  client.onStatus((s) => statuses.push(s));
  const last = () => {
    const s = sockets[sockets.length - 1];
    if (!s) throw new Error('no socket yet');
    return s;
  };
  return { client, sockets, statuses, last };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('backoffDelay', () => {
  it('doubles up to the cap, with jitter between half and all of it', () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 0.999999)).toBe(500);
    expect(backoffDelay(3, () => 0)).toBe(2000);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(20, () => 0)).toBe(15_000);
    expect(backoffDelay(20, () => 1)).toBe(30_000);
    expect(backoffDelay(1000, () => 1)).toBe(30_000);
  });
});

describe('LiveClient', () => {
  it('subscribes to the wanted topics after hello and reports connected when the hub confirms', () => {
    const { client, last, statuses } = setup();
    const got: LiveEvent[] = [];
    client.subscribe('inbox', (e) => got.push(e));
    client.subscribe('sync', () => {});
    client.start();
    expect(client.status).toBe('connecting');

    last().hello('E1', 10);
    expect(last().sent).toEqual([{ type: 'subscribe', topics: ['inbox', 'sync'] }]);
    expect(client.status).toBe('connecting');
    last().frame({ type: 'subscribed', topics: ['inbox', 'sync'] });
    expect(statuses).toEqual(['connecting', 'connected']);

    last().event(11, 'inbox');
    last().event(12, 'conversation:9');
    expect(got.map((e) => e.seq)).toEqual([11]);
    expect(client.lastSeq).toBe(12);
  });

  it('reference-counts topics: one unsubscribe frame when the last handler leaves', () => {
    const { client, last } = setup();
    client.start();
    last().hello('E1', 0);
    const offA = client.subscribe('conversation:5', () => {});
    const offB = client.subscribe('conversation:5', () => {});
    expect(last().sent).toEqual([{ type: 'subscribe', topics: ['conversation:5'] }]);
    offA();
    expect(last().sent).toHaveLength(1);
    offB();
    expect(last().sent[1]).toEqual({ type: 'unsubscribe', topics: ['conversation:5'] });
    expect(client.topics).toEqual([]);
  });

  it('reconnects with growing, jittered delays and resumes from the last seq', () => {
    const { client, sockets, last } = setup(() => 0);
    client.subscribe('inbox', () => {});
    client.subscribe('conversation:3', () => {});
    client.start();
    last().hello('E1', 100);
    last().frame({ type: 'subscribed', topics: ['conversation:3', 'inbox'] });
    last().event(101, 'inbox');

    last().drop();
    expect(client.status).toBe('offline');
    vi.advanceTimersByTime(249);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    expect(client.status).toBe('connecting');

    // The second attempt fails before hello: the next wait is twice as long.
    last().drop();
    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);

    last().hello('E1', 105);
    expect(last().sent).toEqual([{ type: 'resume', epoch: 'E1', since: 101, topics: ['conversation:3', 'inbox'] }]);
  });

  it('delivers the replay in order, skips what it already saw, and settles on resumed', () => {
    const { client, last } = setup();
    const seqs: number[] = [];
    client.subscribe('inbox', (e) => seqs.push(e.seq));
    client.start();
    last().hello('E1', 1);
    last().frame({ type: 'subscribed', topics: ['inbox'] });
    last().event(2, 'inbox');
    last().drop();
    vi.runOnlyPendingTimers();

    last().hello('E1', 5);
    last().event(2, 'inbox'); // overlap with what the old socket delivered
    last().event(3, 'inbox');
    last().event(5, 'inbox');
    last().frame({ type: 'resumed', seq: 6 });
    expect(seqs).toEqual([2, 3, 5]);
    expect(client.lastSeq).toBe(6);
    expect(client.status).toBe('connected');
  });

  it('on resync tells listeners to refetch and counts from the new hello', () => {
    const { client, last } = setup();
    const resyncs = vi.fn();
    client.onResync(resyncs);
    const seqs: number[] = [];
    client.subscribe('inbox', (e) => seqs.push(e.seq));
    client.start();
    last().hello('E1', 500);
    last().frame({ type: 'subscribed', topics: ['inbox'] });
    last().drop();
    vi.runOnlyPendingTimers();

    // crmd restarted: new epoch, seq numbering starts again.
    last().hello('E2', 3);
    expect(last().sent[0]).toMatchObject({ type: 'resume', epoch: 'E1', since: 500 });
    last().frame({ type: 'resync', reason: 'epoch changed' });
    expect(resyncs).toHaveBeenCalledTimes(1);
    expect(client.status).toBe('connected');

    last().event(4, 'inbox');
    expect(seqs).toEqual([4]);

    // The next reconnect resumes in the new epoch.
    last().drop();
    vi.runOnlyPendingTimers();
    last().hello('E2', 4);
    expect(last().sent[0]).toEqual({ type: 'resume', epoch: 'E2', since: 4, topics: ['inbox'] });
  });

  it('resets the backoff after a successful hello', () => {
    const { client, sockets, last } = setup(() => 0);
    client.start();
    last().drop();
    vi.advanceTimersByTime(250);
    last().drop();
    vi.advanceTimersByTime(500);
    last().hello('E1', 0);
    last().drop();
    vi.advanceTimersByTime(250);
    expect(sockets).toHaveLength(4);
  });

  it('pings every heartbeat and closes a connection that went silent', () => {
    const { client, sockets, last } = setup(() => 0);
    client.start();
    last().hello('E1', 0);
    const first = last();
    vi.advanceTimersByTime(20_000);
    expect(first.sent).toContainEqual({ type: 'ping' });
    first.frame({ type: 'pong' });

    // Nothing heard for more than three heartbeats: treat as dead and reconnect.
    vi.advanceTimersByTime(80_000);
    expect(first.closed).toBe(true);
    expect(client.status).toBe('offline');
    vi.advanceTimersByTime(250);
    expect(sockets).toHaveLength(2);
    // The dead socket's late close event does not schedule a second reconnect.
    first.drop();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
  });

  it('stop() closes, never reconnects, and a later session starts without resume', () => {
    const { client, sockets, last } = setup();
    client.subscribe('sync', () => {});
    client.start();
    last().hello('E1', 9);
    client.stop();
    expect(last().closed).toBe(true);
    expect(client.status).toBe('offline');
    vi.advanceTimersByTime(120_000);
    expect(sockets).toHaveLength(1);

    client.start();
    last().hello('E1', 12);
    expect(last().sent).toEqual([{ type: 'subscribe', topics: ['sync'] }]);
  });

  it('reconnectNow skips the remaining backoff', () => {
    const { client, sockets, last } = setup(() => 1);
    client.start();
    last().drop();
    expect(sockets).toHaveLength(1);
    client.reconnectNow();
    expect(sockets).toHaveLength(2);
    // The cancelled timer does not open a third socket later.
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
  });

  it('ignores frames it cannot parse and error frames', () => {
    const { client, last } = setup();
    client.start();
    last().hello('E1', 0);
    last().onmessage?.({ data: 'not json' } as MessageEvent);
    last().frame({ type: 'error', code: 'unknown_topic', message: 'x' });
    expect(client.status).toBe('connected');
  });
});
