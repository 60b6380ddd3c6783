import { describe, expect, it } from 'vitest';
import type { ActivityType, Direction } from '../api/types';
import { classify, deliveryState, isMissedCall } from './classify';

const a = (activity_type: ActivityType, direction: Direction, status: string | null, pending = false) => ({
  activity_type,
  direction,
  status,
  pending,
});

describe('missed-call rule (contract)', () => {
  it.each(['missed', 'no-answer', 'busy', 'canceled', 'abandoned'])('incoming call with status %s is missed', (status) => {
    expect(isMissedCall(a('call', 'incoming', status))).toBe(true);
    expect(classify(a('call', 'incoming', status))).toMatchObject({ icon: 'call-missed', tone: 'call-missed', label: 'Missed call' });
  });

  it.each(['completed', 'answered', 'in-progress', 'ringing', 'forwarded', 'voicemail', null])('incoming call with status %s is not missed', (status) => {
    expect(isMissedCall(a('call', 'incoming', status))).toBe(false);
  });

  it('an outgoing call nobody answered is not a missed call', () => {
    expect(isMissedCall(a('call', 'outgoing', 'no-answer'))).toBe(false);
    expect(classify(a('call', 'outgoing', 'no-answer'))).toMatchObject({ icon: 'call-out', tone: 'call-out', statusLabel: 'No answer' });
  });

  it('a missed voicemail activity is a voicemail, not a call', () => {
    expect(isMissedCall(a('voicemail', 'incoming', 'missed'))).toBe(false);
  });
});

describe('classify', () => {
  it('gives each family its own icon and tone', () => {
    const seen = [
      classify(a('message', 'incoming', 'received')),
      classify(a('message', 'outgoing', 'delivered')),
      classify(a('call', 'incoming', 'completed')),
      classify(a('call', 'incoming', 'missed')),
      classify(a('voicemail', 'incoming', 'completed')),
    ];
    expect(seen.map((c) => c.icon)).toEqual(['message-in', 'message-out', 'call-in', 'call-missed', 'voicemail']);
    expect(new Set(seen.map((c) => c.tone)).size).toBe(5);
  });

  it('answered incoming call', () => {
    expect(classify(a('call', 'incoming', 'completed'))).toMatchObject({ label: 'Incoming call', tone: 'call-answered', statusLabel: '' });
  });

  it('an incoming call that went to voicemail uses the voicemail look', () => {
    expect(classify(a('call', 'incoming', 'voicemail'))).toMatchObject({ icon: 'voicemail', statusLabel: 'Went to voicemail' });
  });

  it.each([
    ['queued', false, 'pending', 'Sending…', 'text-out'],
    [null, true, 'pending', 'Sending…', 'text-out'],
    ['sent', true, 'pending', 'Sending…', 'text-out'],
    ['sent', false, 'sent', 'Sent', 'text-out'],
    ['delivered', false, 'delivered', 'Delivered', 'text-out'],
    ['failed', false, 'failed', 'Not delivered', 'failed'],
    ['undelivered', false, 'failed', 'Not delivered', 'failed'],
  ] as const)('outgoing text %s (pending=%s) → %s', (status, pending, delivery, label, tone) => {
    const c = classify(a('message', 'outgoing', status, pending));
    expect(c).toMatchObject({ delivery, statusLabel: label, tone });
  });

  it('incoming texts have no delivery state', () => {
    expect(deliveryState(a('message', 'incoming', 'received'))).toBeNull();
    expect(classify(a('message', 'incoming', 'received')).statusLabel).toBe('');
  });
});

describe('a call that ended in a voicemail', () => {
  it('shows as a voicemail waiting, whatever its call status', () => {
    for (const status of ['missed', 'voicemail', 'no-answer']) {
      const c = classify({ activity_type: 'call', direction: 'incoming', status, pending: false, voicemail_url: '/media/ab' });
      expect(c.icon).toBe('voicemail');
      expect(c.label).toBe('Voicemail');
    }
    expect(classify({ activity_type: 'call', direction: 'incoming', status: 'missed', pending: false, voicemail_url: null }).label).toBe('Missed call');
  });
});
