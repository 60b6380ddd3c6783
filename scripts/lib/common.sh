# Shared by scripts/run, scripts/test and scripts/pg. Source it; it defines functions only.

crmd_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

crmd_log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Configures (once) and builds one CMake tree.
#   crmd_build DIR [cmake -D args...] [--target T...]
crmd_build() {
  local dir=$1; shift
  local configure=() targets=()
  while [[ $# -gt 0 ]]; do
    if [[ $1 == --target ]]; then targets+=(--target "$2"); shift 2; else configure+=("$1"); shift; fi
  done
  local root; root=$(crmd_root)
  export CCACHE_DIR=${CCACHE_DIR:-$root/var/ccache}
  export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
  export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
  if [[ ! -f "$dir/build.ninja" ]]; then
    cmake -S "$root" -B "$dir" -G Ninja "${configure[@]}" >/dev/null
  fi
  # Two jobs: the Beast/CAF units need ~2.5 GB each and the machine has two cores.
  cmake --build "$dir" -j "${CRMD_BUILD_JOBS:-2}" "${targets[@]}"
}

# Prints a TCP port that no socket uses (listening or connected), starting from $1. Callers pick
# bases below the kernel's ephemeral range (32768+), where outgoing connections take their ports.
crmd_free_port() {
  local port=$1
  while ss -Htan "sport = :$port" | grep -q .; do port=$((port + 1)); done
  echo "$port"
}
