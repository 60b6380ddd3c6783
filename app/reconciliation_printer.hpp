#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

// `crmd reconcile`'s view of its run: reads the reconciliation row twice a second, prints a
// progress line on stderr when the counts change (at most every few seconds), and when the run
// ends prints the report and calls `done` with the exit code: 0 completed, 1 failed.
class reconciliation_printer {
 public:
  reconciliation_printer(boost::asio::io_context& io, storage::pg_pool& pool,
                         std::function<void(int)> done);

  void watch(std::int64_t id);
  void stop();

 private:
  void poll();

  boost::asio::steady_timer timer_;
  storage::pg_pool& pool_;
  std::function<void(int)> done_;
  std::int64_t id_ = 0;
  bool stopped_ = false;
  std::string last_line_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point printed_{};
};

}  // namespace crmd::app
