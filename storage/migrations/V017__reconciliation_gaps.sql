-- Reconciliation gaps (issue 8): which activities a reconciliation found missing.
--
-- A reconciliation pages OpenPhone through the import's page writes. What it found missing is
-- exactly what its upserts inserted rather than merged: a row a webhook (or anything else) wrote
-- first, even one committed while the page was being written, makes the upsert an update
-- (`xmax` of the written version is not 0), so it is not counted. The gap rows commit in the
-- page's own transaction, so a page redone after a crash (its rows now present) counts nothing
-- twice, and concurrent webhooks never make the count wrong.

create table reconciliation_gaps (
  reconciliation_id bigint not null references reconciliations (id) on delete cascade,
  openphone_id text not null,
  activity_type text not null,
  found_at timestamptz not null default now(),
  primary key (reconciliation_id, openphone_id)
);

drop function import_activities(jsonb, bigint);

-- As in V007, plus `reconciliation`: when given, every activity this call inserts (the record
-- lacked it) is listed in reconciliation_gaps under that reconciliation.
create function import_activities(changes jsonb, listed_in bigint default null,
                                  reconciliation bigint default null)
  returns integer
  language plpgsql as $$
declare
  written integer;
  listed_contact bigint;
begin
  if listed_in is not null then
    select contact_id into listed_contact from conversations where id = listed_in;
  end if;
  insert into users (openphone_user_id)
  select distinct value->>'user_id' from jsonb_array_elements(changes)
  where value->>'user_id' is not null
  on conflict (openphone_user_id) do nothing;

  perform ensure_conversation(g.phone_number_id, g.participants, null, g.first_at, 'openphone')
  from (select c.phone_number_id, c.participants, min(c.occurred_at) as first_at
        from jsonb_to_recordset(changes) as c(phone_number_id text, participants text[],
                                              occurred_at timestamptz)
        where cardinality(c.participants) > 0 and listed_in is null
        group by 1, 2) as g;

  with written_rows as (
    insert into activities as a (
      openphone_id, conversation_id, contact_id, activity_type, direction, status, from_number,
      to_numbers, participants, user_id, phone_number_id, body, media_urls, duration_seconds,
      recording_url, voicemail_url, answered_at, answered_by, completed_at, initiated_by,
      forwarded_from, forwarded_to, occurred_at)
    select c.openphone_id,
           coalesce(listed_in,
                    (select v.id from conversations v
                     where v.phone_number_id = c.phone_number_id
                       and v.participants = c.participants)),
           coalesce(listed_contact,
                    (select k.id from contacts k
                     where cardinality(c.participants) > 0
                       and k.phone_numbers @> c.participants[1:1]
                     order by (k.phone = c.participants[1]) desc, k.id limit 1)),
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
    returning a.conversation_id, a.occurred_at, a.activity_type, a.openphone_id,
              (a.xmax = 0) as inserted),
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
    returning 1),
  gaps as (
    insert into reconciliation_gaps (reconciliation_id, openphone_id, activity_type)
    select reconciliation, w.openphone_id, w.activity_type
    from written_rows w
    where reconciliation is not null and w.inserted
    on conflict do nothing
    returning 1)
  select count(*) into written from written_rows;
  return written;
end
$$;


-- A reconciliation as the API shows it (times as ISO-8601, their JSON rendering).
create function reconciliation_json(r reconciliations) returns jsonb
  language sql stable as $$
  select jsonb_build_object(
    'id', r.id, 'trigger', r.trigger, 'status', r.status,
    'window_start', r.window_start, 'window_end', r.window_end,
    'created_at', r.created_at, 'started_at', r.started_at, 'finished_at', r.finished_at,
    'last_error', r.last_error, 'report', r.report)
$$;
