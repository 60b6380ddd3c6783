import { describe, expect, it } from 'vitest';
import { actionLabel, availableActions, isEditable } from './status';

describe('availableActions', () => {
  it('offers only the transitions valid from each status', () => {
    const names = (status: Parameters<typeof availableActions>[0]) => availableActions(status, 'owner').map((c) => c.action);
    expect(names('draft')).toEqual(['launch', 'cancel']);
    expect(names('scheduled')).toEqual(['launch', 'cancel']);
    expect(names('running')).toEqual(['pause', 'cancel']);
    expect(names('paused')).toEqual(['resume', 'cancel']);
    expect(names('complete')).toEqual([]);
    expect(names('cancelled')).toEqual([]);
  });

  it('greys launch and cancel out for staff, not pause and resume', () => {
    expect(availableActions('draft', 'staff')).toEqual([
      { action: 'launch', allowed: false },
      { action: 'cancel', allowed: false },
    ]);
    expect(availableActions('running', 'staff')).toEqual([
      { action: 'pause', allowed: true },
      { action: 'cancel', allowed: false },
    ]);
    expect(availableActions('paused', 'owner').every((c) => c.allowed)).toBe(true);
  });
});

describe('isEditable and actionLabel', () => {
  it('edits drafts and scheduled campaigns only', () => {
    expect(['draft', 'scheduled', 'running', 'paused', 'complete', 'cancelled'].filter((s) => isEditable(s as never))).toEqual(['draft', 'scheduled']);
  });

  it('says what launch will do', () => {
    const now = Date.parse('2026-05-01T12:00:00Z');
    expect(actionLabel('launch', 'draft', null, now)).toBe('Launch now');
    expect(actionLabel('launch', 'draft', '2026-05-02T12:00:00Z', now)).toBe('Schedule');
    expect(actionLabel('launch', 'draft', '2026-04-30T12:00:00Z', now)).toBe('Launch now');
    expect(actionLabel('launch', 'scheduled', '2026-05-02T12:00:00Z', now)).toBe('Start now');
    expect(actionLabel('cancel', 'running', null, now)).toBe('Cancel campaign');
  });
});
