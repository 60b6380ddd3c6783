#pragma once

#include "tools/openphone-emulator/scenario.hpp"
#include "tools/openphone-emulator/sender.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>

// Executes a plan against crmd: waves one after another, the sequences of a wave spread over
// --concurrency keep-alive connections, every attempt signed afresh, failures retried.
namespace crmd::openphone_emulator {

struct run_settings {
  endpoint target;
  std::string key;  // base64 signing secret
  int concurrency = 64;
  retry_policy retry;
  std::chrono::milliseconds timeout{10000};  // per HTTP exchange
  std::chrono::seconds stale_by{600};
  std::string acked_out;  // path, or empty
};

struct run_summary {
  std::string scenario;
  std::uint64_t seed = 0;
  std::uint64_t events = 0;
  std::uint64_t deliveries = 0;
  std::uint64_t sent = 0;        // HTTP requests, retries included
  std::uint64_t acked = 0;       // deliveries answered 2xx
  std::uint64_t duplicates = 0;  // of those, answered {"duplicate":true}
  std::uint64_t rejected = 0;    // deliveries whose final answer was a 4xx
  std::uint64_t retries = 0;     // requests beyond each delivery's first
  std::uint64_t errors = 0;      // requests without a response (refused, reset, timeout)
  std::uint64_t non_2xx = 0;     // responses other than 2xx, retried ones included
  std::uint64_t unexpected = 0;  // deliveries answered, but not as the plan expected
  std::uint64_t unsettled = 0;   // deliveries given up (retry budget spent) or never sent
  std::int64_t elapsed_ms = 0;

  bool ok() const { return unexpected == 0 && unsettled == 0; }
  nlohmann::json to_json() const;
};

// The body's JSON re-serialised compactly, or the text with tabs and line breaks blanked, so one
// acknowledgement is one --acked-out line.
std::string compact_body(const std::string& body);

// Runs the plan; problems with individual deliveries go to stderr, the totals are returned.
run_summary run_plan(const plan& p, const run_settings& settings);

}  // namespace crmd::openphone_emulator
