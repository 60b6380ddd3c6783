#pragma once

// Internal to rest_server: one keep-alive connection, in the shape of Beast's advanced server.
// It reads a request, asks rest_service for the outcome and carries it out: at once, after the
// slow delay on a timer (never blocking the thread), or cut off halfway through the body.

#include "tools/openphone-emulator/rest_service.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace crmd::openphone_emulator::rest {

class rest_session : public std::enable_shared_from_this<rest_session> {
 public:
  rest_session(boost::asio::ip::tcp::socket&& socket, rest_service& service,
               std::chrono::milliseconds slow_delay);

  void run();

 private:
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::optional<boost::beast::http::response_serializer<boost::beast::http::string_body>>
      serializer_;
  boost::asio::steady_timer delay_;
  rest_service& service_;
  std::chrono::milliseconds slow_delay_;

  void do_read();
  void on_read(boost::system::error_code ec, std::size_t bytes);
  service_outcome outcome_of(
      const boost::beast::http::request<boost::beast::http::string_body>& request);
  void on_delay(boost::system::error_code ec);
  void do_write();
  void on_write(boost::system::error_code ec, std::size_t bytes);
  void do_drop();
  void on_drop_header(boost::system::error_code ec, std::size_t bytes);
  void on_drop_body(boost::system::error_code ec, std::size_t bytes);
  void do_close();
};

}  // namespace crmd::openphone_emulator::rest
