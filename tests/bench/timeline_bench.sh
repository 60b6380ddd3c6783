#!/usr/bin/env bash
# Timeline API benchmark (issue 6): one contact with 10,000 activities (texts, calls with
# summaries and transcripts, voicemails, MMS), pages of 50 walked by cursor. Prints latency
# p50/p90/p99 for one client (wrk -c1) and for 8 concurrent clients. Needs build/release (scripts/test or
# scripts/run); starts its own embedded PostgreSQL under var/bench-pg unless CRM_DATABASE_URL is set.
#   tests/bench/timeline_bench.sh [seconds]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/lib/common.sh"
cd "$root"
seconds=${1:-15}
work=$(mktemp -d)

started_pg=""
crmd_pid=""
cleanup() {
  [[ -n "$crmd_pid" ]] && kill -TERM "$crmd_pid" 2>/dev/null && wait "$crmd_pid" 2>/dev/null
  [[ -n "$started_pg" ]] && scripts/pg stop var/bench-pg
  rm -rf "$work"
  return 0
}
trap cleanup EXIT
if [[ -z "${CRM_DATABASE_URL:-}" ]]; then
  admin=$(scripts/pg start var/bench-pg)
  started_pg=1
  psql -q "$admin" -c "drop database if exists timeline_bench" -c "create database timeline_bench"
  CRM_DATABASE_URL=${admin%/*}/timeline_bench
fi
export CRM_DATABASE_URL

password=bench-password-0123
printf '%s\n' "$password" | build/release/app/crmd user add --email bench@crmd.test --role owner \
  2>/dev/null
psql -q "$CRM_DATABASE_URL" <<'SQL'
insert into contacts (first_name, phone, phone_numbers) values ('Bench', '+15085550142', '{+15085550142}')
on conflict (phone) do nothing;
insert into conversations (contact_id, participants, phone_number_id)
select id, '{+15085550142}', 'PN1' from contacts where phone = '+15085550142'
and not exists (select 1 from conversations where participants = '{+15085550142}');
insert into activities (openphone_id, conversation_id, contact_id, activity_type, direction, status,
                        from_number, to_numbers, participants, body, media_urls, duration_seconds,
                        recording_url, voicemail_url, ai_summary, ai_next_steps, ai_transcript,
                        ai_content_status, occurred_at)
select 'ACbench' || g, v.id, v.contact_id,
       case g % 10 when 0 then 'voicemail' when 1 then 'call' when 2 then 'call' else 'message' end,
       case when g % 3 = 0 then 'outgoing' else 'incoming' end,
       case g % 10 when 0 then 'voicemail' when 1 then 'completed' when 2 then 'missed'
                   else 'delivered' end,
       '+15085550142', '{+15550190001}', '{+15085550142}',
       case when g % 10 >= 3 then 'Message number ' || g || ': the crack in the north wall is wider after the rain' end,
       case when g % 10 = 3 then '[{"url":"https://files.example/m.jpg","type":"image/jpeg"}]'::jsonb else '[]' end,
       case when g % 10 in (0, 1) then 120 end,
       case when g % 10 = 1 then 'https://files.example/r' || g || '.mp3' end,
       case when g % 10 = 0 then 'https://files.example/v' || g || '.mp3' end,
       case when g % 10 = 1 then array['Customer asked about a quote', 'Crack is 3 mm wide'] end,
       case when g % 10 = 1 then array['Send the quote', 'Book an inspection'] end,
       case when g % 10 = 1 then (select jsonb_agg(jsonb_build_object(
                'identifier', '+15085550142', 'content', 'Sentence ' || i || ' of the call',
                'start', i * 4, 'end', i * 4 + 3)) from generate_series(1, 20) i) end,
       case when g % 10 = 1 then 'completed' end,
       now() - g * interval '7 minutes'
from conversations v, generate_series(1, 10000) g
where v.participants = '{+15085550142}'
on conflict (openphone_id) do nothing;
analyze;
SQL
contact=$(psql -Atq "$CRM_DATABASE_URL" -c "select id from contacts where phone = '+15085550142'")

port=$(crmd_free_port 18080)
CRM_HTTP_LISTEN=127.0.0.1:$port CRM_LOG_LEVEL=warn build/release/app/crmd 2>var/bench-crmd.log &
crmd_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
token=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"email\":\"bench@crmd.test\",\"password\":\"$password\"}" \
  "http://127.0.0.1:$port/api/v1/auth/login" | sed -n 's/^[Ss]et-[Cc]ookie: crm_session=\([^;]*\).*/\1/p')
export TIMELINE_COOKIE="crm_session=$token"

# Record the walk: every page's path, first to last.
target="/api/v1/contacts/$contact/timeline?limit=50"
: >"$work/targets"
pages=0
while [[ -n "$target" ]]; do
  echo "$target" >>"$work/targets"
  cursor=$(curl -sf -H "Cookie: $TIMELINE_COOKIE" "http://127.0.0.1:$port$target" |
    grep -o '"next_cursor":"[0-9a-f]*"' | cut -d'"' -f4 || true)
  pages=$((pages + 1))
  target=${cursor:+/api/v1/contacts/$contact/timeline?limit=50&cursor=$cursor}
done
export TIMELINE_TARGETS="$work/targets"
echo "timeline: $pages pages of 50 for contact $contact"
echo "page size: $(curl -s -H "Cookie: $TIMELINE_COOKIE" "http://127.0.0.1:$port/api/v1/contacts/$contact/timeline?limit=50" | wc -c) bytes"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "--- one client"
wrk -t1 -c1 -d"${seconds}s" --latency -s tests/bench/timeline_pages.lua "http://127.0.0.1:$port"
echo "--- 8 clients"
wrk -t2 -c8 -d"${seconds}s" --latency -s tests/bench/timeline_pages.lua "http://127.0.0.1:$port"
