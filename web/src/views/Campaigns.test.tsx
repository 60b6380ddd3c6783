import '../test/browser-globals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../api/client';
import { currentPath } from '../router';
import { byTestId, byText, oneByTestId } from '../test/dom';
import type { FakeElement } from '../test/dom';
import { campaign } from '../test/fixtures';
import { emit, topics } from '../test/live-stub';
import { interact, mount, settle, stubFetch, unmount } from '../test/render';
import { Campaigns } from './Campaigns';

vi.mock('../state/live', () => import('../test/live-stub'));

let root: FakeElement | null = null;
beforeEach(() => setCsrfToken('tok-1'));
afterEach(async () => {
  if (root) await unmount(root);
  root = null;
  vi.unstubAllGlobals();
});

describe('Campaigns list', () => {
  it('lists campaigns with status, progress, replies and links', async () => {
    stubFetch({
      'GET /api/v1/campaigns': {
        status: 200,
        body: {
          items: [
            campaign({ id: 2, name: 'Spring', status: 'running', progress: { members: 10, pending: 5, sending: 0, sent: 3, failed: 0, suppressed: 0, review: 0, replied: 2 } }),
            campaign({ id: 1, name: 'Winter', status: 'complete' }),
          ],
          next_cursor: null,
        },
      },
    });
    root = await mount(<Campaigns />);
    const rows = byTestId(root, 'campaign-row');
    expect(rows.map((r) => r.getAttribute('data-campaign-id'))).toEqual(['2', '1']);
    const first = rows[0] as FakeElement;
    expect(oneByTestId(first, 'campaign-status').getAttribute('data-status')).toBe('running');
    expect(first.textContent).toContain('Sending');
    expect(first.textContent).toContain('5 / 10'); // sent + replied of members
    expect(first.textContent).toContain('—'); // no opt-out count in this server's list
    expect(topics()).toContain('campaigns');

    await interact(() => byText(root as FakeElement, 'a', 'Spring').dispatch('click'));
    expect(currentPath.value).toBe('/campaigns/2');
  });

  it('follows campaign.updated frames', async () => {
    stubFetch({ 'GET /api/v1/campaigns': { status: 200, body: { items: [campaign({ id: 1, name: 'Winter' })], next_cursor: null } } });
    root = await mount(<Campaigns />);
    await interact(() => emit('campaigns', 'campaign.updated', campaign({ id: 1, status: 'paused', updated_at: '2026-04-02T00:00:00Z' })));
    expect(oneByTestId(root, 'campaign-status').getAttribute('data-status')).toBe('paused');
    await interact(() => emit('campaigns', 'campaign.updated', campaign({ id: 3, name: 'New one' })));
    expect(byTestId(root, 'campaign-row').map((r) => r.getAttribute('data-campaign-id'))).toEqual(['3', '1']);
  });

  it('shows an error with a retry', async () => {
    stubFetch({ 'GET /api/v1/campaigns': { status: 503, body: { error: { code: 'database_unavailable', message: 'The database is unavailable.' } } } });
    root = await mount(<Campaigns />);
    expect(root.textContent).toContain('The database is unavailable.');
    stubFetch({ 'GET /api/v1/campaigns': { status: 200, body: { items: [], next_cursor: null } } });
    await interact(() => byText(root as FakeElement, 'button', 'Retry').dispatch('click'));
    await settle();
    expect(root.textContent).toContain('No campaigns yet.');
  });
});
