// The app's one WebSocket client and its state as signals.
import { signal } from '@preact/signals';
import { LiveClient } from '../live/ws-client';
import type { LiveStatus } from '../live/ws-client';

function wsUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

export const live = new LiveClient({ url: wsUrl(), createSocket: (url) => new WebSocket(url) });

export const liveStatus = signal<LiveStatus>(live.status);
live.onStatus((status) => {
  liveStatus.value = status;
  // Set here, not in a render effect, so <body data-live> (read by the browser tests) changes in
  // the same task as the connection does.
  document.body.dataset.live = status;
});

addEventListener('online', () => live.reconnectNow());
