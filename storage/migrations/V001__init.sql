-- crmd schema, version 1: the roadmap's Task 1.1 data model with PostgreSQL types.
-- Each migration runs in one transaction (see storage/migrator.cpp), so no CONCURRENTLY here.
-- Ids are identity columns; provider ids (AC…, CN…, PN…, US…) live in text columns next to them.

-- ---------------------------------------------------------------------------------------------
-- Helpers

-- SQL-standard bodies (RETURN …) are parsed at creation and bound by OID, so the CHECKs below do
-- not depend on the search_path of whoever writes the row.
create function is_e164(phone text) returns boolean
  language sql immutable strict parallel safe
  return phone ~ '^\+[1-9][0-9]{1,14}$';

-- True when every element is E.164; a NULL element counts as invalid (bool_and would skip it).
create function all_e164(phones text[]) returns boolean
  language sql immutable parallel safe
  return not exists (select 1 from unnest(phones) as p where p is null or not is_e164(p));

-- The WHEN clause on each trigger skips no-op updates, so replayed webhooks and idempotent
-- upserts leave updated_at alone.
create function set_updated_at() returns trigger
  language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Workspace: users and our provider phone numbers

create table users (
  id bigint generated always as identity primary key,
  openphone_user_id text unique,
  first_name text,
  last_name text,
  email text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table phone_numbers (
  id bigint generated always as identity primary key,
  openphone_id text unique,
  phone_number text not null unique check (is_e164(phone_number)),
  name text,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- ---------------------------------------------------------------------------------------------
-- Contacts

create table contacts (
  id bigint generated always as identity primary key,
  openphone_id text unique,
  first_name text,
  last_name text,
  display_name text,
  company text,
  -- Primary number: the webhook path upserts contacts on it (ON CONFLICT (phone)). Nullable for
  -- contacts imported with only an email or address.
  phone text unique check (is_e164(phone)),
  -- Every known number, the primary included, so "who owns +1…" is one GIN lookup
  -- (phone_numbers @> array[$1]) whichever number the message came from.
  phone_numbers text[] not null default '{}' check (all_e164(phone_numbers)),
  email text,
  street text,
  city text,
  state text,
  postal_code text,
  country text,
  -- IANA name (America/New_York). Not checked here: pg_timezone_names changes with tzdata, which
  -- an IMMUTABLE check must not depend on; the application validates it.
  time_zone text,
  tags text[] not null default '{}',
  source text not null default 'manual' check (source in
    ('openphone', 'webhook', 'import_csv', 'quickbooks', 'manual', 'property_radar')),
  opted_out_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint contacts_phone_in_phone_numbers check (phone is null or phone = any (phone_numbers))
);

create index contacts_phone_numbers_idx on contacts using gin (phone_numbers);

-- ---------------------------------------------------------------------------------------------
-- Conversations and the unified activity timeline

create table conversations (
  id bigint generated always as identity primary key,
  openphone_id text unique,
  -- No cascade: OpenPhone deleting a contact must not delete our communication history.
  contact_id bigint not null references contacts (id),
  name text,
  -- The other parties, E.164 (the Flask model kept a comma-separated string).
  participants text[] not null default '{}' check (all_e164(participants)),
  phone_number_id text,
  last_activity_at timestamptz not null default now(),
  last_activity_type text check (last_activity_type in ('call', 'message', 'voicemail')),
  last_activity_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Inbox: newest first; id breaks ties so keyset pages are stable.
create index conversations_inbox_idx on conversations (last_activity_at desc, id desc);
create index conversations_contact_id_idx on conversations (contact_id);
-- v4 webhook messages carry no conversationId, so the conversation is found by its parties.
create index conversations_participants_idx on conversations using gin (participants);

create table activities (
  id bigint generated always as identity primary key,
  -- Calls and messages share the AC prefix, so one unique column dedupes both. Nullable: an
  -- outgoing message is stored before the provider has assigned its id.
  openphone_id text unique,
  -- Nullable: the history import stores calls and messages before matching them to
  -- conversations and contacts (its contact_matching stage).
  conversation_id bigint references conversations (id) on delete cascade,
  contact_id bigint references contacts (id) on delete set null,
  activity_type text not null check (activity_type in ('call', 'message', 'voicemail')),
  direction text check (direction in ('incoming', 'outgoing')),
  -- Provider status strings: message (queued…received), call (queued…abandoned), the roadmap's
  -- values, and 'voicemail' for calls that ended in one.
  status text check (status in (
    'queued', 'initiated', 'sent', 'delivered', 'undelivered', 'received', 'failed',
    'ringing', 'in-progress', 'completed', 'answered', 'missed', 'busy', 'canceled',
    'no-answer', 'forwarded', 'abandoned', 'voicemail')),
  from_number text check (is_e164(from_number)),
  to_numbers text[] not null default '{}' check (all_e164(to_numbers)),
  -- Group messages and forwarded calls involve more than from/to.
  participants text[] not null default '{}' check (all_e164(participants)),
  user_id bigint references users (id) on delete set null,
  phone_number_id text,
  body text,
  -- Array of {"url", "type"} as the provider sends them; the MIME type picks thumbnail vs. link.
  media_urls jsonb not null default '[]' check (jsonb_typeof(media_urls) = 'array'),
  duration_seconds integer check (duration_seconds >= 0),
  recording_url text,
  voicemail_url text,
  answered_at timestamptz,
  -- User (US…) or system (SY…) ids, and E.164-or-user-id for forwarding: hence no E.164 check.
  answered_by text,
  completed_at timestamptz,
  initiated_by text,
  forwarded_from text,
  forwarded_to text,
  -- The provider returns summary and next steps as string arrays.
  ai_summary text[],
  ai_next_steps text[],
  ai_transcript jsonb,
  ai_content_status text check (ai_content_status in ('pending', 'completed', 'failed')),
  -- Provider createdAt: the timeline is ordered by when it happened, not when we stored it.
  occurred_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index activities_contact_timeline_idx on activities (contact_id, occurred_at desc, id desc);
create index activities_conversation_timeline_idx
  on activities (conversation_id, occurred_at desc, id desc);
create index activities_user_id_idx on activities (user_id) where user_id is not null;
-- Calls still waiting for a summary or transcript; a small set, polled by the import and re-drive.
create index activities_ai_pending_idx on activities (id) where ai_content_status = 'pending';

-- ---------------------------------------------------------------------------------------------
-- Webhook inbox: stored before acknowledging, processed and re-driven from here

create table webhook_events (
  id bigint generated always as identity primary key,
  event_id text not null unique,
  event_type text not null,
  api_version text,
  payload jsonb not null,
  status text not null default 'received'
    check (status in ('received', 'processed', 'failed', 'dead')),
  -- The roadmap's flag, derived so it can never disagree with status.
  processed boolean generated always as (status = 'processed') stored,
  attempts integer not null default 0 check (attempts >= 0),
  -- Due time for the re-drive; set while the event still needs work ('dead' = given up).
  next_attempt_at timestamptz default now(),
  error_code text,
  error_message text,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  created_at timestamptz not null default now(),
  constraint webhook_events_pending_has_due_time
    check (status not in ('received', 'failed') or next_attempt_at is not null),
  constraint webhook_events_processed_has_time
    check (status <> 'processed' or processed_at is not null)
);

-- Re-drive: WHERE status IN ('received', 'failed') AND next_attempt_at <= now()
-- ORDER BY next_attempt_at. Partial, so the processed bulk never enters the index.
create index webhook_events_redrive_idx on webhook_events (next_attempt_at)
  where status in ('received', 'failed');

-- ---------------------------------------------------------------------------------------------
-- Campaigns

create table campaigns (
  id bigint generated always as identity primary key,
  name text not null,
  status text not null default 'draft'
    check (status in ('draft', 'running', 'paused', 'complete')),
  template_a text not null,
  template_b text,
  -- Local time in the contact's time zone; the window may wrap midnight (20:00 → 09:00), so
  -- start > end is legal.
  quiet_hours_start time not null default '20:00',
  quiet_hours_end time not null default '09:00',
  on_existing_contact text not null default 'ignore'
    check (on_existing_contact in ('ignore', 'flag_for_review', 'adapt_script')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table campaign_memberships (
  id bigint generated always as identity primary key,
  campaign_id bigint not null references campaigns (id) on delete cascade,
  contact_id bigint not null references contacts (id) on delete cascade,
  status text not null default 'pending' check (status in
    ('pending', 'sent', 'failed', 'replied_positive', 'replied_negative', 'suppressed')),
  variant_sent text check (variant_sent in ('A', 'B')),
  sent_at timestamptz,
  reply_activity_id bigint references activities (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (campaign_id, contact_id)
);

-- The runner pages pending members by keyset (campaign_id = $1 AND id > $last ORDER BY id).
create index campaign_memberships_pending_idx on campaign_memberships (campaign_id, id)
  where status = 'pending';
create index campaign_memberships_contact_id_idx on campaign_memberships (contact_id);
-- Also keeps the ON DELETE SET NULL from scanning when activities cascade away.
create index campaign_memberships_reply_activity_id_idx on campaign_memberships (reply_activity_id)
  where reply_activity_id is not null;

-- ---------------------------------------------------------------------------------------------
-- Resumable imports: one row per job, checkpointed after every page

create table import_jobs (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('openphone_history')),
  status text not null default 'pending'
    check (status in ('pending', 'running', 'paused', 'completed', 'failed')),
  -- Current stage, in the order the import runs them.
  resource text check (resource in (
    'phone_numbers', 'users', 'conversations', 'messages', 'calls', 'summaries', 'transcripts',
    'contact_matching', 'conversation_metadata')),
  -- Position inside the stage, e.g. {"phone_number_id": "PN…", "participant": "+1…"}.
  cursor jsonb not null default '{}' check (jsonb_typeof(cursor) = 'object'),
  page_token text,
  pages_done bigint not null default 0 check (pages_done >= 0),
  items_done bigint not null default 0 check (items_done >= 0),
  last_error text,
  attempts integer not null default 0 check (attempts >= 0),
  -- One owner per job across crmd instances: claim with
  -- UPDATE … WHERE lease_owner IS NULL OR lease_expires_at < now() OR lease_owner = $me.
  lease_owner text,
  lease_expires_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint import_jobs_lease_complete check ((lease_owner is null) = (lease_expires_at is null))
);

-- At most one unfinished job per kind, so a second "start import" resumes instead of duplicating.
create unique index import_jobs_one_active_per_kind on import_jobs (kind)
  where status in ('pending', 'running', 'paused');

-- ---------------------------------------------------------------------------------------------
-- updated_at maintenance

create trigger users_updated_at before update on users
  for each row when (old.* is distinct from new.*) execute function set_updated_at();
create trigger phone_numbers_updated_at before update on phone_numbers
  for each row when (old.* is distinct from new.*) execute function set_updated_at();
create trigger contacts_updated_at before update on contacts
  for each row when (old.* is distinct from new.*) execute function set_updated_at();
create trigger conversations_updated_at before update on conversations
  for each row when (old.* is distinct from new.*) execute function set_updated_at();
create trigger activities_updated_at before update on activities
  for each row when (old.* is distinct from new.*) execute function set_updated_at();
create trigger campaigns_updated_at before update on campaigns
  for each row when (old.* is distinct from new.*) execute function set_updated_at();
create trigger campaign_memberships_updated_at before update on campaign_memberships
  for each row when (old.* is distinct from new.*) execute function set_updated_at();
create trigger import_jobs_updated_at before update on import_jobs
  for each row when (old.* is distinct from new.*) execute function set_updated_at();
