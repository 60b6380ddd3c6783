// Green/amber/red dot for OpenPhone sync health: GET /sync/health once, then `sync.health` events on
// topic `sync`; refetched after a resync, since events missed while offline are not replayed then.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/endpoints';
import type { SyncHealth, SyncStatus } from '../api/types';
import { useLiveTopics, useResync } from '../hooks/live';
import { onLinkClick } from '../router';

interface Shown {
  status: SyncStatus;
  reason: string;
}

const LABEL: Record<SyncStatus, string> = { green: 'Sync OK', amber: 'Sync degraded', red: 'Sync failing' };

export function SyncIndicator() {
  // Amber until we know: "unknown" is a reason to look, not a reason to reassure.
  const [shown, setShown] = useState<Shown>({ status: 'amber', reason: 'Checking sync health…' });

  const load = () => {
    api
      .syncHealth()
      .then((h) => setShown({ status: h.status, reason: h.reason }))
      .catch(() => setShown({ status: 'amber', reason: 'Sync health unavailable' }));
  };
  useEffect(load, []);
  useResync(load);
  useLiveTopics(['sync'], (e) => {
    if (e.event !== 'sync.health') return;
    const h = e.data as SyncHealth;
    setShown({ status: h.status, reason: h.reason });
  });

  return (
    <a
      class="sync"
      href="/sync"
      onClick={(e) => onLinkClick(e, '/sync')}
      data-testid="sync-indicator"
      data-status={shown.status}
      title={`${shown.reason}: details`}
      role="status"
    >
      <span class={`dot dot-${shown.status}`} aria-hidden="true" />
      <span class="sync-text">
        <span class="visually-hidden">{LABEL[shown.status]}: </span>
        {shown.reason}
      </span>
    </a>
  );
}
