-- SMS campaigns (issue 7): the campaign's settings and state machine, memberships with the
-- exactly-once send state, the opt-out audit, and the minimal quote record the audience filter
-- "has an open quote" needs (Task 3.1 extends it with the QuickBooks sync).

-- ---------------------------------------------------------------------------------------------
-- Quotes (the part campaigns need now)

create table quotes (
  id bigint generated always as identity primary key,
  contact_id bigint not null references contacts (id),
  quickbooks_id text unique,
  status text not null default 'draft'
    check (status in ('draft', 'sent', 'approved', 'declined', 'expired', 'invoiced')),
  total_cents bigint not null default 0 check (total_cents >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index quotes_open_contact_idx on quotes (contact_id) where status in ('draft', 'sent');

create trigger quotes_updated_at before update on quotes
  for each row when (old.* is distinct from new.*) execute function set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Campaigns

alter table campaigns drop constraint campaigns_status_check;
alter table campaigns add constraint campaigns_status_check
  check (status in ('draft', 'scheduled', 'running', 'paused', 'complete', 'cancelled'));

alter table campaigns
  -- The third template, for existing customers when on_existing_contact = 'adapt_script'.
  add column template_existing text,
  -- Share of new contacts given template A when template_b is set (the rest get B).
  add column ab_split_percent integer not null default 50
    check (ab_split_percent between 0 and 100),
  -- Appended on a new line to a first contact's text; null: no line.
  add column opt_out_line text,
  -- The OpenPhone number the campaign sends from (phone_numbers.openphone_id, "PN…").
  add column from_phone_number_id text,
  -- Throttle of the sending number while this campaign sends (a sliding minute and 24 hours).
  add column throttle_per_minute integer not null default 30 check (throttle_per_minute > 0),
  add column daily_cap integer not null default 1000 check (daily_cap > 0),
  -- The audience as built in the builder: {"tags":[…], "sources":[…],
  -- "last_contacted_before": ts, "last_contacted_after": ts, "never_contacted": bool,
  -- "has_open_quote": bool}; members from a CSV upload are added to campaign_memberships.
  add column audience jsonb not null default '{}',
  -- A reply within this many hours of the member's text is tied to the campaign.
  add column reply_window_hours integer not null default 72 check (reply_window_hours > 0),
  add column scheduled_at timestamptz,
  add column started_at timestamptz,
  add column finished_at timestamptz,
  add column created_by bigint references users (id);

-- The registry resumes every running campaign at start-up and starts scheduled ones when due.
create index campaigns_active_idx on campaigns (status) where status in ('scheduled', 'running');

-- ---------------------------------------------------------------------------------------------
-- Memberships: pending → sending → sent → replied_*, or failed / suppressed / review. Delivery is
-- the sent activity's status (activity_id), kept current by the provider's webhooks.

alter table campaign_memberships drop constraint campaign_memberships_status_check;
alter table campaign_memberships add constraint campaign_memberships_status_check
  check (status in ('pending', 'sending', 'sent', 'failed', 'replied_positive',
                    'replied_negative', 'replied_neutral', 'suppressed', 'review'));
alter table campaign_memberships drop constraint campaign_memberships_variant_sent_check;
alter table campaign_memberships add constraint campaign_memberships_variant_sent_check
  check (variant_sent in ('A', 'B', 'E'));

alter table campaign_memberships
  -- The number texted (E.164): de-duplication is by number within a campaign.
  add column phone text check (is_e164(phone)),
  -- Set with status 'sending' in the transaction committed before the provider is called;
  -- a membership still 'sending' after a crash is settled by looking this send up.
  add column send_key text unique,
  add column sending_at timestamptz,
  -- The rendered text, kept so a settlement can match the provider's copy.
  add column body text,
  add column activity_id bigint references activities (id) on delete set null,
  add column provider_message_id text,
  add column failed_at timestamptz,
  add column failure_reason text,
  add column replied_at timestamptz,
  add column reply_reason text,
  -- 'opted_out', 'existing_customer' (ignore rule), 'duplicate_number', 'no_number', 'cancelled'.
  add column suppressed_reason text,
  add column existing_customer boolean not null default false;

create unique index campaign_memberships_phone_idx on campaign_memberships (campaign_id, phone)
  where phone is not null;
create index campaign_memberships_sending_idx on campaign_memberships (campaign_id)
  where status = 'sending';
create index campaign_memberships_activity_id_idx on campaign_memberships (activity_id)
  where activity_id is not null;
-- The sliding 24 hours of a sending number is rebuilt from these at start-up.
create index campaign_memberships_sent_at_idx on campaign_memberships (sent_at)
  where sent_at is not null;

-- ---------------------------------------------------------------------------------------------
-- Opt-outs: every change of a contact's opted_out_at, with what caused it

create table opt_out_events (
  id bigint generated always as identity primary key,
  contact_id bigint not null references contacts (id) on delete cascade,
  action text not null check (action in ('opt_out', 'opt_in')),
  -- The keyword as matched (STOP, START, …), null for a change made in the app.
  keyword text,
  activity_id bigint references activities (id) on delete set null,
  user_id bigint references users (id),
  occurred_at timestamptz not null default now()
);

create index opt_out_events_contact_idx on opt_out_events (contact_id, occurred_at);

-- ---------------------------------------------------------------------------------------------
-- Inbound texts waiting for the reply processor (opt-out keywords, HELP, reply classification).
-- A partial index over the activities themselves: the apply path writes nothing extra, and a
-- crash between apply and processing loses nothing.

alter table activities add column reply_processed_at timestamptz;
update activities set reply_processed_at = coalesce(occurred_at, created_at)
where direction = 'incoming' and activity_type = 'message';
create index activities_reply_pending_idx on activities (id)
  where direction = 'incoming' and activity_type = 'message' and reply_processed_at is null;
