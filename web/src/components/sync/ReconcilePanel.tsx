// The latest reconciliation (a run that pages OpenPhone for what the webhooks missed) and, for
// owners, "Reconcile now". The full run comes from /reconciliations or a live frame; without it
// (an older crmd) the health JSON's short summary is shown.
import type { Reconciliation, SyncHealth } from '../../api/types';
import { RECONCILE_LABEL, TRIGGER_LABEL, isActive, reportLines, summaryLines } from '../../domain/sync';
import { when } from './when';

interface Props {
  run: Reconciliation | null;
  summary: SyncHealth['reconcile'];
  canStart: boolean;
  busy: boolean;
  note: string | null;
  error: string | null;
  onStart: () => void;
}

export function ReconcilePanel({ run, summary, canStart, busy, note, error, onStart }: Props) {
  const status = run?.status ?? summary?.status;
  const running = isActive(status);
  const lines = run ? reportLines(run) : summary ? summaryLines(summary) : [];
  const finished = run?.finished_at ?? summary?.finished_at ?? null;
  return (
    <section class="sync-card" data-testid="sync-reconcile" data-status={status ?? 'none'} aria-labelledby="sync-reconcile-title">
      <div class="page-head">
        <h2 id="sync-reconcile-title">Reconciliation</h2>
        {canStart ? (
          <button type="button" class="btn-primary" data-testid="reconcile-now" onClick={onStart} disabled={busy || running}>
            {running ? 'Reconciling…' : 'Reconcile now'}
          </button>
        ) : (
          <span class="muted">Owners can start a reconciliation.</span>
        )}
      </div>
      <p class="muted">Pages OpenPhone's messages and calls since the last check and adds whatever the record lacks; failed webhook events are applied again.</p>
      {!status && <p>No reconciliation has run yet.</p>}
      {status && (
        <p data-testid="reconcile-status">
          {run || summary ? `#${run?.id ?? summary?.id} ` : ''}
          <strong>{RECONCILE_LABEL[status] ?? status}</strong>
          {run && ` (${TRIGGER_LABEL[run.trigger] ?? run.trigger})`}
          {run?.started_at && `, started ${when(run.started_at)}`}
          {finished && `, finished ${when(finished)}`}
        </p>
      )}
      {lines.length > 0 && (
        <ul class="reconcile-report" data-testid="reconcile-report">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {run?.last_error && <p class="form-error">Error: {run.last_error}</p>}
      {note && <p role="status">{note}</p>}
      {error && (
        <p class="form-error" role="alert" data-testid="reconcile-error">
          {error}
        </p>
      )}
    </section>
  );
}
