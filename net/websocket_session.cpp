#include "net/websocket_session.hpp"

#include "observability/log.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace crmd::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using error_code = boost::system::error_code;

namespace {

// What the application holds: the session weakly, so a closed connection is freed at once.
class session_handle final : public ws_connection {
 public:
  explicit session_handle(std::weak_ptr<websocket_session> session)
    : session_(std::move(session)) {}

  bool send(std::string text) override {
    auto session = session_.lock();
    return session && session->send(std::move(text));
  }

  void close(std::uint16_t code, std::string reason) override {
    if (auto session = session_.lock())
      session->close(code, std::move(reason));
  }

 private:
  std::weak_ptr<websocket_session> session_;
};

}  // namespace

websocket_session::websocket_session(beast::tcp_stream&& stream,
                                     std::shared_ptr<server_state> state, std::uint64_t id)
  : registration_(state),
    ws_(std::move(stream)),
    close_timer_(ws_.get_executor()),
    state_(std::move(state)),
    id_(id) {
  registration_.assign(id);
}

websocket_session::~websocket_session() {
  if (open_)
    state_->metrics().ws_closed();
}

void websocket_session::run(beast::http::request<beast::http::string_body> request,
                            ws_factory factory) {
  asio::post(state_->strand(), [state = state_, id = id_, self = weak_from_this()] {
    state->replace_session(id, self);
  });
  const auto& config = state_->config().websocket;
  factory_ = std::move(factory);
  // Beast's own timer replaces the stream's deadline from here on: it pings every half idle
  // timeout and closes a peer that stays silent for the half after a ping.
  beast::get_lowest_layer(ws_).expires_never();
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = config.close_timeout;
  timeouts.idle_timeout = 2 * config.ping_interval;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
    [](websocket::response_type& response) { response.set(beast::http::field::server, "crmd"); }));
  ws_.read_message_max(config.message_limit);
  ws_.text(true);
  upgrade_request_ = std::move(request);
  ws_.async_accept(upgrade_request_, beast::bind_front_handler(&websocket_session::on_handshake,
                                                               shared_from_this()));
}

bool websocket_session::send(std::string text) {
  if (!accepting_.load())
    return false;
  const auto& config = state_->config().websocket;
  std::size_t size = text.size();
  std::size_t frames = queued_frames_.fetch_add(1) + 1;
  std::size_t bytes = queued_bytes_.fetch_add(size) + size;
  if (frames > config.queue_frames || bytes > config.queue_bytes) {
    release(size);
    if (accepting_.exchange(false)) {
      state_->metrics().ws_slow_disconnect();
      asio::post(ws_.get_executor(), [self = shared_from_this()] {
        self->do_close(ws_close_code::policy, "too slow");
      });
    }
    return false;
  }
  asio::post(ws_.get_executor(),
             [self = shared_from_this(), text = std::make_shared<const std::string>(std::move(text))] {
               self->on_send(text);
             });
  return true;
}

void websocket_session::close(std::uint16_t code, std::string reason) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)] {
    self->do_close(code, reason);
  });
}

void websocket_session::begin_shutdown() {
  close(ws_close_code::going_away, "going away");
}

void websocket_session::force_close() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] { self->cut(); });
}

void websocket_session::on_handshake(error_code ec) {
  upgrade_request_ = {};
  if (ec) {
    log::debug("websocket", "handshake failed", {{"session", id_}, {"error", ec.message()}});
    factory_ = nullptr;
    return end(ec);
  }
  open_ = true;
  state_->metrics().ws_opened();
  log::debug("websocket", "opened", {{"session", id_}});
  if (!closing_) {
    try {
      callbacks_ = factory_(std::make_shared<session_handle>(weak_from_this()));
    } catch (const std::exception& e) {
      log::error("websocket", "connection factory threw", {{"session", id_}, {"error", e.what()}});
      do_close(ws_close_code::internal_error, "internal error");
    }
  }
  factory_ = nullptr;
  do_read();
  if (closing_ && !close_sent_ && !writing_)
    send_close();
  else if (!queue_.empty() && !writing_)
    do_write();
}

void websocket_session::do_read() {
  ws_.async_read(buffer_,
                 beast::bind_front_handler(&websocket_session::on_read, shared_from_this()));
}

void websocket_session::on_read(error_code ec, std::size_t) {
  if (ec)
    return end(ec);
  if (!ws_.got_text()) {
    buffer_.consume(buffer_.size());
    do_close(ws_close_code::unsupported, "text frames only");
    return do_read();
  }
  std::string text = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  if (!closing_ && callbacks_.on_message) {
    try {
      callbacks_.on_message(std::move(text));
    } catch (const std::exception& e) {
      log::error("websocket", "message callback threw", {{"session", id_}, {"error", e.what()}});
    }
  }
  do_read();
}

void websocket_session::on_send(frame text) {
  if (closing_) {
    release(text->size());
    return;
  }
  queue_.push_back(std::move(text));
  if (open_ && !writing_)
    do_write();
}

void websocket_session::do_write() {
  writing_ = true;
  ws_.async_write(asio::buffer(*queue_.front()),
                  beast::bind_front_handler(&websocket_session::on_write, shared_from_this()));
}

void websocket_session::on_write(error_code ec, std::size_t) {
  writing_ = false;
  release(queue_.front()->size());
  queue_.pop_front();
  if (ec)
    return cut();  // the pending read ends the session
  state_->metrics().ws_message_sent();
  if (closing_) {
    if (!close_sent_)
      send_close();
    return;
  }
  if (!queue_.empty())
    do_write();
}

void websocket_session::do_close(std::uint16_t code, std::string reason) {
  if (closing_ || ended_)
    return;
  closing_ = true;
  accepting_ = false;
  // Frames not yet on the wire are dropped: a slow client would never take them, and a closing
  // one has no use for them.
  while (queue_.size() > (writing_ ? 1u : 0u)) {
    release(queue_.back()->size());
    queue_.pop_back();
  }
  close_reason_ = websocket::close_reason(static_cast<websocket::close_code>(code), reason);
  log::debug("websocket", "closing", {{"session", id_}, {"code", code}, {"reason", reason}});
  // A write stuck behind a peer that reads nothing would hold the close frame back forever.
  close_timer_.expires_after(state_->config().websocket.close_timeout);
  close_timer_.async_wait([self = shared_from_this()](error_code wait_ec) {
    if (!wait_ec)
      self->cut();
  });
  if (open_ && !writing_)
    send_close();
}

// Beast's close operation sends the frame; the pending read then receives the peer's answer and
// completes with websocket::error::closed, which ends the session.
void websocket_session::send_close() {
  close_sent_ = true;
  ws_.async_close(close_reason_, beast::bind_front_handler(&websocket_session::on_close_sent,
                                                           shared_from_this()));
}

void websocket_session::on_close_sent(error_code ec) {
  if (ec && ec != asio::error::operation_aborted)
    cut();
}

void websocket_session::cut() {
  closing_ = true;
  accepting_ = false;
  beast::get_lowest_layer(ws_).close();
}

void websocket_session::end(error_code ec) {
  if (ended_)
    return;
  ended_ = true;
  closing_ = true;
  accepting_ = false;
  close_timer_.cancel();
  while (queue_.size() > (writing_ ? 1u : 0u)) {
    release(queue_.back()->size());
    queue_.pop_back();
  }
  if (open_)
    log::debug("websocket", "closed", {{"session", id_}, {"error", ec.message()}});
  if (callbacks_.on_close) {
    try {
      callbacks_.on_close();
    } catch (const std::exception& e) {
      log::error("websocket", "close callback threw", {{"session", id_}, {"error", e.what()}});
    }
  }
  // The callbacks may hold what holds this session's handle; let both go.
  callbacks_ = {};
}

void websocket_session::release(std::size_t bytes) {
  queued_frames_.fetch_sub(1);
  queued_bytes_.fetch_sub(bytes);
}

}  // namespace crmd::net
