// Launch / pause / resume / cancel: only the transitions valid from the current status; launch and
// cancel greyed out for staff (owner decisions); cancel asks for confirmation first, in place.
import { useState } from 'preact/hooks';
import type { Campaign } from '../../api/campaign-types';
import type { Role } from '../../api/types';
import { actionLabel, availableActions } from '../../domain/campaign/status';
import type { CampaignAction } from '../../domain/campaign/status';

interface Props {
  campaign: Campaign;
  role: Role | undefined;
  busy: boolean;
  onAction: (action: CampaignAction) => void;
}

export function CampaignActions({ campaign, role, busy, onAction }: Props) {
  const [confirming, setConfirming] = useState(false);
  const choices = availableActions(campaign.status, role);
  if (choices.length === 0) return null;

  if (confirming) {
    return (
      <div class="actions confirm" role="group" aria-label="Confirm cancelling" data-testid="cancel-confirm">
        <p>Cancel “{campaign.name}”? Pending texts will not be sent. This cannot be undone.</p>
        <button
          type="button"
          class="btn-danger"
          disabled={busy}
          onClick={() => {
            setConfirming(false);
            onAction('cancel');
          }}
        >
          Yes, cancel the campaign
        </button>{' '}
        <button type="button" class="btn-quiet" onClick={() => setConfirming(false)}>
          Keep it
        </button>
      </div>
    );
  }

  return (
    <div class="actions" role="group" aria-label="Campaign actions">
      {choices.map(({ action, allowed }) => (
        <button
          key={action}
          type="button"
          class={action === 'cancel' ? 'btn-quiet' : 'btn-primary'}
          data-testid={`campaign-${action}`}
          disabled={busy || !allowed}
          title={allowed ? undefined : 'Only an owner can do this'}
          onClick={() => (action === 'cancel' ? setConfirming(true) : onAction(action))}
        >
          {actionLabel(action, campaign.status, campaign.scheduled_at)}
        </button>
      ))}
      {choices.some((c) => !c.allowed) && <span class="muted"> Launching and cancelling are for owners.</span>}
    </div>
  );
}
