// Builders for contract objects in tests: complete defaults, overridden per case.
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
