# Sourced by the benchmarks: one line describing the machine a figure was measured on.
# Machines of one kind differ in single-core speed from session to session, so the line carries a
# reference to compare figures by: the milliseconds PostgreSQL takes to count three million
# generated rows on one core (lower is faster).
#   bench_machine_line POSTGRES_URL [extra text]
bench_machine_line() {
  local reference
  reference=$(psql -XAtq "$1" -c '\timing on' \
    -c 'SELECT count(*) FROM generate_series(1, 3000000)' | awk '/^Time:/ {printf "%.0f", $2}')
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1024/1024)}' /proc/meminfo) GiB," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg), PostgreSQL reference ${reference} ms${2:+; $2}"
}
