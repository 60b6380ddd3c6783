#pragma once

#include "tools/ws-fanout/options.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace crmd::tools::ws_fanout {

struct result {
  int subscribed = 0;
  int failed = 0;  // connect, handshake, subscription or read failures
  std::vector<std::string> failures;  // the first few reasons
  std::chrono::duration<double> subscribe_time{};  // from start until all were subscribed
  int trigger_status = -1;  // the command's exit status, -1 if it did not run
  std::chrono::duration<double> trigger_time{};  // how long the command ran
  std::vector<std::chrono::duration<double>> latencies;  // per client, trigger start → event
  bool timed_out = false;
};

// Runs the whole benchmark on one io_context thread (plus one thread for the trigger command).
result run(const options& opts);

}  // namespace crmd::tools::ws_fanout
