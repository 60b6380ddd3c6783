import { describe, expect, it } from 'vitest';
import { campaign } from '../test/fixtures';
import { applyCampaignUpdate, applyMemberUpdate, bucketOf, liveCampaign, processed, sentTotal, upsertCampaign } from './campaign';
import type { MemberUpdate } from '../api/campaign-types';

const member = (id: number, status: MemberUpdate['status']): MemberUpdate => ({ id, contact_id: id * 10, status, variant_sent: 'A', sent_at: null, replied_at: null });

describe('live campaign', () => {
  it('moves members between progress buckets', () => {
    let s = liveCampaign(campaign({ id: 1 }));
    s = applyMemberUpdate(s, member(5, 'sending'));
    expect(s.campaign.progress).toMatchObject({ pending: 9, sending: 1, sent: 0 });
    s = applyMemberUpdate(s, member(5, 'sent'));
    expect(s.campaign.progress).toMatchObject({ pending: 9, sending: 0, sent: 1 });
    s = applyMemberUpdate(s, member(5, 'replied_positive'));
    expect(s.campaign.progress).toMatchObject({ sent: 0, replied: 1, members: 10 });
    expect(sentTotal(s.campaign.progress)).toBe(1);
    // A member never seen before was pending.
    s = applyMemberUpdate(s, member(6, 'failed'));
    expect(s.campaign.progress).toMatchObject({ pending: 8, failed: 1 });
    expect(processed(s.campaign.progress)).toBe(2);
  });

  it('ignores a repeated frame', () => {
    let s = applyMemberUpdate(liveCampaign(campaign({ id: 1 })), member(5, 'sent'));
    s = applyMemberUpdate(s, member(5, 'sent'));
    expect(s.campaign.progress).toMatchObject({ pending: 9, sent: 1 });
  });

  it('takes campaign.updated unless it is older, keeping the analytics', () => {
    const analytics = { campaign_id: 1, variants: {}, total: { members: 0, sent: 0, delivered: 0, failed: 0, replies: 0, positive: 0, negative: 0, neutral: 0, opt_outs: 0 } };
    const s = liveCampaign(campaign({ id: 1, updated_at: '2026-04-01T12:00:05Z', analytics }));
    const newer = applyCampaignUpdate(s, campaign({ id: 1, status: 'running', updated_at: '2026-04-01T12:00:06Z' }));
    expect(newer.campaign.status).toBe('running');
    expect(newer.campaign.analytics).toBe(analytics);
    expect(applyCampaignUpdate(s, campaign({ id: 1, status: 'paused', updated_at: '2026-04-01T12:00:04Z' }))).toBe(s);
    expect(applyCampaignUpdate(s, campaign({ id: 2, updated_at: '2026-04-02T00:00:00Z' }))).toBe(s);
  });

  it('groups every reply status as replied', () => {
    expect(bucketOf('replied_negative')).toBe('replied');
    expect(bucketOf('review')).toBe('review');
  });
});

describe('upsertCampaign', () => {
  it('replaces known campaigns and puts new ones first', () => {
    const list = [campaign({ id: 2 }), campaign({ id: 1 })];
    expect(upsertCampaign(list, campaign({ id: 3 })).map((c) => c.id)).toEqual([3, 2, 1]);
    const updated = upsertCampaign(list, campaign({ id: 1, name: 'renamed', updated_at: '2026-04-02T00:00:00Z' }));
    expect(updated.map((c) => c.name)).toEqual(['Spring foundation check', 'renamed']);
    expect(upsertCampaign(list, campaign({ id: 1, name: 'stale', updated_at: '2026-03-01T00:00:00Z' }))).toBe(list);
  });
});
