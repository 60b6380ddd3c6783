// Green/amber/red dot for OpenPhone sync health: GET /sync/health once, then `sync.health` events on
// topic `sync`; refetched after a resync, since events missed while offline are not replayed then.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/endpoints';
import type { SyncHealth, SyncStatus } from '../api/types';
import { fresherHealth, verdictOf } from '../domain/sync';
import { useLiveTopics, useResync } from '../hooks/live';
import { onLinkClick } from '../router';

interface Shown {
  status: SyncStatus;
  reason: string;
  checked_at?: string;
}

function shown(health: Partial<SyncHealth>): Shown {
  return { ...verdictOf(health), checked_at: health.checked_at };
}

const LABEL: Record<SyncStatus, string> = { green: 'Sync OK', amber: 'Sync degraded', red: 'Sync failing' };

export function SyncIndicator() {
  // Amber until we know: "unknown" is a reason to look, not a reason to reassure.
  const [current, setCurrent] = useState<Shown>({ status: 'amber', reason: 'Checking sync health…' });
  // A GET and a frame may cross: the later check wins, whichever arrives last.
  const show = (h: Partial<SyncHealth>) => setCurrent((prev) => fresherHealth(prev, shown(h)));

  const load = () => {
    api
      .syncHealth()
      .then(show)
      .catch(() => setCurrent({ status: 'amber', reason: 'Sync health unavailable' }));
  };
  useEffect(load, []);
  useResync(load);
  useLiveTopics(['sync'], (e) => {
    if (e.event !== 'sync.health') return;
    show(e.data as Partial<SyncHealth>);
  });

  return (
    <a
      class="sync"
      href="/sync"
      onClick={(e) => onLinkClick(e, '/sync')}
      data-testid="sync-indicator"
      data-status={current.status}
      title={`${current.reason}: details`}
      role="status"
    >
      <span class={`dot dot-${current.status}`} aria-hidden="true" />
      <span class="sync-text">
        <span class="visually-hidden">{LABEL[current.status]}: </span>
        {current.reason}
      </span>
    </a>
  );
}
