-- Queries for liveness and readiness checks. Every pooled connection prepares each block below
-- before it takes work, so a query here may only use objects that exist after migrations.

-- name: ping
SELECT 1 AS ok

-- name: webhook_sync_facts
-- The newest webhook's arrival (ids grow with arrival) and the events needing attention.
-- Rows: last received as ISO-8601 UTC text, failed, dead, last received in epoch ms.
WITH newest AS (SELECT received_at FROM webhook_events ORDER BY id DESC LIMIT 1)
SELECT to_char((SELECT received_at FROM newest) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       (SELECT count(*) FROM webhook_events WHERE status = 'failed'),
       (SELECT count(*) FROM webhook_events WHERE status = 'dead'),
       extract(epoch FROM (SELECT received_at FROM newest)) * 1000

-- name: sync_phone_numbers
-- Our active numbers for per-number health: number, name, and when crmd first knew it (epoch ms;
-- a number never named by a webhook is silent since then).
SELECT phone_number, name, extract(epoch FROM created_at) * 1000
FROM phone_numbers WHERE is_active ORDER BY phone_number

-- name: webhook_events_newest_id
-- Where the next per-number scan may start (minus an overlap for late commits).
SELECT coalesce(max(id), 0) FROM webhook_events

-- name: webhook_number_activity
-- $1 scan webhook events with a larger id. Per our number, the newest arrival among them of an
-- event naming it: its phoneNumberId, or the number as sender or among recipients or parties
-- (v4 calls may carry no phoneNumberId; `to` is a string, a comma-separated string or an
-- array, so it is matched as text, the number not followed by another digit). Events naming no
-- number (contacts, call summaries) count only for the integration as a whole.
-- Rows: number, newest arrival as ISO-8601 UTC text, the same in epoch ms.
WITH scanned AS (
  SELECT received_at, payload -> 'data' -> 'object' AS object
  FROM webhook_events WHERE id > $1::bigint
)
SELECT pn.phone_number,
       to_char(max(s.received_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       extract(epoch FROM max(s.received_at)) * 1000
FROM phone_numbers pn
JOIN scanned s
  ON s.object ->> 'phoneNumberId' = pn.openphone_id
  OR s.object ->> 'from' = pn.phone_number
  OR (coalesce(s.object ->> 'to', '') || ' ' || coalesce(s.object ->> 'participants', ''))
       ~ ('\' || pn.phone_number || '([^0-9]|$)')
GROUP BY pn.phone_number

-- name: latest_history_import
-- The newest history import: id, status, finished (ISO-8601 or null).
SELECT id, status, to_json(finished_at) #>> '{}'
FROM import_jobs WHERE kind = 'openphone_history' ORDER BY id DESC LIMIT 1

-- name: latest_reconciliations
-- The newest reconciliation (shown) and the newest finished one (judged), one row each, the
-- newest first; one row when they are the same. Rows: id, status, finished (ISO-8601 or null),
-- items missing found (messages + calls), webhook events still failing.
(SELECT id, status, to_json(finished_at) #>> '{}',
        coalesce((report #>> '{missing_found,messages}')::bigint, 0)
          + coalesce((report #>> '{missing_found,calls}')::bigint, 0),
        coalesce((report #>> '{still_failing,webhook_events}')::bigint, 0)
 FROM reconciliations ORDER BY created_at DESC, id DESC LIMIT 1)
UNION
(SELECT id, status, to_json(finished_at) #>> '{}',
        coalesce((report #>> '{missing_found,messages}')::bigint, 0)
          + coalesce((report #>> '{missing_found,calls}')::bigint, 0),
        coalesce((report #>> '{still_failing,webhook_events}')::bigint, 0)
 FROM reconciliations WHERE status IN ('completed', 'failed')
 ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT 1)
ORDER BY 1 DESC
