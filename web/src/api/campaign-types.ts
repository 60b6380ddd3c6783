// Wire types of the campaign API (issue 7): crmd's campaign_json, the audience preview, CSV upload,
// analytics and the live frames on topics `campaigns` and `campaign:<id>`.
import type { SmsSegments } from '../domain/campaign/sms-segments';

export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'complete' | 'cancelled';
export type ExistingContactRule = 'ignore' | 'flag_for_review' | 'adapt_script';
export type MemberStatus =
  | 'pending'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'replied_positive'
  | 'replied_negative'
  | 'replied_neutral'
  | 'suppressed'
  | 'review';
export type Variant = 'A' | 'B' | 'E';

export interface AudienceFilter {
  all_contacts?: boolean;
  tags?: string[];
  sources?: string[];
  last_contacted_before?: string;
  last_contacted_after?: string;
  never_contacted?: boolean;
  has_open_quote?: boolean;
}

export interface CampaignProgress {
  members: number;
  pending: number;
  sending: number;
  sent: number;
  failed: number;
  suppressed: number;
  review: number;
  replied: number;
  /** Not in every server version: the list shows "—" without it. */
  opt_outs?: number;
}

export interface Campaign {
  id: number;
  name: string;
  status: CampaignStatus;
  template_a: string;
  template_b: string | null;
  template_existing: string | null;
  ab_split_percent: number;
  opt_out_line: string | null;
  from_phone_number_id: string | null;
  throttle_per_minute: number;
  daily_cap: number;
  quiet_hours_start: string;
  quiet_hours_end: string;
  reply_window_hours: number;
  on_existing_contact: ExistingContactRule;
  audience: AudienceFilter;
  scheduled_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
  progress: CampaignProgress;
  /** GET /campaigns/{id} only. */
  analytics?: CampaignAnalytics | null;
}

/** The fields POST/PATCH accept. */
export type CampaignInput = Partial<
  Pick<
    Campaign,
    | 'name'
    | 'template_a'
    | 'template_b'
    | 'template_existing'
    | 'ab_split_percent'
    | 'opt_out_line'
    | 'from_phone_number_id'
    | 'throttle_per_minute'
    | 'daily_cap'
    | 'quiet_hours_start'
    | 'quiet_hours_end'
    | 'reply_window_hours'
    | 'on_existing_contact'
    | 'audience'
    | 'scheduled_at'
  >
>;

export interface VariantNumbers {
  members: number;
  sent: number;
  delivered: number;
  failed: number;
  replies: number;
  positive: number;
  negative: number;
  neutral: number;
  opt_outs: number;
}

export interface AbTest {
  z: number;
  p_value: number;
  significant: boolean;
}

export interface CampaignAnalytics {
  campaign_id: number;
  variants: Partial<Record<Variant, VariantNumbers>>;
  total: VariantNumbers;
  ab_test?: AbTest;
}

export interface AudienceSample {
  contact_id: number;
  name: string | null;
  phone: string;
  existing_customer?: boolean;
  status?: string;
  variant: Variant;
  rendered: string;
  segments: SmsSegments;
}

export interface AudiencePreview {
  count: number;
  excluded_opted_out: number;
  existing_customers: number;
  sample: AudienceSample[];
}

export interface CsvUploadResult {
  added: number;
  skipped_opted_out?: number;
  duplicates?: number;
  errors: { line: number; reason: string }[];
}

export interface CampaignPage {
  items: Campaign[];
  next_cursor: string | null;
}

/** `campaign.member` frames on `campaign:<id>`. */
export interface MemberUpdate {
  id: number;
  contact_id: number;
  status: MemberStatus;
  variant_sent: Variant | null;
  sent_at: string | null;
  replied_at: string | null;
}
