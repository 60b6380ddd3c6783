-- The web app's API (issue 6): read marks per user, texts sent from the app, contact search,
-- and the JSON shapes the API and the live events share, built in one place.

-- ---------------------------------------------------------------------------------------------
-- Read state: what each user has seen of each conversation.

create table conversation_reads (
  user_id bigint not null references users (id) on delete cascade,
  conversation_id bigint not null references conversations (id) on delete cascade,
  read_at timestamptz not null,
  primary key (user_id, conversation_id)
);

-- Unread counts look at incoming activities after a read mark.
create index activities_conversation_incoming_idx
  on activities (conversation_id, occurred_at) where direction = 'incoming';

-- ---------------------------------------------------------------------------------------------
-- Texts sent from the app: stored before the provider is called (pending: no provider id yet),
-- keyed by the request's idempotency key so a retried POST sends nothing twice.

alter table activities add column send_key text unique;
alter table activities add column send_error text;

-- The sync-health summary counts events needing attention; the processed bulk stays out.
create index webhook_events_attention_idx on webhook_events (status)
  where status in ('failed', 'dead');

-- ---------------------------------------------------------------------------------------------
-- Contact search: substring match over names, company and email (trigram index), numbers by
-- their digits.

create extension if not exists pg_trgm;

create function contact_search_text(first_name text, last_name text, display_name text,
                                    company text, email text) returns text
  language sql immutable parallel safe
  return lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' '
               || coalesce(display_name, '') || ' ' || coalesce(company, '') || ' '
               || coalesce(email, ''));

create index contacts_search_idx on contacts using gin (
  contact_search_text(first_name, last_name, display_name, company, email) gin_trgm_ops);

-- ---------------------------------------------------------------------------------------------
-- JSON shapes (docs/api/openapi.yaml): the same text whether read through the API or pushed live.

-- Where the app can fetch a media URL: crmd's stored copy when there is one.
create function local_media_url(url text) returns text
  language sql stable parallel safe
  return (select '/media/' || f.sha256 from media_files f
          where f.url = local_media_url.url and f.status = 'stored');

create function activity_json(a activities, with_transcript boolean) returns jsonb
  language sql stable parallel safe
  return jsonb_build_object(
    'id', a.id, 'openphone_id', a.openphone_id, 'conversation_id', a.conversation_id,
    'contact_id', a.contact_id, 'activity_type', a.activity_type, 'direction', a.direction,
    'status', a.status, 'from_number', a.from_number, 'to_numbers', a.to_numbers,
    'participants', a.participants, 'body', a.body,
    'media', (select coalesce(jsonb_agg(jsonb_build_object(
                'url', m.value->>'url', 'type', m.value->>'type',
                'local_url', local_media_url(m.value->>'url')) order by m.ord), '[]'::jsonb)
              from jsonb_array_elements(a.media_urls) with ordinality as m(value, ord)),
    'duration_seconds', a.duration_seconds,
    'recording_url', coalesce(local_media_url(a.recording_url), a.recording_url),
    'voicemail_url', coalesce(local_media_url(a.voicemail_url), a.voicemail_url),
    'answered_at', a.answered_at, 'answered_by', a.answered_by, 'completed_at', a.completed_at,
    'ai_summary', a.ai_summary, 'ai_next_steps', a.ai_next_steps,
    'has_transcript', a.ai_transcript is not null, 'ai_content_status', a.ai_content_status,
    'occurred_at', a.occurred_at, 'updated_at', a.updated_at,
    'pending', a.openphone_id is null and a.status = 'queued', 'send_error', a.send_error,
    'user_id', a.user_id)
    || case when with_transcript then jsonb_build_object('ai_transcript', a.ai_transcript)
            else '{}'::jsonb end;

-- A live frame for a written activity. A row whose updated_at still equals created_at was
-- inserted by this transaction (set_updated_at only fires on real changes afterwards).
create function activity_event(a activities) returns jsonb
  language sql stable parallel safe
  return jsonb_build_object(
    'event', case when a.created_at = a.updated_at then 'activity.created'
                  else 'activity.updated' end,
    'data', activity_json(a, false));

-- Contacts sort by the name the app shows; id breaks ties for keyset pages.
create function contact_sort_key(k contacts) returns text
  language sql immutable parallel safe
  return lower(coalesce(nullif(k.display_name, ''),
                        nullif(trim(coalesce(k.first_name, '') || ' ' || coalesce(k.last_name, '')), ''),
                        nullif(k.company, ''), k.phone, ''));

create function contact_json(k contacts) returns jsonb
  language sql stable parallel safe
  return jsonb_build_object(
    'id', k.id, 'first_name', k.first_name, 'last_name', k.last_name,
    'display_name', k.display_name, 'company', k.company, 'phone', k.phone,
    'phone_numbers', k.phone_numbers, 'email', k.email, 'street', k.street, 'city', k.city,
    'state', k.state, 'postal_code', k.postal_code, 'country', k.country,
    'time_zone', k.time_zone, 'tags', k.tags, 'source', k.source,
    'opted_out_at', k.opted_out_at,
    'last_activity_at', (select max(v.last_activity_at) from conversations v
                         where v.contact_id = k.id),
    'created_at', k.created_at, 'updated_at', k.updated_at);

create function inbox_item_json(v conversations) returns jsonb
  language sql stable parallel safe
  return (select jsonb_build_object(
            'conversation_id', v.id,
            'contact', jsonb_build_object('id', k.id, 'display_name', k.display_name,
                                          'first_name', k.first_name, 'last_name', k.last_name,
                                          'phone', k.phone),
            'phone_number_id', v.phone_number_id, 'participants', v.participants,
            'last_activity_at', v.last_activity_at, 'last_activity_type', v.last_activity_type,
            'preview', (select jsonb_build_object('activity_id', a.id,
                                                  'activity_type', a.activity_type,
                                                  'direction', a.direction, 'status', a.status,
                                                  'body', left(a.body, 140))
                        from activities a where a.conversation_id = v.id
                        order by a.occurred_at desc, a.id desc limit 1))
          from contacts k where k.id = v.contact_id);

-- ---------------------------------------------------------------------------------------------
-- Webhook batches now publish the API's shapes: activity.created / activity.updated per written
-- activity, and conversation.updated per touched conversation (rows with a null row_id). The
-- rest is V008's function unchanged.

create or replace function apply_webhook_batch(events jsonb)
  returns table (row_id bigint, conversation_id bigint, activity text)
  language plpgsql as $$
declare
  wave_count integer;
  current_wave integer;
begin
  -- Contacts first: whichever order they came in, a contact and the activities naming its
  -- number converge on one person (apply_contact links the contact the parties created).
  perform apply_contact(e.value->'change')
  from jsonb_array_elements(events) with ordinality as e(value, ord)
  where e.value->>'kind' = 'contact'
  order by e.ord;
  update contacts set openphone_id = null
  where openphone_id in (select e.value->'change'->>'openphone_id'
                         from jsonb_array_elements(events) as e(value)
                         where e.value->>'kind' = 'contact_removal');

  -- The batch's activity changes, one row per event. A temporary table (created once per
  -- session, emptied at commit) so the waves below can join back to it.
  if to_regclass('pg_temp.webhook_batch') is null then
    create temporary table webhook_batch (
    ord bigint, row_id bigint, wave integer, created_at timestamptz, openphone_id text,
    activity_type text, direction text, status text, from_number text, to_numbers text[],
    participants text[], user_id text, phone_number_id text, conversation_openphone_id text,
    body text, media jsonb, duration_seconds integer, recording_url text, voicemail_url text,
    occurred_at timestamptz, answered_at timestamptz, answered_by text,
    completed_at timestamptz, initiated_by text, forwarded_from text, forwarded_to text,
    ai_summary text[], ai_next_steps text[], ai_transcript jsonb, ai_content_status text,
    conversation bigint, contact bigint, user_key bigint)
    on commit delete rows;
    create index on webhook_batch (openphone_id, wave);
  end if;
  delete from pg_temp.webhook_batch;

  insert into pg_temp.webhook_batch
  select e.ord, (e.value->>'row_id')::bigint,
         row_number() over (partition by c.openphone_id order by e.ord),
         (e.value->>'created_at')::timestamptz, c.openphone_id, c.activity_type, c.direction,
         c.status, c.from_number, c.to_numbers, c.participants, c.user_id, c.phone_number_id,
         c.conversation_id, c.body, c.media, c.duration_seconds, c.recording_url,
         c.voicemail_url, c.occurred_at, c.answered_at, c.answered_by, c.completed_at,
         c.initiated_by, c.forwarded_from, c.forwarded_to, c.ai_summary, c.ai_next_steps,
         c.ai_transcript, c.ai_content_status, null, null, null
  from jsonb_array_elements(events) with ordinality as e(value, ord),
       jsonb_to_record(e.value->'change') as c(
         openphone_id text, activity_type text, direction text, status text, from_number text,
         to_numbers text[], participants text[], user_id text, phone_number_id text,
         conversation_id text, body text, media jsonb, duration_seconds integer,
         recording_url text, voicemail_url text, occurred_at timestamptz,
         answered_at timestamptz, answered_by text, completed_at timestamptz,
         initiated_by text, forwarded_from text, forwarded_to text, ai_summary text[],
         ai_next_steps text[], ai_transcript jsonb, ai_content_status text)
  where e.value->>'kind' = 'activity';

  -- Users, conversations (with their participants' contacts) and the primary contact, once per
  -- distinct value rather than once per event.
  insert into users (openphone_user_id)
  select distinct b.user_id from pg_temp.webhook_batch b where b.user_id is not null
  order by 1
  on conflict (openphone_user_id) do nothing;
  perform ensure_conversation(g.phone_number_id, g.participants, g.conversation_openphone_id,
                              g.first_at, 'webhook')
  from (select b.phone_number_id, b.participants, b.conversation_openphone_id,
               min(coalesce(b.occurred_at, b.created_at)) as first_at
        from pg_temp.webhook_batch b
        where cardinality(b.participants) > 0
        group by 1, 2, 3
        order by 1, 2, 3) as g;
  update pg_temp.webhook_batch b
  set user_key = (select u.id from users u where u.openphone_user_id = b.user_id),
      conversation = case when cardinality(b.participants) > 0 then coalesce(
        (select v.id from conversations v where v.openphone_id = b.conversation_openphone_id),
        (select v.id from conversations v
         where b.phone_number_id is not null and v.phone_number_id = b.phone_number_id
           and v.participants = b.participants),
        (select v.id from conversations v
         where b.phone_number_id is null and v.phone_number_id is null
           and v.participants = b.participants)) end,
      contact = case when cardinality(b.participants) > 0 then
        (select k.id from contacts k where k.phone_numbers @> b.participants[1:1]
         order by (k.phone = b.participants[1]) desc, k.id limit 1) end;

  select coalesce(max(b.wave), 0) into wave_count from pg_temp.webhook_batch b;
  for current_wave in 1 .. wave_count loop
    return query
    with written as (
      insert into activities as a (
        openphone_id, conversation_id, contact_id, activity_type, direction, status,
        from_number, to_numbers, participants, user_id, phone_number_id, body, media_urls,
        duration_seconds, recording_url, voicemail_url, answered_at, answered_by, completed_at,
        initiated_by, forwarded_from, forwarded_to, ai_summary, ai_next_steps, ai_transcript,
        ai_content_status, occurred_at)
      select b.openphone_id, b.conversation, b.contact, b.activity_type, b.direction, b.status,
             b.from_number, coalesce(b.to_numbers, '{}'), coalesce(b.participants, '{}'),
             b.user_key, b.phone_number_id, b.body, coalesce(b.media, '[]'), b.duration_seconds,
             b.recording_url, b.voicemail_url, b.answered_at, b.answered_by, b.completed_at,
             b.initiated_by, b.forwarded_from, b.forwarded_to, b.ai_summary, b.ai_next_steps,
             b.ai_transcript, b.ai_content_status,
             -- An enrichment seen before its activity is dated by its event until the
             -- activity's own event corrects it.
             coalesce(b.occurred_at, b.created_at)
      from pg_temp.webhook_batch b
      where b.wave = current_wave
      order by b.openphone_id
      on conflict (openphone_id) do update set
        conversation_id = coalesce(a.conversation_id, excluded.conversation_id),
        contact_id = coalesce(a.contact_id, excluded.contact_id),
        -- Only a change carrying the activity's own time says what the activity is and when.
        activity_type = case when (select b.occurred_at from pg_temp.webhook_batch b
                                   where b.openphone_id = excluded.openphone_id
                                     and b.wave = current_wave) is null
                             then a.activity_type else excluded.activity_type end,
        direction = coalesce(excluded.direction, a.direction),
        -- Statuses only move forward: "delivered" before "sent" keeps "delivered".
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
        ai_summary = coalesce(excluded.ai_summary, a.ai_summary),
        ai_next_steps = coalesce(excluded.ai_next_steps, a.ai_next_steps),
        ai_transcript = coalesce(excluded.ai_transcript, a.ai_transcript),
        -- Summary and transcript report separately; once either completed, a later "pending"
        -- from the other must not hide it.
        ai_content_status = case when a.ai_content_status = 'completed' then 'completed'
                                 else coalesce(excluded.ai_content_status,
                                               a.ai_content_status) end,
        occurred_at = case when (select b.occurred_at from pg_temp.webhook_batch b
                                 where b.openphone_id = excluded.openphone_id
                                   and b.wave = current_wave) is null
                           then a.occurred_at else excluded.occurred_at end
      returning a.*),
    newest as (
      select distinct on (w.conversation_id) w.conversation_id, w.occurred_at, w.activity_type,
             w.openphone_id
      from written w
      join pg_temp.webhook_batch b
        on b.wave = current_wave and b.openphone_id = w.openphone_id
      where w.conversation_id is not null and b.occurred_at is not null
      order by w.conversation_id, w.occurred_at desc, w.openphone_id desc),
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
    select b.row_id, w.conversation_id,
           activity_event(row(w.*)::activities)::text
    from written w
    join pg_temp.webhook_batch b
      on b.wave = current_wave and b.openphone_id = w.openphone_id;
  end loop;

  -- One inbox line per conversation the batch touched, after every wave moved it.
  return query
  select null::bigint, v.id,
         jsonb_build_object('event', 'conversation.updated', 'data', inbox_item_json(v))::text
  from conversations v
  where v.id in (select b.conversation from pg_temp.webhook_batch b
                 where b.conversation is not null);

  -- clock_timestamp(): the moment of the apply, for apply-lag figures.
  update webhook_events
  set status = 'processed', processed_at = clock_timestamp(), next_attempt_at = null,
      error_code = null, error_message = null
  where id in (select (e.value->>'row_id')::bigint from jsonb_array_elements(events) as e(value))
    and status <> 'processed';
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Sending a text from the app. The pending row is what the user sees at once; the provider's id
-- is attached when its answer comes back, and the webhook that follows then updates that same
-- row (activities are keyed by the provider id).

-- Stores the pending text, or finds the one stored under the same key. No row when the
-- conversation does not exist; nothing is stored when the contact opted out or the conversation
-- has no number of ours to send from (activity is then null).
create function queue_outgoing_message(conversation bigint, sender bigint, message text,
                                       key text)
  returns table (activity_id bigint, activity jsonb, created boolean, contact_opted_out boolean,
                 from_number_id text, recipients text[], sender_provider_id text,
                 conversation_frame jsonb)
  language plpgsql as $$
declare
  v conversations;
  written activities;
begin
  select * into v from conversations c where c.id = conversation;
  if not found then
    return;
  end if;
  contact_opted_out := exists (select 1 from contacts k
                               where k.id = v.contact_id and k.opted_out_at is not null);
  from_number_id := v.phone_number_id;
  recipients := v.participants;
  created := false;
  if contact_opted_out or from_number_id is null then
    return next;
    return;
  end if;
  insert into activities as a (conversation_id, contact_id, activity_type, direction, status,
                               from_number, to_numbers, participants, user_id, phone_number_id,
                               body, occurred_at, send_key)
  values (v.id, v.contact_id, 'message', 'outgoing', 'queued',
          (select p.phone_number from phone_numbers p where p.openphone_id = v.phone_number_id),
          v.participants, v.participants, sender, v.phone_number_id, message, clock_timestamp(),
          key)
  on conflict (send_key) do nothing
  returning a.* into written;
  created := written.id is not null;
  if created then
    update conversations c
    set last_activity_at = written.occurred_at, last_activity_type = 'message',
        last_activity_id = null
    where c.id = v.id
    returning * into v;
  else
    select * into written from activities a where a.send_key = key;
  end if;
  activity_id := written.id;
  activity := activity_json(written, false);
  sender_provider_id := (select u.openphone_user_id from users u where u.id = sender);
  conversation_frame := jsonb_build_object('event', 'conversation.updated',
                                           'data', inbox_item_json(v));
  return next;
end
$$;

-- The provider accepted the text: attach its id. If the provider's webhook for it was applied
-- first, that row's facts fold into the pending one (the row the user already sees) and it is
-- deleted, announced as activity.deleted. Returns the live frames to publish.
create function attach_sent_message(pending_id bigint, provider_id text, provider_status text)
  returns setof jsonb
  language plpgsql as $$
declare
  early activities;
  written activities;
begin
  select * into early from activities a
  where a.openphone_id = provider_id and a.id <> pending_id
  for update;
  if found then
    delete from activities a where a.id = early.id;
    return next jsonb_build_object('event', 'activity.deleted',
                                   'data', jsonb_build_object('id', early.id,
                                                              'replaced_by', pending_id,
                                                              'conversation_id',
                                                              early.conversation_id));
  end if;
  update activities a
  set openphone_id = provider_id,
      status = case when activity_status_rank(coalesce(early.status, provider_status))
                           >= activity_status_rank(provider_status)
                    then coalesce(early.status, provider_status) else provider_status end,
      from_number = coalesce(early.from_number, a.from_number),
      media_urls = coalesce(early.media_urls, a.media_urls),
      send_error = null
  where a.id = pending_id
  returning * into written;
  if found then
    return next activity_event(written);
  end if;
end
$$;

-- The provider refused the text (or could not be reached without risking a second copy).
create function fail_sent_message(pending_id bigint, reason text) returns setof jsonb
  language plpgsql as $$
declare
  written activities;
begin
  update activities a set status = 'failed', send_error = reason
  where a.id = pending_id and a.openphone_id is null
  returning * into written;
  if found then
    return next activity_event(written);
  end if;
end
$$;
