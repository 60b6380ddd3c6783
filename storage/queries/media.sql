-- Media downloads (migration V005).

-- name: claim_media_downloads
-- $1 how many, $2 how long a claim holds in ms. Takes due pending files and pushes their next
-- attempt past the claim, so a second crmd does not download the same file meanwhile.
UPDATE media_files
SET attempts = attempts + 1,
    next_attempt_at = clock_timestamp() + $2::bigint * interval '1 millisecond'
WHERE id IN (SELECT id FROM media_files
             WHERE status = 'pending' AND next_attempt_at <= clock_timestamp()
             ORDER BY next_attempt_at, id
             LIMIT $1::int
             FOR UPDATE SKIP LOCKED)
RETURNING id, url, attempts

-- name: media_stored
-- $1 id, $2 sha256, $3 content type, $4 size
UPDATE media_files
SET status = 'stored', sha256 = $2::text, content_type = $3::text, size_bytes = $4::bigint,
    last_error = NULL, stored_at = clock_timestamp()
WHERE id = $1::bigint

-- name: media_failed
-- $1 id, $2 error, $3 max attempts, $4 retry delay in ms
UPDATE media_files
SET status = CASE WHEN attempts >= $3::int THEN 'failed' ELSE 'pending' END,
    last_error = $2::text,
    next_attempt_at = clock_timestamp() + $4::bigint * interval '1 millisecond'
WHERE id = $1::bigint

-- name: media_by_sha256
-- $1 sha256
SELECT content_type, size_bytes FROM media_files
WHERE sha256 = $1::text AND status = 'stored'
LIMIT 1
