#pragma once

// Internal to server.cpp: one keep-alive connection, in the shape of Beast's advanced server.
// It reads a request, asks chat_service for the outcome and carries it out: at once, after the
// slow delay on a timer (never blocking the thread), or cut off halfway through the body.

#include "tools/llm-emulator/service.hpp"

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

namespace crmd::llm_emulator {

class session : public std::enable_shared_from_this<session> {
 public:
  session(boost::asio::ip::tcp::socket&& socket, chat_service& service,
          std::chrono::milliseconds slow_delay);
  ~session();

  void run();

 private:
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::optional<boost::beast::http::response_serializer<boost::beast::http::string_body>>
      serializer_;
  boost::asio::steady_timer delay_;
  chat_service& service_;
  std::chrono::milliseconds slow_delay_;
  bool counted_ = false;  // a completion is being answered (chat_service::started)

  void do_read();
  void on_read(boost::system::error_code ec, std::size_t bytes);
  outcome outcome_of(const boost::beast::http::request<boost::beast::http::string_body>& r);
  void on_delay(boost::system::error_code ec);
  void do_write();
  void on_write(boost::system::error_code ec, std::size_t bytes);
  void do_drop();
  void on_drop_header(boost::system::error_code ec, std::size_t bytes);
  void on_drop_body(boost::system::error_code ec, std::size_t bytes);
  void done_answering();
  void do_close();
};

}  // namespace crmd::llm_emulator
