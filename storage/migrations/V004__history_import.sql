-- The OpenPhone history import (issue 5): job bookkeeping and set-based page writes.
--
-- A page of the import is written by one function call in the same transaction as the job's
-- checkpoint, so a crash leaves either both or neither. Every write is keyed by provider ids and
-- merges like the webhook path (V003), so re-running an import changes nothing and a webhook
-- arriving mid-import never makes a second copy.

-- ---------------------------------------------------------------------------------------------
-- Jobs

alter table import_jobs drop constraint import_jobs_resource_check;
alter table import_jobs add constraint import_jobs_resource_check check (resource in (
  'phone_numbers', 'users', 'conversations', 'messages', 'calls', 'call_details',
  'contact_matching', 'conversation_metadata', 'verification'));

alter table import_jobs
  -- What was asked: {"since": ISO-8601 or absent}.
  add column options jsonb not null default '{}' check (jsonb_typeof(options) = 'object'),
  -- Per resource: {"<resource>": {"fetched": n, "written": n, "rejected": n, "pages": n}},
  -- plus "requests" and "rejections" (the first few items the provider sent that could not be
  -- mapped, with their ids and reasons).
  add column progress jsonb not null default '{}' check (jsonb_typeof(progress) = 'object'),
  -- The verification report: provider totals against the database, per resource.
  add column report jsonb;

-- ---------------------------------------------------------------------------------------------
-- Page writes

-- GET /v1/phone-numbers: [{openphone_id, number, name}].
create function import_phone_numbers(items jsonb) returns integer
  language sql as $$
  with written as (
    insert into phone_numbers as p (openphone_id, phone_number, name)
    select i.openphone_id, i.number, i.name
    from jsonb_to_recordset(items) as i(openphone_id text, number text, name text)
    on conflict (phone_number) do update set
      openphone_id = excluded.openphone_id,
      name = coalesce(excluded.name, p.name)
    returning 1)
  select count(*)::integer from written
$$;

-- GET /v1/users: [{openphone_id, email, first_name, last_name}].
create function import_users(items jsonb) returns integer
  language sql as $$
  with written as (
    insert into users as u (openphone_user_id, email, first_name, last_name)
    select i.openphone_id, i.email, i.first_name, i.last_name
    from jsonb_to_recordset(items) as i(openphone_id text, email text, first_name text,
                                        last_name text)
    on conflict (openphone_user_id) do update set
      email = coalesce(excluded.email, u.email),
      first_name = coalesce(excluded.first_name, u.first_name),
      last_name = coalesce(excluded.last_name, u.last_name)
    returning 1)
  select count(*)::integer from written
$$;

-- GET /v1/conversations: [{openphone_id, phone_number_id, participants, name, created_at}].
-- Conversations without external parties (OpenPhone lists notes-to-self) have no contact and
-- are skipped; the count says how many were written.
create function import_conversations(items jsonb) returns integer
  language plpgsql as $$
declare
  item record;
  written integer := 0;
  conversation bigint;
begin
  for item in
    select i.openphone_id, i.phone_number_id, i.participants, i.name, i.created_at
    from jsonb_to_recordset(items) as i(openphone_id text, phone_number_id text,
                                        participants text[], name text, created_at timestamptz)
  loop
    if cardinality(item.participants) > 0 then
      conversation := ensure_conversation(item.phone_number_id, item.participants,
                                          item.openphone_id,
                                          coalesce(item.created_at, now()), 'openphone');
      if item.name is not null then
        update conversations set name = item.name
        where id = conversation and name is distinct from item.name;
      end if;
      written := written + 1;
    end if;
  end loop;
  return written;
end
$$;

-- A page of messages or calls (full objects, each with its own time): one set-based upsert.
-- The ids of a page are distinct (the caller guarantees it). Merging keeps what is stored when
-- the page says nothing: an empty media or number list never erases one a webhook stored.
create function import_activities(changes jsonb) returns integer
  language plpgsql as $$
declare
  written integer;
begin
  insert into users (openphone_user_id)
  select distinct value->>'user_id' from jsonb_array_elements(changes)
  where value->>'user_id' is not null
  on conflict (openphone_user_id) do nothing;

  perform ensure_conversation(g.phone_number_id, g.participants, null, g.first_at, 'openphone')
  from (select c.phone_number_id, c.participants, min(c.occurred_at) as first_at
        from jsonb_to_recordset(changes) as c(phone_number_id text, participants text[],
                                              occurred_at timestamptz)
        where cardinality(c.participants) > 0
        group by 1, 2) as g;

  with written_rows as (
    insert into activities as a (
      openphone_id, conversation_id, contact_id, activity_type, direction, status, from_number,
      to_numbers, participants, user_id, phone_number_id, body, media_urls, duration_seconds,
      recording_url, voicemail_url, answered_at, answered_by, completed_at, initiated_by,
      forwarded_from, forwarded_to, occurred_at)
    select c.openphone_id,
           (select v.id from conversations v
            where v.phone_number_id = c.phone_number_id and v.participants = c.participants),
           (select k.id from contacts k
            where cardinality(c.participants) > 0 and k.phone_numbers @> c.participants[1:1]
            order by (k.phone = c.participants[1]) desc, k.id limit 1),
           c.activity_type, c.direction, c.status, c.from_number,
           coalesce(c.to_numbers, '{}'), coalesce(c.participants, '{}'),
           (select u.id from users u where u.openphone_user_id = c.user_id),
           c.phone_number_id, c.body, coalesce(c.media, '[]'), c.duration_seconds,
           c.recording_url, c.voicemail_url, c.answered_at, c.answered_by, c.completed_at,
           c.initiated_by, c.forwarded_from, c.forwarded_to, c.occurred_at
    from jsonb_to_recordset(changes) as c(
      openphone_id text, activity_type text, direction text, status text, from_number text,
      to_numbers text[], participants text[], user_id text, phone_number_id text, body text,
      media jsonb, duration_seconds integer, recording_url text, voicemail_url text,
      answered_at timestamptz, answered_by text, completed_at timestamptz, initiated_by text,
      forwarded_from text, forwarded_to text, occurred_at timestamptz)
    order by c.openphone_id
    on conflict (openphone_id) do update set
      conversation_id = coalesce(a.conversation_id, excluded.conversation_id),
      contact_id = coalesce(a.contact_id, excluded.contact_id),
      activity_type = excluded.activity_type,
      direction = coalesce(excluded.direction, a.direction),
      status = case when excluded.status is not null
                     and activity_status_rank(excluded.status) >= activity_status_rank(a.status)
                    then excluded.status else a.status end,
      from_number = coalesce(excluded.from_number, a.from_number),
      to_numbers = case when cardinality(excluded.to_numbers) > 0 then excluded.to_numbers
                        else a.to_numbers end,
      participants = case when cardinality(excluded.participants) > 0
                          then excluded.participants else a.participants end,
      user_id = coalesce(excluded.user_id, a.user_id),
      phone_number_id = coalesce(excluded.phone_number_id, a.phone_number_id),
      body = coalesce(excluded.body, a.body),
      media_urls = case when excluded.media_urls <> '[]' then excluded.media_urls
                        else a.media_urls end,
      duration_seconds = coalesce(excluded.duration_seconds, a.duration_seconds),
      recording_url = coalesce(excluded.recording_url, a.recording_url),
      voicemail_url = coalesce(excluded.voicemail_url, a.voicemail_url),
      answered_at = coalesce(excluded.answered_at, a.answered_at),
      answered_by = coalesce(excluded.answered_by, a.answered_by),
      completed_at = coalesce(excluded.completed_at, a.completed_at),
      initiated_by = coalesce(excluded.initiated_by, a.initiated_by),
      forwarded_from = coalesce(excluded.forwarded_from, a.forwarded_from),
      forwarded_to = coalesce(excluded.forwarded_to, a.forwarded_to),
      occurred_at = excluded.occurred_at
    returning a.conversation_id, a.occurred_at, a.activity_type, a.openphone_id),
  newest as (
    select distinct on (conversation_id) conversation_id, occurred_at, activity_type,
           openphone_id
    from written_rows
    where conversation_id is not null
    order by conversation_id, occurred_at desc, openphone_id desc),
  touched as (
    update conversations v
    set last_activity_at = n.occurred_at,
        last_activity_type = n.activity_type,
        last_activity_id = n.openphone_id
    from newest n
    where v.id = n.conversation_id
      and (v.last_activity_id is null or v.last_activity_at <= n.occurred_at)
      and v.last_activity_id is distinct from n.openphone_id
    returning 1)
  select count(*) into written from written_rows;
  return written;
end
$$;

-- Enrichments of calls (recordings, summary, transcript, voicemail): [change], each naming one
-- call; merged one by one with the webhook path's rules.
create function import_call_details(changes jsonb) returns integer
  language plpgsql as $$
declare
  change jsonb;
  written integer := 0;
begin
  for change in select value from jsonb_array_elements(changes) loop
    perform apply_activity(change, now(), 'openphone');
    written := written + 1;
  end loop;
  return written;
end
$$;

-- GET /v1/contacts: [contact change] (V003's apply_contact, which links an existing person
-- holding one of the numbers instead of duplicating them).
create function import_contacts(changes jsonb) returns integer
  language plpgsql as $$
declare
  change jsonb;
  written integer := 0;
begin
  for change in select value from jsonb_array_elements(changes) loop
    perform apply_contact(change);
    written := written + 1;
  end loop;
  return written;
end
$$;

-- The last stages: every activity gets its contact and every conversation its newest activity,
-- whatever order pages and webhooks arrived in. Returns the rows changed.
create function import_finish_conversations() returns integer
  language plpgsql as $$
declare
  linked integer;
  touched integer;
begin
  update activities a
  set contact_id = (select k.id from contacts k where k.phone_numbers @> a.participants[1:1]
                    order by (k.phone = a.participants[1]) desc, k.id limit 1)
  where a.contact_id is null and cardinality(a.participants) > 0
    and exists (select 1 from contacts k where k.phone_numbers @> a.participants[1:1]);
  get diagnostics linked = row_count;
  update conversations v
  set last_activity_at = n.occurred_at,
      last_activity_type = n.activity_type,
      last_activity_id = n.openphone_id
  from (select distinct on (conversation_id) conversation_id, occurred_at, activity_type,
               openphone_id
        from activities
        where conversation_id is not null
        order by conversation_id, occurred_at desc, openphone_id desc) as n
  where v.id = n.conversation_id and v.last_activity_id is distinct from n.openphone_id;
  get diagnostics touched = row_count;
  return linked + touched;
end
$$;

-- The page's checkpoint, first statement of its transaction: it fails the whole transaction when
-- this process no longer holds the job's lease (another crmd took the job over), so a page is
-- never written under a checkpoint that is not ours. Renews the lease.
create function import_checkpoint(job bigint, owner text, stage text, at_cursor jsonb,
                                  token text, pages bigint, items bigint, counts jsonb,
                                  lease_ms bigint) returns void
  language plpgsql as $$
begin
  update import_jobs
  set resource = stage, cursor = at_cursor, page_token = token,
      pages_done = pages_done + pages, items_done = items_done + items, progress = counts,
      lease_expires_at = clock_timestamp() + lease_ms * interval '1 millisecond'
  where id = job and lease_owner = owner and status = 'running';
  if not found then
    raise exception 'import job % is not leased to %', job, owner using errcode = 'P0002';
  end if;
end
$$;

-- V003's apply_contact re-sorted a contact's numbers on every update, so importing the same
-- contact twice rewrote its row. Numbers now keep the order they were first seen in (the
-- provider lists the main number first) and new ones are appended: a repeat changes nothing.
create or replace function apply_contact(change jsonb) returns bigint
  language plpgsql as $$
declare
  provider_id text := change->>'openphone_id';
  phones text[] := array(select p
                         from unnest(coalesce(jsonb_text_array(change->'phone_numbers'), '{}'))
                              with ordinality as t(p, n)
                         group by p order by min(n));
  contact_id bigint;
begin
  update contacts set openphone_id = provider_id
  where id = (select k.id from contacts k
              where k.openphone_id is null and k.phone_numbers && phones
              order by k.id limit 1)
    and not exists (select 1 from contacts where openphone_id = provider_id);
  insert into contacts as k (openphone_id, first_name, last_name, company, phone, phone_numbers,
                             email, source)
  select provider_id, change->>'first_name', change->>'last_name', change->>'company',
         (select p from unnest(phones) as p
          where not exists (select 1 from contacts o where o.phone = p) limit 1),
         phones, change->>'email', 'openphone'
  on conflict (openphone_id) do update set
    first_name = coalesce(excluded.first_name, k.first_name),
    last_name = coalesce(excluded.last_name, k.last_name),
    company = coalesce(excluded.company, k.company),
    email = coalesce(excluded.email, k.email),
    phone_numbers = k.phone_numbers
                    || array(select p from unnest(excluded.phone_numbers) as p
                             where p <> all (k.phone_numbers))
  returning id into contact_id;
  return contact_id;
end
$$;
