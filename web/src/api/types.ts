// Wire types of the issue-6 contract (crmd ⇄ web app). Times are ISO-8601 UTC strings, ids numbers.

export type Role = 'owner' | 'staff';

export interface User {
  id: number;
  email: string;
  first_name: string | null;
  last_name: string | null;
  role: Role;
}

export interface SessionInfo {
  user: User;
  csrf_token: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface Contact {
  id: number;
  first_name: string | null;
  last_name: string | null;
  display_name: string | null;
  company: string | null;
  phone: string | null;
  phone_numbers: string[] | null;
  email: string | null;
  street: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
  time_zone: string | null;
  tags: string[] | null;
  source: string | null;
  opted_out_at: string | null;
  last_activity_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ContactConversation {
  id: number;
  phone_number_id: string | null;
  participants: string | null;
  last_activity_at: string | null;
}

export interface ContactDetail extends Contact {
  conversations: ContactConversation[];
}

export type ActivityType = 'call' | 'message' | 'voicemail';
export type Direction = 'incoming' | 'outgoing';

export interface Media {
  url: string;
  type: string | null;
  local_url: string | null;
}

export interface TranscriptLine {
  identifier: string;
  content: string;
  start: number;
  end: number;
  userId?: string;
}

export interface Activity {
  id: number;
  openphone_id: string | null;
  conversation_id: number | null;
  contact_id: number | null;
  activity_type: ActivityType;
  direction: Direction;
  status: string | null;
  from_number: string | null;
  to_numbers: string[] | null;
  participants: string[] | string | null;
  body: string | null;
  media: Media[] | null;
  duration_seconds: number | null;
  recording_url: string | null;
  voicemail_url: string | null;
  answered_at: string | null;
  answered_by: string | null;
  completed_at: string | null;
  ai_summary: string[] | null;
  ai_next_steps: string[] | null;
  /** Present on timeline pages and GET /activities/{id}; absent (undefined) on live events. */
  ai_transcript?: TranscriptLine[] | null;
  has_transcript: boolean;
  ai_content_status: string | null;
  occurred_at: string;
  updated_at: string;
  pending: boolean;
  user_id: number | null;
}

export interface InboxContact {
  id: number;
  display_name: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
}

export interface InboxPreview {
  activity_id: number | null;
  activity_type: ActivityType | null;
  direction: Direction | null;
  status: string | null;
  body: string | null;
}

export interface InboxItem {
  conversation_id: number;
  contact: InboxContact;
  phone_number_id: string | null;
  participants: string | null;
  last_activity_at: string | null;
  last_activity_type: ActivityType | null;
  preview: InboxPreview | null;
  unread: boolean;
  unread_count: number;
}

/** `conversation.updated` carries an InboxItem without the per-user read state. */
export type ConversationUpdate = Omit<InboxItem, 'unread' | 'unread_count'>;

export type SyncStatus = 'green' | 'amber' | 'red';

/** A job summarised in the health JSON (the latest import or reconciliation). */
export interface SyncJobSummary {
  id: number;
  status: string;
  finished_at: string | null;
}

export interface SyncNumberHealth {
  phone_number: string;
  name: string | null;
  status: SyncStatus;
  reason: string;
  last_webhook_at: string | null;
  silence_business_seconds: number;
}

/**
 * GET /api/v1/sync/health and the `sync.health` frame. The fields marked optional came with issue 8;
 * an older crmd leaves them out, and the app must still show what it has.
 */
export interface SyncHealth {
  status: SyncStatus;
  reason: string;
  checked_at: string;
  webhooks: { last_received_at: string | null; failed: number; dead: number; silence_business_seconds?: number };
  provider: { circuit: 'closed' | 'open' | 'half_open'; error_ratio?: number };
  import?: SyncJobSummary | null;
  reconcile?: (SyncJobSummary & { missing_found?: number; still_failing?: number }) | null;
  phone_numbers?: SyncNumberHealth[];
}

export type ReconciliationStatus = 'pending' | 'running' | 'completed' | 'failed';

export interface ReconciliationReport {
  checked: { messages: number; calls: number };
  missing_found: { messages: number; calls: number };
  fixed: { messages: number; calls: number; webhook_events: number };
  still_failing: { webhook_events: number };
  requests: number;
  phone_numbers: { phone_number: string; since: string | null; through: string | null }[];
}

/** R of the reconciliation routes and the `reconcile.progress` / `reconcile.finished` frames. */
export interface Reconciliation {
  id: number;
  trigger: 'schedule' | 'api' | 'cli';
  status: ReconciliationStatus;
  window_start: string | null;
  window_end: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  last_error: string | null;
  /** Partial (or absent) while the run is pending or in progress. */
  report?: Partial<ReconciliationReport> | null;
}

export interface ReconciliationStarted {
  reconciliation: Reconciliation;
  already_running?: boolean;
}

/** A row of GET /api/v1/webhook-events. */
export interface WebhookEvent {
  id: number;
  event_id: string;
  event_type: string;
  api_version: string | null;
  status: 'received' | 'processed' | 'failed' | 'dead';
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  received_at: string;
  next_attempt_at: string | null;
}

export interface ApiErrorBody {
  /** `field` and `offset` on validation errors (400 invalid_field, 422 invalid_template). */
  error: { code: string; message: string; field?: string; offset?: number };
}
