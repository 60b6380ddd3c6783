-- Storing and applying in one transaction (issue 4: apply lag). Applying in a second
-- transaction made every event wait for the batch ahead of it in the applier, and cost a second
-- round of reading the event and writing its row. Now the intake's transaction stores a batch
-- and applies the new events it understood; their activity rows commit with the events, so
-- they are applied when they are acknowledged.
--
-- The apply runs in a subtransaction: if it fails (a bad event, a lock held too long by another
-- transaction), only the apply rolls back, the events stay stored as 'received', and the caller
-- hands them to the conversation actors, which apply them one group at a time with retries.

-- inbox: JSON array of {event_id, event_type, api_version, payload, status, error_code,
-- error_message}. changes: JSON array of {event_id, created_at, kind, change} for the
-- understood events, each event id once, in arrival order (storage/event_statements.cpp).
-- Rows: one per newly stored event (row_id, event_id); after a successful apply, the apply's
-- frames (event_id null) with each activity frame's lag in seconds; after a failed apply, one
-- row with only its SQLSTATE.
create function store_webhook_batch(inbox jsonb, changes jsonb, apply_lock_timeout_ms integer)
  returns table (row_id bigint, event_id text, conversation_id bigint, activity text,
                 lag_seconds float8, apply_error text)
  language plpgsql as $$
declare
  new_ids bigint[];
  new_event_ids text[];
  events jsonb;
  frames webhook_apply_frame[];
  lock_timeout_before text := current_setting('lock_timeout');
begin
  -- A not-understood event is stored 'failed' with next_attempt_at = infinity: kept and
  -- visible, never retried by the re-drive, replayable by hand. ON CONFLICT skips ids stored
  -- already (and repeats inside the batch), so only new events are applied.
  with stored as (
    insert into webhook_events as w (event_id, event_type, api_version, payload, status,
                                     error_code, error_message, next_attempt_at)
    select i.event_id, i.event_type, i.api_version, i.payload, i.status, i.error_code,
           i.error_message,
           case when i.status = 'failed' then 'infinity'::timestamptz else now() end
    from jsonb_to_recordset(inbox) as i(event_id text, event_type text, api_version text,
                                        payload jsonb, status text, error_code text,
                                        error_message text)
    on conflict on constraint webhook_events_event_id_key do nothing
    returning w.id, w.event_id)
  select array_agg(s.id), array_agg(s.event_id) into new_ids, new_event_ids from stored s;

  return query
  select n.id, n.event_id, null::bigint, null::text, null::float8, null::text
  from unnest(new_ids, new_event_ids) as n(id, event_id);

  select jsonb_agg(c.value || jsonb_build_object('row_id', n.id) order by c.ord) into events
  from jsonb_array_elements(changes) with ordinality as c(value, ord)
  join unnest(new_ids, new_event_ids) as n(id, event_id) on n.event_id = c.value->>'event_id';
  if events is null then
    return;
  end if;

  begin
    -- Waiting long for a row another transaction holds would hold up the acknowledgements of
    -- the whole batch: past the timeout the conversation actors apply these events instead.
    perform set_config('lock_timeout', apply_lock_timeout_ms || 'ms', true);
    select array_agg(row(b.row_id, b.conversation_id, b.activity)::webhook_apply_frame)
    into frames
    from apply_webhook_batch(events) as b;
    perform set_config('lock_timeout', lock_timeout_before, true);
  exception when others then
    return query select null::bigint, null::text, null::bigint, null::text, null::float8,
                        sqlstate::text;
    return;
  end;

  -- received_at is this transaction's start (now()): an activity frame's lag is the time from
  -- storing its event to applying it, inside this transaction.
  return query
  select f.row_id, null::text, f.conversation_id, f.activity,
         case when f.row_id is not null
              then extract(epoch from clock_timestamp() - now())::float8 end,
         null::text
  from unnest(frames) as f;
end
$$;
