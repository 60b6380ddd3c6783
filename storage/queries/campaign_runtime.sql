-- The campaign runtime: registry, campaign actors, sending numbers (migration V014).

-- name: campaign_status_of
-- $1 campaign id. Rows: status, scheduled_at (epoch ms or null). No row: no such campaign.
SELECT c.status, (extract(epoch FROM c.scheduled_at) * 1000)::bigint
FROM campaigns c WHERE c.id = $1::bigint

-- name: campaign_transition
-- $1 campaign id, $2 expected status, $3 target status, $4 scheduled_at (ISO or null), $5 now.
-- Row: the campaign JSON, null when the status was no longer $2.
SELECT campaign_transition($1::bigint, $2::text, $3::text, $4::timestamptz,
                           $5::timestamptz)::text

-- name: campaigns_active
-- Rows: id, status, scheduled_at (epoch ms or null) of every running or scheduled campaign.
SELECT c.id, c.status, (extract(epoch FROM c.scheduled_at) * 1000)::bigint
FROM campaigns c WHERE c.status IN ('scheduled', 'running') ORDER BY c.id

-- name: campaign_runtime_settings
-- $1 campaign id. Row: status, template_a, template_b, template_existing, ab_split_percent,
-- opt_out_line, from_phone_number_id, throttle_per_minute, daily_cap, quiet_hours_start and
-- quiet_hours_end as minutes of the day, on_existing_contact.
SELECT c.status, c.template_a, c.template_b, c.template_existing, c.ab_split_percent,
       c.opt_out_line, c.from_phone_number_id, c.throttle_per_minute, c.daily_cap,
       (extract(hour FROM c.quiet_hours_start) * 60 + extract(minute FROM c.quiet_hours_start))::int,
       (extract(hour FROM c.quiet_hours_end) * 60 + extract(minute FROM c.quiet_hours_end))::int,
       c.on_existing_contact
FROM campaigns c WHERE c.id = $1::bigint

-- name: campaign_pending_page
-- $1 campaign id, $2 keyset after (membership id), $3 page size. Rows: membership id,
-- contact id, number (E.164 or null), time_zone, state, postal_code, first_name, last_name,
-- company, street, city, opted out, existing customer, first contact (no activity with the
-- contact yet: the opt-out line goes with it).
SELECT m.id, m.contact_id, coalesce(m.phone, k.phone), k.time_zone, k.state, k.postal_code,
       k.first_name, k.last_name, k.company, k.street, k.city, k.opted_out_at IS NOT NULL,
       m.existing_customer,
       NOT EXISTS (SELECT 1 FROM activities a WHERE a.contact_id = k.id)
FROM campaign_memberships m JOIN contacts k ON k.id = m.contact_id
WHERE m.campaign_id = $1::bigint AND m.status = 'pending' AND m.id > $2::bigint
ORDER BY m.id
LIMIT $3::int

-- name: campaign_suppress
-- $1 campaign id, $2 membership ids (bigint[] text), $3 reason. Pending members only.
UPDATE campaign_memberships m SET status = 'suppressed', suppressed_reason = $3::text
WHERE m.campaign_id = $1::bigint AND m.id = ANY ($2::bigint[]) AND m.status = 'pending'

-- name: campaign_fail_pending
-- $1 campaign id, $2 membership ids (bigint[] text), $3 reason, $4 now. Pending members that
-- can never be sent (no sending window in any zone).
UPDATE campaign_memberships m
SET status = 'failed', failure_reason = $3::text, failed_at = $4::timestamptz
WHERE m.campaign_id = $1::bigint AND m.id = ANY ($2::bigint[]) AND m.status = 'pending'

-- name: campaign_begin_sends
-- $1 campaign id, $2 membership ids, $3 bodies, $4 variants (arrays as text), $5 now, $6 run id.
-- Rows: membership id, 'sending' | 'suppressed'.
SELECT membership_id, outcome
FROM campaign_begin_sends($1::bigint, $2::bigint[], $3::text[], $4::text[], $5::timestamptz,
                          $6::text)

-- name: campaign_mark_sent
-- $1 membership id, $2 provider id, $3 provider status, $4 now. Rows: the member frame.
SELECT frame::text FROM campaign_mark_sent($1::bigint, $2::text, $3::text, $4::timestamptz) AS frame

-- name: campaign_mark_failed
-- $1 membership id, $2 reason, $3 now. Rows: the member frame.
SELECT frame::text FROM campaign_mark_failed($1::bigint, $2::text, $3::timestamptz) AS frame

-- name: campaign_unsend
-- $1 membership id. Rows: the member frame.
SELECT frame::text FROM campaign_unsend($1::bigint) AS frame

-- name: campaign_sending_members
-- $1 campaign id. Rows: membership id, number, body, sending_at (epoch ms), sending_run.
SELECT m.id, m.phone, m.body, (extract(epoch FROM m.sending_at) * 1000)::bigint, m.sending_run
FROM campaign_memberships m
WHERE m.campaign_id = $1::bigint AND m.status = 'sending'
ORDER BY m.id

-- name: campaign_complete_if_done
-- $1 campaign id, $2 now. Row: the campaign JSON, null when something is left to send.
SELECT campaign_complete_if_done($1::bigint, $2::timestamptz)::text

-- name: campaign_progress
-- $1 campaign id. Row: the campaign JSON.
SELECT campaign_json(c)::text FROM campaigns c WHERE c.id = $1::bigint

-- name: sending_number_history
-- $1 phone number id (PN…), $2 since. Rows: epoch ms of every campaign text of that number sent
-- (or being sent) since, oldest first: the throttle's sliding day after a restart.
SELECT (extract(epoch FROM coalesce(m.sent_at, m.sending_at)) * 1000)::bigint AS at_ms
FROM campaign_memberships m JOIN campaigns c ON c.id = m.campaign_id
WHERE c.from_phone_number_id = $1::text
  AND ((m.sent_at IS NOT NULL AND m.sent_at > $2::timestamptz)
       OR (m.status = 'sending' AND m.sending_at > $2::timestamptz))
ORDER BY at_ms
