#!/usr/bin/env bash
# History-import benchmark (issue 5): a release `crmd import openphone` against the emulator's
# REST API and the embedded PostgreSQL (synchronous commit on, same machine). Each run uses a
# fresh database. Needs build/release (scripts/test builds it).
#
#   tests/bench/import_bench.sh rate     (a) rate-limit utilisation: the emulator enforces
#                                        10 requests/s, crmd paces at its default 10/s; a dataset
#                                        sized for about two minutes. Prints requests/s achieved
#                                        ÷ allowed and how many 429s the emulator had to send.
#   tests/bench/import_bench.sh absorb   (b)+(c) storage absorption with the limit lifted: the
#                                        default dataset (100,000 messages, 20,000 calls); prints
#                                        activities committed per second during the messages and
#                                        calls stages, the whole import's time, and crmd's peak RSS.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/lib/common.sh"
source "$root/tests/bench/machine.sh"
cd "$root"
mode=${1:-rate}
key=bench-import-key

emulator_pid=""
admin=""
database="import_bench_$(date +%s)"
cleanup() {
  [[ -n "$emulator_pid" ]] && kill -TERM "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  [[ -n "$admin" ]] && psql -q "$admin" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
  scripts/pg stop var/bench-pg
  return 0
}
trap cleanup EXIT
admin=$(scripts/pg start var/bench-pg)
psql -q "$admin" -c "CREATE DATABASE $database"
url="${admin%/*}/$database"

case $mode in
  rate)
    sizes=(--numbers 2 --users 5 --contacts 200 --conversations 300 --messages 6000 --calls 300)
    emulator_limit=10
    crmd_rate=10
    ;;
  absorb)
    sizes=()
    emulator_limit=0
    crmd_rate=100000
    ;;
  *) echo "usage: $0 rate|absorb" >&2; exit 2 ;;
esac

port=$(crmd_free_port 18280)
build/release/tools/openphone-emulator/openphone-emulator --serve --listen "127.0.0.1:$port" \
  --api-key "$key" --seed 20261124 --rate-limit "$emulator_limit" "${sizes[@]}" \
  >var/bench-emulator.out 2>&1 &
emulator_pid=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/_emulator/stats" >/dev/null && break; sleep 0.1; done

bench_machine_line "$url"
start=$(date +%s.%N)
CRM_DATABASE_URL=$url CRM_OPENPHONE_API_URL="http://127.0.0.1:$port" CRM_OPENPHONE_API_KEY=$key \
  CRM_OPENPHONE_RATE_LIMIT=$crmd_rate CRM_LOG_LEVEL=info \
  /usr/bin/time -f "peak_rss_kb %M" -o var/bench-import.time \
  build/release/app/crmd import openphone 2>var/bench-import.log || true
end=$(date +%s.%N)
grep -v '^{' var/bench-import.log | tail -14
stats=$(curl -s "http://127.0.0.1:$port/_emulator/stats")
echo "emulator: $stats"
echo "import wall time: $(echo "$end - $start" | bc) s"
cat var/bench-import.time

# Stage start times from crmd's JSON log.
stage_time() {
  grep '"stage started"' var/bench-import.log | grep "\"stage\":\"$1\"" | head -1 \
    | sed 's/.*"time":"\([^"]*\)".*/\1/'
}
seconds_between() { echo "$(date -d "$2" +%s.%N) - $(date -d "$1" +%s.%N)" | bc; }

if [[ $mode == rate ]]; then
  python3 - "$stats" <<'EOF'
import json, sys
s = json.loads(sys.argv[1])
span = (s["last_request_ms"] - s["first_request_ms"]) / 1000
served = s["served"]
print(f"requests served {served} over {span:.1f} s = {served / span:.2f} req/s; "
      f"utilisation {served / span / s['rate_limit']:.3f} of {s['rate_limit']} req/s; "
      f"429 sent: {s['rate_limited']}")
EOF
else
  activities=$(psql -At "$url" -c "SELECT count(*) FROM activities")
  seconds=$(seconds_between "$(stage_time messages)" "$(stage_time call_details)")
  echo "activities $activities committed in the messages+calls stages: $seconds s = $(echo "$activities / $seconds" | bc) activities/s"
fi
