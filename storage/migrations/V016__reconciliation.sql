-- Reconciliation (issue 8): a scheduled or requested pass over OpenPhone's recent history that
-- backfills whatever webhooks missed, through the import's upserts, and reports what it found.

-- A reconciliation runs as an import job of its own kind (lease, checkpoint, resume, retries),
-- limited to what changed since each number's watermark minus an overlap.
alter table import_jobs drop constraint import_jobs_kind_check;
alter table import_jobs add constraint import_jobs_kind_check
  check (kind in ('openphone_history', 'openphone_reconcile'));

create table reconciliations (
  id bigint generated always as identity primary key,
  trigger text not null check (trigger in ('schedule', 'api', 'cli')),
  status text not null default 'pending'
    check (status in ('pending', 'running', 'completed', 'failed')),
  import_job_id bigint references import_jobs (id),
  -- The window checked: from the oldest watermark minus the overlap, to when the run started.
  window_start timestamptz,
  window_end timestamptz,
  -- {"checked": {"messages": n, "calls": n}, "missing_found": {"messages": n, "calls": n},
  --  "fixed": {"messages": n, "calls": n, "webhook_events": n},
  --  "still_failing": {"webhook_events": n}, "requests": n, "phone_numbers": [...]}
  report jsonb not null default '{}' check (jsonb_typeof(report) = 'object'),
  last_error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);

-- One reconciliation at a time: a second request while one is unfinished gets that one.
create unique index reconciliations_one_active on reconciliations ((true))
  where status in ('pending', 'running');
create index reconciliations_recent_idx on reconciliations (created_at desc);

-- Per phone number, the instant up to which OpenPhone's history is known to be in the record.
-- The next reconciliation starts at this minus the overlap.
create table sync_watermarks (
  phone_number_id bigint primary key references phone_numbers (id) on delete cascade,
  reconciled_through timestamptz not null,
  reconciliation_id bigint references reconciliations (id) on delete set null,
  updated_at timestamptz not null default now()
);
