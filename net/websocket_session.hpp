#pragma once

// Internal to net/: one WebSocket connection after the upgrade, in the shape of Beast's
// advanced server's websocket_session with a bounded queue: only text frames, one write in
// flight, a client that falls behind is closed with 1008 instead of buffering without end.

#include "net/connection.hpp"
#include "net/server_state.hpp"
#include "net/session_registration.hpp"
#include "net/websocket.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

namespace crmd::net {

class websocket_session : public connection,
                          public std::enable_shared_from_this<websocket_session> {
 public:
  // Takes over an HTTP session's stream and its id in the server's registry.
  websocket_session(boost::beast::tcp_stream&& stream, std::shared_ptr<server_state> state,
                    std::uint64_t id);
  ~websocket_session() override;

  // Completes the handshake for `request`, then hands the connection to `factory`.
  void run(boost::beast::http::request<boost::beast::http::string_body> request,
           ws_factory factory);

  // Any thread; see ws_connection.
  bool send(std::string text);
  void close(std::uint16_t code, std::string reason);
  void begin_shutdown() override;
  void force_close() override;

 private:
  using frame = std::shared_ptr<const std::string>;

  session_registration registration_;  // first: destroyed after the stream and the timer
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  boost::asio::steady_timer close_timer_;
  std::shared_ptr<server_state> state_;
  std::uint64_t id_;
  boost::beast::http::request<boost::beast::http::string_body> upgrade_request_;  // until accepted
  ws_factory factory_;
  ws_callbacks callbacks_;

  // Counted by send() on the caller's thread, released when a frame is written or dropped, so
  // the bound holds before the frame reaches the strand.
  std::atomic<std::size_t> queued_frames_{0};
  std::atomic<std::size_t> queued_bytes_{0};
  std::atomic<bool> accepting_{true};  // false once closing: send() refuses at once

  // Strand only.
  std::deque<frame> queue_;
  bool open_ = false;     // handshake done
  bool writing_ = false;  // queue_.front() is being written
  bool closing_ = false;  // a close was decided; sent once no write is in flight
  bool close_sent_ = false;
  bool ended_ = false;  // on_close was called
  boost::beast::websocket::close_reason close_reason_;

  void on_handshake(boost::system::error_code ec);
  void do_read();
  void on_read(boost::system::error_code ec, std::size_t bytes);
  void on_send(frame text);
  void do_write();
  void on_write(boost::system::error_code ec, std::size_t bytes);
  void do_close(std::uint16_t code, std::string reason);
  void send_close();
  void on_close_sent(boost::system::error_code ec);
  void cut();
  void end(boost::system::error_code ec);
  void release(std::size_t bytes);
};

}  // namespace crmd::net
