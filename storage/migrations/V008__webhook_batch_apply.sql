-- Applying webhook events set-based (issue 4's throughput): V003's apply_webhook_events ran
-- every event through a chain of single-row statements, and PostgreSQL's per-statement cost
-- (executor start-up, CHECK expressions, index descents) dominated the webhook path. Here a
-- batch of events, from one conversation or from many, costs a handful of statements.
--
-- Events for the same activity are split into waves (its first event in wave 1, its second in
-- wave 2, …); within a wave every activity appears once, so one INSERT … ON CONFLICT merges them
-- all, and the waves keep each activity's events in arrival order. The merge rules are V003's,
-- with one refinement that makes them expressible per set: an empty list never erases a stored
-- one (a change that names no recipients says nothing about them).

create function apply_webhook_batch(events jsonb)
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
           jsonb_build_object(
             'id', w.id, 'openphone_id', w.openphone_id, 'conversation_id', w.conversation_id,
             'contact_id', w.contact_id, 'activity_type', w.activity_type,
             'direction', w.direction, 'status', w.status, 'from_number', w.from_number,
             'to_numbers', w.to_numbers, 'participants', w.participants, 'body', w.body,
             'media', w.media_urls, 'duration_seconds', w.duration_seconds,
             'has_recording', w.recording_url is not null,
             'has_voicemail', w.voicemail_url is not null,
             'ai_content_status', w.ai_content_status, 'occurred_at', w.occurred_at,
             'updated_at', w.updated_at)::text
    from written w
    join pg_temp.webhook_batch b
      on b.wave = current_wave and b.openphone_id = w.openphone_id;
  end loop;

  -- clock_timestamp(): the moment of the apply, for apply-lag figures.
  update webhook_events
  set status = 'processed', processed_at = clock_timestamp(), next_attempt_at = null,
      error_code = null, error_message = null
  where id in (select (e.value->>'row_id')::bigint from jsonb_array_elements(events) as e(value))
    and status <> 'processed';
end
$$;

-- Replaced by apply_webhook_batch.
drop function apply_webhook_events(jsonb);
drop function activity_snapshot(activities);
