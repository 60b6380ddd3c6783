#pragma once

#include "tools/openphone-emulator/generator.hpp"
#include "tools/openphone-emulator/sender.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

// --load: the webhook path's benchmark. Distinct generated events, each signed with a fresh
// timestamp, sent back to back from --concurrency connections for --duration; reports the
// acknowledged rate, ack latency, and optionally crmd's apply lag and memory.
namespace crmd::openphone_emulator {

struct load_settings {
  endpoint target;
  std::string key;
  int concurrency = 64;
  std::chrono::seconds duration{30};
  // Events per second offered across all connections (each event has its time slot, and its
  // latency counts from that slot, so a slow answer cannot hide the queueing behind it); 0 sends
  // each connection's next event as soon as its previous one is answered.
  int rate = 0;
  std::chrono::milliseconds timeout{10000};
  std::uint64_t seed = 0;
  version_mix versions = version_mix::mixed;
  std::string database_url;         // empty: no apply-lag measurement
  int crmd_pid = 0;                 // 0: no RSS sampling
  std::chrono::seconds settle{30};  // longest wait for crmd to apply the backlog
  std::chrono::milliseconds rss_interval{5000};
};

struct latency_summary {
  std::uint64_t count = 0;
  double p50 = 0;
  double p99 = 0;
  double max = 0;
};

// Linear interpolation between the closest ranks, as PostgreSQL's percentile_cont does, so the
// client-side and database-side figures read alike. Sorts `samples_ms`.
latency_summary summarize_latency(std::vector<double>& samples_ms);

// Runs the load, writes the human-readable lines and the final JSON line to `out`, and returns
// the exit code: 0 when something was acknowledged and every request got a 2xx.
int run_load(const load_settings& settings, std::ostream& out);

}  // namespace crmd::openphone_emulator
