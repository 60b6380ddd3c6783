#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

// The command line's view of an import: reads the job row twice a second (so it also shows a
// job another crmd process runs) and draws one progress line on stderr, redrawn in place on a
// terminal and every few seconds otherwise. When the job ends it prints the verification report
// and calls `done` with the exit code: 0 completed and verified, 1 otherwise.
class import_progress_printer {
 public:
  import_progress_printer(boost::asio::io_context& io, storage::pg_pool& pool,
                          std::function<void(int)> done);

  void watch(std::int64_t job_id);
  void stop();

 private:
  void poll();
  void draw(const std::string& stage, const std::string& progress_json);
  void report(const std::string& status, const std::string& report_json,
              const std::string& error);

  boost::asio::steady_timer timer_;
  storage::pg_pool& pool_;
  std::function<void(int)> done_;
  std::int64_t job_id_ = 0;
  bool stopped_ = false;
  bool terminal_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_line_{};
  std::string stage_;
  std::chrono::steady_clock::time_point stage_started_ = started_;
  std::int64_t stage_done_at_start_ = 0;
  std::optional<std::int64_t> requests_baseline_;
};

}  // namespace crmd::app
