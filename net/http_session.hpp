#pragma once

// Internal to net/: one HTTP/1.1 connection. Reads one request at a time, hands it to the router's
// handler and writes the handler's answer, in the shape of Beast's advanced server.

#include "net/connection.hpp"
#include "net/http_types.hpp"
#include "net/router.hpp"
#include "net/server_state.hpp"
#include "net/session_registration.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace crmd::net {

class http_session : public connection, public std::enable_shared_from_this<http_session> {
 public:
  http_session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<server_state> state);
  ~http_session() override;

  // `id` is the session's key in the server's registry, released by the destructor (or handed
  // to the WebSocket session that takes the connection over).
  void run(std::uint64_t id);
  void begin_shutdown() override;
  void force_close() override;

 private:
  enum class phase { idle, reading, handling, writing, closing };
  enum class after_write { keep_alive, close, linger };
  struct upgrade_decision;  // the ws_upgrade handed to a WebSocket route's handler

  // Shared with the responder, which may outlive the session. The responder and the session race
  // to answer (handler vs. timeout vs. exception); whoever flips `answered` first wins.
  struct answer_slot {
    std::atomic<bool> answered{false};
    std::weak_ptr<http_session> session;
    std::string request_id;
  };

  // What the response, the log line and the metrics need to know about the current request.
  struct exchange {
    std::string method;
    std::string path;
    std::string route;
    std::string request_id;
    std::string error;  // reason for a 5xx, logged but never sent to the client
    unsigned version = 11;
    bool keep_alive = false;
    bool head = false;
    std::chrono::steady_clock::time_point start;
    std::shared_ptr<answer_slot> slot;
  };

  session_registration registration_;  // first: destroyed after the stream and the timer
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  boost::asio::steady_timer handler_timer_;
  std::shared_ptr<server_state> state_;
  std::string remote_address_;
  phase phase_ = phase::idle;
  bool first_request_ = true;
  bool shutting_down_ = false;
  exchange current_;
  // The upgrade request, kept for the handshake while the route's handler decides.
  std::optional<boost::beast::http::request<boost::beast::http::string_body>> upgrade_request_;

  void do_wait_for_request();
  void on_first_bytes(boost::system::error_code ec, std::size_t bytes);
  void do_read();
  void on_read(boost::system::error_code ec, std::size_t bytes);
  void on_read_error(boost::system::error_code ec);
  void dispatch(http_request&& request);
  void dispatch_websocket(http_request&& request, router::ws_match_result match);
  void on_upgrade_accepted(const std::shared_ptr<answer_slot>& slot, ws_factory factory);
  void arm_handler_timer(const std::shared_ptr<answer_slot>& slot);
  void record_exchange(unsigned status);
  void on_handler_failed(const std::shared_ptr<answer_slot>& slot, std::string reason);
  void on_handler_timeout(std::shared_ptr<answer_slot> slot, boost::system::error_code ec);
  void on_answer(const std::shared_ptr<answer_slot>& slot, http_response response);
  void do_write(http_response response, after_write next);
  void on_write(after_write next, boost::system::error_code ec, std::size_t bytes);
  void do_linger();
  void on_linger(boost::system::error_code ec, std::size_t bytes);
  void do_close();
  void on_begin_shutdown();
  void on_force_close();
};

}  // namespace crmd::net
