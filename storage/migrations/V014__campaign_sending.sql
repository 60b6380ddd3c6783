-- SMS campaigns (issue 7), the runtime's side: status changes, the exactly-once send of a
-- membership (pending → sending committed before the provider is called → sent / failed, or back
-- to pending when a settlement finds the provider never got it) and completion.

-- The process run that moved a membership to 'sending'. A membership left 'sending' by another
-- run can be settled at once (that process is gone, and its request with it); one of the
-- current run waits until the provider client has surely finished with it.
alter table campaign_memberships add column sending_run text;

-- ---------------------------------------------------------------------------------------------
-- Status changes. The caller checked the transition with domain::campaign::check_transition
-- against `expected`; the update applies only if nobody changed the status since (else no row:
-- the caller answers 409). Entering 'running' from a draft or a schedule builds the audience
-- (materialize_campaign_audience); cancelling suppresses what was not sent yet.

create function campaign_transition(campaign bigint, expected text, target text,
                                    scheduled timestamptz, at timestamptz)
  returns jsonb
  language plpgsql as $$
declare
  written campaigns;
begin
  update campaigns c
  set status = target,
      scheduled_at = case when target = 'scheduled' then coalesce(scheduled, at)
                          else c.scheduled_at end,
      started_at = case when target = 'running' then coalesce(c.started_at, at)
                        else c.started_at end,
      finished_at = case when target in ('complete', 'cancelled') then at else c.finished_at end
  where c.id = campaign and c.status = expected
  returning * into written;
  if not found then
    return null;
  end if;
  if target = 'running' and expected in ('draft', 'scheduled') then
    perform materialize_campaign_audience(campaign);
  end if;
  if target = 'cancelled' then
    update campaign_memberships m
    set status = 'suppressed', suppressed_reason = 'cancelled'
    where m.campaign_id = campaign and m.status = 'pending';
  end if;
  select * into written from campaigns c where c.id = campaign;
  return campaign_json(written);
end
$$;

-- Running with nothing left to send (no member pending or sending): complete. Null otherwise.
create function campaign_complete_if_done(campaign bigint, at timestamptz) returns jsonb
  language plpgsql as $$
declare
  written campaigns;
begin
  update campaigns c set status = 'complete', finished_at = at
  where c.id = campaign and c.status = 'running'
    and not exists (select 1 from campaign_memberships m
                    where m.campaign_id = campaign and m.status in ('pending', 'sending'))
  returning * into written;
  if not found then
    return null;
  end if;
  return campaign_json(written);
end
$$;

-- The live frame of one membership (topic campaign:<id>).
create function campaign_member_frame(m campaign_memberships) returns jsonb
  language sql stable as $$
  select jsonb_build_object('event', 'campaign.member',
                            'data', jsonb_build_object('id', m.id, 'contact_id', m.contact_id,
                                                       'status', m.status,
                                                       'variant_sent', m.variant_sent,
                                                       'sent_at', m.sent_at,
                                                       'replied_at', m.replied_at))
$$;

-- ---------------------------------------------------------------------------------------------
-- The exactly-once send.

-- One committed transaction before the provider is called: each listed pending membership moves
-- to 'sending' with its send key, rendered body and variant, if the campaign is still running
-- and the contact has not opted out (then it is suppressed instead). The campaign row is share
-- locked, so a pause or cancel commits either before (nothing moves) or after this. The contacts
-- are share locked before their opt-out is read, so a STOP processed concurrently either
-- commits first (suppressed here) or waits for this send to be recorded as begun.
-- Rows: (membership id, 'sending' | 'suppressed'); members not listed stay as they were.
create function campaign_begin_sends(campaign bigint, ids bigint[], bodies text[],
                                     variants text[], at timestamptz, run text)
  returns table (membership_id bigint, outcome text)
  language plpgsql as $$
begin
  perform 1 from campaigns c where c.id = campaign and c.status = 'running' for share;
  if not found then
    return;
  end if;
  perform 1 from contacts k
  where k.id in (select m.contact_id from campaign_memberships m where m.id = any (ids))
  order by k.id
  for share;
  return query
  update campaign_memberships m
  set status = 'suppressed', suppressed_reason = 'opted_out'
  from contacts k
  where m.id = any (ids) and m.campaign_id = campaign and m.status = 'pending'
    and k.id = m.contact_id and k.opted_out_at is not null
  returning m.id, 'suppressed'::text;
  return query
  update campaign_memberships m
  set status = 'sending', send_key = 'campaign:' || campaign || ':' || m.id, sending_at = at,
      body = u.body, variant_sent = u.variant, sending_run = run
  from unnest(ids, bodies, variants) as u (id, body, variant), contacts k
  where m.id = u.id and m.campaign_id = campaign and m.status = 'pending'
    and k.id = m.contact_id and k.opted_out_at is null
  returning m.id, 'sending'::text;
end
$$;

-- The provider accepted the text (or a settlement found it): the membership is sent and the text
-- is an outgoing activity of the contact's conversation with the sending number, upserted on the
-- provider id so the message.delivered webhook updates that same row whichever comes first.
-- Rows: the member's live frame; none when the membership was not 'sending'.
create function campaign_mark_sent(membership bigint, provider_id text, provider_status text,
                                   at timestamptz)
  returns setof jsonb
  language plpgsql as $$
declare
  m campaign_memberships;
  from_id text;
  from_e164 text;
  conversation bigint;
  activity bigint;
begin
  select * into m from campaign_memberships x where x.id = membership and x.status = 'sending'
  for update;
  if not found then
    return;
  end if;
  select c.from_phone_number_id into from_id from campaigns c where c.id = m.campaign_id;
  select p.phone_number into from_e164 from phone_numbers p where p.openphone_id = from_id;
  select v.id into conversation from conversations v
  where v.phone_number_id = from_id and v.participants = array[m.phone]
  order by v.id limit 1;
  if conversation is null then
    insert into conversations (contact_id, participants, phone_number_id, last_activity_at,
                               last_activity_type)
    values (m.contact_id, array[m.phone], from_id, at, 'message')
    returning id into conversation;
  else
    update conversations v set last_activity_at = greatest(v.last_activity_at, at),
                               last_activity_type = 'message'
    where v.id = conversation;
  end if;
  insert into activities as a (openphone_id, conversation_id, contact_id, activity_type,
                               direction, status, from_number, to_numbers, participants,
                               phone_number_id, body, occurred_at)
  values (provider_id, conversation, m.contact_id, 'message', 'outgoing', provider_status,
          from_e164, array[m.phone], array[m.phone], from_id, m.body, at)
  on conflict (openphone_id) do update
    set conversation_id = coalesce(a.conversation_id, excluded.conversation_id),
        contact_id = coalesce(a.contact_id, excluded.contact_id),
        body = coalesce(a.body, excluded.body)
  returning a.id into activity;
  update campaign_memberships x
  set status = 'sent', provider_message_id = provider_id, sent_at = at, activity_id = activity
  where x.id = membership
  returning * into m;
  return next campaign_member_frame(m);
end
$$;

-- The provider refused the text for certain (a 4xx, no connection): failed, never retried.
create function campaign_mark_failed(membership bigint, reason text, at timestamptz)
  returns setof jsonb
  language plpgsql as $$
declare
  m campaign_memberships;
begin
  update campaign_memberships x
  set status = 'failed', failed_at = at, failure_reason = reason
  where x.id = membership and x.status = 'sending'
  returning * into m;
  if found then
    return next campaign_member_frame(m);
  end if;
end
$$;

-- A settlement found no copy at the provider: the membership is pending again and will be sent
-- by the normal path (its window and the throttle apply again).
create function campaign_unsend(membership bigint) returns setof jsonb
  language plpgsql as $$
declare
  m campaign_memberships;
begin
  update campaign_memberships x
  set status = 'pending', send_key = null, sending_at = null, sending_run = null, body = null,
      variant_sent = null
  where x.id = membership and x.status = 'sending'
  returning * into m;
  if found then
    return next campaign_member_frame(m);
  end if;
end
$$;
