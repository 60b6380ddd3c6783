import '../test/browser-globals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../api/client';
import type { Reconciliation, SyncHealth, WebhookEvent } from '../api/types';
import { SyncIndicator } from '../components/SyncIndicator';
import { user } from '../state/session';
import { byTestId, oneByTestId } from '../test/dom';
import type { FakeElement } from '../test/dom';
import { emit, topics } from '../test/live-stub';
import { interact, mount, stubFetch, unmount } from '../test/render';
import type { Call } from '../test/render';
import { Sync } from './Sync';

vi.mock('../state/live', () => import('../test/live-stub'));

const owner = { id: 1, email: 'owner@example.com', first_name: null, last_name: null, role: 'owner' as const };
const staff = { id: 2, email: 'staff@example.com', first_name: null, last_name: null, role: 'staff' as const };

function health(overrides: Partial<SyncHealth> = {}): SyncHealth {
  return {
    status: 'red',
    reason: '1 webhook event could not be applied',
    checked_at: '2026-11-24T18:00:00.000Z',
    webhooks: { last_received_at: '2026-11-24T17:59:00.000Z', failed: 1, dead: 1, silence_business_seconds: 65 },
    provider: { circuit: 'closed', error_ratio: 0.25 },
    import: { id: 3, status: 'completed', finished_at: '2026-11-20T10:00:00.000Z' },
    reconcile: { id: 9, status: 'completed', finished_at: '2026-11-24T03:10:00.000Z', missing_found: 2, still_failing: 0 },
    phone_numbers: [
      { phone_number: '+16175550100', name: 'Office', status: 'green', reason: 'in sync', last_webhook_at: '2026-11-24T17:59:00.000Z', silence_business_seconds: 65 },
      { phone_number: '+16175550199', name: null, status: 'amber', reason: 'no webhook for 7 h 00 min', last_webhook_at: null, silence_business_seconds: 25200 },
    ],
    ...overrides,
  };
}

function event(id: number, status: WebhookEvent['status']): WebhookEvent {
  return {
    id,
    event_id: `EV${id}`,
    event_type: 'message.received',
    api_version: 'v3',
    status,
    attempts: 3,
    error_code: 'sqlstate_40P01',
    error_message: 'deadlock detected',
    received_at: '2026-11-24T17:00:00.000Z',
    next_attempt_at: null,
  };
}

function run(overrides: Partial<Reconciliation> & { id: number }): Reconciliation {
  return {
    trigger: 'schedule',
    status: 'completed',
    window_start: '2026-11-23T03:00:00.000Z',
    window_end: '2026-11-24T03:00:00.000Z',
    created_at: '2026-11-24T03:00:00.000Z',
    started_at: '2026-11-24T03:00:01.000Z',
    finished_at: '2026-11-24T03:10:00.000Z',
    last_error: null,
    report: {
      checked: { messages: 40, calls: 5 },
      missing_found: { messages: 2, calls: 0 },
      fixed: { messages: 2, calls: 0, webhook_events: 0 },
      still_failing: { webhook_events: 0 },
      requests: 7,
      phone_numbers: [],
    },
    ...overrides,
  };
}

/** The events route answers from `store` by ?status=, so a test can change what the server holds. */
function eventsRoute(store: { events: WebhookEvent[] }) {
  return (call: Call) => ({ status: 200, body: { data: store.events.filter((e) => e.status === call.query.get('status')), next_before: null } });
}

let root: FakeElement | null = null;
beforeEach(() => {
  setCsrfToken('tok-1');
  user.value = owner;
});
afterEach(async () => {
  if (root) await unmount(root);
  root = null;
  vi.unstubAllGlobals();
});

const ids = (r: FakeElement) => byTestId(r, 'webhook-event').map((e) => e.getAttribute('data-event-id'));

describe('Sync page', () => {
  it('shows the verdict, each number worst first, the latest runs and the events dead first', async () => {
    const store = { events: [event(4, 'failed'), event(2, 'dead')] };
    stubFetch({
      'GET /api/v1/sync/health': { status: 200, body: health() },
      'GET /api/v1/webhook-events': eventsRoute(store),
      'GET /api/v1/reconciliations': { status: 200, body: { reconciliations: [run({ id: 9 })] } },
    });
    root = await mount(<Sync />);
    const overall = oneByTestId(root, 'sync-overall');
    expect(overall.getAttribute('data-status')).toBe('red');
    expect(oneByTestId(root, 'sync-reason').textContent).toBe('1 webhook event could not be applied');
    expect(overall.textContent).toContain('quiet for 1 min of business hours');
    expect(overall.textContent).toContain('25% of calls failed');
    expect(oneByTestId(root, 'sync-import').textContent).toContain('#3 completed');

    const numbers = byTestId(root, 'sync-number');
    expect(numbers.map((n) => [n.getAttribute('data-phone'), n.getAttribute('data-status')])).toEqual([
      ['+16175550199', 'amber'],
      ['+16175550100', 'green'],
    ]);
    expect(numbers[0]?.textContent).toContain('7 h 00 min');
    expect(numbers[1]?.textContent).toContain('Office');

    expect(oneByTestId(root, 'sync-reconcile').getAttribute('data-status')).toBe('completed');
    expect(oneByTestId(root, 'reconcile-report').textContent).toContain('Found 2 messages missing from the record.');
    expect(ids(root)).toEqual(['2', '4']);
    expect(topics()).toContain('sync');
  });

  it('replays an event: its row goes, and the list is fetched again', async () => {
    const store = { events: [event(4, 'failed'), event(2, 'dead')] };
    const calls = stubFetch({
      'GET /api/v1/sync/health': { status: 200, body: health() },
      'GET /api/v1/webhook-events': eventsRoute(store),
      'POST /api/v1/webhook-events/2/replay': () => {
        store.events = store.events.filter((e) => e.id !== 2);
        return { status: 202, body: { id: 2, status: 'replaying' } };
      },
      'POST /api/v1/webhook-events/4/replay': { status: 202, body: { id: 4, status: 'replaying' } },
    });
    root = await mount(<Sync />);
    const dead = byTestId(root, 'webhook-event')[0] as FakeElement;
    await interact(() => oneByTestId(dead, 'webhook-replay').dispatch('click'));
    const replay = calls.find((c) => c.method === 'POST');
    expect(replay?.path).toBe('/api/v1/webhook-events/2/replay');
    expect(replay?.headers['X-CSRF-Token']).toBe('tok-1');
    expect(ids(root)).toEqual(['4']);
    expect(calls.filter((c) => c.path === '/api/v1/webhook-events').length).toBe(4); // two on load, two after

    store.events = [];
    await interact(() => oneByTestId(root as FakeElement, 'webhook-replay').dispatch('click'));
    expect(byTestId(root, 'webhook-event').length).toBe(0);
    oneByTestId(root, 'webhook-events-empty');
  });

  it('shows a refused replay and keeps the row', async () => {
    stubFetch({
      'GET /api/v1/sync/health': { status: 200, body: health() },
      'GET /api/v1/webhook-events': eventsRoute({ events: [event(4, 'failed')] }),
      'POST /api/v1/webhook-events/4/replay': { status: 409, body: { error: { code: 'not_replayable', message: 'only failed or dead events can be replayed' } } },
    });
    root = await mount(<Sync />);
    await interact(() => oneByTestId(root as FakeElement, 'webhook-replay').dispatch('click'));
    expect(ids(root)).toEqual(['4']);
    expect(oneByTestId(root, 'replay-error').textContent).toContain('only failed or dead events can be replayed');
  });

  it('follows sync.health frames, refetching the events, and ignores an older check', async () => {
    const store = { events: [event(4, 'failed')] };
    stubFetch({
      'GET /api/v1/sync/health': { status: 200, body: health({ status: 'amber', reason: '1 webhook event failed and will be retried' }) },
      'GET /api/v1/webhook-events': eventsRoute(store),
    });
    root = await mount(<Sync />);
    store.events = [];
    await interact(() => emit('sync', 'sync.health', health({ status: 'green', reason: 'in sync', checked_at: '2026-11-24T18:00:05.000Z' })));
    expect(oneByTestId(root, 'sync-overall').getAttribute('data-status')).toBe('green');
    expect(byTestId(root, 'webhook-event').length).toBe(0);
    await interact(() => emit('sync', 'sync.health', health({ status: 'red', reason: 'stale', checked_at: '2026-11-24T18:00:01.000Z' })));
    expect(oneByTestId(root, 'sync-reason').textContent).toBe('in sync');
  });

  it('starts a reconciliation for an owner and follows it to the end', async () => {
    const calls = stubFetch({
      'GET /api/v1/sync/health': { status: 200, body: health() },
      'GET /api/v1/webhook-events': eventsRoute({ events: [] }),
      'GET /api/v1/reconciliations': { status: 200, body: { reconciliations: [run({ id: 9 })] } },
      'POST /api/v1/reconciliations': { status: 202, body: { reconciliation: run({ id: 10, trigger: 'api', status: 'pending', started_at: null, finished_at: null, report: null }) } },
    });
    root = await mount(<Sync />);
    const button = oneByTestId(root, 'reconcile-now');
    expect(button.hasAttribute('disabled')).toBe(false);
    await interact(() => button.dispatch('click'));
    expect(calls.find((c) => c.method === 'POST')?.headers['X-CSRF-Token']).toBe('tok-1');
    expect(oneByTestId(root, 'sync-reconcile').getAttribute('data-status')).toBe('pending');
    expect(oneByTestId(root, 'reconcile-now').hasAttribute('disabled')).toBe(true);
    expect(oneByTestId(root, 'reconcile-status').textContent).toContain('#10');

    await interact(() => emit('sync', 'reconcile.progress', run({ id: 10, trigger: 'api', status: 'running', finished_at: null, report: { checked: { messages: 12, calls: 0 } } })));
    expect(oneByTestId(root, 'sync-reconcile').getAttribute('data-status')).toBe('running');
    expect(oneByTestId(root, 'reconcile-report').textContent).toContain('Checked 12 messages');

    const healthCalls = calls.filter((c) => c.path === '/api/v1/sync/health').length;
    await interact(() => emit('sync', 'reconcile.finished', run({ id: 10, trigger: 'api' })));
    expect(oneByTestId(root, 'sync-reconcile').getAttribute('data-status')).toBe('completed');
    expect(oneByTestId(root, 'reconcile-now').hasAttribute('disabled')).toBe(false);
    expect(calls.filter((c) => c.path === '/api/v1/sync/health').length).toBe(healthCalls + 1);
    // A late progress frame of the finished run does not take it back.
    await interact(() => emit('sync', 'reconcile.progress', run({ id: 10, status: 'running' })));
    expect(oneByTestId(root, 'sync-reconcile').getAttribute('data-status')).toBe('completed');
  });

  it('says so when a run is already under way', async () => {
    stubFetch({
      'GET /api/v1/sync/health': { status: 200, body: health() },
      'GET /api/v1/webhook-events': eventsRoute({ events: [] }),
      'POST /api/v1/reconciliations': { status: 200, body: { reconciliation: run({ id: 11, status: 'running', finished_at: null }), already_running: true } },
    });
    root = await mount(<Sync />);
    await interact(() => oneByTestId(root as FakeElement, 'reconcile-now').dispatch('click'));
    expect(oneByTestId(root, 'sync-reconcile').getAttribute('data-status')).toBe('running');
    expect(root.textContent).toContain('already under way');
  });

  it('works with an older crmd: no numbers, no runs, no reconcile route', async () => {
    stubFetch({
      'GET /api/v1/sync/health': {
        status: 200,
        body: { status: 'amber', reason: 'no webhook from OpenPhone has arrived yet', checked_at: '2026-11-24T18:00:00.000Z', webhooks: { last_received_at: null, failed: 0, dead: 0 }, provider: { circuit: 'closed' } },
      },
      'GET /api/v1/webhook-events': eventsRoute({ events: [] }),
    });
    root = await mount(<Sync />);
    expect(oneByTestId(root, 'sync-overall').getAttribute('data-status')).toBe('amber');
    expect(oneByTestId(root, 'sync-overall').textContent).toContain('none yet');
    expect(byTestId(root, 'sync-numbers').length).toBe(0);
    expect(byTestId(root, 'sync-import').length).toBe(0);
    expect(oneByTestId(root, 'sync-reconcile').getAttribute('data-status')).toBe('none');
    expect(oneByTestId(root, 'sync-reconcile').textContent).toContain('No reconciliation has run yet.');
    await interact(() => oneByTestId(root as FakeElement, 'reconcile-now').dispatch('click'));
    expect(oneByTestId(root, 'reconcile-error').textContent).toBe('This server cannot reconcile yet.');
  });

  it('falls back on the health summary of the latest run', async () => {
    stubFetch({
      'GET /api/v1/sync/health': { status: 200, body: health() },
      'GET /api/v1/webhook-events': eventsRoute({ events: [] }),
    });
    root = await mount(<Sync />);
    expect(oneByTestId(root, 'sync-reconcile').getAttribute('data-status')).toBe('completed');
    expect(oneByTestId(root, 'reconcile-report').textContent).toContain('Found 2 items missing from the record.');
  });

  it('offers staff neither replay nor reconcile', async () => {
    user.value = staff;
    stubFetch({
      'GET /api/v1/sync/health': { status: 200, body: health() },
      'GET /api/v1/webhook-events': eventsRoute({ events: [event(2, 'dead')] }),
    });
    root = await mount(<Sync />);
    expect(ids(root)).toEqual(['2']);
    expect(byTestId(root, 'webhook-replay').length).toBe(0);
    expect(byTestId(root, 'reconcile-now').length).toBe(0);
  });
});

describe('SyncIndicator', () => {
  it('shows the verdict with its reason, follows frames and links to /sync', async () => {
    stubFetch({ 'GET /api/v1/sync/health': { status: 200, body: health() } });
    root = await mount(<SyncIndicator />);
    const dot = oneByTestId(root, 'sync-indicator');
    expect(dot.getAttribute('data-status')).toBe('red');
    expect(dot.getAttribute('href')).toBe('/sync');
    expect(dot.getAttribute('title')).toBe('1 webhook event could not be applied: details');
    expect(dot.textContent).toContain('1 webhook event could not be applied');

    await interact(() => emit('sync', 'sync.health', health({ status: 'green', reason: 'in sync', checked_at: '2026-11-24T18:00:09.000Z' })));
    expect(oneByTestId(root, 'sync-indicator').getAttribute('data-status')).toBe('green');
    await interact(() => emit('sync', 'sync.health', health({ status: 'red', reason: 'older', checked_at: '2026-11-24T18:00:02.000Z' })));
    expect(oneByTestId(root, 'sync-indicator').getAttribute('data-status')).toBe('green');
    await interact(() => emit('sync', 'sync.health', { status: 'unknown', checked_at: '2026-11-24T18:00:10.000Z' }));
    expect(oneByTestId(root, 'sync-indicator').getAttribute('data-status')).toBe('amber');
  });

  it('is amber when health cannot be read', async () => {
    stubFetch({ 'GET /api/v1/sync/health': { status: 503, body: { error: { code: 'starting', message: 'not yet' } } } });
    root = await mount(<SyncIndicator />);
    expect(oneByTestId(root, 'sync-indicator').getAttribute('data-status')).toBe('amber');
    expect(oneByTestId(root, 'sync-indicator').textContent).toContain('Sync health unavailable');
  });
});
