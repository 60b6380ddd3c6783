-- SMS campaigns (migration V013's functions): the API's campaigns, audience, members and
-- analytics, and the reply processor's page and commit.

-- name: list_campaigns
-- $1 status ('' = all), $2 keyset: the last id of the previous page (0 = from the newest),
-- $3 page size. Newest first. Rows: id, campaign JSON.
SELECT c.id, campaign_json(c)::text
FROM campaigns c
WHERE ($1::text = '' OR c.status = $1::text)
  AND ($2::bigint = 0 OR c.id < $2::bigint)
ORDER BY c.id DESC
LIMIT $3::int

-- name: get_campaign
-- $1 id. Rows: campaign JSON, analytics JSON; none when there is no such campaign.
SELECT campaign_json(c)::text, campaign_analytics(c.id)::text
FROM campaigns c WHERE c.id = $1::bigint

-- name: save_campaign
-- $1 id (NULL creates), $2 validated fields (JSON object), $3 user id.
-- Rows: outcome ('ok', 'not_found', 'not_editable', 'unknown_phone_number'), campaign JSON.
SELECT outcome, campaign::text FROM save_campaign($1::bigint, $2::jsonb, $3::bigint)

-- name: delete_campaign
-- $1 id. Rows: outcome ('ok', 'not_found', 'not_editable').
SELECT delete_campaign($1::bigint)

-- name: campaign_audience_counts
-- $1 id. Rows (none when there is no such campaign): would-be members, opted-out contacts the
-- filter matched, existing customers among the members, campaign JSON (its templates).
SELECT count(*) FILTER (WHERE NOT a.opted_out), count(*) FILTER (WHERE a.opted_out),
       count(*) FILTER (WHERE a.existing_customer AND NOT a.opted_out),
       (SELECT campaign_json(c)::text)
FROM campaigns c
LEFT JOIN LATERAL campaign_audience(c) a ON true
WHERE c.id = $1::bigint
GROUP BY c.id

-- name: campaign_audience_sample
-- $1 id, $2 how many. The first would-be members by contact id with their merge values.
-- Rows: contact_id, name, phone, first_name, last_name, company, street, city, state,
-- postal_code, existing_customer ('t'/'f'), texted before ('t'/'f': no opt-out line then).
SELECT a.contact_id,
       coalesce(k.display_name, nullif(concat_ws(' ', k.first_name, k.last_name), '')),
       a.phone, k.first_name, k.last_name, k.company, k.street, k.city, k.state, k.postal_code,
       a.existing_customer,
       exists (SELECT 1 FROM activities x
               WHERE x.contact_id = a.contact_id AND x.direction = 'outgoing'
                 AND x.activity_type = 'message')
FROM campaigns c
CROSS JOIN LATERAL campaign_audience(c) a
JOIN contacts k ON k.id = a.contact_id
WHERE c.id = $1::bigint AND NOT a.opted_out
ORDER BY a.contact_id
LIMIT $2::int

-- name: add_campaign_csv_members
-- $1 campaign id, $2 JSON array of validated rows (see the function).
-- Rows: outcome ('ok', 'not_found', 'not_editable'), added, opted_out, duplicates.
SELECT outcome, added, opted_out, duplicates FROM add_campaign_csv_members($1::bigint, $2::jsonb)

-- name: campaign_analytics
-- $1 id. Rows: analytics JSON (without the A/B test), NULL when there is no such campaign.
SELECT campaign_analytics($1::bigint)::text

-- name: campaign_members_page
-- $1 campaign id, $2 status ('' = all), $3 keyset: last member id of the previous page (0 =
-- start), $4 page size. Rows: id, member JSON with the contact's name and number.
SELECT m.id,
       (campaign_member_json(m)
        || jsonb_build_object('phone', m.phone, 'suppressed_reason', m.suppressed_reason,
                              'reply_reason', m.reply_reason, 'failure_reason', m.failure_reason,
                              'existing_customer', m.existing_customer,
                              'name', coalesce(k.display_name,
                                               nullif(concat_ws(' ', k.first_name, k.last_name),
                                                      ''))))::text
FROM campaign_memberships m
JOIN contacts k ON k.id = m.contact_id
WHERE m.campaign_id = $1::bigint
  AND ($2::text = '' OR m.status = $2::text)
  AND m.id > $3::bigint
ORDER BY m.id
LIMIT $4::int

-- name: campaign_members_export
-- $1 campaign id. Every member, for members.csv. Rows: id, contact_id, name, phone, status,
-- variant_sent, existing_customer, sent_at, delivery status, replied_at, reply_reason,
-- suppressed_reason, failure_reason.
SELECT m.id, m.contact_id,
       coalesce(k.display_name, nullif(concat_ws(' ', k.first_name, k.last_name), '')),
       m.phone, m.status, m.variant_sent, m.existing_customer,
       to_char(m.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), a.status,
       to_char(m.replied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), m.reply_reason,
       m.suppressed_reason, m.failure_reason
FROM campaign_memberships m
JOIN contacts k ON k.id = m.contact_id
LEFT JOIN activities a ON a.id = m.activity_id
WHERE m.campaign_id = $1::bigint
ORDER BY m.id

-- name: campaign_exists
-- $1 id. One row when the campaign exists.
SELECT 1 FROM campaigns WHERE id = $1::bigint

-- name: get_campaign_json
-- $1 id. Rows: campaign JSON; none when there is no such campaign.
SELECT campaign_json(c)::text FROM campaigns c WHERE c.id = $1::bigint

-- name: reply_pending_page
-- $1 page size. Incoming texts not yet processed, oldest first, through the partial index
-- activities_reply_pending_idx. Each with the membership its reply ties to: the contact's
-- latest member still 'sent' whose text went out within the campaign's reply window before
-- the reply. Rows: activity id, contact id, body, membership id, campaign text.
SELECT a.id, a.contact_id, a.body, t.id, t.body
FROM activities a
LEFT JOIN LATERAL (
  SELECT m.id, coalesce(m.body, c.template_a) AS body
  FROM campaign_memberships m
  JOIN campaigns c ON c.id = m.campaign_id
  WHERE a.contact_id IS NOT NULL AND m.contact_id = a.contact_id AND m.status = 'sent'
    AND m.sent_at <= a.occurred_at
    AND m.sent_at >= a.occurred_at - c.reply_window_hours * interval '1 hour'
  ORDER BY m.sent_at DESC, m.id DESC
  LIMIT 1) t ON true
WHERE a.direction = 'incoming' AND a.activity_type = 'message' AND a.reply_processed_at IS NULL
ORDER BY a.id
LIMIT $1::int

-- name: apply_reply_decisions
-- $1 JSON array of decisions (see the function). Rows: kind ('campaign', 'member', 'help'),
-- campaign id, JSON (a frame, or the HELP text to send).
SELECT kind, campaign_id, frame::text FROM apply_reply_decisions($1::jsonb)

-- name: set_contact_opted_out
-- $1 contact id, $2 opted out (boolean), $3 user id. Rows: contact JSON (NULL: no such contact).
SELECT set_contact_opted_out($1::bigint, $2::boolean, $3::bigint)::text
