#pragma once

#include "storage/pg_conninfo.hpp"
#include "storage/pg_types.hpp"
#include "storage/query_catalog.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// Internal to pg_pool: one libpq connection in non-blocking pipeline mode, driven by readiness of
// its socket. Every member runs on the pool's strand.
namespace crmd::storage::detail {

using pool_strand = boost::asio::strand<boost::asio::io_context::executor_type>;

class pg_connection : public std::enable_shared_from_this<pg_connection> {
 public:
  // Each event is the last thing a call or handler does, so the pool may call execute() or
  // close() from inside one. None fires after close().
  struct listener {
    std::function<void()> ready;                   // connected and every query prepared
    std::function<void(std::string reason)> lost;  // connect, prepare or I/O failed; now closed
    std::function<void(pg_outcome)> finished;      // the batch passed to execute() is done
  };

  pg_connection(pool_strand strand, int index, const query_catalog& catalog, listener events);
  ~pg_connection();
  pg_connection(const pg_connection&) = delete;
  pg_connection& operator=(const pg_connection&) = delete;

  // Single use: a connection that was lost or closed is replaced, not reconnected.
  void connect(const std::string& conninfo, std::chrono::milliseconds timeout);

  // Sends the batch as one pipeline ending in one Sync. Only after `ready` or `finished`.
  void execute(const std::vector<statement>& batch);

  void close();

  int backend_pid() const;

 private:
  enum class phase { closed, connecting, preparing, ready };

  static void receive_notice(void* self, const PGresult* notice);

  void on_resolved(const boost::system::error_code& ec,
                   const boost::asio::ip::tcp::resolver::results_type& results);
  void start_libpq();
  void poll_connect();
  void on_connected();
  bool attach_socket();
  void await_io();
  void on_io(bool write, std::uint64_t epoch, const boost::system::error_code& ec);
  bool flush();
  void drain();
  void end_pipeline();
  std::string error_message() const;
  void fail(std::string reason);
  void shutdown();

  pool_strand strand_;
  int index_;
  const query_catalog& catalog_;
  listener events_;
  conninfo_params params_;
  PGconn* pg_ = nullptr;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::posix::stream_descriptor socket_;
  boost::asio::steady_timer deadline_;
  phase phase_ = phase::closed;
  PostgresPollingStatusType poll_ = PGRES_POLLING_WRITING;
  std::uint64_t epoch_ = 0;  // bumped whenever socket_ is replaced; stale waits check it
  bool read_waiting_ = false;
  bool write_waiting_ = false;
  bool flushing_ = false;
  bool in_pipeline_ = false;  // sent a Sync whose PGRES_PIPELINE_SYNC has not arrived
  std::size_t result_index_ = 0;
  std::vector<pg_result> results_;
  std::optional<pg_error> error_;
  std::size_t error_index_ = 0;
};

}  // namespace crmd::storage::detail
