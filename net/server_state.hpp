#pragma once

// Internal to net/: state shared by http_server, its listener and every http_session. Sessions hold
// it by shared_ptr, so it outlives the http_server object until the last connection is gone.

#include "net/connection.hpp"
#include "net/http_metrics.hpp"
#include "net/http_server.hpp"
#include "net/router.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace crmd::net {

class server_state : public std::enable_shared_from_this<server_state> {
 public:
  using strand_type = boost::asio::strand<boost::asio::io_context::executor_type>;

  server_state(boost::asio::io_context& io, http_server_config config, router routes,
               prometheus::Registry& registry);

  boost::asio::io_context& io() { return io_; }
  strand_type& strand() { return strand_; }
  const http_server_config& config() const { return config_; }
  const router& routes() const { return routes_; }
  http_metrics& metrics() { return metrics_; }

  // The members below must be called on strand().
  bool stopping() const { return stopping_; }
  std::uint64_t add_session(std::weak_ptr<connection> session);
  // An upgraded connection takes over its HTTP session's id; while draining it is asked to
  // shut down at once.
  void replace_session(std::uint64_t id, std::weak_ptr<connection> session);
  void remove_session(std::uint64_t id);
  // Asks every session to finish its current exchange and close; force-closes the rest after
  // `grace`; calls `done` on the io_context once no session is left.
  void drain(std::chrono::milliseconds grace, std::function<void()> done);

 private:
  void force_close_all(boost::system::error_code ec);
  void finish_if_drained();

  boost::asio::io_context& io_;
  strand_type strand_;
  const http_server_config config_;
  const router routes_;
  http_metrics metrics_;

  // Guarded by strand_.
  std::unordered_map<std::uint64_t, std::weak_ptr<connection>> sessions_;
  std::uint64_t next_session_id_ = 0;
  bool stopping_ = false;
  bool drained_ = false;
  boost::asio::steady_timer grace_timer_;
  std::vector<std::function<void()>> on_drained_;
};

}  // namespace crmd::net
