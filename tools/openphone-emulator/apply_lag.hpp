#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

// How far behind the webhook path's apply stage ran during a load: from crmd's database, the time
// between storing a delivery (received_at) and applying it (processed_at). A blocking libpq
// query is fine here: this is a tool, not crmd.
namespace crmd::openphone_emulator {

struct apply_lag {
  std::uint64_t processed = 0;
  std::uint64_t unprocessed = 0;  // still received / failed / dead when measured
  std::uint64_t failed = 0;       // of those, failed or dead: crmd could not apply them
  std::optional<double> p50_s;    // empty when nothing was processed
  std::optional<double> p99_s;
  std::optional<double> max_s;
  double waited_s = 0;  // how long the measurement waited for the backlog to drain
};

// Waits up to `settle` until no webhook_events row received in [from_ms, to_ms] is still
// waiting to be applied (status 'received'), then measures them. Returns an error text when the
// database cannot be queried.
std::variant<apply_lag, std::string> measure_apply_lag(const std::string& database_url,
                                                       std::int64_t from_ms, std::int64_t to_ms,
                                                       std::chrono::seconds settle);

}  // namespace crmd::openphone_emulator
