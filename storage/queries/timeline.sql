-- The unified timeline (migration V010's activity JSON).

-- name: contact_exists
-- $1 id
SELECT 1 FROM contacts WHERE id = $1::bigint

-- name: contact_timeline
-- $1 contact id, $2/$3 keyset before (occurred_at, id) ('infinity' and max bigint for the first
-- page), $4 page size. Every activity of every conversation of the contact, newest first.
-- Rows: id, occurred_at, activity JSON with its transcript.
SELECT a.id, a.occurred_at, activity_json(a, true)::text
FROM activities a
WHERE a.contact_id = $1::bigint AND (a.occurred_at, a.id) < ($2::timestamptz, $3::bigint)
ORDER BY a.occurred_at DESC, a.id DESC
LIMIT $4::int

-- name: get_activity
-- $1 id
SELECT activity_json(a, true)::text FROM activities a WHERE a.id = $1::bigint
