-- Reconciliations (issue 8, migrations V016, V017): the run row, its import job, the gaps its
-- page writes found, the re-drive of failed webhook events and the watermarks it advances.

-- name: create_reconciliation
-- $1 trigger (schedule, api, cli). At most one pending or running: when one exists nothing is
-- inserted and find_active_reconciliation returns it.
INSERT INTO reconciliations (trigger) VALUES ($1::text)
ON CONFLICT ((true)) WHERE status IN ('pending', 'running') DO NOTHING
RETURNING id

-- name: find_active_reconciliation
SELECT r.id, reconciliation_json(r)::text AS reconciliation
FROM reconciliations r WHERE r.status IN ('pending', 'running')

-- name: get_reconciliation
-- $1 id
SELECT reconciliation_json(r)::text AS reconciliation FROM reconciliations r WHERE r.id = $1::bigint

-- name: list_reconciliations
-- $1 how many, newest first
SELECT coalesce(jsonb_agg(reconciliation_json(r) ORDER BY r.id DESC), '[]'::jsonb)::text
FROM (SELECT * FROM reconciliations ORDER BY id DESC LIMIT $1::int) AS r

-- name: reconciler_startup
-- The unfinished reconciliation to resume (NULL: none) and when the last one completed (unix
-- seconds, 0: never).
SELECT (SELECT id FROM reconciliations WHERE status IN ('pending', 'running')),
       coalesce((SELECT extract(epoch FROM max(finished_at))::bigint FROM reconciliations
                 WHERE status = 'completed'), 0)

-- name: begin_reconciliation
-- $1 id, $2 overlap in ms, $3 lookback in ms. Marks it running and fixes its window once (a
-- resumed run keeps the window it began with): each number of ours is checked from its
-- watermark minus the overlap, a number without one from the lookback; the window starts at the
-- oldest of these and ends now. The per-number windows go into the report. Returns the import
-- job (NULL: not created yet), the window start and the import job's status.
WITH run AS (
  SELECT id, coalesce(window_end, now()) AS window_end FROM reconciliations
  WHERE id = $1::bigint AND status IN ('pending', 'running')),
numbers AS (
  SELECT p.phone_number,
         coalesce(w.reconciled_through - $2::bigint * interval '1 millisecond',
                  run.window_end - $3::bigint * interval '1 millisecond') AS since,
         run.window_end AS through
  FROM run, phone_numbers p LEFT JOIN sync_watermarks w ON w.phone_number_id = p.id
  WHERE p.openphone_id IS NOT NULL)
UPDATE reconciliations r
SET status = 'running',
    started_at = coalesce(r.started_at, now()),
    window_end = run.window_end,
    window_start = coalesce(r.window_start,
                            (SELECT min(since) FROM numbers),
                            run.window_end - $3::bigint * interval '1 millisecond'),
    report = CASE WHEN r.window_start IS NULL
                  THEN jsonb_build_object('phone_numbers', coalesce(
                         (SELECT jsonb_agg(jsonb_build_object('phone_number', phone_number,
                                                              'since', since, 'through', through)
                                           ORDER BY phone_number) FROM numbers), '[]'::jsonb))
                  ELSE r.report END
FROM run
WHERE r.id = run.id
RETURNING r.import_job_id, to_json(r.window_start) #>> '{}' AS window_start,
          (SELECT status FROM import_jobs j WHERE j.id = r.import_job_id) AS job_status

-- name: supersede_reconcile_jobs
-- $1 reconciliation id. An unfinished reconcile job of another reconciliation (whose run
-- failed before its job did) is failed, so the one-per-kind job slot is this run's.
UPDATE import_jobs
SET status = 'failed', last_error = 'superseded by reconciliation ' || $1::bigint,
    finished_at = clock_timestamp(), lease_owner = NULL, lease_expires_at = NULL
WHERE kind = 'openphone_reconcile' AND status IN ('pending', 'running', 'paused')
  AND (options->>'reconciliation_id') IS DISTINCT FROM $1::bigint::text
RETURNING id

-- name: create_reconcile_job
-- $1 reconciliation id, $2 options JSON ({"since", "reconciliation_id"}). Creates its import
-- job (or finds the one it already has) and records it on the reconciliation.
WITH created AS (
  INSERT INTO import_jobs (kind, options, resource)
  VALUES ('openphone_reconcile', $2::jsonb, 'phone_numbers')
  ON CONFLICT (kind) WHERE status IN ('pending', 'running', 'paused') DO NOTHING
  RETURNING id),
job AS (
  SELECT id FROM created
  UNION ALL
  SELECT id FROM import_jobs
  WHERE kind = 'openphone_reconcile' AND status IN ('pending', 'running', 'paused')
  LIMIT 1)
UPDATE reconciliations SET import_job_id = (SELECT id FROM job)
WHERE id = $1::bigint
RETURNING import_job_id

-- name: reconcile_job_state
-- $1 import job id: where the reconciliation's paging stands.
SELECT status, resource, progress::text, last_error FROM import_jobs WHERE id = $1::bigint

-- name: reconcile_list_conversations
-- $1 the conversations page JSON (as written by import_write_conversations just before, in the
-- same transaction), $2 reconciliation. Records which conversations the window's listing
-- returned: the messages and calls stages page only these (V018).
INSERT INTO reconciliation_conversations (reconciliation_id, conversation_id)
SELECT $2::bigint,
       ensure_conversation(i.phone_number_id, i.participants, i.openphone_id,
                           coalesce(i.created_at, now()), 'openphone')
FROM jsonb_to_recordset($1::jsonb) AS i(openphone_id text, phone_number_id text,
                                          participants text[], created_at timestamptz)
WHERE cardinality(i.participants) > 0
ON CONFLICT DO NOTHING

-- name: reconcile_conversations_after
-- $1 last conversation id handled, $2 how many, $3 only one-party conversations (calls),
-- $4 reconciliation. The work list of a reconciliation's messages and calls stages: what its
-- listing returned, in id order (import_conversations_after for a reconciliation).
SELECT c.id, c.phone_number_id, array_to_json(c.participants)::text AS participants
FROM reconciliation_conversations r
JOIN conversations c ON c.id = r.conversation_id
WHERE r.reconciliation_id = $4::bigint AND r.conversation_id > $1::bigint
  AND c.openphone_id IS NOT NULL AND c.phone_number_id IS NOT NULL
  AND (NOT $3::boolean OR cardinality(c.participants) = 1)
ORDER BY r.conversation_id
LIMIT $2::int

-- name: reconcile_write_activities
-- $1 page JSON, $2 the conversation the page was listed under, $3 the reconciliation whose
-- gaps the inserted rows are (V017).
SELECT import_activities($1::jsonb, $2::bigint, $3::bigint)

-- name: reconcile_progress
-- $1 id, $2 report JSON so far. Returns the reconciliation as the API shows it.
UPDATE reconciliations r SET report = r.report || $2::jsonb
WHERE r.id = $1::bigint AND r.status = 'running'
RETURNING reconciliation_json(r)::text

-- name: redrive_failed_webhook_events
-- $1 how many at most. Failed and dead events go back to the inbox to be applied again now that
-- the record is complete; attempts are kept, so a dead event that fails again is dead again at
-- once. Events stored as not understood (next attempt at infinity) cannot be parsed and stay.
UPDATE webhook_events
SET status = 'received', next_attempt_at = now(), error_code = NULL, error_message = NULL
WHERE id IN (SELECT id FROM webhook_events
             WHERE status IN ('failed', 'dead')
               AND next_attempt_at IS DISTINCT FROM 'infinity'::timestamptz
             ORDER BY id LIMIT $1::int)
RETURNING id, payload::text AS payload

-- name: redrive_status
-- $1 JSON array of event ids: how many are applied, still waiting, failed again.
SELECT count(*) FILTER (WHERE status = 'processed'),
       count(*) FILTER (WHERE status = 'received'),
       count(*) FILTER (WHERE status IN ('failed', 'dead'))
FROM webhook_events
WHERE id IN (SELECT value::bigint FROM jsonb_array_elements_text($1::jsonb))

-- name: reconcile_outcome
-- $1 id: the activities the run inserted, per kind, and the events still failing now.
SELECT (SELECT count(*) FROM reconciliation_gaps
        WHERE reconciliation_id = $1::bigint AND activity_type = 'message'),
       (SELECT count(*) FROM reconciliation_gaps
        WHERE reconciliation_id = $1::bigint AND activity_type = 'call'),
       (SELECT count(*) FROM webhook_events WHERE status IN ('failed', 'dead'))

-- name: finish_reconciliation
-- $1 id, $2 status (completed / failed), $3 last error, $4 report JSON. A completed run moves
-- every number's watermark to the window's end (a number first seen during the run was checked
-- from the window's start) and lists each number's window in the report.
WITH done AS (
  UPDATE reconciliations r
  SET status = $2::text, last_error = $3::text, finished_at = clock_timestamp(),
      report = $4::jsonb || jsonb_build_object('phone_numbers', coalesce(
        (SELECT jsonb_agg(jsonb_build_object(
                  'phone_number', p.phone_number,
                  'since', coalesce(b.value->>'since', to_json(r.window_start) #>> '{}'),
                  'through', to_json(r.window_end) #>> '{}') ORDER BY p.phone_number)
         FROM phone_numbers p
         LEFT JOIN jsonb_array_elements(r.report->'phone_numbers') AS b(value)
           ON b.value->>'phone_number' = p.phone_number
         WHERE p.openphone_id IS NOT NULL), '[]'::jsonb))
  WHERE r.id = $1::bigint AND r.status = 'running'
  RETURNING r.id, r.status, r.window_end, reconciliation_json(r)::text AS reconciliation),
marks AS (
  INSERT INTO sync_watermarks (phone_number_id, reconciled_through, reconciliation_id)
  SELECT p.id, done.window_end, done.id
  FROM done, phone_numbers p
  WHERE done.status = 'completed' AND p.openphone_id IS NOT NULL
  ON CONFLICT (phone_number_id) DO UPDATE SET
    reconciled_through = greatest(sync_watermarks.reconciled_through,
                                  excluded.reconciled_through),
    reconciliation_id = excluded.reconciliation_id, updated_at = now()
  RETURNING 1)
SELECT reconciliation, (SELECT count(*) FROM marks) FROM done

-- name: fail_reconcile_job
-- $1 import job id, $2 error: the job of a reconciliation that failed without it.
UPDATE import_jobs
SET status = 'failed', last_error = $2::text, finished_at = clock_timestamp(),
    lease_owner = NULL, lease_expires_at = NULL
WHERE id = $1::bigint AND status IN ('pending', 'running', 'paused')
RETURNING id
