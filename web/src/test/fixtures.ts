// Builders for contract objects in tests: complete defaults, overridden per case.
import type { Campaign, VariantNumbers } from '../api/campaign-types';
import type { Activity, InboxItem } from '../api/types';

export function activity(overrides: Partial<Activity> & { id: number }): Activity {
  return {
    openphone_id: null,
    conversation_id: 7,
    contact_id: 3,
    activity_type: 'message',
    direction: 'incoming',
    status: 'received',
    from_number: '+16175550134',
    to_numbers: ['+16175550100'],
    participants: null,
    body: 'hello',
    media: [],
    duration_seconds: null,
    recording_url: null,
    voicemail_url: null,
    answered_at: null,
    answered_by: null,
    completed_at: null,
    ai_summary: null,
    ai_next_steps: null,
    has_transcript: false,
    ai_content_status: null,
    occurred_at: '2026-11-24T18:00:00.000Z',
    updated_at: '2026-11-24T18:00:00.000Z',
    pending: false,
    user_id: null,
    ...overrides,
  };
}

export function inboxItem(overrides: Partial<InboxItem> & { conversation_id: number }): InboxItem {
  return {
    contact: { id: overrides.conversation_id * 10, display_name: null, first_name: 'Ann', last_name: 'Lee', phone: '+16175550134' },
    phone_number_id: 'PN1',
    participants: '+16175550134',
    last_activity_at: '2026-11-24T18:00:00.000Z',
    last_activity_type: 'message',
    preview: { activity_id: overrides.conversation_id * 100, activity_type: 'message', direction: 'incoming', status: 'received', body: 'hi' },
    unread: false,
    unread_count: 0,
    ...overrides,
  };
}

export function campaign(overrides: Partial<Campaign> & { id: number }): Campaign {
  return {
    name: 'Spring foundation check',
    status: 'draft',
    template_a: 'Hi {first_name|there}, spring is here.',
    template_b: null,
    template_existing: null,
    ab_split_percent: 50,
    opt_out_line: 'Reply STOP to opt out',
    from_phone_number_id: 'PN123',
    throttle_per_minute: 30,
    daily_cap: 1000,
    quiet_hours_start: '20:00',
    quiet_hours_end: '09:00',
    reply_window_hours: 72,
    on_existing_contact: 'ignore',
    audience: { tags: ['lead'] },
    scheduled_at: null,
    started_at: null,
    finished_at: null,
    created_at: '2026-04-01T12:00:00Z',
    updated_at: '2026-04-01T12:00:00Z',
    progress: { members: 10, pending: 10, sending: 0, sent: 0, failed: 0, suppressed: 0, review: 0, replied: 0 },
    ...overrides,
  };
}

export function numbers(overrides: Partial<VariantNumbers> = {}): VariantNumbers {
  return { members: 0, sent: 0, delivered: 0, failed: 0, replies: 0, positive: 0, negative: 0, neutral: 0, opt_outs: 0, ...overrides };
}
