#!/usr/bin/env bash
# SMS campaign runtime benchmark (issue 7): crmd serving against the emulator's REST API and the
# embedded PostgreSQL, a campaign inserted as 'running' so crmd's registry resumes it at start.
# Each run uses a fresh database on var/bench-pg, or on the running cluster whose admin URL is in
# CAMPAIGN_BENCH_ADMIN_URL. Needs a build (BUILD=build/release by default; scripts/test makes it).
#
#   tests/bench/campaign_bench.sh decide     100,000 members whose window is closed now (a zone
#                                            where it is night): the campaign actor pages and
#                                            decides every member and sends nothing. Prints
#                                            decisions/s of the pass, crmd CPU time per decision
#                                            and crmd's peak RSS.
#   tests/bench/campaign_bench.sh send       10,000 members inside their window with the
#                                            provider limit lifted (emulator unlimited, crmd at
#                                            100,000 requests/s): texts recorded sent per second.
#   tests/bench/campaign_bench.sh throttle   600 members inside their window, the campaign at
#                                            120/min, for 2 minutes: texts sent ÷ configured rate.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/lib/common.sh"
cd "$root"
mode=${1:-decide}
build=${BUILD:-build/release}
key=bench-campaign-key

emulator_pid=""
crmd_pid=""
admin=""
database="campaign_bench_$(date +%s)"
cleanup() {
  [[ -n "$crmd_pid" ]] && kill -TERM "$crmd_pid" 2>/dev/null && wait "$crmd_pid" 2>/dev/null
  [[ -n "$emulator_pid" ]] && kill -TERM "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  [[ -n "$admin" ]] && psql -q "$admin" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
  [[ -z "${CAMPAIGN_BENCH_ADMIN_URL:-}" ]] && scripts/pg stop var/bench-pg
  return 0
}
trap cleanup EXIT
admin=${CAMPAIGN_BENCH_ADMIN_URL:-$(scripts/pg start var/bench-pg)}
psql -q "$admin" -c "CREATE DATABASE $database"
url="${admin%/*}/$database"

# A fixed-offset zone where it is now mid-day (open) or mid-night (closed) for a 09:00-20:00
# window: Etc/GMT-N is N hours east of UTC.
zone_at_local_hour() {
  local want=$1 utc offset
  utc=$(date -u +%-H)
  offset=$(( (want - utc + 36) % 24 - 12 ))
  if (( offset == 0 )); then echo "Etc/GMT"; elif (( offset > 0 )); then echo "Etc/GMT-$offset";
  else echo "Etc/GMT+$(( -offset ))"; fi
}

case $mode in
  decide) members=100000; zone=$(zone_at_local_hour 2); rate=1000000; crmd_rate=100000 ;;
  send) members=10000; zone=$(zone_at_local_hour 14); rate=1000000; crmd_rate=100000 ;;
  throttle) members=600; zone=$(zone_at_local_hour 14); rate=120; crmd_rate=10 ;;
  *) echo "usage: $0 decide|send|throttle" >&2; exit 2 ;;
esac

port=$(crmd_free_port 18380)
"$build/tools/openphone-emulator/openphone-emulator" --serve --listen "127.0.0.1:$port" \
  --api-key "$key" --seed 7 --numbers 1 --users 1 --contacts 0 --conversations 1 --messages 0 \
  --calls 0 --rate-limit 0 --threads 2 >var/bench-campaign-emulator.out 2>&1 &
emulator_pid=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/_emulator/stats" >/dev/null && break; sleep 0.1; done

# The schema: crmd migrates at start; stop it, then seed.
http_port=$(crmd_free_port 18390)
export CRM_DATABASE_URL=$url CRM_HTTP_LISTEN="127.0.0.1:$http_port" CRM_LOG_LEVEL=info \
  CRM_OPENPHONE_API_URL="http://127.0.0.1:$port" CRM_OPENPHONE_API_KEY=$key \
  CRM_OPENPHONE_RATE_LIMIT=$crmd_rate
"$build/app/crmd" 2>var/bench-campaign-migrate.log &
crmd_pid=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$http_port/readyz" >/dev/null && break; sleep 0.1; done
kill -TERM "$crmd_pid"; wait "$crmd_pid" || true; crmd_pid=""

psql -q "$url" <<SQL
INSERT INTO phone_numbers (openphone_id, phone_number) VALUES ('PNbench', '+15085550100');
INSERT INTO contacts (first_name, phone, phone_numbers, time_zone)
SELECT 'M' || n, '+1617' || lpad(n::text, 7, '0'), ARRAY['+1617' || lpad(n::text, 7, '0')], '$zone'
FROM generate_series(1, $members) n;
INSERT INTO campaigns (name, template_a, from_phone_number_id, throttle_per_minute, daily_cap,
                       status, started_at)
VALUES ('Bench', 'Hi {first_name}, a free foundation check this week?', 'PNbench', $rate,
        1000000, 'running', now());
INSERT INTO campaign_memberships (campaign_id, contact_id, phone)
SELECT 1, id, phone FROM contacts ORDER BY id;
SQL

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); build $build; zone $zone; $members members"
ticks=$(getconf CLK_TCK)
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
"$build/app/crmd" 2>var/bench-campaign.log &
crmd_pid=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$http_port/readyz" >/dev/null && break; sleep 0.1; done
cpu_start=$(cpu_of "$crmd_pid")
start=$(date +%s.%N)
sent() { psql -qtA "$url" -c "SELECT count(*) FROM campaign_memberships WHERE status = 'sent'"; }

case $mode in
  decide)
    for _ in $(seq 3000); do grep -q '"campaign pass finished"' var/bench-campaign.log && break; sleep 0.1; done
    cpu_end=$(cpu_of "$crmd_pid")
    line=$(grep '"campaign pass finished"' var/bench-campaign.log | head -1)
    decided=$(sed 's/.*"decided":\([0-9]*\).*/\1/' <<<"$line")
    ms=$(sed 's/.*"ms":\([0-9]*\).*/\1/' <<<"$line")
    echo "pass: $decided decisions in $ms ms = $(echo "$decided * 1000 / $ms" | bc) decisions/s"
    echo "crmd CPU during the pass: $(echo "scale=1; ($cpu_end - $cpu_start) * 1000000 / $ticks / $decided" | bc) µs per decision (user+system)"
    ;;
  send)
    for _ in $(seq 6000); do [[ $(sent) -ge $members ]] && break; sleep 0.1; done
    end=$(date +%s.%N)
    echo "sent $(sent) in $(echo "$end - $start" | bc) s = $(echo "$(sent) / ($end - $start)" | bc) texts/s"
    ;;
  throttle)
    sleep 120
    count=$(psql -qtA "$url" -c "SELECT count(*) FROM campaign_memberships WHERE sent_at < (SELECT min(sending_at) FROM campaign_memberships) + interval '120 s'")
    echo "sent in the first 120 s: $count; configured 120/min → 240; achieved ÷ configured = $(echo "scale=3; $count / 240" | bc)"
    ;;
esac
echo "crmd peak RSS: $(awk '/VmHWM/ {print $2, $3}' "/proc/$crmd_pid/status")"
