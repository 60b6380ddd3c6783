-- Writing each webhook row once (issue 4: webhook throughput).
-- - V020's intake stored each event as 'received', applied it, then rewrote the row as
--   'processed': a second version of every row, payload included, with its index entries, and a
--   lookup of the rows it had just stored. Now the intake applies first and stores each applied
--   event once, as processed.
-- - Every incoming text was written a second time by the reply processor, most only to mark it
--   seen. A text that cannot concern it (no carrier keyword, which crmd flags, and no campaign
--   text out to its contact) is now inserted as processed.

-- V019's apply_webhook_batch without its bookkeeping (skipping events applied already, marking
-- the rest processed), for callers that know their events are new and store them afterwards.
create function apply_webhook_changes(events jsonb)
  returns table (row_id bigint, conversation_id bigint, activity text)
  language plpgsql as $$
declare
  written_ids text[];
  written_row_ids bigint[];
  written_timed boolean[];
  frames webhook_apply_frame[];
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

  -- Users, conversations (with their participants' contacts), once per distinct value, in a
  -- fixed order so that concurrent batches do not deadlock.
  insert into users (openphone_user_id)
  select distinct e.value->'change'->>'user_id'
  from jsonb_array_elements(events) as e(value)
  where e.value->>'kind' = 'activity' and e.value->'change'->>'user_id' is not null
  order by 1
  on conflict (openphone_user_id) do nothing;
  perform ensure_conversation(g.phone_number_id, g.participants, g.conversation_id, g.first_at,
                              'webhook')
  from (select c.phone_number_id, c.participants, c.conversation_id,
               min(coalesce(c.occurred_at, (e.value->>'created_at')::timestamptz)) as first_at
        from jsonb_array_elements(events) as e(value),
             jsonb_to_record(e.value->'change') as c(phone_number_id text, participants text[],
                                                     conversation_id text,
                                                     occurred_at timestamptz)
        where e.value->>'kind' = 'activity' and cardinality(c.participants) > 0
        group by 1, 2, 3
        order by 1, 2, 3) as g;

  -- An activity first named by changes without its own time (a recording or summary before
  -- its call): a placeholder row, dated by its first event, which the statement below then
  -- fills. So that statement only ever inserts activities whose type and time it knows
  -- (constraints are checked before ON CONFLICT is, so a marker value must be a valid one).
  insert into activities (openphone_id, activity_type, occurred_at)
  select c.openphone_id, substr(min(to_char(e.ord, 'FM0000000000') || c.activity_type), 11),
         min((e.value->>'created_at')::timestamptz)
  from jsonb_array_elements(events) with ordinality as e(value, ord),
       jsonb_to_record(e.value->'change') as c(openphone_id text, activity_type text,
                                               occurred_at timestamptz)
  where e.value->>'kind' = 'activity'
  group by c.openphone_id
  having bool_and(c.occurred_at is null)
  order by 1
  on conflict (openphone_id) do nothing;

  with change as (
    select e.ord, to_char(e.ord, 'FM0000000000') as ord_key,
           (e.value->>'row_id')::bigint as row_id,
           -- The fields this change gives: a null, or an empty list of numbers or media, says
           -- nothing and must not hide a value an earlier change gave.
           (select jsonb_object_agg(f.key, f.value)
            from jsonb_each(e.value->'change') as f
            where f.value <> 'null'
              and not (f.key in ('to_numbers', 'participants', 'media') and f.value = '[]'))
             as given,
           coalesce((e.value->>'carrier_keyword')::boolean, false) as carrier_keyword,
           c.*
    from jsonb_array_elements(events) with ordinality as e(value, ord),
         jsonb_to_record(e.value->'change') as c(
           openphone_id text, activity_type text, status text, participants text[],
           phone_number_id text, conversation_id text, occurred_at timestamptz,
           ai_content_status text)
    where e.value->>'kind' = 'activity'),
  -- One row per activity: what applying its changes one after another would leave, from one
  -- row per change (not per field: the picks below ran ten times over before). `merged` holds
  -- the last value each field was given (jsonb_merge_agg: later keys win); the "first" and
  -- "last of" picks sort on a key prefixed by the change's position.
  folded as (
    select c.openphone_id,
           max(c.row_id) as row_id,
           bool_or(c.occurred_at is not null) as carries_time,
           jsonb_merge_agg(c.given order by c.ord) as merged,
           -- The activity's type as said by the last change carrying its time, else the first.
           coalesce(substr(max(c.ord_key || c.activity_type)
                             filter (where c.occurred_at is not null), 11),
                    substr(min(c.ord_key || c.activity_type), 11)) as activity_type,
           -- The highest-ranked status, the later of equals: "delivered" then "sent" keeps
           -- "delivered".
           substr(max(to_char(activity_status_rank(c.status), 'FM00') || c.ord_key || c.status),
                  13) as status,
           -- Summary and transcript report separately; once either completed, a later
           -- "pending" from the other must not hide it.
           bool_or(c.ai_content_status = 'completed') as ai_completed,
           bool_or(c.carrier_keyword) as carrier_keyword,
           -- The conversation and contact come from the first change that names the parties.
           substr(min(c.ord_key || c.participants::text)
                    filter (where cardinality(c.participants) > 0), 11)::text[]
             as first_parties,
           substr(min(c.ord_key || coalesce(c.phone_number_id, ''))
                    filter (where cardinality(c.participants) > 0), 11) as first_number_id,
           substr(min(c.ord_key || coalesce(c.conversation_id, ''))
                    filter (where cardinality(c.participants) > 0), 11)
             as first_conversation_id
    from change c
    group by c.openphone_id),
  resolved as (
    select f.openphone_id, f.row_id, f.carries_time, f.activity_type, f.status,
           f.carrier_keyword,
           -- -infinity: no change carries the activity's time (the row exists then, see the
           -- placeholder above), and the conflict clause keeps the stored type and time.
           coalesce(m.occurred_at, '-infinity') as occurred_at,
           m.direction, m.from_number, coalesce(m.to_numbers, '{}') as to_numbers,
           coalesce(m.participants, '{}') as participants, m.phone_number_id, m.body,
           coalesce(m.media, '[]') as media, m.duration_seconds, m.recording_url,
           m.voicemail_url, m.answered_at, m.answered_by, m.completed_at, m.initiated_by,
           m.forwarded_from, m.forwarded_to, m.ai_summary, m.ai_next_steps, m.ai_transcript,
           case when f.ai_completed then 'completed' else m.ai_content_status end
             as ai_content_status,
           (select u.id from users u where u.openphone_user_id = m.user_id) as user_key,
           case when f.first_parties is not null then coalesce(
             (select v.id from conversations v
              where v.openphone_id = nullif(f.first_conversation_id, '')),
             (select v.id from conversations v
              where f.first_number_id <> '' and v.phone_number_id = f.first_number_id
                and v.participants = f.first_parties),
             (select v.id from conversations v
              where f.first_number_id = '' and v.phone_number_id is null
                and v.participants = f.first_parties)) end as conversation,
           case when f.first_parties is not null then
             (select k.id from contacts k where k.phone_numbers @> f.first_parties[1:1]
              order by (k.phone = f.first_parties[1]) desc, k.id limit 1) end as contact
    from folded f,
         jsonb_to_record(f.merged) as m(
           direction text, from_number text, to_numbers text[], participants text[],
           user_id text, phone_number_id text, body text, media jsonb,
           duration_seconds integer, recording_url text, voicemail_url text,
           occurred_at timestamptz, answered_at timestamptz, answered_by text,
           completed_at timestamptz, initiated_by text, forwarded_from text,
           forwarded_to text, ai_summary text[], ai_next_steps text[], ai_transcript jsonb,
           ai_content_status text)),
  written as (
    insert into activities as a (
      openphone_id, conversation_id, contact_id, activity_type, direction, status,
      from_number, to_numbers, participants, user_id, phone_number_id, body, media_urls,
      duration_seconds, recording_url, voicemail_url, answered_at, answered_by, completed_at,
      initiated_by, forwarded_from, forwarded_to, ai_summary, ai_next_steps, ai_transcript,
      ai_content_status, occurred_at, reply_processed_at)
    select r.openphone_id, r.conversation, r.contact,
           r.activity_type, r.direction, r.status, r.from_number, r.to_numbers, r.participants,
           r.user_key,
           r.phone_number_id, r.body, r.media, r.duration_seconds, r.recording_url,
           r.voicemail_url, r.answered_at, r.answered_by, r.completed_at, r.initiated_by,
           r.forwarded_from, r.forwarded_to, r.ai_summary, r.ai_next_steps, r.ai_transcript,
           r.ai_content_status, r.occurred_at,
           -- A new incoming text that is no carrier keyword, from a contact no campaign text
           -- went out to, leaves the reply processor nothing to do: it is processed now rather
           -- than queued (one write of the row instead of two). Rows that existed keep theirs.
           case when r.direction = 'incoming' and r.activity_type = 'message'
                     and not r.carrier_keyword
                     and not exists (select 1 from campaign_memberships cm
                                     where cm.contact_id = r.contact and cm.status = 'sent')
                then now() end
    from resolved r
    order by r.openphone_id
    on conflict (openphone_id) do update set
      conversation_id = coalesce(a.conversation_id, excluded.conversation_id),
      contact_id = coalesce(a.contact_id, excluded.contact_id),
      -- Only a change carrying the activity's own time says what the activity is and when.
      activity_type = case when excluded.occurred_at = '-infinity' then a.activity_type
                           else excluded.activity_type end,
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
      ai_content_status = case when a.ai_content_status = 'completed' then 'completed'
                               else coalesce(excluded.ai_content_status,
                                             a.ai_content_status) end,
      occurred_at = case when excluded.occurred_at = '-infinity' then a.occurred_at
                         else excluded.occurred_at end
  )
  select array_agg(r.openphone_id), array_agg(r.row_id), array_agg(r.carries_time)
  into written_ids, written_row_ids, written_timed
  from resolved r;

  -- Reading the written rows back by their key, rather than joining RETURNING to the batch,
  -- keeps this linear: the planner cannot know a batch's size and would nest the loops.
  with applied as (
    select b.row_id, b.carries_time, a.conversation_id, a.occurred_at, a.activity_type,
           a.openphone_id, activity_event(a)::text as frame
    from unnest(written_ids, written_row_ids, written_timed)
           as b(openphone_id, row_id, carries_time)
    join activities a on a.openphone_id = b.openphone_id),
  newest as (
    select distinct on (p.conversation_id) p.conversation_id, p.occurred_at, p.activity_type,
           p.openphone_id
    from applied p
    where p.conversation_id is not null and p.carries_time
    order by p.conversation_id, p.occurred_at desc, p.openphone_id desc),
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
  select array_agg(row(p.row_id, p.conversation_id, p.frame)::webhook_apply_frame)
  into frames
  from applied p;

  return query select * from unnest(frames);

  -- One inbox line per conversation the batch touched.
  return query
  select null::bigint, v.id,
         jsonb_build_object('event', 'conversation.updated', 'data', inbox_item_json(v))::text
  from conversations v
  where v.id in (select f.conversation_id from unnest(frames) as f
                 where f.conversation_id is not null);
end
$$;

-- Events stored earlier (a re-drive, a conversation actor, a replay): skip those applied already,
-- apply the rest, mark them processed.
create or replace function apply_webhook_batch(events jsonb)
  returns table (row_id bigint, conversation_id bigint, activity text)
  language plpgsql as $$
declare
  pending bigint[];
begin
  -- A re-drive can fetch an event whose apply was committing, and each event must make exactly
  -- one change.
  select coalesce(array_agg(w.id), '{}') into pending
  from webhook_events w
  where w.id in (select (e.value->>'row_id')::bigint from jsonb_array_elements(events) as e(value))
    and w.status <> 'processed';
  if cardinality(pending) < jsonb_array_length(events) then
    select coalesce(jsonb_agg(e.value order by e.ord), '[]') into events
    from jsonb_array_elements(events) with ordinality as e(value, ord)
    where (e.value->>'row_id')::bigint = any(pending);
  end if;

  return query
  select c.row_id, c.conversation_id, c.activity from apply_webhook_changes(events) as c;

  -- clock_timestamp(): the moment of the apply, for apply-lag figures.
  update webhook_events
  set status = 'processed', processed_at = clock_timestamp(), next_attempt_at = null,
      error_code = null, error_message = null
  where id = any(pending);
end
$$;

-- The intake's batch: its new events (each id once, first delivery first) get their row ids,
-- the understood ones are applied in a subtransaction, then every new event is stored once:
-- 'processed' when applied, else as delivered ('received', or 'failed' when not understood).
-- Only the intake stores events and it runs one batch at a time, so no event can be stored between
-- the lookup and the insert; if one were, the insert's unique violation would roll the whole batch
-- back (and the sender retry), never apply an event twice. Rows as in V020.
create or replace function store_webhook_batch(inbox jsonb, changes jsonb,
                                               apply_lock_timeout_ms integer)
  returns table (row_id bigint, event_id text, conversation_id bigint, activity text,
                 lag_seconds float8, apply_error text)
  language plpgsql as $$
declare
  new_event_ids text[];
  new_positions integer[];
  new_ids bigint[];
  events jsonb;
  applied text[] := '{}';
  frames webhook_apply_frame[];
  failure text;
  lock_timeout_before text := current_setting('lock_timeout');
begin
  select coalesce(array_agg(f.event_id order by f.ord), '{}'),
         coalesce(array_agg((f.ord - 1)::int order by f.ord), '{}')
  into new_event_ids, new_positions
  from (select distinct on (i.value->>'event_id') i.value->>'event_id' as event_id, i.ord
        from jsonb_array_elements(inbox) with ordinality as i(value, ord)
        order by i.value->>'event_id', i.ord) as f
  where not exists (select 1 from webhook_events w where w.event_id = f.event_id);
  if cardinality(new_event_ids) = 0 then
    return;
  end if;
  select array_agg(nextval('webhook_events_id_seq'::regclass)) into new_ids
  from generate_series(1, cardinality(new_event_ids));

  select jsonb_agg(c.value || jsonb_build_object('row_id', n.id) order by c.ord) into events
  from jsonb_array_elements(changes) with ordinality as c(value, ord)
  join unnest(new_ids, new_event_ids) as n(id, event_id) on n.event_id = c.value->>'event_id';

  if events is not null then
    begin
      -- Waiting long for a row another transaction holds would hold up the acknowledgements of
      -- the whole batch: past the timeout the conversation actors apply these events instead.
      perform set_config('lock_timeout', apply_lock_timeout_ms || 'ms', true);
      select array_agg(row(b.row_id, b.conversation_id, b.activity)::webhook_apply_frame)
      into frames
      from apply_webhook_changes(events) as b;
      perform set_config('lock_timeout', lock_timeout_before, true);
      select array_agg(e.value->>'event_id') into applied from jsonb_array_elements(events) as e;
    exception when others then
      failure := sqlstate;
    end;
  end if;

  -- clock_timestamp(): after the apply, for apply-lag figures; received_at is the transaction's
  -- start (now()).
  insert into webhook_events as w (id, event_id, event_type, api_version, payload, status,
                                   error_code, error_message, next_attempt_at, processed_at)
  overriding system value
  select n.id, i.event_id, i.event_type, i.api_version, i.payload,
         case when i.event_id = any(applied) then 'processed' else i.status end,
         i.error_code, i.error_message,
         case when i.event_id = any(applied) then null
              when i.status = 'failed' then 'infinity'::timestamptz
              else now() end,
         case when i.event_id = any(applied) then clock_timestamp() end
  from unnest(new_ids, new_positions) as n(id, position),
       jsonb_to_record(inbox->n.position) as i(event_id text, event_type text, api_version text,
                                               payload jsonb, status text, error_code text,
                                               error_message text);

  return query
  select n.id, n.event_id, null::bigint, null::text, null::float8, null::text
  from unnest(new_ids, new_event_ids) as n(id, event_id);

  if failure is not null then
    return query select null::bigint, null::text, null::bigint, null::text, null::float8, failure;
    return;
  end if;

  return query
  select f.row_id, null::text, f.conversation_id, f.activity,
         case when f.row_id is not null
              then extract(epoch from clock_timestamp() - now())::float8 end,
         null::text
  from unnest(frames) as f;
end
$$;
