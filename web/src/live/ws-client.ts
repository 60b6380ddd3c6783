// The WebSocket client for crmd's `/ws` hub (contract § WebSocket).
//
// Views subscribe to topics with a handler; the client keeps the wanted topics (reference-counted,
// since the header and a page can want the same one), the hub's `epoch` and the last `seq` seen.
// When the socket drops it reconnects with exponential backoff and jitter and sends `resume` with its
// topics, so the hub replays what was missed; when the hub cannot (restarted, or the events were
// evicted) it answers `resync` and the client tells its listeners to refetch what they show.
//
// The socket and the clock are injected (a socket factory; the global timers, which tests fake) so
// the whole state machine runs in unit tests without a server.

export type LiveStatus = 'connecting' | 'connected' | 'offline';

/** The subset of the browser WebSocket the client uses. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
}

const OPEN = 1;

export interface LiveEvent {
  seq: number;
  topic: string;
  event: string;
  data: unknown;
}

export type EventHandler = (event: LiveEvent) => void;

export interface LiveClientOptions {
  url: string;
  createSocket: (url: string) => SocketLike;
  /** Jitter source, [0, 1). */
  random?: () => number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential up to a cap, then "equal jitter"
 * (between half and all of it) so a server restart is not met by every office tab at the same instant,
 * while never retrying immediately.
 */
export function backoffDelay(attempt: number, random: () => number, baseMs = 500, maxMs = 30_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

type ServerFrame =
  | { type: 'hello'; epoch: string; seq: number; heartbeat_s?: number }
  | { type: 'subscribed' | 'unsubscribed'; topics: string[] }
  | { type: 'resumed'; seq: number }
  | { type: 'resync'; reason?: string }
  | { type: 'pong' }
  | { type: 'error'; code: string; message?: string }
  | ({ type: 'event' } & LiveEvent);

function parseFrame(raw: unknown): ServerFrame | null {
  if (typeof raw !== 'string') return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') {
      return value as ServerFrame;
    }
  } catch {
    // Not JSON: ignored, like any frame the client does not understand.
  }
  return null;
}

export class LiveClient {
  private readonly options: Required<LiveClientOptions>;
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private readonly statusListeners = new Set<(status: LiveStatus) => void>();
  private readonly resyncListeners = new Set<() => void>();

  private socket: SocketLike | null = null;
  private running = false;
  /** The hub's hello has arrived on the current socket, so subscribe frames may be sent. */
  private ready = false;
  private currentStatus: LiveStatus = 'offline';
  private epoch: string | null = null;
  private seq = 0;
  /** Epoch and seq announced by the current socket's hello, adopted once resume settles. */
  private hello: { epoch: string; seq: number } | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private heartbeatMs = 20_000;
  private lastHeardAt = 0;

  constructor(options: LiveClientOptions) {
    this.options = { random: Math.random, baseDelayMs: 500, maxDelayMs: 30_000, ...options };
  }

  get status(): LiveStatus {
    return this.currentStatus;
  }

  /** Topics currently wanted (sorted; what a resume or the first subscribe sends). */
  get topics(): string[] {
    return [...this.handlers.keys()].sort();
  }

  get lastSeq(): number {
    return this.seq;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  /** Logout: close, stop retrying, and forget the epoch so the next session starts fresh. */
  stop(): void {
    this.running = false;
    this.clearRetry();
    this.dropSocket();
    this.epoch = null;
    this.seq = 0;
    this.attempt = 0;
    this.setStatus('offline');
  }

  /** The browser came back online: skip the remaining backoff. */
  reconnectNow(): void {
    if (!this.running || this.socket) return;
    this.clearRetry();
    this.attempt = 0;
    this.connect();
  }

  subscribe(topic: string, handler: EventHandler): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
      if (this.ready) this.send({ type: 'subscribe', topics: [topic] });
    }
    set.add(handler);
    return () => {
      const current = this.handlers.get(topic);
      if (!current || !current.delete(handler) || current.size > 0) return;
      this.handlers.delete(topic);
      if (this.ready) this.send({ type: 'unsubscribe', topics: [topic] });
    };
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  private connect(): void {
    this.setStatus('connecting');
    const socket = this.options.createSocket(this.options.url);
    this.socket = socket;
    this.ready = false;
    this.hello = null;
    socket.onmessage = (ev) => this.onFrame(parseFrame(ev.data));
    socket.onclose = () => this.onClosed(socket);
    // An error is always followed by close; reconnecting happens there, once.
    socket.onerror = null;
    socket.onopen = null;
  }

  private onFrame(frame: ServerFrame | null): void {
    this.lastHeardAt = Date.now();
    if (!frame) return;
    switch (frame.type) {
      case 'hello':
        return this.onHello(frame);
      case 'subscribed':
      case 'resumed':
        if (frame.type === 'resumed') this.adoptHello(Math.max(this.seq, frame.seq));
        return this.setStatus('connected');
      case 'resync':
        // Whatever we had is not replayable: start counting from this socket's hello.
        this.adoptHello(this.hello?.seq ?? 0);
        this.setStatus('connected');
        for (const listener of [...this.resyncListeners]) listener();
        return;
      case 'event':
        return this.onEvent(frame);
      default:
        // pong, unsubscribed, error (e.g. unknown_topic): nothing to do; the connection stays.
        return;
    }
  }

  private onHello(frame: { epoch: string; seq: number; heartbeat_s?: number }): void {
    this.ready = true;
    this.attempt = 0;
    this.hello = { epoch: frame.epoch, seq: frame.seq };
    this.heartbeatMs = (frame.heartbeat_s ?? 20) * 1000;
    this.startHeartbeat();

    const topics = this.topics;
    if (this.epoch === null) {
      // First connection of this session: nothing to resume.
      this.adoptHello(frame.seq);
      if (topics.length > 0) this.send({ type: 'subscribe', topics });
      else this.setStatus('connected');
    } else if (topics.length > 0) {
      this.send({ type: 'resume', epoch: this.epoch, since: this.seq, topics });
    } else {
      this.adoptHello(frame.epoch === this.epoch ? Math.max(this.seq, frame.seq) : frame.seq);
      this.setStatus('connected');
    }
  }

  private adoptHello(seq: number): void {
    if (this.hello) this.epoch = this.hello.epoch;
    this.seq = seq;
  }

  private onEvent(frame: LiveEvent): void {
    // A replay can overlap what this socket already delivered; seq is global and increasing.
    if (frame.seq <= this.seq) return;
    this.seq = frame.seq;
    const set = this.handlers.get(frame.topic);
    if (!set) return;
    for (const handler of [...set]) handler(frame);
  }

  private onClosed(socket: SocketLike): void {
    if (socket !== this.socket) return; // an old socket we already gave up on
    this.socket = null;
    this.ready = false;
    this.stopHeartbeat();
    if (!this.running) return;
    this.setStatus('offline');
    const delay = backoffDelay(this.attempt, this.options.random, this.options.baseDelayMs, this.options.maxDelayMs);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.lastHeardAt = Date.now();
    this.heartbeatTimer = setInterval(() => {
      const socket = this.socket;
      if (!socket) return;
      // Our pings are answered with pongs, so three silent periods mean a dead path (a laptop
      // that slept, a proxy that dropped us) that the browser may take minutes to notice.
      if (Date.now() - this.lastHeardAt > 3 * this.heartbeatMs) {
        socket.onmessage = null;
        socket.close(4000, 'heartbeat timeout');
        this.onClosed(socket);
        return;
      }
      this.send({ type: 'ping' });
    }, this.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.ready = false;
    this.stopHeartbeat();
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(1000, 'logout');
    }
  }

  private send(frame: object): void {
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(JSON.stringify(frame));
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }
}
