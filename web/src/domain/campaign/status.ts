// Which status changes the detail page offers, mirroring crmd's campaign registry: launch takes a
// draft to scheduled (and on to running unless scheduled for later) or starts a scheduled one now;
// pause/resume toggle running and paused; cancel ends anything not yet ended. Launch and cancel
// are the owner's decisions (the server refuses them to staff with 403).
import type { Role } from '../../api/types';
import type { CampaignStatus } from '../../api/campaign-types';

export type CampaignAction = 'launch' | 'pause' | 'resume' | 'cancel';

export interface ActionChoice {
  action: CampaignAction;
  /** False when the user's role may not take it (shown greyed, with the reason). */
  allowed: boolean;
}

const VALID: Record<CampaignStatus, CampaignAction[]> = {
  draft: ['launch', 'cancel'],
  scheduled: ['launch', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  complete: [],
  cancelled: [],
};

export const OWNER_ONLY: ReadonlySet<CampaignAction> = new Set(['launch', 'cancel']);

export function availableActions(status: CampaignStatus, role: Role | undefined): ActionChoice[] {
  return (VALID[status] ?? []).map((action) => ({ action, allowed: role === 'owner' || !OWNER_ONLY.has(action) }));
}

/** Only drafts and scheduled campaigns can be edited (saving a scheduled one makes it a draft again). */
export function isEditable(status: CampaignStatus): boolean {
  return status === 'draft' || status === 'scheduled';
}

export const STATUS_LABEL: Record<CampaignStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  running: 'Sending',
  paused: 'Paused',
  complete: 'Complete',
  cancelled: 'Cancelled',
};

export function actionLabel(action: CampaignAction, status: CampaignStatus, scheduledAt: string | null, now = Date.now()): string {
  switch (action) {
    case 'launch':
      if (status === 'scheduled') return 'Start now';
      return scheduledAt && Date.parse(scheduledAt) > now ? 'Schedule' : 'Launch now';
    case 'pause':
      return 'Pause';
    case 'resume':
      return 'Resume';
    case 'cancel':
      return 'Cancel campaign';
  }
}
