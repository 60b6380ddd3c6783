-- Provider media (call recordings, voicemails, MMS pictures) downloaded to content-addressed
-- files under CRM_MEDIA_DIR (issue 5). Activities keep the provider's URLs; this table says
-- which of them are stored here and under which SHA-256.

create table media_files (
  id bigint generated always as identity primary key,
  url text not null unique,
  status text not null default 'pending' check (status in ('pending', 'stored', 'failed')),
  sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  content_type text,
  size_bytes bigint check (size_bytes >= 0),
  attempts integer not null default 0 check (attempts >= 0),
  last_error text,
  -- A download in progress pushes this forward, so another crmd does not start the same one.
  next_attempt_at timestamptz not null default now(),
  stored_at timestamptz,
  created_at timestamptz not null default now(),
  constraint media_files_stored_has_hash check ((status = 'stored') = (sha256 is not null))
);

create index media_files_due_idx on media_files (next_attempt_at) where status = 'pending';
create index media_files_sha256_idx on media_files (sha256) where sha256 is not null;

-- Every media URL an activity gains is queued once, whichever path wrote it (webhook, import).
create function queue_activity_media() returns trigger
  language plpgsql as $$
begin
  insert into media_files (url)
  select u from (
    select new.recording_url as u
    union all select new.voicemail_url
    union all select m->>'url' from jsonb_array_elements(new.media_urls) as m) as urls
  where u is not null and u ~ '^https?://'
  on conflict (url) do nothing;
  return null;
end
$$;

create trigger activities_queue_media_on_insert after insert on activities
  for each row
  when (new.recording_url is not null or new.voicemail_url is not null
        or new.media_urls <> '[]'::jsonb)
  execute function queue_activity_media();

create trigger activities_queue_media_on_update after update on activities
  for each row
  when (new.recording_url is distinct from old.recording_url
        or new.voicemail_url is distinct from old.voicemail_url
        or new.media_urls is distinct from old.media_urls)
  execute function queue_activity_media();
