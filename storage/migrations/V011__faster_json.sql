-- V010's JSON builders as PL/pgSQL. As SQL functions taking a whole row they could not be
-- inlined (the row argument is used more than once), so every call went through the SQL-function
-- executor: ~75 µs per activity, which halved the webhook apply rate (issue 4). PL/pgSQL runs
-- the same expression as a cached simple expression, and skips the media lookups when there is
-- nothing to look up: ~10 µs.

create or replace function activity_json(a activities, with_transcript boolean) returns jsonb
  language plpgsql stable parallel safe as $$
declare
  media jsonb := '[]';
  recording text := a.recording_url;
  voicemail text := a.voicemail_url;
  result jsonb;
begin
  if a.media_urls <> '[]'::jsonb then
    select coalesce(jsonb_agg(jsonb_build_object('url', m.value->>'url', 'type', m.value->>'type',
                                                 'local_url', local_media_url(m.value->>'url'))
                              order by m.ord), '[]'::jsonb)
    into media
    from jsonb_array_elements(a.media_urls) with ordinality as m(value, ord);
  end if;
  if recording is not null then
    recording := coalesce(local_media_url(recording), recording);
  end if;
  if voicemail is not null then
    voicemail := coalesce(local_media_url(voicemail), voicemail);
  end if;
  result := jsonb_build_object(
    'id', a.id, 'openphone_id', a.openphone_id, 'conversation_id', a.conversation_id,
    'contact_id', a.contact_id, 'activity_type', a.activity_type, 'direction', a.direction,
    'status', a.status, 'from_number', a.from_number, 'to_numbers', a.to_numbers,
    'participants', a.participants, 'body', a.body, 'media', media,
    'duration_seconds', a.duration_seconds, 'recording_url', recording,
    'voicemail_url', voicemail, 'answered_at', a.answered_at, 'answered_by', a.answered_by,
    'completed_at', a.completed_at, 'ai_summary', a.ai_summary,
    'ai_next_steps', a.ai_next_steps, 'has_transcript', a.ai_transcript is not null,
    'ai_content_status', a.ai_content_status, 'occurred_at', a.occurred_at,
    'updated_at', a.updated_at, 'pending', a.openphone_id is null and a.status = 'queued',
    'send_error', a.send_error, 'user_id', a.user_id);
  if with_transcript then
    result := result || jsonb_build_object('ai_transcript', a.ai_transcript);
  end if;
  return result;
end
$$;

create or replace function activity_event(a activities) returns jsonb
  language plpgsql stable parallel safe as $$
begin
  -- updated_at still equal to created_at: inserted by this transaction (set_updated_at only
  -- fires on real changes afterwards).
  return jsonb_build_object(
    'event', case when a.created_at = a.updated_at then 'activity.created'
                  else 'activity.updated' end,
    'data', activity_json(a, false));
end
$$;

-- One query: each statement of a PL/pgSQL body is a round through SPI.
create or replace function inbox_item_json(v conversations) returns jsonb
  language plpgsql stable parallel safe as $$
begin
  return (
    select jsonb_build_object(
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
end
$$;

-- Unread counts read the conversation's timeline index from the read mark on (at most 100
-- rows); a second index on every activity insert is not worth it.
drop index activities_conversation_incoming_idx;
