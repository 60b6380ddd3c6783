-- Applying one webhook event to the communication record. The statements run in one pipeline
-- (one transaction); later statements find earlier rows by their natural keys, so a single round
-- trip upserts contact, conversation and activity. Arrays travel as JSON text parameters.
-- Every merge keeps what is stored when the event says nothing, so events converge in any order.

-- name: upsert_user
-- $1 provider user id (US…)
INSERT INTO users (openphone_user_id) VALUES ($1::text)
ON CONFLICT (openphone_user_id) DO NOTHING

-- name: upsert_participant_contacts
-- $1 JSON array of E.164 numbers. A number already listed on any contact is that contact's.
INSERT INTO contacts (phone, phone_numbers, source)
SELECT p, ARRAY[p], 'webhook'
FROM jsonb_array_elements_text($1::jsonb) AS p
WHERE NOT EXISTS (SELECT 1 FROM contacts k WHERE k.phone_numbers @> ARRAY[p])
ON CONFLICT (phone) DO NOTHING

-- name: upsert_conversation
-- $1 phone number id (PN…), $2 JSON array of external parties (sorted), $3 conversation id (CN…)
-- or NULL, $4 when the activity happened, $5 the primary party (the conversation's contact)
-- When the provider's conversation id is already stored, that row is the conversation, whatever
-- parties this event lists (an incoming group message can list our own number among them).
INSERT INTO conversations AS c (openphone_id, contact_id, participants, phone_number_id,
                                last_activity_at)
SELECT $3::text,
       (SELECT k.id FROM contacts k WHERE k.phone_numbers @> ARRAY[$5::text]
        ORDER BY (k.phone = $5::text) DESC, k.id LIMIT 1),
       ARRAY(SELECT jsonb_array_elements_text($2::jsonb)), $1::text, $4::timestamptz
WHERE $3::text IS NULL OR NOT EXISTS (SELECT 1 FROM conversations WHERE openphone_id = $3::text)
ON CONFLICT (phone_number_id, participants)
DO UPDATE SET openphone_id = COALESCE(c.openphone_id, EXCLUDED.openphone_id)

-- name: upsert_activity
-- $1 AC id, $2 type, $3 direction, $4 status, $5 from, $6 to (JSON), $7 parties (JSON, NULL for
-- events that name only the call), $8 user (US…), $9 phone number id, $10 body, $11 media (JSON),
-- $12 duration, $13 recording url, $14 voicemail url, $15 answered_at, $16 answered_by,
-- $17 completed_at, $18 initiated_by, $19 forwarded_from, $20 forwarded_to, $21 summary (JSON),
-- $22 next steps (JSON), $23 transcript (JSON), $24 AI status, $25 activity createdAt (NULL for
-- summaries and the like), $26 event createdAt (placeholder time), $27 primary party,
-- $28 conversation id (CN…) or NULL
INSERT INTO activities AS a (
  openphone_id, conversation_id, contact_id, activity_type, direction, status, from_number,
  to_numbers, participants, user_id, phone_number_id, body, media_urls, duration_seconds,
  recording_url, voicemail_url, answered_at, answered_by, completed_at, initiated_by,
  forwarded_from, forwarded_to, ai_summary, ai_next_steps, ai_transcript, ai_content_status,
  occurred_at)
SELECT
  $1::text,
  CASE WHEN $7::jsonb IS NULL THEN NULL ELSE COALESCE(
    (SELECT c.id FROM conversations c WHERE c.openphone_id = $28::text),
    (SELECT c.id FROM conversations c
     WHERE c.phone_number_id IS NOT DISTINCT FROM $9::text
       AND c.participants = ARRAY(SELECT jsonb_array_elements_text($7::jsonb)))) END,
  (SELECT k.id FROM contacts k WHERE $27::text IS NOT NULL AND k.phone_numbers @> ARRAY[$27::text]
   ORDER BY (k.phone = $27::text) DESC, k.id LIMIT 1),
  $2::text, $3::text, $4::text, $5::text,
  ARRAY(SELECT jsonb_array_elements_text($6::jsonb)),
  ARRAY(SELECT jsonb_array_elements_text($7::jsonb)),
  (SELECT u.id FROM users u WHERE u.openphone_user_id = $8::text),
  $9::text, $10::text, COALESCE($11::jsonb, '[]'), $12::int, $13::text, $14::text,
  $15::timestamptz, $16::text, $17::timestamptz, $18::text, $19::text, $20::text,
  CASE WHEN $21::jsonb IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text($21::jsonb)) END,
  CASE WHEN $22::jsonb IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text($22::jsonb)) END,
  $23::jsonb, $24::text, COALESCE($25::timestamptz, $26::timestamptz)
ON CONFLICT (openphone_id) DO UPDATE SET
  conversation_id = COALESCE(a.conversation_id, EXCLUDED.conversation_id),
  contact_id = COALESCE(a.contact_id, EXCLUDED.contact_id),
  activity_type = CASE WHEN $25::timestamptz IS NULL THEN a.activity_type
                       ELSE EXCLUDED.activity_type END,
  direction = COALESCE(EXCLUDED.direction, a.direction),
  -- Statuses only move forward: "delivered" before "sent" keeps "delivered".
  status = CASE WHEN EXCLUDED.status IS NOT NULL
                 AND activity_status_rank(EXCLUDED.status) >= activity_status_rank(a.status)
                THEN EXCLUDED.status ELSE a.status END,
  from_number = COALESCE(EXCLUDED.from_number, a.from_number),
  to_numbers = CASE WHEN $6::jsonb IS NULL THEN a.to_numbers ELSE EXCLUDED.to_numbers END,
  participants = CASE WHEN $7::jsonb IS NULL THEN a.participants ELSE EXCLUDED.participants END,
  user_id = COALESCE(EXCLUDED.user_id, a.user_id),
  phone_number_id = COALESCE(EXCLUDED.phone_number_id, a.phone_number_id),
  body = COALESCE(EXCLUDED.body, a.body),
  media_urls = CASE WHEN $11::jsonb IS NULL THEN a.media_urls ELSE EXCLUDED.media_urls END,
  duration_seconds = COALESCE(EXCLUDED.duration_seconds, a.duration_seconds),
  recording_url = COALESCE(EXCLUDED.recording_url, a.recording_url),
  voicemail_url = COALESCE(EXCLUDED.voicemail_url, a.voicemail_url),
  answered_at = COALESCE(EXCLUDED.answered_at, a.answered_at),
  answered_by = COALESCE(EXCLUDED.answered_by, a.answered_by),
  completed_at = COALESCE(EXCLUDED.completed_at, a.completed_at),
  initiated_by = COALESCE(EXCLUDED.initiated_by, a.initiated_by),
  forwarded_from = COALESCE(EXCLUDED.forwarded_from, a.forwarded_from),
  forwarded_to = COALESCE(EXCLUDED.forwarded_to, a.forwarded_to),
  ai_summary = COALESCE(EXCLUDED.ai_summary, a.ai_summary),
  ai_next_steps = COALESCE(EXCLUDED.ai_next_steps, a.ai_next_steps),
  ai_transcript = COALESCE(EXCLUDED.ai_transcript, a.ai_transcript),
  -- Summary and transcript report separately; once either completed, a later "pending" from the
  -- other must not hide it.
  ai_content_status = CASE WHEN a.ai_content_status = 'completed' THEN 'completed'
                           ELSE COALESCE(EXCLUDED.ai_content_status, a.ai_content_status) END,
  occurred_at = COALESCE($25::timestamptz, a.occurred_at)

-- name: touch_conversation
-- $1 AC id: the conversation's last activity becomes this one unless a newer one is recorded.
UPDATE conversations c
SET last_activity_at = a.occurred_at,
    last_activity_type = a.activity_type,
    last_activity_id = a.openphone_id
FROM activities a
WHERE a.openphone_id = $1::text
  AND c.id = a.conversation_id
  AND (c.last_activity_id IS NULL OR c.last_activity_at <= a.occurred_at)
  AND c.last_activity_id IS DISTINCT FROM a.openphone_id

-- name: activity_for_publish
-- $1 AC id: the fresh row as the hub publishes it (no transcript: it can be large).
SELECT a.conversation_id,
       jsonb_build_object(
         'id', a.id, 'openphone_id', a.openphone_id, 'conversation_id', a.conversation_id,
         'contact_id', a.contact_id, 'activity_type', a.activity_type,
         'direction', a.direction, 'status', a.status, 'from_number', a.from_number,
         'to_numbers', a.to_numbers, 'participants', a.participants, 'body', a.body,
         'media', a.media_urls, 'duration_seconds', a.duration_seconds,
         'has_recording', a.recording_url IS NOT NULL,
         'has_voicemail', a.voicemail_url IS NOT NULL,
         'ai_content_status', a.ai_content_status, 'occurred_at', a.occurred_at,
         'updated_at', a.updated_at)::text AS activity
FROM activities a
WHERE a.openphone_id = $1::text

-- name: link_contact_by_phone
-- $1 provider contact id, $2 JSON array of its E.164 numbers: an existing contact with one of
-- those numbers and no provider link becomes this provider contact (no duplicate person).
UPDATE contacts SET openphone_id = $1::text
WHERE id = (SELECT k.id FROM contacts k
            WHERE k.openphone_id IS NULL
              AND k.phone_numbers && ARRAY(SELECT jsonb_array_elements_text($2::jsonb))
            ORDER BY k.id LIMIT 1)
  AND NOT EXISTS (SELECT 1 FROM contacts WHERE openphone_id = $1::text)

-- name: upsert_provider_contact
-- $1 provider contact id, $2 first name, $3 last name, $4 company, $5 JSON array of E.164
-- numbers, $6 email. The primary phone is the first number nobody else holds as primary.
INSERT INTO contacts AS k (openphone_id, first_name, last_name, company, phone, phone_numbers,
                           email, source)
SELECT $1::text, $2::text, $3::text, $4::text,
       (SELECT p FROM jsonb_array_elements_text($5::jsonb) AS p
        WHERE NOT EXISTS (SELECT 1 FROM contacts o WHERE o.phone = p) LIMIT 1),
       ARRAY(SELECT jsonb_array_elements_text($5::jsonb)), $6::text, 'openphone'
ON CONFLICT (openphone_id) DO UPDATE SET
  first_name = COALESCE(EXCLUDED.first_name, k.first_name),
  last_name = COALESCE(EXCLUDED.last_name, k.last_name),
  company = COALESCE(EXCLUDED.company, k.company),
  email = COALESCE(EXCLUDED.email, k.email),
  phone_numbers = ARRAY(SELECT DISTINCT n FROM unnest(k.phone_numbers || EXCLUDED.phone_numbers) n
                        ORDER BY n)

-- name: unlink_provider_contact
-- $1 provider contact id. OpenPhone deleting a contact unlinks it; our history stays.
UPDATE contacts SET openphone_id = NULL WHERE openphone_id = $1::text
