// ws-fanout: how long one published event takes to reach N WebSocket clients of crmd's /ws.
// See docs/api/websocket.md and tests/bench/README.md.
#include "tools/ws-fanout/fanout.hpp"
#include "tools/ws-fanout/options.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace {

namespace fanout = crmd::tools::ws_fanout;

// One descriptor per connection plus a margin for the resolver, stdio and the trigger's pipe.
void raise_fd_limit(int connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
    return;
  rlim_t wanted = static_cast<rlim_t>(connections) + 64;
  if (limit.rlim_cur >= wanted)
    return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  setrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < wanted)
    std::fprintf(stderr, "ws-fanout: the hard limit allows %llu descriptors; expect failures\n",
                 static_cast<unsigned long long>(limit.rlim_max));
}

double ms(std::chrono::duration<double> d) {
  return d.count() * 1000;
}

double percentile(const std::vector<std::chrono::duration<double>>& sorted, double p) {
  auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return ms(sorted[std::min(index, sorted.size() - 1)]);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::fputs(fanout::usage(), stdout);
    return 0;
  }
  std::string error;
  auto opts = fanout::parse_options(args, error);
  if (!opts) {
    std::fprintf(stderr, "ws-fanout: %s\n%s", error.c_str(), fanout::usage());
    return 2;
  }
  raise_fd_limit(opts->connections);
  fanout::result result;
  try {
    result = fanout::run(*opts);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ws-fanout: %s\n", e.what());
    return 1;
  }
  std::printf("connections   %d requested, %d subscribed in %.1f ms\n", opts->connections,
              result.subscribed, ms(result.subscribe_time));
  if (result.trigger_status >= 0 || result.trigger_time.count() > 0)
    std::printf("trigger       exit %d after %.1f ms\n", result.trigger_status,
                ms(result.trigger_time));
  auto latencies = result.latencies;
  std::sort(latencies.begin(), latencies.end());
  if (!latencies.empty()) {
    std::printf("received      %zu of %d\n", latencies.size(), result.subscribed);
    std::printf("latency ms    min %.1f  p50 %.1f  p99 %.1f  max %.1f\n", ms(latencies.front()),
                percentile(latencies, 0.5), percentile(latencies, 0.99), ms(latencies.back()));
    if (static_cast<int>(latencies.size()) == result.subscribed)
      std::printf("all received  %.1f ms after the trigger started\n", ms(latencies.back()));
  } else {
    std::printf("received      0 of %d\n", result.subscribed);
  }
  std::printf("failures      %d%s\n", result.failed, result.timed_out ? " (timed out)" : "");
  for (const auto& reason : result.failures)
    std::printf("  %s\n", reason.c_str());
  bool complete = result.failed == 0 && !result.timed_out &&
                  static_cast<int>(latencies.size()) == opts->connections;
  return complete ? 0 : 1;
}
