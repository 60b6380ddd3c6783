#!/usr/bin/env bash
# Reconciliation benchmark (issue 8): 100,000 messages at the emulator's REST API, the record
# complete but for 1 % of the messages (imported in full, then 1,000 message activities deleted
# at random: the webhooks that never came), then one `crmd reconcile` over the whole history.
# Prints the reconciliation's time, the requests it used, the gaps it found against those
# injected (as sets of provider ids), and duplicates (must be 0). Fresh database each run.
#
#   tests/bench/reconcile_bench.sh            build/release (scripts/test builds it)
#   CRMD_BUILD=build/<dir> tests/bench/reconcile_bench.sh     another build
#   RECONCILE_BENCH_CALLS=20000               the emulator's calls (default 2,000: the
#                                             benchmark is about messages; calls cost one
#                                             request per call detail)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/lib/common.sh"
source "$root/tests/bench/machine.sh"
cd "$root"
build=${CRMD_BUILD:-build/release}
pg_dir=${RECONCILE_BENCH_PG:-var/reconcile-bench-pg}
calls=${RECONCILE_BENCH_CALLS:-2000}
key=bench-reconcile-key
missing_share=0.01

emulator_pid=""
admin=""
database="reconcile_bench_$(date +%s)"
cleanup() {
  [[ -n "$emulator_pid" ]] && kill -TERM "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  [[ -n "$admin" ]] && psql -q "$admin" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
  scripts/pg stop "$pg_dir"
  return 0
}
trap cleanup EXIT
admin=$(scripts/pg start "$pg_dir")
psql -q "$admin" -c "CREATE DATABASE $database"
url="${admin%/*}/$database"
mkdir -p var

port=$(crmd_free_port 18380)
"$build/tools/openphone-emulator/openphone-emulator" --serve --listen "127.0.0.1:$port" \
  --api-key "$key" --seed 20261125 --rate-limit 0 --messages 100000 --calls "$calls" \
  >var/bench-reconcile-emulator.out 2>&1 &
emulator_pid=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/_emulator/stats" >/dev/null && break; sleep 0.1; done
requests() { curl -s "http://127.0.0.1:$port/_emulator/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])'; }

export CRM_DATABASE_URL=$url CRM_OPENPHONE_API_URL="http://127.0.0.1:$port" \
  CRM_OPENPHONE_API_KEY=$key CRM_OPENPHONE_RATE_LIMIT=100000 CRM_LOG_LEVEL=info
bench_machine_line "$url" "build $build"

start=$(date +%s.%N)
"$build/app/crmd" import openphone >/dev/null 2>var/bench-reconcile-import.log \
  || { tail -20 var/bench-reconcile-import.log; exit 1; }
echo "history import (set-up): $(echo "$(date +%s.%N) - $start" | bc) s"

messages=$(psql -At "$url" -c "SELECT count(*) FROM activities WHERE activity_type = 'message'")
psql -q "$url" <<SQL
CREATE TABLE bench_injected AS
  SELECT openphone_id FROM activities WHERE activity_type = 'message'
  ORDER BY random() LIMIT (SELECT round(count(*) * $missing_share) FROM activities
                           WHERE activity_type = 'message');
DELETE FROM activities WHERE openphone_id IN (SELECT openphone_id FROM bench_injected);
-- As if the last reconciliation had been before the dataset's history (2023-06 .. 2025-06).
INSERT INTO sync_watermarks (phone_number_id, reconciled_through)
  SELECT id, '2023-01-01T00:00:00Z' FROM phone_numbers WHERE openphone_id IS NOT NULL;
SQL
injected=$(psql -At "$url" -c "SELECT count(*) FROM bench_injected")
echo "messages in the record: $messages; deleted at random: $injected"

before=$(requests)
start=$(date +%s.%N)
"$build/app/crmd" reconcile >var/bench-reconcile.out 2>var/bench-reconcile.log || true
seconds=$(echo "$(date +%s.%N) - $start" | bc)
used=$(( $(requests) - before ))
grep -v '^{' var/bench-reconcile.log | tail -9
tail -1 var/bench-reconcile.out | python3 -c '
import json, sys
r = json.load(sys.stdin)
report = {k: v for k, v in r["report"].items() if k != "phone_numbers"}
print("reconciliation", r["id"], r["status"] + "; report:", json.dumps(report))'
psql -At "$url" -F ' ' <<SQL | while read -r found missed extra total distinct; do
SELECT (SELECT count(*) FROM reconciliation_gaps g JOIN bench_injected i USING (openphone_id)),
       (SELECT count(*) FROM bench_injected i WHERE NOT EXISTS
          (SELECT 1 FROM reconciliation_gaps g WHERE g.openphone_id = i.openphone_id)),
       (SELECT count(*) FROM reconciliation_gaps g WHERE NOT EXISTS
          (SELECT 1 FROM bench_injected i WHERE g.openphone_id = i.openphone_id)),
       (SELECT count(*) FROM activities WHERE activity_type = 'message'),
       (SELECT count(DISTINCT openphone_id) FROM activities WHERE activity_type = 'message');
SQL
  echo "reconcile wall time: $seconds s; requests used: $used (emulator count)"
  echo "gaps found: $found of $injected injected; missed: $missed; found but not injected: $extra"
  echo "messages after: $total (before deletion: $messages); duplicates: $((total - distinct))"
done
