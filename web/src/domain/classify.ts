// How an activity looks in the timeline: which icon, which colour (a CSS class), which words.
// One table for every view so a missed call is red everywhere and "Delivered" always means delivered.
import type { Activity, ActivityType, Direction } from '../api/types';

export type IconName =
  | 'message-in'
  | 'message-out'
  | 'call-in'
  | 'call-out'
  | 'call-missed'
  | 'voicemail';

/** The visual family; each has a colour in styles.css (`.tone-<tone>`). */
export type Tone = 'text-in' | 'text-out' | 'call-answered' | 'call-missed' | 'call-out' | 'voicemail' | 'failed';

/** Where an outgoing text is in its life; null for everything else. */
export type DeliveryState = 'pending' | 'sent' | 'delivered' | 'failed' | null;

export interface Classification {
  icon: IconName;
  tone: Tone;
  /** What happened, e.g. "Missed call". */
  label: string;
  delivery: DeliveryState;
  /** A short status suffix for the meta line, e.g. "Delivered", "No answer"; empty when the label says it all. */
  statusLabel: string;
}

const MISSED = new Set(['missed', 'no-answer', 'busy', 'canceled', 'abandoned']);

/** The contract's rule: an incoming call that nobody picked up. */
export function isMissedCall(a: Pick<Activity, 'activity_type' | 'direction' | 'status'>): boolean {
  return a.activity_type === 'call' && a.direction === 'incoming' && MISSED.has(a.status ?? '');
}

export function deliveryState(a: Pick<Activity, 'activity_type' | 'direction' | 'status' | 'pending'>): DeliveryState {
  if (a.activity_type !== 'message' || a.direction !== 'outgoing') return null;
  switch (a.status) {
    case 'failed':
    case 'undelivered':
      return 'failed';
    case 'delivered':
      return 'delivered';
    case 'sent':
      return a.pending ? 'pending' : 'sent';
    default:
      // queued, null, or anything new the provider invents: not yet known to have left.
      return 'pending';
  }
}

const DELIVERY_LABEL: Record<Exclude<DeliveryState, null>, string> = {
  pending: 'Sending…',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Not delivered',
};

const CALL_STATUS_LABEL: Record<string, string> = {
  ringing: 'Ringing',
  'in-progress': 'In progress',
  busy: 'Busy',
  'no-answer': 'No answer',
  canceled: 'Canceled',
  abandoned: 'Abandoned',
  forwarded: 'Forwarded',
  voicemail: 'Went to voicemail',
};

export function classify(
  a: Pick<Activity, 'activity_type' | 'direction' | 'status' | 'pending'> & Partial<Pick<Activity, 'voicemail_url'>>,
): Classification {
  const type: ActivityType = a.activity_type;
  const direction: Direction = a.direction;

  if (type === 'voicemail') {
    return { icon: 'voicemail', tone: 'voicemail', label: 'Voicemail', delivery: null, statusLabel: '' };
  }

  if (type === 'message') {
    if (direction === 'incoming') {
      return { icon: 'message-in', tone: 'text-in', label: 'Text received', delivery: null, statusLabel: '' };
    }
    const delivery = deliveryState(a);
    return {
      icon: 'message-out',
      tone: delivery === 'failed' ? 'failed' : 'text-out',
      label: 'Text sent',
      delivery,
      statusLabel: delivery ? DELIVERY_LABEL[delivery] : '',
    };
  }

  const status = a.status ?? '';
  if (direction === 'incoming') {
    // OpenPhone reports a voicemail as a call (missed, or status "voicemail") with a recording of
    // the message left: what the office needs to see is that a message is waiting.
    if (a.voicemail_url) {
      return { icon: 'voicemail', tone: 'voicemail', label: 'Voicemail', delivery: null, statusLabel: '' };
    }
    if (isMissedCall(a)) {
      return { icon: 'call-missed', tone: 'call-missed', label: 'Missed call', delivery: null, statusLabel: CALL_STATUS_LABEL[status] ?? '' };
    }
    if (status === 'voicemail') {
      return { icon: 'voicemail', tone: 'voicemail', label: 'Incoming call', delivery: null, statusLabel: CALL_STATUS_LABEL.voicemail ?? '' };
    }
    return { icon: 'call-in', tone: 'call-answered', label: 'Incoming call', delivery: null, statusLabel: CALL_STATUS_LABEL[status] ?? '' };
  }
  // An outgoing call nobody answered is not "missed" (we did the missing), just unanswered.
  return { icon: 'call-out', tone: 'call-out', label: 'Outgoing call', delivery: null, statusLabel: CALL_STATUS_LABEL[status] ?? '' };
}
