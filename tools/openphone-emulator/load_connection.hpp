#pragma once

#include "tools/openphone-emulator/generator.hpp"
#include "tools/openphone-emulator/sender.hpp"
#include "tools/openphone-emulator/signer.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <vector>

// --load's connections. All of them share one io_context on one thread, each a coroutine
// sending its stories' events back to back over one keep-alive connection: a thread per
// connection spent a quarter of the tool's CPU switching between 64 threads on the two cores it
// shares with crmd and PostgreSQL, which the measurement then charged to crmd.
namespace crmd::openphone_emulator {

struct load_totals {
  std::uint64_t requests = 0;
  std::uint64_t acked = 0;
  std::uint64_t non_2xx = 0;
  std::uint64_t errors = 0;
  std::map<unsigned, std::uint64_t> statuses;  // non-2xx answers by status
  std::vector<double> latencies_ms;
};

struct load_job {
  endpoint target;
  boost::asio::ip::tcp::resolver::results_type addresses;
  std::chrono::milliseconds timeout;
  generation_options options;
  const world* stories_of = nullptr;
  const signer* sign = nullptr;
  std::chrono::steady_clock::time_point started;
  std::chrono::steady_clock::time_point deadline;
  std::chrono::nanoseconds interval{0};  // between two events' slots; 0: no pacing
  std::uint64_t next_story = 0;          // shared by the job's connections (one thread)
  std::uint64_t next_slot = 0;
};

// Sends until the job's deadline, counting into `totals`. A request that fails on a reused
// connection before any answer is sent once more on a fresh one (the server closed it while
// idle); any other failure counts as an error and pauses the connection 50 ms, so a dead crmd
// does not become a spin.
boost::asio::awaitable<void> run_load_connection(load_job& job, load_totals& totals);

}  // namespace crmd::openphone_emulator
