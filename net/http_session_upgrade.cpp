// The WebSocket part of http_session: an upgrade request on a WebSocket route is checked, handed to
// the route's handler with a one-shot ws_upgrade, and on accept the socket moves to a
// websocket_session.
#include "net/http_session.hpp"

#include "net/websocket_session.hpp"
#include "observability/log.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace crmd::net {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;

struct http_session::upgrade_decision final : ws_upgrade {
  explicit upgrade_decision(std::shared_ptr<answer_slot> slot) : slot_(std::move(slot)) {}

  void accept(ws_factory factory) override {
    if (!claim())
      return;
    if (auto self = slot_->session.lock()) {
      asio::post(self->stream_.get_executor(),
                 [self, slot = slot_, factory = std::move(factory)]() mutable {
                   self->on_upgrade_accepted(slot, std::move(factory));
                 });
    }
  }

  void reject(http_response response) override {
    if (!claim())
      return;
    if (auto self = slot_->session.lock()) {
      asio::post(self->stream_.get_executor(),
                 [self, slot = slot_, response = std::move(response)]() mutable {
                   self->on_answer(slot, std::move(response));
                 });
    }
  }

 private:
  bool claim() {
    if (!slot_->answered.exchange(true))
      return true;
    log::warn("http", "upgrade decision ignored: already decided",
              {{"request_id", slot_->request_id}});
    return false;
  }

  std::shared_ptr<answer_slot> slot_;
};

void http_session::dispatch_websocket(http_request&& request, router::ws_match_result match) {
  current_.route = match.route_name;
  if (!websocket::is_upgrade(parser_->get())) {
    auto response = error_response(426, "upgrade_required", request.path + " speaks WebSocket only");
    response.headers.emplace_back("Upgrade", "websocket");
    return do_write(std::move(response), after_write::keep_alive);
  }
  // Browsers always send Origin on a WebSocket; a page of another site must not ride on our
  // session cookie (cross-site WebSocket hijacking). Clients without Origin are not browsers.
  auto origin = request.header("origin");
  if (origin && !origin_matches_host(*origin, request.header("host").value_or("")))
    return do_write(error_response(403, "bad_origin", "the Origin header does not match the Host"),
                    after_write::keep_alive);
  upgrade_request_ = parser_->release();
  request.path_params = std::move(match.params);

  phase_ = phase::handling;
  auto slot = std::make_shared<answer_slot>();
  slot->session = weak_from_this();
  slot->request_id = current_.request_id;
  current_.slot = slot;
  arm_handler_timer(slot);
  try {
    (*match.target)(std::move(request), std::make_shared<upgrade_decision>(slot));
  } catch (const std::exception& e) {
    on_handler_failed(slot, e.what());
  } catch (...) {
    on_handler_failed(slot, "unknown exception");
  }
}

void http_session::on_upgrade_accepted(const std::shared_ptr<answer_slot>& slot,
                                       ws_factory factory) {
  if (slot != current_.slot || phase_ != phase::handling)
    return;  // the handler timed out or the connection was force-closed meanwhile
  handler_timer_.cancel();
  if (shutting_down_) {
    current_.error = "upgrade accepted while shutting down";
    return do_write(error_response(503, "shutting_down", "the server is shutting down"),
                    after_write::close);
  }
  record_exchange(101);
  phase_ = phase::closing;
  registration_.hand_off();
  auto session =
    std::make_shared<websocket_session>(std::move(stream_), state_, registration_.id());
  session->run(std::move(*upgrade_request_), std::move(factory));
  upgrade_request_.reset();
}

}  // namespace crmd::net
