#!/usr/bin/env bash
# Soak benchmark (issue 8): N minutes of mixed load on one release crmd against the embedded
# PostgreSQL, sampling crmd's RSS and open file descriptors every 10 s into a CSV; at the end it
# prints the least-squares slope of both over the second half of the run (RSS in MB/hour, fds per
# hour; the target is no upward trend) and every error counted. The load, all at once:
#   - signed webhooks: openphone-emulator bursts of SOAK_WEBHOOK_RATE×5 distinct events every 5 s
#     (a fresh seed each, so every event is new) over 2 connections;
#   - API reads: one logged-in client (a staff account made with `crmd user add`) cycling through
#     the inbox, contacts, sync health, failed webhook events, campaigns, its session and /metrics;
#   - OpenPhone itself is openphone-emulator --serve (a small dataset), so the calls crmd makes on
#     its own (phone numbers, health) succeed as in production instead of opening the circuit;
#   - WebSocket clients: SOAK_WS_HOLD clients subscribed for the whole run (tools/ws-fanout on a
#     quiet topic), and rounds of SOAK_WS_CHURN clients that connect, subscribe to `inbox`, wait
#     for one live event and disconnect, again and again.
# Needs crmd, openphone-emulator and ws-fanout in build/release (scripts/test builds them;
# CRMD_BENCH_BUILD picks another build). Starts its own PostgreSQL under var/soak-pg (SOAK_PG_DIR)
# with a fresh database, and stops everything it started.
#   tests/bench/soak.sh [minutes=30] [csv=var/soak-<time>.csv]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/lib/common.sh"
cd "$root"
minutes=${1:-30}
csv=${2:-var/soak-$(date -u +%Y%m%dT%H%M%SZ).csv}
build=${CRMD_BENCH_BUILD:-build/release}
pg_dir=${SOAK_PG_DIR:-var/soak-pg}
webhook_rate=${SOAK_WEBHOOK_RATE:-20}
ws_hold=${SOAK_WS_HOLD:-50}
ws_churn=${SOAK_WS_CHURN:-20}
secret=c29hay1zZWNyZXQtc29hay1zZWNyZXQtc29hay1zZWNy
password=soak-password-0123
for binary in app/crmd tools/openphone-emulator/openphone-emulator tools/ws-fanout/ws-fanout; do
  [[ -x "$build/$binary" ]] || { echo "missing $build/$binary: build it first" >&2; exit 1; }
done
emulator=$root/$build/tools/openphone-emulator/openphone-emulator
fanout=$root/$build/tools/ws-fanout/ws-fanout

work=$(mktemp -d)
crmd_pid=""
serve_pid=""
admin=""
database="soak_$(date +%s)"
loaders=()
cleanup() {
  # A loader is a subshell running one emulator, curl or ws-fanout at a time: stop that child too.
  for pid in "${loaders[@]}"; do pkill -TERM -P "$pid" 2>/dev/null; kill -TERM "$pid" 2>/dev/null; done
  for pid in "${loaders[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "$crmd_pid" ]] && kill -TERM "$crmd_pid" 2>/dev/null && wait "$crmd_pid" 2>/dev/null
  [[ -n "$serve_pid" ]] && kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  [[ -n "$admin" ]] && psql -q "$admin" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
  scripts/pg stop "$pg_dir"
  rm -rf "$work"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
admin=$(scripts/pg start "$pg_dir")
psql -q "$admin" -c "CREATE DATABASE $database"
url="${admin%/*}/$database"

port=$(crmd_free_port 18380)
ulimit -n 4096 2>/dev/null || true
mkdir -p "$(dirname "$csv")" var
"$emulator" --serve --api-key soak-api-key --seed 7 --contacts 50 --conversations 50 \
  --messages 1000 --calls 100 >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
api_port=""
for _ in $(seq 100); do
  api_port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$work/serve.out")
  [[ -n "$api_port" ]] && break
  sleep 0.1
done
[[ -n "$api_port" ]] || { echo "the OpenPhone emulator did not start" >&2; exit 1; }
CRM_DATABASE_URL=$url CRM_HTTP_LISTEN=127.0.0.1:$port CRM_LOG_LEVEL=warn \
  CRM_OPENPHONE_API_URL=http://127.0.0.1:$api_port CRM_OPENPHONE_API_KEY=soak-api-key \
  CRM_OPENPHONE_WEBHOOK_KEYS=$secret "$build/app/crmd" 2>var/soak-crmd.log &
crmd_pid=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { echo "crmd did not become ready" >&2; exit 1; }
printf '%s\n' "$password" | CRM_DATABASE_URL=$url CRM_LOG_LEVEL=warn \
  "$build/app/crmd" user add --email soak@crmd.test --role staff >/dev/null
cookie=$(curl -sf -o /dev/null -D - -H 'Content-Type: application/json' \
  -d "{\"email\":\"soak@crmd.test\",\"password\":\"$password\"}" \
  "http://127.0.0.1:$port/api/v1/auth/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(crm_session=[^;]*\).*/\1/p')
[[ -n "$cookie" ]] || { echo "login failed" >&2; exit 1; }

seconds=$((minutes * 60))
end=$(( $(date +%s) + seconds ))

# Each loader appends one line per problem to its own file; the summary counts the lines.
webhooks() {
  local seed=$(( $(date +%s) * 1000 )) runs=0
  while (( $(date +%s) < end )); do
    seed=$((seed + 1))
    local started=$SECONDS
    if ! "$emulator" --url "http://127.0.0.1:$port/webhooks/openphone" --key "$secret" \
         --seed "$seed" --scenario burst --events $((webhook_rate * 5)) --concurrency 2 \
         --retry-for 10 >"$work/webhook-last.json" 2>>"$work/webhook-stderr"; then
      echo "seed $seed: $(head -c 300 "$work/webhook-last.json")" >>"$work/webhook-errors"
    fi
    runs=$((runs + 1))
    echo "$runs" >"$work/webhook-runs"
    (( SECONDS - started < 5 )) && sleep $((5 - (SECONDS - started)))
  done
}
api_reads() {
  local targets=(/api/v1/inbox?limit=20 /api/v1/contacts?limit=20 /api/v1/sync/health
                 "/api/v1/webhook-events?status=failed" /api/v1/campaigns /api/v1/auth/session /metrics)
  local n=0
  while (( $(date +%s) < end )); do
    for target in "${targets[@]}"; do
      local code
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Cookie: $cookie" \
             "http://127.0.0.1:$port$target" || true)
      n=$((n + 1))
      [[ $code == 200 ]] || echo "$target $code" >>"$work/api-errors"
    done
    echo "$n" >"$work/api-requests"
    sleep 0.5
  done
}
ws_churn_rounds() {
  local rounds=0
  # A round waits for a live event: none starts in the last 15 s, while webhooks still come.
  while (( $(date +%s) < end - 15 )); do
    if ! "$fanout" --url "ws://127.0.0.1:$port/ws" --cookie "$cookie" --connections "$ws_churn" \
         --topic inbox --trigger true --timeout 30 >"$work/ws-last.txt" 2>&1; then
      echo "round $rounds: $(tr '\n' ' ' <"$work/ws-last.txt" | head -c 300)" >>"$work/ws-errors"
    fi
    rounds=$((rounds + 1))
    echo "$rounds" >"$work/ws-rounds"
  done
}

: >"$work/webhook-errors"; : >"$work/api-errors"; : >"$work/ws-errors"
echo 0 >"$work/webhook-runs"; echo 0 >"$work/api-requests"; echo 0 >"$work/ws-rounds"
# Held clients: a topic nothing is published on during the run, so they stay until the timeout.
"$fanout" --url "ws://127.0.0.1:$port/ws" --cookie "$cookie" --connections "$ws_hold" \
  --topic campaigns --trigger true --timeout "$seconds" >"$work/ws-hold.txt" 2>&1 &
loaders+=($!)
webhooks & loaders+=($!)
api_reads & loaders+=($!)
ws_churn_rounds & loaders+=($!)

echo "soak: $minutes min, crmd pid $crmd_pid on port $port, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "t_s,rss_kb,fds,ws_connections" >"$csv"
start=$(date +%s)
while (( $(date +%s) < end )); do
  kill -0 "$crmd_pid" 2>/dev/null || { echo "crmd exited during the soak" >&2; break; }
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$crmd_pid/status")
  fds=$(ls "/proc/$crmd_pid/fd" | wc -l)
  ws=$(curl -s --max-time 5 "http://127.0.0.1:$port/metrics" | awk '/^crmd_ws_connections / {print $2}')
  echo "$(( $(date +%s) - start )),$rss,$fds,${ws:-}" >>"$csv"
  sleep 10
done
crmd_alive=yes
kill -0 "$crmd_pid" 2>/dev/null || crmd_alive=no
# Every loader ends by itself: the held clients at their timeout, the loops at the end time.
for pid in "${loaders[@]}"; do wait "$pid" 2>/dev/null || true; done
loaders=()

# Least squares over the second half of the samples: slope of y against t, per hour.
slope() {  # column: 2 = RSS (kB → MB), 3 = fds
  awk -F, -v col="$1" -v scale="$2" 'NR > 1 { t[n] = $1; y[n] = $col / scale; n++ }
    END {
      if (n < 4) { print "n/a"; exit }
      from = int(n / 2); m = n - from
      for (i = from; i < n; i++) { st += t[i]; sy += y[i] }
      mt = st / m; my = sy / m
      for (i = from; i < n; i++) { sxy += (t[i] - mt) * (y[i] - my); sxx += (t[i] - mt) ^ 2 }
      if (sxx == 0) { print "n/a"; exit }
      printf "%.2f", sxy / sxx * 3600
    }' "$csv"
}
first_last() {  # column → "first → last (min..max)"
  awk -F, -v col="$1" -v scale="$2" 'NR > 1 { v = $col / scale; if (n == 0) { f = v; lo = v; hi = v }
      if (v < lo) lo = v; if (v > hi) hi = v; l = v; n++ }
    END { if (n) printf "%.1f → %.1f (min %.1f, max %.1f)", f, l, lo, hi }' "$csv"
}
samples=$(( $(wc -l <"$csv") - 1 ))
crmd_errors=$(grep -c '"level":"error"' var/soak-crmd.log || true)
echo "samples: $samples in $csv"
echo "RSS MB: $(first_last 2 1024); slope over the second half: $(slope 2 1024) MB/hour"
echo "open fds: $(first_last 3 1); slope over the second half: $(slope 3 1) fds/hour"
echo "webhook bursts: $(cat "$work/webhook-runs") of $((webhook_rate * 5)) events, failed: $(wc -l <"$work/webhook-errors")"
echo "API requests: $(cat "$work/api-requests"), not 200: $(wc -l <"$work/api-errors")"
echo "WebSocket churn rounds: $(cat "$work/ws-rounds") of $ws_churn clients, failed: $(wc -l <"$work/ws-errors")"
# The held clients' run ends at its timeout, which closes them (ws-fanout then counts each as a
# failure): whether they stayed connected shows in crmd_ws_connections, sampled above.
echo "WebSocket held clients: $(grep -E '^connections' "$work/ws-hold.txt" | tr -s ' '); crmd_ws_connections min $(awk -F, 'NR > 1 && $4 != "" { if (lo == "" || $4 < lo) lo = $4 } END { print lo }' "$csv") over the run"
echo "crmd error log lines: $crmd_errors (var/soak-crmd.log); crmd alive at the end: $crmd_alive"
echo "webhook events stored: $(psql -Atq "$url" -c "select count(*) from webhook_events"), not processed: $(psql -Atq "$url" -c "select count(*) from webhook_events where status <> 'processed'")"
for kind in webhook api ws; do
  [[ -s "$work/$kind-errors" ]] && { echo "first $kind errors:"; head -5 "$work/$kind-errors"; }
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
