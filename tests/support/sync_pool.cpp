#include "tests/support/sync_pool.hpp"

#include "storage/pg_pool.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <prometheus/registry.h>

#include <future>
#include <optional>
#include <thread>

namespace crmd::testing {

struct sync_pool::impl {
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{
    boost::asio::make_work_guard(io)};
  prometheus::Registry metrics;
  storage::pg_pool pool;
  std::thread thread;

  impl(const std::string& conninfo, int size)
    : pool(io, storage::pg_pool_config{.conninfo = conninfo, .size = size}, metrics) {
    pool.start();
    thread = std::thread([this] { io.run(); });
  }

  ~impl() {
    std::promise<void> stopped;
    pool.stop([&stopped] { stopped.set_value(); });
    stopped.get_future().wait();
    work.reset();
    io.stop();
    thread.join();
  }
};

sync_pool::sync_pool(const std::string& conninfo, int size)
  : impl_(std::make_unique<impl>(conninfo, size)) {}

sync_pool::~sync_pool() = default;

storage::pg_outcome sync_pool::run(std::vector<storage::statement> batch) {
  std::promise<storage::pg_outcome> result;
  impl_->pool.execute(std::move(batch),
                      [&result](storage::pg_outcome outcome) { result.set_value(std::move(outcome)); });
  return result.get_future().get();
}

}  // namespace crmd::testing
