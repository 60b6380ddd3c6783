#include "net/server_state.hpp"

#include "observability/log.hpp"

#include <boost/asio/post.hpp>

namespace crmd::net {

namespace asio = boost::asio;

server_state::server_state(asio::io_context& io, http_server_config config, router routes,
                           prometheus::Registry& registry)
  : io_(io),
    strand_(asio::make_strand(io)),
    config_(std::move(config)),
    routes_(std::move(routes)),
    metrics_(registry),
    grace_timer_(strand_) {}

std::uint64_t server_state::add_session(std::weak_ptr<connection> session) {
  std::uint64_t id = ++next_session_id_;
  sessions_.emplace(id, std::move(session));
  return id;
}

void server_state::replace_session(std::uint64_t id, std::weak_ptr<connection> session) {
  auto it = sessions_.find(id);
  if (it == sessions_.end())
    return;
  it->second = std::move(session);
  if (stopping_) {
    if (auto open = it->second.lock())
      open->begin_shutdown();
  }
}

void server_state::remove_session(std::uint64_t id) {
  sessions_.erase(id);
  finish_if_drained();
}

void server_state::drain(std::chrono::milliseconds grace, std::function<void()> done) {
  if (drained_) {
    asio::post(io_, std::move(done));
    return;
  }
  on_drained_.push_back(std::move(done));
  if (stopping_)
    return;
  stopping_ = true;
  log::info("http", "draining connections",
            {{"connections", sessions_.size()}, {"grace_ms", grace.count()}});
  for (auto& [id, weak] : sessions_) {
    if (auto session = weak.lock())
      session->begin_shutdown();
  }
  grace_timer_.expires_after(grace);
  grace_timer_.async_wait(
    [self = shared_from_this()](boost::system::error_code ec) { self->force_close_all(ec); });
  finish_if_drained();
}

void server_state::force_close_all(boost::system::error_code ec) {
  if (ec || drained_)
    return;
  log::warn("http", "grace period over; closing remaining connections",
            {{"connections", sessions_.size()}});
  for (auto& [id, weak] : sessions_) {
    if (auto session = weak.lock())
      session->force_close();
  }
}

void server_state::finish_if_drained() {
  if (!stopping_ || drained_ || !sessions_.empty())
    return;
  drained_ = true;
  grace_timer_.cancel();
  log::info("http", "all connections closed");
  for (auto& done : on_drained_)
    asio::post(io_, std::move(done));
  on_drained_.clear();
}

}  // namespace crmd::net
