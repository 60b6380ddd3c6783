#!/usr/bin/env bash
# WebSocket fan-out benchmark (issue 6): a release crmd against the embedded PostgreSQL, N clients
# of one logged-in user subscribed to `inbox` through tools/ws-fanout, then one signed webhook
# (a new incoming text, sent by openphone-emulator --scenario-file) and how long each client took
# to receive its event. Needs build/release with crmd, openphone-emulator and ws-fanout
# (scripts/test builds them). Each run uses a fresh database and stops everything it started.
#   tests/bench/ws_fanout_bench.sh [clients=1000]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/lib/common.sh"
cd "$root"
clients=${1:-1000}
build=${CRMD_BENCH_BUILD:-build/release}
secret=YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldC1iZW5jaA==
password=bench-password-0123
for binary in app/crmd tools/openphone-emulator/openphone-emulator tools/ws-fanout/ws-fanout; do
  [[ -x "$build/$binary" ]] || { echo "missing $build/$binary: build it first" >&2; exit 1; }
done

crmd_pid=""
admin=""
work=$(mktemp -d)
database="ws_bench_$(date +%s)"
cleanup() {
  [[ -n "$crmd_pid" ]] && kill -TERM "$crmd_pid" 2>/dev/null && wait "$crmd_pid" 2>/dev/null
  [[ -n "$admin" ]] && psql -q "$admin" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
  scripts/pg stop var/ws-bench-pg
  rm -rf "$work"
  return 0
}
trap cleanup EXIT
admin=$(scripts/pg start var/ws-bench-pg)
psql -q "$admin" -c "CREATE DATABASE $database"
url="${admin%/*}/$database"

port=$(crmd_free_port 18280)
# Each client is a file descriptor in crmd as in the tool.
ulimit -n "$(( clients * 2 + 1024 ))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
CRM_DATABASE_URL=$url CRM_HTTP_LISTEN=127.0.0.1:$port CRM_LOG_LEVEL=warn \
  CRM_OPENPHONE_WEBHOOK_KEYS=$secret "$build/app/crmd" 2>var/ws-bench-crmd.log &
crmd_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

printf '%s\n' "$password" | CRM_DATABASE_URL=$url CRM_LOG_LEVEL=warn \
  "$build/app/crmd" user add --email bench@crmd.test --role staff >/dev/null
cookie=$(curl -sf -o /dev/null -D - -H 'Content-Type: application/json' \
  -d "{\"email\":\"bench@crmd.test\",\"password\":\"$password\"}" \
  "http://127.0.0.1:$port/api/v1/auth/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(crm_session=[^;]*\).*/\1/p')
[[ -n "$cookie" ]] || { echo "login failed" >&2; exit 1; }

# The trigger: one incoming text from a new number, so `inbox` gets its conversation.updated.
cat >"$work/one-text.json" <<'EOF'
{"description": "ws fan-out trigger", "events": [{"type": "message.received", "mms": false}]}
EOF
trigger="$root/$build/tools/openphone-emulator/openphone-emulator --scenario-file $work/one-text.json"
trigger+=" --url http://127.0.0.1:$port/webhooks/openphone --key $secret >/dev/null"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "crmd RSS before: $(awk '/VmRSS/ {print $2}' /proc/$crmd_pid/status) kB"
"$build/tools/ws-fanout/ws-fanout" --url "ws://127.0.0.1:$port/ws" --cookie "$cookie" \
  --connections "$clients" --topic inbox --trigger "$trigger"
echo "crmd RSS after: $(awk '/VmRSS/ {print $2}' /proc/$crmd_pid/status) kB"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
