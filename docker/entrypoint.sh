#!/usr/bin/env bash
# What scripts/run does once crmd is built and the database exists: on the first run create an
# owner account whose generated password is kept in /var/lib/crmd/owner-password (readable by this
# user only, never printed; `crmd user add` changes it), then start crmd, which migrates the
# schema itself before it serves. Any arguments run crmd with them instead (e.g. `import openphone`,
# `user add …`, `reconcile`).
set -euo pipefail
: "${CRM_DATABASE_URL:?CRM_DATABASE_URL must name the database}"
if [[ $# -gt 0 ]]; then
  exec crmd "$@"
fi
if ! psql -Atq "$CRM_DATABASE_URL" -c "select 1 from users where password_hash is not null limit 1" \
     2>/dev/null | grep -q 1; then
  # Not CRM_OWNER_EMAIL as in scripts/run: crmd refuses unknown CRM_* variables in its environment.
  owner_email=${CRMD_OWNER_EMAIL:-owner@example.com}
  (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' '-_' >/var/lib/crmd/owner-password)
  # The user table exists only after the first migration: `crmd user add` migrates first.
  crmd user add --email "$owner_email" --role owner </var/lib/crmd/owner-password
  echo "crmd-entrypoint: log in as $owner_email with the password in /var/lib/crmd/owner-password" >&2
fi
exec crmd
