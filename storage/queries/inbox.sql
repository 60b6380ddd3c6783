-- The inbox and read marks (migration V010).

-- name: inbox_page
-- $1 user id, $2/$3 keyset before (last_activity_at, id) ('infinity' and max bigint for the
-- first page), $4 page size. Unread: incoming activities after the user's read mark, or after
-- the user's account was created when there is none (history from before is not news to
-- them); counted up to 100.
-- Rows: id, last_activity_at, inbox item JSON.
SELECT p.id, p.last_activity_at,
       (inbox_item_json(row(p.*)::conversations)
        || jsonb_build_object('unread', u.unread > 0, 'unread_count', u.unread))::text
FROM (SELECT v.* FROM conversations v
      WHERE (v.last_activity_at, v.id) < ($2::timestamptz, $3::bigint)
      ORDER BY v.last_activity_at DESC, v.id DESC
      LIMIT $4::int) p
CROSS JOIN LATERAL (
  SELECT count(*)::int AS unread FROM (
    SELECT 1 FROM activities a
    WHERE a.conversation_id = p.id AND a.direction = 'incoming'
      AND a.occurred_at > coalesce(
        (SELECT r.read_at FROM conversation_reads r
         WHERE r.user_id = $1::bigint AND r.conversation_id = p.id),
        (SELECT usr.created_at FROM users usr WHERE usr.id = $1::bigint))
    LIMIT 100) counted) u
ORDER BY p.last_activity_at DESC, p.id DESC

-- name: mark_conversation_read
-- $1 user id, $2 conversation id. No row: no such conversation. A mark never moves back, and
-- covers activities dated ahead of our clock.
INSERT INTO conversation_reads AS r (user_id, conversation_id, read_at)
SELECT $1::bigint, v.id, greatest(now(), v.last_activity_at)
FROM conversations v WHERE v.id = $2::bigint
ON CONFLICT (user_id, conversation_id)
DO UPDATE SET read_at = greatest(r.read_at, excluded.read_at)
RETURNING conversation_id
