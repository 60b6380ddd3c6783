// A campaign on the detail page, kept current by live frames on `campaign:<id>`:
// `campaign.updated` replaces it (the server's counts are the truth), `campaign.member` moves one
// member between the progress buckets. A member's previous status is known from earlier frames; one
// never seen before was pending (every member starts there). Frames arrive in publication order, so
// the next campaign.updated corrects any drift.
import type { Campaign, CampaignProgress, MemberStatus, MemberUpdate } from '../api/campaign-types';

export interface LiveCampaign {
  campaign: Campaign;
  /** Last status seen per member id. */
  members: ReadonlyMap<number, MemberStatus>;
}

type Bucket = Exclude<keyof CampaignProgress, 'members' | 'opt_outs'>;

export function bucketOf(status: MemberStatus): Bucket {
  return status.startsWith('replied_') ? 'replied' : (status as Bucket);
}

export function liveCampaign(campaign: Campaign): LiveCampaign {
  return { campaign, members: new Map() };
}

/** campaign.updated: the newer copy wins (frames and a refetch may cross). */
export function applyCampaignUpdate(state: LiveCampaign, incoming: Campaign): LiveCampaign {
  if (incoming.id !== state.campaign.id) return state;
  if (Date.parse(incoming.updated_at) < Date.parse(state.campaign.updated_at)) return state;
  // The analytics come with GET only: keep the last ones.
  return { ...state, campaign: { ...incoming, analytics: incoming.analytics ?? state.campaign.analytics } };
}

/** campaign.member: one member changed status. */
export function applyMemberUpdate(state: LiveCampaign, update: MemberUpdate): LiveCampaign {
  const previous = state.members.get(update.id) ?? 'pending';
  const members = new Map(state.members).set(update.id, update.status);
  const from = bucketOf(previous);
  const to = bucketOf(update.status);
  if (from === to) return { ...state, members };
  const progress = { ...state.campaign.progress };
  progress[from] = Math.max(0, progress[from] - 1);
  progress[to] += 1;
  return { campaign: { ...state.campaign, progress }, members };
}

/** Texts that have left: sent, failed and replied (a reply implies a sent text). */
export function processed(p: CampaignProgress): number {
  return p.sent + p.failed + p.replied;
}

/** Sent texts, including those replied to. */
export function sentTotal(p: CampaignProgress): number {
  return p.sent + p.replied;
}

/** The list page on `campaigns`: a known campaign is replaced (newer copy wins), a new one goes on top. */
export function upsertCampaign(list: Campaign[], incoming: Campaign): Campaign[] {
  const at = list.findIndex((c) => c.id === incoming.id);
  if (at < 0) return [incoming, ...list];
  const current = list[at] as Campaign;
  if (Date.parse(incoming.updated_at) < Date.parse(current.updated_at)) return list;
  const next = list.slice();
  next[at] = incoming;
  return next;
}
