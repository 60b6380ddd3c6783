-- Applying changes to the communication record server-side: one call per webhook group or per
-- imported page instead of a round of statements per event. PL/pgSQL caches its plans, and each
-- function writes a row only when the change needs it (a conversation that exists is looked up,
-- not re-upserted). Webhooks and the history import share these functions, so both converge on
-- the same rows whatever order their changes arrive in.
--
-- A change is a JSON object whose keys are the activities/contacts columns it sets (see
-- storage/change_json.cpp). An absent key means "this change says nothing": the stored value stays.

-- Conversations are found by the unique (phone_number_id, participants) btree; the GIN index on
-- participants served no query and cost an insert into it on every conversation touch.
drop index conversations_participants_idx;

-- The text[] of a JSON array, NULL when the value is absent or not an array. PL/pgSQL: a SQL
-- function with a subquery cannot be inlined, and its per-call planning dominated the apply.
create function jsonb_text_array(value jsonb) returns text[]
  language plpgsql immutable parallel safe as $$
begin
  if jsonb_typeof(value) = 'array' then
    return array(select jsonb_array_elements_text(value));
  end if;
  return null;
end
$$;

-- V001's all_e164 was a SQL function; CHECK constraints cannot inline it (its body uses stable
-- array functions), so PostgreSQL re-planned it for every row written, ~35 µs each. PL/pgSQL
-- keeps its plan per session. The JSON form quotes each element, so one anchored pattern checks
-- them all and an element cannot smuggle a separator.
create or replace function all_e164(phones text[]) returns boolean
  language plpgsql immutable parallel safe as $$
begin
  return array_to_json(phones)::text ~ '^\[("\+[1-9][0-9]{1,14}"(,"\+[1-9][0-9]{1,14}")*)?\]$';
end
$$;

-- The conversation of our number with these external parties (sorted E.164), created with its
-- participants' contacts when missing. A stored provider conversation id (CN…) wins over the
-- parties: an incoming v3 group message lists our own number among them.
create function ensure_conversation(number_id text, parties text[], provider_id text,
                                    happened_at timestamptz, contact_source text)
  returns bigint
  language plpgsql as $$
declare
  found_id bigint;
begin
  if provider_id is not null then
    select id into found_id from conversations where openphone_id = provider_id;
    if found then
      return found_id;
    end if;
  end if;
  -- Two indexable forms instead of IS NOT DISTINCT FROM, which no index serves.
  if number_id is null then
    select id into found_id from conversations
    where phone_number_id is null and participants = parties;
  else
    select id into found_id from conversations
    where phone_number_id = number_id and participants = parties;
  end if;
  if found then
    if provider_id is not null then
      update conversations set openphone_id = provider_id
      where id = found_id and openphone_id is null;
    end if;
    return found_id;
  end if;
  -- A number already listed on any contact is that contact's.
  insert into contacts (phone, phone_numbers, source)
  select p, array[p], contact_source
  from unnest(parties) as p
  where not exists (select 1 from contacts k where k.phone_numbers @> array[p])
  on conflict (phone) do nothing;
  insert into conversations as c (openphone_id, contact_id, participants, phone_number_id,
                                  last_activity_at)
  values (provider_id,
          (select k.id from contacts k where k.phone_numbers @> array[parties[1]]
           order by (k.phone = parties[1]) desc, k.id limit 1),
          parties, number_id, happened_at)
  on conflict (phone_number_id, participants)
  do update set openphone_id = coalesce(c.openphone_id, excluded.openphone_id)
  returning id into found_id;
  return found_id;
end
$$;

-- The users row of a provider user id, created when missing.
create function ensure_user(provider_id text) returns bigint
  language plpgsql as $$
declare
  found_id bigint;
begin
  if provider_id is null then
    return null;
  end if;
  select id into found_id from users where openphone_user_id = provider_id;
  if not found then
    insert into users (openphone_user_id) values (provider_id)
    on conflict (openphone_user_id) do nothing;
    select id into found_id from users where openphone_user_id = provider_id;
  end if;
  return found_id;
end
$$;

-- The activity as the hub publishes it (no transcript: it can be large).
create function activity_snapshot(a activities) returns text
  language sql stable as $$
  select jsonb_build_object(
    'id', a.id, 'openphone_id', a.openphone_id, 'conversation_id', a.conversation_id,
    'contact_id', a.contact_id, 'activity_type', a.activity_type,
    'direction', a.direction, 'status', a.status, 'from_number', a.from_number,
    'to_numbers', a.to_numbers, 'participants', a.participants, 'body', a.body,
    'media', a.media_urls, 'duration_seconds', a.duration_seconds,
    'has_recording', a.recording_url is not null,
    'has_voicemail', a.voicemail_url is not null,
    'ai_content_status', a.ai_content_status, 'occurred_at', a.occurred_at,
    'updated_at', a.updated_at)::text
$$;

-- Upserts one activity change (keyed by its AC id) with its user, contacts and conversation,
-- and makes it the conversation's last activity when it is the newest. `fallback_at` dates an
-- activity first seen through an enrichment (summary, transcript, recording) that carries no
-- time of its own; the activity's own event corrects it later.
create function apply_activity(change jsonb, fallback_at timestamptz, contact_source text)
  returns activities
  language plpgsql as $$
declare
  parties text[] := jsonb_text_array(change->'participants');
  occurred timestamptz := (change->>'occurred_at')::timestamptz;
  conversation bigint;
  applied activities;
begin
  if cardinality(parties) > 0 then
    conversation := ensure_conversation(change->>'phone_number_id', parties,
                                        change->>'conversation_id',
                                        coalesce(occurred, fallback_at), contact_source);
  else
    parties := null;
  end if;
  insert into activities as a (
    openphone_id, conversation_id, contact_id, activity_type, direction, status, from_number,
    to_numbers, participants, user_id, phone_number_id, body, media_urls, duration_seconds,
    recording_url, voicemail_url, answered_at, answered_by, completed_at, initiated_by,
    forwarded_from, forwarded_to, ai_summary, ai_next_steps, ai_transcript, ai_content_status,
    occurred_at)
  values (
    change->>'openphone_id',
    conversation,
    (select k.id from contacts k where parties is not null and k.phone_numbers @> array[parties[1]]
     order by (k.phone = parties[1]) desc, k.id limit 1),
    change->>'activity_type', change->>'direction', change->>'status', change->>'from_number',
    coalesce(jsonb_text_array(change->'to_numbers'), '{}'), coalesce(parties, '{}'),
    ensure_user(change->>'user_id'), change->>'phone_number_id', change->>'body',
    coalesce(change->'media', '[]'), (change->>'duration_seconds')::int,
    change->>'recording_url', change->>'voicemail_url', (change->>'answered_at')::timestamptz,
    change->>'answered_by', (change->>'completed_at')::timestamptz, change->>'initiated_by',
    change->>'forwarded_from', change->>'forwarded_to', jsonb_text_array(change->'ai_summary'),
    jsonb_text_array(change->'ai_next_steps'), change->'ai_transcript',
    change->>'ai_content_status', coalesce(occurred, fallback_at))
  on conflict (openphone_id) do update set
    conversation_id = coalesce(a.conversation_id, excluded.conversation_id),
    contact_id = coalesce(a.contact_id, excluded.contact_id),
    activity_type = case when occurred is null then a.activity_type
                         else excluded.activity_type end,
    direction = coalesce(excluded.direction, a.direction),
    -- Statuses only move forward: "delivered" before "sent" keeps "delivered".
    status = case when excluded.status is not null
                   and activity_status_rank(excluded.status) >= activity_status_rank(a.status)
                  then excluded.status else a.status end,
    from_number = coalesce(excluded.from_number, a.from_number),
    to_numbers = case when change ? 'to_numbers' then excluded.to_numbers else a.to_numbers end,
    participants = case when parties is null then a.participants else excluded.participants end,
    user_id = coalesce(excluded.user_id, a.user_id),
    phone_number_id = coalesce(excluded.phone_number_id, a.phone_number_id),
    body = coalesce(excluded.body, a.body),
    media_urls = case when change ? 'media' then excluded.media_urls else a.media_urls end,
    duration_seconds = coalesce(excluded.duration_seconds, a.duration_seconds),
    recording_url = coalesce(excluded.recording_url, a.recording_url),
    voicemail_url = coalesce(excluded.voicemail_url, a.voicemail_url),
    answered_at = coalesce(excluded.answered_at, a.answered_at),
    answered_by = coalesce(excluded.answered_by, a.answered_by),
    completed_at = coalesce(excluded.completed_at, a.completed_at),
    initiated_by = coalesce(excluded.initiated_by, a.initiated_by),
    forwarded_from = coalesce(excluded.forwarded_from, a.forwarded_from),
    forwarded_to = coalesce(excluded.forwarded_to, a.forwarded_to),
    ai_summary = coalesce(excluded.ai_summary, a.ai_summary),
    ai_next_steps = coalesce(excluded.ai_next_steps, a.ai_next_steps),
    ai_transcript = coalesce(excluded.ai_transcript, a.ai_transcript),
    -- Summary and transcript report separately; once either completed, a later "pending" from
    -- the other must not hide it.
    ai_content_status = case when a.ai_content_status = 'completed' then 'completed'
                             else coalesce(excluded.ai_content_status, a.ai_content_status) end,
    occurred_at = coalesce(occurred, a.occurred_at)
  returning * into applied;
  -- Only changes that carry the activity's own time can change which activity is the latest;
  -- enrichments leave the conversation row unlocked, so they never deadlock against it.
  if occurred is not null and applied.conversation_id is not null then
    update conversations c
    set last_activity_at = applied.occurred_at,
        last_activity_type = applied.activity_type,
        last_activity_id = applied.openphone_id
    where c.id = applied.conversation_id
      and (c.last_activity_id is null or c.last_activity_at <= applied.occurred_at)
      and c.last_activity_id is distinct from applied.openphone_id;
  end if;
  return applied;
end
$$;

-- Upserts a provider contact. An existing contact holding one of its numbers and no provider
-- link becomes this contact (no duplicate person); the primary phone is the first number nobody
-- else holds as primary.
create function apply_contact(change jsonb) returns bigint
  language plpgsql as $$
declare
  provider_id text := change->>'openphone_id';
  phones text[] := coalesce(jsonb_text_array(change->'phone_numbers'), '{}');
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
    phone_numbers = array(select distinct n from unnest(k.phone_numbers || excluded.phone_numbers) n
                          order by n)
  returning id into contact_id;
  return contact_id;
end
$$;

-- Applies a group of stored webhook events in order and marks them processed. `events` is a
-- JSON array of {row_id, kind: activity|contact|contact_removal, created_at, change}. Returns the
-- snapshot of every activity applied, for publishing.
create function apply_webhook_events(events jsonb)
  returns table (row_id bigint, conversation_id bigint, activity text)
  language plpgsql as $$
declare
  event jsonb;
  applied activities;
  applied_ids bigint[] := '{}';
begin
  for event in select value from jsonb_array_elements(events) loop
    applied_ids := applied_ids || (event->>'row_id')::bigint;
    case event->>'kind'
      when 'activity' then
        applied := apply_activity(event->'change', (event->>'created_at')::timestamptz, 'webhook');
        row_id := (event->>'row_id')::bigint;
        conversation_id := applied.conversation_id;
        activity := activity_snapshot(applied);
        return next;
      when 'contact' then
        perform apply_contact(event->'change');
      when 'contact_removal' then
        -- OpenPhone deleting a contact unlinks it; our history stays.
        update contacts set openphone_id = null where openphone_id = event->'change'->>'openphone_id';
      else
        raise exception 'unknown change kind %', event->>'kind';
    end case;
  end loop;
  -- clock_timestamp(): the moment of the apply, for apply-lag figures.
  update webhook_events
  set status = 'processed', processed_at = clock_timestamp(), next_attempt_at = null,
      error_code = null, error_message = null
  where id = any (applied_ids);
end
$$;
