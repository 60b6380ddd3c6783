#pragma once

#include "storage/pg_types.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}
namespace prometheus {
class Registry;
}

namespace crmd::storage {

struct pg_pool_config {
  std::string conninfo;  // libpq URL or key=value string
  int size = 4;
  std::chrono::milliseconds queue_timeout{5000};
  std::chrono::milliseconds reconnect_min{100};
  std::chrono::milliseconds reconnect_max{5000};
  // Connect plus preparing the named queries; libpq enforces no timeout in non-blocking mode.
  std::chrono::milliseconds connect_timeout{5000};
};

// Asynchronous PostgreSQL pool over libpq in non-blocking pipeline mode, its sockets driven by
// Asio readiness. Never blocks the calling thread. Thread-safe: execute() may be called from any
// thread; completions run on the pool's strand (an io_context thread), exactly once each.
class pg_pool {
 public:
  using completion = std::function<void(pg_outcome)>;

  pg_pool(boost::asio::io_context& io, pg_pool_config config, prometheus::Registry& metrics);
  ~pg_pool();
  pg_pool(const pg_pool&) = delete;
  pg_pool& operator=(const pg_pool&) = delete;

  // Opens the connections; broken ones reconnect with exponential backoff until stop().
  void start();

  // Runs the statements as one pipeline ending in one Sync, so they commit or fail together.
  void execute(std::vector<statement> batch, completion done);

  // Fails queued work with pool_stopped, lets in-flight batches finish, closes every connection,
  // then calls done.
  void stop(std::function<void()> done);

  pg_pool_stats stats() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace crmd::storage
