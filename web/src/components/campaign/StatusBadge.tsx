import type { CampaignStatus } from '../../api/campaign-types';
import { STATUS_LABEL } from '../../domain/campaign/status';

export function StatusBadge({ status }: { status: CampaignStatus }) {
  return (
    <span class={`status-badge status-${status}`} data-testid="campaign-status" data-status={status}>
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}
