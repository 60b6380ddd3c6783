// Subscriptions to the live client that follow a component's lifetime.
import { useEffect, useRef } from 'preact/hooks';
import type { LiveEvent } from '../live/ws-client';
import { live } from '../state/live';

/** Subscribes to every topic in `topics` while mounted; the handler may change without resubscribing. */
export function useLiveTopics(topics: readonly string[], handler: (event: LiveEvent) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  const key = topics.join(',');
  useEffect(() => {
    const offs = topics.map((t) => live.subscribe(t, (e) => latest.current(e)));
    return () => offs.forEach((off) => off());
    // `key` stands for `topics`: a new array with the same topics must not resubscribe.
  }, [key]);
}

export function useResync(handler: () => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => live.onResync(() => latest.current()), []);
}
