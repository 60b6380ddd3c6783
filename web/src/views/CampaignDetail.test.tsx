import '../test/browser-globals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../api/client';
import type { Campaign } from '../api/campaign-types';
import { user } from '../state/session';
import { byTestId, byText, find, oneByTestId } from '../test/dom';
import type { FakeElement } from '../test/dom';
import { campaign, numbers } from '../test/fixtures';
import { emit, topics } from '../test/live-stub';
import { interact, mount, stubFetch, unmount } from '../test/render';
import { CampaignDetail } from './CampaignDetail';

vi.mock('../state/live', () => import('../test/live-stub'));

let root: FakeElement | null = null;
beforeEach(() => {
  setCsrfToken('tok-1');
  user.value = { id: 1, email: 'owner@example.com', first_name: null, last_name: null, role: 'owner' };
});
afterEach(async () => {
  if (root) await unmount(root);
  root = null;
  vi.unstubAllGlobals();
});

const analytics = {
  campaign_id: 4,
  variants: { A: numbers({ members: 5, sent: 5, delivered: 4, replies: 2, positive: 2 }), B: numbers({ members: 5, sent: 4, failed: 1, replies: 1, negative: 1, opt_outs: 1 }) },
  total: numbers({ members: 10, sent: 9, delivered: 4, failed: 1, replies: 3, positive: 2, negative: 1, opt_outs: 1 }),
  ab_test: { z: 1.234, p_value: 0.2172, significant: false },
};

const running = (overrides: Partial<Campaign> = {}) =>
  campaign({
    id: 4,
    status: 'running',
    template_b: 'B',
    progress: { members: 10, pending: 5, sending: 0, sent: 3, failed: 1, suppressed: 0, review: 0, replied: 1 },
    ...overrides,
  });

const buttons = (root: FakeElement) => find(root, (e) => e.localName === 'button').map((b) => b.textContent.trim());

describe('CampaignDetail', () => {
  it('shows progress, results per variant, the A/B line and the exports', async () => {
    stubFetch({ 'GET /api/v1/campaigns/4': { status: 200, body: { ...running(), analytics } } });
    root = await mount(<CampaignDetail id={4} />);
    expect(oneByTestId(root, 'campaign-status').getAttribute('data-status')).toBe('running');
    expect(oneByTestId(root, 'campaign-progress').getAttribute('data-sent')).toBe('4');
    const rows = find(oneByTestId(root, 'analytics-table'), (e) => e.localName === 'tr' && e.hasAttribute('data-variant'));
    expect(rows.map((r) => r.getAttribute('data-variant'))).toEqual(['A', 'B', 'total']);
    expect(find(rows[1] as FakeElement, (e) => e.localName === 'td').map((td) => td.textContent)).toEqual(['4', '0', '1', '1', '0', '1', '0', '1']);
    expect(find(oneByTestId(root, 'variant-chart'), (e) => e.localName === 'rect')).toHaveLength(16);
    expect(oneByTestId(root, 'ab-test').textContent).toContain('z = 1.23, p = 0.217 — not significant yet');
    const links = find(root, (e) => e.localName === 'a' && e.hasAttribute('download')).map((a) => a.getAttribute('href'));
    expect(links).toEqual(['/api/v1/campaigns/4/analytics.csv', '/api/v1/campaigns/4/members.csv']);
    expect(topics()).toContain('campaign:4');
  });

  it('offers only valid transitions and greys owner actions for staff', async () => {
    stubFetch({ 'GET /api/v1/campaigns/4': { status: 200, body: running() } });
    user.value = { id: 2, email: 'staff@example.com', first_name: null, last_name: null, role: 'staff' };
    root = await mount(<CampaignDetail id={4} />);
    expect(buttons(root)).toEqual(['Pause', 'Cancel campaign']);
    expect(oneByTestId(root, 'campaign-pause').hasAttribute('disabled')).toBe(false);
    expect(oneByTestId(root, 'campaign-cancel').hasAttribute('disabled')).toBe(true);
    expect(root.textContent).toContain('Launching and cancelling are for owners.');
  });

  it('pauses, then cancels only after confirmation', async () => {
    const calls = stubFetch({
      'GET /api/v1/campaigns/4': { status: 200, body: running() },
      'POST /api/v1/campaigns/4/pause': { status: 200, body: running({ status: 'paused', updated_at: '2026-04-01T12:01:00Z' }) },
      'POST /api/v1/campaigns/4/cancel': { status: 200, body: running({ status: 'cancelled', updated_at: '2026-04-01T12:02:00Z' }) },
    });
    root = await mount(<CampaignDetail id={4} />);
    await interact(() => oneByTestId(root as FakeElement, 'campaign-pause').dispatch('click'));
    expect(calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/campaigns/4/pause' });
    expect(calls.at(-1)?.headers['X-CSRF-Token']).toBe('tok-1');
    expect(buttons(root)).toEqual(['Resume', 'Cancel campaign']);

    await interact(() => oneByTestId(root as FakeElement, 'campaign-cancel').dispatch('click'));
    expect(calls.filter((c) => c.path.endsWith('/cancel'))).toHaveLength(0);
    await interact(() => byText(root as FakeElement, 'button', 'Keep it').dispatch('click'));
    expect(byTestId(root, 'cancel-confirm')).toHaveLength(0);
    await interact(() => oneByTestId(root as FakeElement, 'campaign-cancel').dispatch('click'));
    await interact(() => byText(root as FakeElement, 'button', 'Yes, cancel the campaign').dispatch('click'));
    expect(calls.filter((c) => c.path.endsWith('/cancel'))).toHaveLength(1);
    expect(oneByTestId(root, 'campaign-status').getAttribute('data-status')).toBe('cancelled');
    expect(buttons(root)).toEqual([]);
  });

  it('launches a draft with its schedule and shows a refusal', async () => {
    const calls = stubFetch({
      'GET /api/v1/campaigns/4': { status: 200, body: campaign({ id: 4, scheduled_at: '2999-01-01T10:00:00Z' }) },
      'POST /api/v1/campaigns/4/launch': { status: 409, body: { error: { code: 'invalid_transition', message: 'the audience is empty' } } },
    });
    root = await mount(<CampaignDetail id={4} />);
    expect(buttons(root)).toEqual(['Schedule', 'Cancel campaign', 'Delete draft']);
    await interact(() => oneByTestId(root as FakeElement, 'campaign-launch').dispatch('click'));
    expect(calls.at(-1)?.body).toEqual({ scheduled_at: '2999-01-01T10:00:00Z' });
    expect(oneByTestId(root, 'action-error').textContent).toBe('the audience is empty');
  });

  it('follows live frames: member changes move counts, campaign.updated replaces', async () => {
    stubFetch({ 'GET /api/v1/campaigns/4': { status: 200, body: running() } });
    root = await mount(<CampaignDetail id={4} />);
    const progress = () => oneByTestId(root as FakeElement, 'campaign-progress').getAttribute('data-sent');
    expect(progress()).toBe('4');
    await interact(() => emit('campaign:4', 'campaign.member', { id: 99, contact_id: 9, status: 'sent', variant_sent: 'A', sent_at: null, replied_at: null }));
    expect(progress()).toBe('5');
    await interact(() =>
      emit('campaign:4', 'campaign.updated', running({ status: 'complete', updated_at: '2026-04-01T13:00:00Z', progress: { members: 10, pending: 0, sending: 0, sent: 8, failed: 1, suppressed: 0, review: 0, replied: 1 } })),
    );
    expect(progress()).toBe('9');
    expect(oneByTestId(root, 'campaign-status').getAttribute('data-status')).toBe('complete');
  });
});
