-- The webhook inbox: durable intake (group-committed), the apply outcome, re-drive and replay.

-- name: store_webhook_events
-- $1 JSON array of {event_id, event_type, api_version, payload, status, error_code,
-- error_message}; $2 JSON array of {event_id, kind, created_at, change, carrier_keyword} for
-- the understood events to apply at once (storage/event_statements.cpp); $3 the apply's lock
-- timeout in ms. Stores the batch and applies its new events in one transaction (migrations
-- V020, V021: applied events are stored once, as processed): one row (row_id, event_id) per new
-- event, then the apply's frames, or one row naming why it failed.
SELECT row_id, event_id, conversation_id, activity, lag_seconds, apply_error
FROM store_webhook_batch($1::jsonb, $2::jsonb, $3::int)

-- name: apply_webhook_events
-- $1 JSON array of {row_id, kind, created_at, change, carrier_keyword}
-- (storage/event_statements.cpp): applies the events set-based (migrations V008, V021) in one
-- transaction, each activity's events in order, and marks them processed; one live frame per
-- activity event applied and per touched conversation.
-- The fourth column is the event's apply lag in seconds (null for a conversation's frame): a
-- per-row subquery, so the frames keep the order the function returns them in.
SELECT b.row_id, b.conversation_id, b.activity,
       (SELECT extract(epoch FROM clock_timestamp() - e.received_at)
        FROM webhook_events e WHERE e.id = b.row_id) AS lag_seconds
FROM apply_webhook_batch($1::jsonb) AS b

-- name: record_event_failure
-- $1 id, $2 error code, $3 message, $4 max attempts, $5 retry delay in ms. Returns the new status.
UPDATE webhook_events
SET attempts = attempts + 1,
    status = CASE WHEN attempts + 1 >= $4::int THEN 'dead' ELSE 'failed' END,
    next_attempt_at = CASE WHEN attempts + 1 >= $4::int THEN NULL
                           ELSE clock_timestamp() + $5::bigint * interval '1 millisecond' END,
    error_code = $2::text, error_message = $3::text
WHERE id = $1::bigint
RETURNING status, attempts

-- name: due_webhook_events
-- $1 last id seen (keyset), $2 page size, $3 minimum age in ms of a 'received' event: events
-- still to apply whose time has come. At start-up the age is 0 (everything unapplied is
-- re-driven); the periodic sweep leaves fresh events to the path that is applying them.
SELECT id, payload::text AS payload
FROM webhook_events
WHERE status IN ('received', 'failed') AND id > $1::bigint
  AND next_attempt_at <= now() - CASE WHEN status = 'received'
                                      THEN $3::bigint * interval '1 millisecond'
                                      ELSE interval '0' END
ORDER BY id
LIMIT $2::int

-- name: list_webhook_events
-- $1 status, $2 keyset: ids below this, $3 page size. Newest first.
-- Times as ISO-8601 (the JSON rendering), as the API returns them.
SELECT id, event_id, event_type, api_version, status, attempts, error_code, error_message,
       to_json(received_at) #>> '{}' AS received_at,
       to_json(processed_at) #>> '{}' AS processed_at,
       to_json(next_attempt_at) #>> '{}' AS next_attempt_at
FROM webhook_events
WHERE status = $1::text AND id < $2::bigint
ORDER BY id DESC
LIMIT $3::int

-- name: replay_webhook_event
-- $1 id. Only failed or dead events go back to the inbox; returns the payload to apply.
UPDATE webhook_events
SET status = 'received', attempts = 0, next_attempt_at = now(), error_code = NULL,
    error_message = NULL
WHERE id = $1::bigint AND status IN ('failed', 'dead')
RETURNING id, payload::text AS payload

-- name: webhook_event_status
-- $1 id
SELECT status FROM webhook_events WHERE id = $1::bigint

-- name: our_phone_numbers
-- Our OpenPhone numbers, so webhook parsing can leave them out of a conversation's parties.
SELECT phone_number FROM phone_numbers ORDER BY phone_number
