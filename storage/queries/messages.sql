-- Texts sent from the app (migration V010).

-- name: queue_outgoing_message
-- $1 conversation id, $2 sending user id, $3 body, $4 idempotency key (NULL for none).
-- No row: no such conversation; a null activity: not stored (opted out, no number to send from).
SELECT activity_id, activity::text, created, contact_opted_out, from_number_id,
       array_to_json(recipients)::text, sender_provider_id, conversation_frame::text
FROM queue_outgoing_message($1::bigint, $2::bigint, $3::text, $4::text)

-- name: attach_sent_message
-- $1 pending activity id, $2 provider id (AC…), $3 provider status. Rows: live frames.
SELECT frame::text FROM attach_sent_message($1::bigint, $2::text, $3::text) AS frame

-- name: fail_sent_message
-- $1 pending activity id, $2 reason. Rows: live frames.
SELECT frame::text FROM fail_sent_message($1::bigint, $2::text) AS frame

-- name: fail_interrupted_sends
-- $1 age in ms. Texts still pending that long were interrupted by a restart: whether the
-- provider got them is unknown, and sending again could text the customer twice, so they are
-- shown as failed for a person to check. Rows: live frames.
UPDATE activities a SET status = 'failed', send_error = 'interrupted'
WHERE a.openphone_id IS NULL AND a.status = 'queued' AND a.direction = 'outgoing'
  AND a.occurred_at < clock_timestamp() - $1::bigint * interval '1 millisecond'
RETURNING activity_event(a)::text
