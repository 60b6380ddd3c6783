// The builder's form state and its translation to and from the campaign API's fields (pure, so the
// round trip is unit-tested). Optional templates are switched on by a checkbox: unticked sends null,
// so the server clears them; dates go out as ISO-8601 UTC.
import type { AudienceFilter, Campaign, CampaignInput, ExistingContactRule } from '../../api/campaign-types';

export interface CampaignForm {
  name: string;
  templateA: string;
  useB: boolean;
  templateB: string;
  splitPercent: number;
  useExisting: boolean;
  templateExisting: string;
  useOptOut: boolean;
  optOutLine: string;
  fromPhoneNumberId: string;
  throttlePerMinute: number;
  dailyCap: number;
  quietStart: string;
  quietEnd: string;
  replyWindowHours: number;
  onExisting: ExistingContactRule;
  allContacts: boolean;
  tags: string;
  sources: string[];
  lastContactedBefore: string; // yyyy-mm-dd or ''
  lastContactedAfter: string;
  neverContacted: boolean;
  hasOpenQuote: boolean;
  scheduleLater: boolean;
  scheduledAt: string; // datetime-local value or ''
}

export const DEFAULT_OPT_OUT_LINE = 'Reply STOP to opt out';

// contacts.source values (crmd's V001 check constraint).
export const CONTACT_SOURCES = ['openphone', 'webhook', 'import_csv', 'quickbooks', 'manual', 'property_radar'] as const;

export const emptyForm: CampaignForm = {
  name: '',
  templateA: 'Hi {first_name|there}, ',
  useB: false,
  templateB: '',
  splitPercent: 50,
  useExisting: false,
  templateExisting: '',
  useOptOut: true,
  optOutLine: DEFAULT_OPT_OUT_LINE,
  fromPhoneNumberId: '',
  throttlePerMinute: 30,
  dailyCap: 1000,
  quietStart: '20:00',
  quietEnd: '09:00',
  replyWindowHours: 72,
  onExisting: 'ignore',
  allContacts: false,
  tags: '',
  sources: [],
  lastContactedBefore: '',
  lastContactedAfter: '',
  neverContacted: false,
  hasOpenQuote: false,
  scheduleLater: false,
  scheduledAt: '',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time as a `datetime-local` value in the browser's zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (browser's zone) as ISO UTC; null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export function splitTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return [...new Set(tags)];
}

export function formFromCampaign(c: Campaign): CampaignForm {
  const a = c.audience ?? {};
  return {
    name: c.name,
    templateA: c.template_a,
    useB: c.template_b !== null && c.template_b !== '',
    templateB: c.template_b ?? '',
    splitPercent: c.template_b ? c.ab_split_percent : 50,
    useExisting: c.template_existing !== null && c.template_existing !== '',
    templateExisting: c.template_existing ?? '',
    useOptOut: c.opt_out_line !== null && c.opt_out_line !== '',
    optOutLine: c.opt_out_line ?? DEFAULT_OPT_OUT_LINE,
    fromPhoneNumberId: c.from_phone_number_id ?? '',
    throttlePerMinute: c.throttle_per_minute,
    dailyCap: c.daily_cap,
    quietStart: c.quiet_hours_start,
    quietEnd: c.quiet_hours_end,
    replyWindowHours: c.reply_window_hours,
    onExisting: c.on_existing_contact,
    allContacts: a.all_contacts === true,
    tags: (a.tags ?? []).join(', '),
    sources: a.sources ?? [],
    lastContactedBefore: a.last_contacted_before?.slice(0, 10) ?? '',
    lastContactedAfter: a.last_contacted_after?.slice(0, 10) ?? '',
    neverContacted: a.never_contacted === true,
    hasOpenQuote: a.has_open_quote === true,
    scheduleLater: c.scheduled_at !== null,
    scheduledAt: c.scheduled_at ? toLocalInput(c.scheduled_at) : '',
  };
}

export function audienceFromForm(f: CampaignForm): AudienceFilter {
  const audience: AudienceFilter = {};
  if (f.allContacts) audience.all_contacts = true;
  const tags = splitTags(f.tags);
  if (tags.length) audience.tags = tags;
  if (f.sources.length) audience.sources = f.sources;
  // The date inputs give whole days; the server compares instants: midnight UTC of that day.
  if (f.lastContactedBefore) audience.last_contacted_before = `${f.lastContactedBefore}T00:00:00Z`;
  if (f.lastContactedAfter) audience.last_contacted_after = `${f.lastContactedAfter}T00:00:00Z`;
  if (f.neverContacted) audience.never_contacted = true;
  if (f.hasOpenQuote) audience.has_open_quote = true;
  return audience;
}

export function inputFromForm(f: CampaignForm): CampaignInput {
  return {
    name: f.name.trim(),
    template_a: f.templateA,
    template_b: f.useB && f.templateB.trim() ? f.templateB : null,
    template_existing: f.useExisting && f.templateExisting.trim() ? f.templateExisting : null,
    ab_split_percent: f.useB ? f.splitPercent : 100,
    opt_out_line: f.useOptOut && f.optOutLine.trim() ? f.optOutLine.trim() : null,
    from_phone_number_id: f.fromPhoneNumberId.trim() || null,
    throttle_per_minute: f.throttlePerMinute,
    daily_cap: f.dailyCap,
    quiet_hours_start: f.quietStart,
    quiet_hours_end: f.quietEnd,
    reply_window_hours: f.replyWindowHours,
    on_existing_contact: f.onExisting,
    audience: audienceFromForm(f),
    scheduled_at: f.scheduleLater ? fromLocalInput(f.scheduledAt) : null,
  };
}

/** Maps a server field name ("template_a", "audience.tags") to the builder field that shows its error. */
export function formFieldOf(serverField: string): string {
  return serverField.startsWith('audience.') ? 'audience' : serverField;
}
