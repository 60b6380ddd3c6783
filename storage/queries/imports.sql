-- History imports (migration V004): the job row, its lease, its work lists and page writes.
-- Times are rendered as ISO-8601 (their JSON form), as the API returns them.

-- name: create_import_job
-- $1 kind, $2 options JSON. At most one unfinished job per kind: when one exists nothing is
-- inserted and find_active_import_job returns it.
INSERT INTO import_jobs (kind, options, resource)
VALUES ($1::text, $2::jsonb, 'phone_numbers')
ON CONFLICT (kind) WHERE status IN ('pending', 'running', 'paused') DO NOTHING
RETURNING id

-- name: find_active_import_job
-- $1 kind
SELECT id FROM import_jobs
WHERE kind = $1::text AND status IN ('pending', 'running', 'paused')

-- name: claim_import_job
-- $1 job id, $2 lease owner, $3 lease in ms. Takes an unfinished job whose lease is free,
-- expired or already ours; returns where it stands.
UPDATE import_jobs
SET status = 'running', lease_owner = $2::text,
    lease_expires_at = clock_timestamp() + $3::bigint * interval '1 millisecond',
    started_at = coalesce(started_at, clock_timestamp()), attempts = attempts + 1
WHERE id = $1::bigint AND status IN ('pending', 'running', 'paused')
  AND (lease_owner IS NULL OR lease_expires_at < clock_timestamp() OR lease_owner = $2::text)
RETURNING resource, cursor::text, page_token, pages_done, items_done, options::text,
          progress::text

-- name: renew_import_lease
-- $1 job id, $2 owner, $3 lease in ms. No row: the lease is lost.
UPDATE import_jobs
SET lease_expires_at = clock_timestamp() + $3::bigint * interval '1 millisecond'
WHERE id = $1::bigint AND lease_owner = $2::text AND status = 'running'
RETURNING id

-- name: import_checkpoint
-- $1 job, $2 owner, $3 resource, $4 cursor JSON, $5 page token, $6 pages, $7 items,
-- $8 progress JSON, $9 lease in ms. First statement of every page's transaction.
SELECT import_checkpoint($1::bigint, $2::text, $3::text, $4::jsonb, $5::text, $6::bigint,
                         $7::bigint, $8::jsonb, $9::bigint)

-- name: finish_import_job
-- $1 job, $2 owner, $3 final status (completed / failed), $4 last error, $5 report JSON
UPDATE import_jobs
SET status = $3::text, last_error = $4::text, report = $5::jsonb,
    finished_at = clock_timestamp(), lease_owner = NULL, lease_expires_at = NULL
WHERE id = $1::bigint AND lease_owner = $2::text
RETURNING id

-- name: resumable_import_jobs
-- Unfinished jobs nobody holds (their process died or stopped): resumed at start-up.
SELECT id FROM import_jobs
WHERE status IN ('pending', 'running')
  AND (lease_owner IS NULL OR lease_expires_at < clock_timestamp())
ORDER BY id

-- name: get_import_job
-- $1 job id
SELECT id, kind, status, resource, pages_done, items_done, attempts, last_error,
       options::text AS options, progress::text AS progress, report::text AS report,
       to_json(created_at) #>> '{}' AS created_at,
       to_json(started_at) #>> '{}' AS started_at,
       to_json(finished_at) #>> '{}' AS finished_at,
       to_json(updated_at) #>> '{}' AS updated_at
FROM import_jobs WHERE id = $1::bigint

-- name: import_phone_number_map
-- Our numbers by provider id, for mapping REST messages and calls.
SELECT openphone_id, phone_number FROM phone_numbers WHERE openphone_id IS NOT NULL

-- name: import_conversations_after
-- $1 last conversation id handled, $2 how many, $3 only one-party conversations (calls).
-- The work list of the messages and calls stages: provider conversations in id order.
SELECT id, phone_number_id, array_to_json(participants)::text AS participants
FROM conversations
WHERE id > $1::bigint AND openphone_id IS NOT NULL AND phone_number_id IS NOT NULL
  AND (NOT $3::boolean OR cardinality(participants) = 1)
ORDER BY id
LIMIT $2::int

-- name: import_calls_after
-- $1 last activity id handled, $2 how many, $3 only calls since (NULL: all). The work list of the
-- call-details stage: answered calls (recording, summary, transcript) and missed incoming calls
-- (voicemail).
SELECT id, openphone_id, answered_at IS NOT NULL AS answered
FROM activities
WHERE id > $1::bigint AND activity_type = 'call' AND openphone_id IS NOT NULL
  AND (answered_at IS NOT NULL OR direction = 'incoming')
  AND ($3::timestamptz IS NULL OR occurred_at >= $3::timestamptz)
ORDER BY id
LIMIT $2::int

-- name: import_messages_after
-- $1 last activity id handled, $2 how many, $3 only messages since (NULL: all). The work list of
-- the message-media stage: messages whose media are not known yet.
SELECT id, openphone_id
FROM activities
WHERE id > $1::bigint AND activity_type = 'message' AND openphone_id IS NOT NULL
  AND media_urls = '[]'::jsonb
  AND ($3::timestamptz IS NULL OR occurred_at >= $3::timestamptz)
ORDER BY id
LIMIT $2::int

-- name: import_write_phone_numbers
SELECT import_phone_numbers($1::jsonb)

-- name: import_write_users
SELECT import_users($1::jsonb)

-- name: import_write_conversations
SELECT import_conversations($1::jsonb)

-- name: import_write_activities
-- $1 page JSON, $2 the conversation the page was listed under (NULL: found by parties)
SELECT import_activities($1::jsonb, $2::bigint)

-- name: import_write_enrichments
-- Recordings, summaries, transcripts, voicemails of calls; media of messages.
SELECT import_enrichments($1::jsonb)

-- name: import_write_contacts
SELECT import_contacts($1::jsonb)

-- name: import_finish_conversations
SELECT import_finish_conversations()

-- name: import_database_totals
-- $1 since (NULL: all time). What the database holds per imported resource, for the
-- verification report.
SELECT jsonb_build_object(
  'phone_numbers', (SELECT count(*) FROM phone_numbers WHERE openphone_id IS NOT NULL),
  'users', (SELECT count(*) FROM users WHERE openphone_user_id IS NOT NULL),
  'conversations', (SELECT count(*) FROM conversations WHERE openphone_id IS NOT NULL),
  'messages', (SELECT count(*) FROM activities WHERE activity_type = 'message'
               AND openphone_id IS NOT NULL
               AND ($1::timestamptz IS NULL OR occurred_at >= $1::timestamptz)),
  'calls', (SELECT count(*) FROM activities WHERE activity_type = 'call'
            AND openphone_id IS NOT NULL
            AND ($1::timestamptz IS NULL OR occurred_at >= $1::timestamptz)),
  'recordings', (SELECT count(*) FROM activities WHERE recording_url IS NOT NULL
                 AND ($1::timestamptz IS NULL OR occurred_at >= $1::timestamptz)),
  'summaries', (SELECT count(*) FROM activities WHERE ai_summary IS NOT NULL
                AND ($1::timestamptz IS NULL OR occurred_at >= $1::timestamptz)),
  'transcripts', (SELECT count(*) FROM activities WHERE ai_transcript IS NOT NULL
                  AND ($1::timestamptz IS NULL OR occurred_at >= $1::timestamptz)),
  'voicemails', (SELECT count(*) FROM activities WHERE voicemail_url IS NOT NULL
                 AND ($1::timestamptz IS NULL OR occurred_at >= $1::timestamptz)),
  'mms_media', (SELECT count(*) FROM activities WHERE activity_type = 'message'
                AND media_urls <> '[]'::jsonb
                AND ($1::timestamptz IS NULL OR occurred_at >= $1::timestamptz)),
  'contacts', (SELECT count(*) FROM contacts WHERE openphone_id IS NOT NULL))::text

-- name: import_worklist_size
-- $1 stage (messages, calls, call_details), $2 since (NULL: all time): how many items the stage
-- walks, for the progress bar's ETA.
SELECT CASE $1::text
  WHEN 'message_media' THEN
    (SELECT count(*) FROM activities
     WHERE activity_type = 'message' AND openphone_id IS NOT NULL AND media_urls = '[]'::jsonb
       AND ($2::timestamptz IS NULL OR occurred_at >= $2::timestamptz))
  WHEN 'call_details' THEN
    (SELECT count(*) FROM activities
     WHERE activity_type = 'call' AND openphone_id IS NOT NULL
       AND (answered_at IS NOT NULL OR direction = 'incoming')
       AND ($2::timestamptz IS NULL OR occurred_at >= $2::timestamptz))
  ELSE
    (SELECT count(*) FROM conversations
     WHERE openphone_id IS NOT NULL AND phone_number_id IS NOT NULL
       AND ($1::text <> 'calls' OR cardinality(participants) = 1))
  END AS total
