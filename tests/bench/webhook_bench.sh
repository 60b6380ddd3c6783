#!/usr/bin/env bash
# Webhook ingest benchmark (issue 4): a release crmd against the embedded PostgreSQL (synchronous
# commit on, same machine), loaded by openphone-emulator --load: distinct signed events from 64
# keep-alive connections for 30 s. Prints acknowledged events/s, ack latency p50/p99/max, apply lag
# (ack -> activity committed) p50/p99 from the database, and crmd's RSS over the run.
# With a rate, the events are offered at that many per second in all (latency from each event's
# time slot): apply lag at a given load, where the default measures the most crmd acknowledges.
# Needs build/release (scripts/test builds it). Each run uses a fresh database.
#   tests/bench/webhook_bench.sh [seconds=30] [connections=64] [rate=0]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/lib/common.sh"
source "$root/tests/bench/machine.sh"
cd "$root"
seconds=${1:-30}
connections=${2:-64}
rate=${3:-0}
secret=YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldC1iZW5jaA==

crmd_pid=""
admin=""
database="bench_$(date +%s)"
cleanup() {
  [[ -n "$crmd_pid" ]] && kill -TERM "$crmd_pid" 2>/dev/null && wait "$crmd_pid" 2>/dev/null
  [[ -n "$admin" ]] && psql -q "$admin" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
  scripts/pg stop var/bench-pg
  return 0
}
trap cleanup EXIT
admin=$(scripts/pg start var/bench-pg)
psql -q "$admin" -c "CREATE DATABASE $database"
url="${admin%/*}/$database"

port=$(crmd_free_port 18180)
CRM_DATABASE_URL=$url CRM_HTTP_LISTEN=127.0.0.1:$port CRM_LOG_LEVEL=warn \
  CRM_OPENPHONE_WEBHOOK_KEYS=$secret CRM_DB_POOL_SIZE=${CRM_DB_POOL_SIZE:-8} \
  build/release/app/crmd 2>var/bench-crmd.log &
crmd_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
bench_machine_line "$url"
echo "crmd idle RSS: $(awk '/VmRSS/ {print $2}' /proc/$crmd_pid/status) kB"
build/release/tools/openphone-emulator/openphone-emulator --load --duration "$seconds" \
  --concurrency "$connections" --rate "$rate" --url "http://127.0.0.1:$port/webhooks/openphone" --key "$secret" \
  --database-url "$url" --crmd-pid "$crmd_pid"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
