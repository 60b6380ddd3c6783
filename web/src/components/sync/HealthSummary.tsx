// The overall verdict on /sync and the facts behind it; parts an older crmd does not send are left out.
import type { SyncHealth } from '../../api/types';
import { CIRCUIT_LABEL, STATUS_LABEL, formatBusinessSeconds, formatRatio, plural, verdictOf } from '../../domain/sync';
import { when } from './when';

export function HealthSummary({ health }: { health: SyncHealth }) {
  const { status, reason } = verdictOf(health);
  const webhooks = health.webhooks ?? { last_received_at: null, failed: 0, dead: 0 };
  const silence = formatBusinessSeconds(webhooks.silence_business_seconds);
  const circuit = health.provider?.circuit;
  const ratio = formatRatio(health.provider?.error_ratio);
  return (
    <section class="sync-card" data-testid="sync-overall" data-status={status} aria-labelledby="sync-overall-title">
      <h2 id="sync-overall-title" class="sync-verdict">
        <span class={`dot dot-${status}`} aria-hidden="true" />
        {STATUS_LABEL[status]}
      </h2>
      <p data-testid="sync-reason">{reason}</p>
      <dl class="sync-facts">
        <dt>Last webhook</dt>
        <dd>
          {when(webhooks.last_received_at, 'none yet')}
          {silence && <span class="muted"> (quiet for {silence} of business hours)</span>}
        </dd>
        <dt>Failed events</dt>
        <dd data-testid="sync-failed-count">{plural(webhooks.failed ?? 0, 'event')} retrying</dd>
        <dt>Dead events</dt>
        <dd data-testid="sync-dead-count">{plural(webhooks.dead ?? 0, 'event')} given up</dd>
        {circuit && (
          <>
            <dt>OpenPhone API</dt>
            <dd>
              {CIRCUIT_LABEL[circuit] ?? circuit}
              {ratio && <span class="muted"> · {ratio} of calls failed in the last 15 min</span>}
            </dd>
          </>
        )}
        {health.import !== undefined && (
          <>
            <dt>History import</dt>
            <dd data-testid="sync-import">
              {health.import ? `#${health.import.id} ${health.import.status}${health.import.finished_at ? `, finished ${when(health.import.finished_at)}` : ''}` : 'never run'}
            </dd>
          </>
        )}
      </dl>
      <p class="muted sync-checked">Checked {when(health.checked_at, 'just now')}</p>
    </section>
  );
}
