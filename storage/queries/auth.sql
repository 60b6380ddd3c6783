-- Accounts, sessions and login attempts (migration V009). Session tokens travel as the lower-case
-- hex of their SHA-256 and are compared as bytea; emails arrive lowered.

-- name: session_lookup
-- $1 token hash (hex), $2 idle TTL in s, $3 absolute lifetime in s. The session's user, or no
-- row for an unknown, expired or disabled one. Also slides the expiry, at most once a minute
-- per session, so a busy client does not write on every request.
WITH found AS (
  SELECT s.id, s.user_id, u.role, u.email, s.csrf_token, s.last_seen_at
  FROM user_sessions s JOIN users u ON u.id = s.user_id
  WHERE s.token_hash = decode($1::text, 'hex') AND s.expires_at > clock_timestamp()
    AND u.disabled_at IS NULL),
touched AS (
  UPDATE user_sessions s
  SET last_seen_at = clock_timestamp(),
      expires_at = least(clock_timestamp() + $2::bigint * interval '1 second',
                         s.created_at + $3::bigint * interval '1 second')
  FROM found f
  WHERE s.id = f.id AND f.last_seen_at < clock_timestamp() - interval '1 minute')
SELECT user_id, role, email, csrf_token FROM found

-- name: login_failures
-- $1 lowered email, $2 remote address, $3 window in s, $4 account limit, $5 address limit.
-- Per scope, the most recent counted failures (up to the limit) and the age in whole seconds of
-- the oldest of them. An account's failures before its last success do not count; throttled
-- attempts never do.
WITH account AS (
  SELECT attempted_at FROM login_attempts
  WHERE email = $1::text AND NOT succeeded AND NOT throttled
    AND attempted_at > clock_timestamp() - $3::bigint * interval '1 second'
    AND attempted_at > coalesce((SELECT max(attempted_at) FROM login_attempts
                                 WHERE email = $1::text AND succeeded), '-infinity')
  ORDER BY attempted_at DESC LIMIT $4::int),
address AS (
  SELECT attempted_at FROM login_attempts
  WHERE remote_address = $2::text AND NOT succeeded AND NOT throttled
    AND attempted_at > clock_timestamp() - $3::bigint * interval '1 second'
  ORDER BY attempted_at DESC LIMIT $5::int)
SELECT (SELECT count(*) FROM account) AS account_failures,
       coalesce(floor(extract(epoch FROM clock_timestamp()
                                         - (SELECT min(attempted_at) FROM account)))::bigint,
                0) AS account_oldest_s,
       (SELECT count(*) FROM address) AS address_failures,
       coalesce(floor(extract(epoch FROM clock_timestamp()
                                         - (SELECT min(attempted_at) FROM address)))::bigint,
                0) AS address_oldest_s

-- name: login_account
-- $1 lowered email. Only an enabled user with a password can log in.
SELECT id, password_hash, role, email, first_name, last_name FROM users
WHERE lower(email) = $1::text AND disabled_at IS NULL AND password_hash IS NOT NULL

-- name: record_login_attempt
-- $1 lowered email, $2 remote address, $3 succeeded, $4 throttled
INSERT INTO login_attempts (email, remote_address, succeeded, throttled)
VALUES ($1::text, $2::text, $3::boolean, $4::boolean)

-- name: create_session
-- $1 token hash (hex), $2 user id, $3 CSRF token, $4 idle TTL in s, $5 absolute lifetime in s,
-- $6 remote address, $7 user agent
INSERT INTO user_sessions (token_hash, user_id, csrf_token, expires_at, remote_address,
                           user_agent)
VALUES (decode($1::text, 'hex'), $2::bigint, $3::text,
        clock_timestamp() + least($4::bigint, $5::bigint) * interval '1 second', $6::text,
        $7::text)

-- name: delete_expired_sessions
-- $1 user id. Run at each login, so a user's dead sessions do not pile up.
DELETE FROM user_sessions WHERE user_id = $1::bigint AND expires_at <= clock_timestamp()

-- name: delete_session
-- $1 token hash (hex)
DELETE FROM user_sessions WHERE token_hash = decode($1::text, 'hex')

-- name: account_by_id
-- $1 user id
SELECT id, email, first_name, last_name, role FROM users WHERE id = $1::bigint

-- name: upsert_account
-- $1 lowered email, $2 password hash, $3 role, $4 first name, $5 last name (NULL: keep).
-- An existing email (an OpenPhone user, or an earlier `crmd user add`) gets the new password and
-- role; `updated` says which happened.
INSERT INTO users AS u (email, password_hash, role, first_name, last_name)
VALUES ($1::text, $2::text, $3::text, $4::text, $5::text)
ON CONFLICT (lower(email)) DO UPDATE SET
  password_hash = excluded.password_hash,
  role = excluded.role,
  first_name = coalesce(excluded.first_name, u.first_name),
  last_name = coalesce(excluded.last_name, u.last_name),
  updated_at = now()
RETURNING id, xmax <> 0 AS updated

-- name: delete_user_sessions
-- $1 lowered email. A new password ends every session of the account.
DELETE FROM user_sessions
WHERE user_id = (SELECT id FROM users WHERE lower(email) = $1::text)
