#!/usr/bin/env bash
# Serving benchmark: starts a release crmd on a free port against the embedded PostgreSQL
# (var/bench-pg, or CRM_DATABASE_URL), prints idle RSS, then /healthz requests/s with wrk at
# 64 connections, then RSS after the load. Needs a built build/release (scripts/test or scripts/run).
#   tests/bench/healthz_bench.sh [seconds]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/lib/common.sh"
cd "$root"
seconds=${1:-15}

started_pg=""
crmd_pid=""
cleanup() {
  [[ -n "$crmd_pid" ]] && kill -TERM "$crmd_pid" 2>/dev/null && wait "$crmd_pid" 2>/dev/null
  [[ -n "$started_pg" ]] && scripts/pg stop var/bench-pg
  return 0
}
trap cleanup EXIT
if [[ -z "${CRM_DATABASE_URL:-}" ]]; then
  CRM_DATABASE_URL=$(scripts/pg start var/bench-pg)
  export CRM_DATABASE_URL
  started_pg=1
fi

port=$(crmd_free_port 18080)
CRM_HTTP_LISTEN=127.0.0.1:$port CRM_LOG_LEVEL=warn build/release/app/crmd 2>var/bench-crmd.log &
crmd_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
sleep 2
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$crmd_pid/status"; }
echo "crmd idle RSS: $(rss_kib) KiB"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c64 -d"${seconds}s" --latency "http://127.0.0.1:$port/healthz"
echo "crmd RSS after load: $(rss_kib) KiB"
