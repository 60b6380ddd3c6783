import { describe, expect, it } from 'vitest';
import type { Reconciliation, SyncHealth, SyncNumberHealth, WebhookEvent } from '../api/types';
import {
  formatBusinessSeconds,
  formatRatio,
  fresherHealth,
  isActive,
  newerReconciliation,
  orderEvents,
  reportLines,
  sortNumbers,
  summaryLines,
  syncStatusOf,
  verdictOf,
} from './sync';

function number(phone: string, status: SyncNumberHealth['status']): SyncNumberHealth {
  return { phone_number: phone, name: null, status, reason: status, last_webhook_at: null, silence_business_seconds: 0 };
}

function event(id: number, status: WebhookEvent['status']): WebhookEvent {
  return {
    id,
    event_id: `EV${id}`,
    event_type: 'message.received',
    api_version: 'v3',
    status,
    attempts: 1,
    error_code: null,
    error_message: null,
    received_at: '2026-11-24T18:00:00Z',
    next_attempt_at: null,
  };
}

function run(id: number, status: Reconciliation['status'], report?: Reconciliation['report']): Reconciliation {
  return {
    id,
    trigger: 'api',
    status,
    window_start: null,
    window_end: null,
    created_at: '2026-11-24T18:00:00Z',
    started_at: null,
    finished_at: null,
    last_error: null,
    report,
  };
}

describe('sync verdict', () => {
  it('shows an unknown or missing status as amber, never green', () => {
    expect(syncStatusOf('red')).toBe('red');
    expect(syncStatusOf('purple')).toBe('amber');
    expect(syncStatusOf(undefined)).toBe('amber');
    expect(verdictOf({ status: 'green', reason: 'in sync' })).toEqual({ status: 'green', reason: 'in sync' });
    expect(verdictOf({ status: 'red' })).toEqual({ status: 'red', reason: 'Failing' });
    expect(verdictOf(null)).toEqual({ status: 'amber', reason: 'Degraded' });
  });

  it('keeps the later check when a GET and a frame cross', () => {
    const older: Partial<SyncHealth> = { status: 'red', reason: 'a', checked_at: '2026-11-24T18:00:00.000Z' };
    const newer: Partial<SyncHealth> = { status: 'green', reason: 'b', checked_at: '2026-11-24T18:00:01.000Z' };
    expect(fresherHealth(null, older)).toBe(older);
    expect(fresherHealth(older, newer)).toBe(newer);
    expect(fresherHealth(newer, older)).toBe(newer);
    expect(fresherHealth(newer, { ...older, checked_at: newer.checked_at })).toEqual({ ...older, checked_at: newer.checked_at });
    // Without a time to compare, the incoming one wins.
    expect(fresherHealth(newer, { status: 'amber', reason: 'c' })).toEqual({ status: 'amber', reason: 'c' });
  });
});

describe('per-number rows', () => {
  it('puts red before amber before green, then orders by number', () => {
    const sorted = sortNumbers([number('+15550000003', 'green'), number('+15550000002', 'amber'), number('+15550000004', 'red'), number('+15550000001', 'amber')]);
    expect(sorted.map((n) => n.phone_number)).toEqual(['+15550000004', '+15550000001', '+15550000002', '+15550000003']);
    expect(sortNumbers(undefined)).toEqual([]);
  });
});

describe('formatting', () => {
  it('formats business-hours silence', () => {
    expect(formatBusinessSeconds(undefined)).toBe('');
    expect(formatBusinessSeconds(-1)).toBe('');
    expect(formatBusinessSeconds(59)).toBe('under a minute');
    expect(formatBusinessSeconds(60)).toBe('1 min');
    expect(formatBusinessSeconds(3599)).toBe('59 min');
    expect(formatBusinessSeconds(3600 + 5 * 60)).toBe('1 h 05 min');
    expect(formatBusinessSeconds(30 * 3600)).toBe('30 h 00 min');
  });

  it('formats the provider error ratio as a percentage', () => {
    expect(formatRatio(undefined)).toBe('');
    expect(formatRatio(0)).toBe('0%');
    expect(formatRatio(0.034)).toBe('3.4%');
    expect(formatRatio(0.5)).toBe('50%');
    expect(formatRatio(1)).toBe('100%');
  });
});

describe('webhook events', () => {
  it('lists dead events first, each group newest first, once per id', () => {
    const ordered = orderEvents([event(2, 'dead'), event(7, 'dead')], [event(5, 'failed'), event(9, 'failed'), event(7, 'failed')]);
    expect(ordered.map((e) => e.id)).toEqual([7, 2, 9, 5]);
    expect(ordered[0]?.status).toBe('dead');
  });
});

describe('reconciliations', () => {
  it('knows which runs are under way', () => {
    expect(isActive('pending')).toBe(true);
    expect(isActive('running')).toBe(true);
    expect(isActive('completed')).toBe(false);
    expect(isActive(undefined)).toBe(false);
  });

  it('keeps the newest run, and for one run the copy furthest along', () => {
    expect(newerReconciliation(null, run(1, 'pending'))?.status).toBe('pending');
    expect(newerReconciliation(run(1, 'completed'), run(2, 'pending'))?.id).toBe(2);
    expect(newerReconciliation(run(2, 'pending'), run(1, 'completed'))?.id).toBe(2);
    expect(newerReconciliation(run(3, 'completed'), run(3, 'running'))?.status).toBe('completed');
    expect(newerReconciliation(run(3, 'running'), run(3, 'failed'))?.status).toBe('failed');
    const later = run(3, 'running', { checked: { messages: 5, calls: 0 } });
    expect(newerReconciliation(run(3, 'running'), later)).toBe(later);
    expect(newerReconciliation(run(3, 'running'), null)?.id).toBe(3);
  });

  it('words a full report', () => {
    const lines = reportLines(
      run(4, 'completed', {
        checked: { messages: 120, calls: 1 },
        missing_found: { messages: 3, calls: 1 },
        fixed: { messages: 3, calls: 1, webhook_events: 2 },
        still_failing: { webhook_events: 1 },
        requests: 14,
        phone_numbers: [],
      }),
    );
    expect(lines).toEqual([
      'Checked 120 messages and 1 call with OpenPhone.',
      'Found 3 messages and 1 call missing from the record.',
      '2 failed webhook events applied again.',
      '1 webhook event still failing.',
      '14 requests to OpenPhone.',
    ]);
  });

  it('words a clean or partial report, and none', () => {
    expect(reportLines(run(5, 'completed', { missing_found: { messages: 0, calls: 0 }, fixed: { messages: 0, calls: 0, webhook_events: 0 } }))).toEqual([
      'Nothing was missing.',
    ]);
    expect(reportLines(run(6, 'running', { checked: { messages: 0, calls: 2 } }))).toEqual(['Checked 2 calls with OpenPhone.']);
    expect(reportLines(run(7, 'pending'))).toEqual([]);
    expect(reportLines(run(8, 'pending', null))).toEqual([]);
  });

  it('words the health JSON summary', () => {
    expect(summaryLines({ id: 1, status: 'completed', finished_at: null, missing_found: 0, still_failing: 0 })).toEqual(['Nothing was missing.']);
    expect(summaryLines({ id: 1, status: 'completed', finished_at: null, missing_found: 4, still_failing: 2 })).toEqual([
      'Found 4 items missing from the record.',
      '2 webhook events still failing.',
    ]);
    expect(summaryLines({ id: 1, status: 'running', finished_at: null })).toEqual([]);
  });
});
