-- Applying webhook events in any order must converge on the same rows.

-- A conversation is identified by our number and its external parties (sorted E.164), since v4
-- webhooks carry no conversation id; NULLS NOT DISTINCT so a missing number id still dedupes.
create unique index conversations_number_participants_key
  on conversations (phone_number_id, participants) nulls not distinct;

-- How far along an activity is. An event may only move a status forward, so "delivered" arriving
-- before "sent", or "ringing" after "completed", leaves the later state in place.
create function activity_status_rank(status text) returns integer
  language sql immutable parallel safe
  return case status
    when 'queued' then 1
    when 'initiated' then 2
    when 'ringing' then 3
    when 'sent' then 3
    when 'in-progress' then 4
    when 'answered' then 5
    when 'delivered' then 6
    when 'undelivered' then 6
    when 'received' then 6
    when 'failed' then 6
    when 'completed' then 7
    when 'missed' then 7
    when 'busy' then 7
    when 'no-answer' then 7
    when 'canceled' then 7
    when 'forwarded' then 7
    when 'abandoned' then 7
    when 'voicemail' then 8
    else 0
  end;
