-- Contacts for the web app (migration V010's JSON shapes and search index).

-- name: search_contacts
-- $1 search text with LIKE wildcards escaped ('' = everyone), $2 digits of a number
-- search ('' = none), $3/$4 keyset after (sort key, id), $5 page size.
-- Rows: id, sort key, contact JSON.
SELECT k.id, contact_sort_key(k), contact_json(k)::text
FROM contacts k
WHERE ($1::text = ''
       OR contact_search_text(k.first_name, k.last_name, k.display_name, k.company, k.email)
          LIKE '%' || lower($1::text) || '%'
       OR ($2::text <> '' AND array_to_string(k.phone_numbers, ' ') LIKE '%' || $2::text || '%'))
  AND (contact_sort_key(k), k.id) > ($3::text, $4::bigint)
ORDER BY contact_sort_key(k), k.id
LIMIT $5::int

-- name: get_contact
-- $1 id. The contact JSON and its conversations, newest first.
SELECT contact_json(k)::text,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                  'id', v.id, 'phone_number_id', v.phone_number_id,
                  'participants', v.participants, 'last_activity_at', v.last_activity_at)
                ORDER BY v.last_activity_at DESC, v.id DESC), '[]'::jsonb)
        FROM conversations v WHERE v.contact_id = k.id)::text
FROM contacts k
WHERE k.id = $1::bigint

-- name: update_contact
-- $1 id, $2 JSON object of validated fields; a key present sets its column (null clears it).
UPDATE contacts k SET
  first_name = CASE WHEN $2::jsonb ? 'first_name' THEN $2::jsonb->>'first_name' ELSE k.first_name END,
  last_name = CASE WHEN $2::jsonb ? 'last_name' THEN $2::jsonb->>'last_name' ELSE k.last_name END,
  display_name = CASE WHEN $2::jsonb ? 'display_name' THEN $2::jsonb->>'display_name'
                      ELSE k.display_name END,
  company = CASE WHEN $2::jsonb ? 'company' THEN $2::jsonb->>'company' ELSE k.company END,
  email = CASE WHEN $2::jsonb ? 'email' THEN $2::jsonb->>'email' ELSE k.email END,
  street = CASE WHEN $2::jsonb ? 'street' THEN $2::jsonb->>'street' ELSE k.street END,
  city = CASE WHEN $2::jsonb ? 'city' THEN $2::jsonb->>'city' ELSE k.city END,
  state = CASE WHEN $2::jsonb ? 'state' THEN $2::jsonb->>'state' ELSE k.state END,
  postal_code = CASE WHEN $2::jsonb ? 'postal_code' THEN $2::jsonb->>'postal_code'
                     ELSE k.postal_code END,
  country = CASE WHEN $2::jsonb ? 'country' THEN $2::jsonb->>'country' ELSE k.country END,
  time_zone = CASE WHEN $2::jsonb ? 'time_zone' THEN $2::jsonb->>'time_zone' ELSE k.time_zone END,
  tags = CASE WHEN $2::jsonb ? 'tags' THEN jsonb_text_array($2::jsonb->'tags') ELSE k.tags END
WHERE k.id = $1::bigint
RETURNING contact_json(k)::text
