// Stands in for src/state/live in component tests (vi.mock): records subscriptions and lets a test
// deliver frames as the hub would.
import type { EventHandler } from '../live/ws-client';

const handlers = new Map<string, Set<EventHandler>>();
let seq = 0;

export const live = {
  subscribe(topic: string, handler: EventHandler): () => void {
    if (!handlers.has(topic)) handlers.set(topic, new Set());
    handlers.get(topic)?.add(handler);
    return () => handlers.get(topic)?.delete(handler);
  },
  onResync: () => () => {},
  onStatus: () => () => {},
  start: () => {},
  stop: () => {},
};

export const liveStatus = { value: 'connected' };

export function topics(): string[] {
  return [...handlers].filter(([, set]) => set.size > 0).map(([topic]) => topic);
}

export function emit(topic: string, event: string, data: unknown): void {
  seq += 1;
  for (const handler of handlers.get(topic) ?? []) handler({ seq, topic, event, data });
}
