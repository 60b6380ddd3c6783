#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

// HTTP delivery to crmd: one keep-alive connection per worker, blocking calls (each worker is a
// thread), a deadline on every exchange, and OpenPhone-style retry pacing.
namespace crmd::openphone_emulator {

struct endpoint {
  std::string host;
  std::string port;
  std::string target;  // path and query
};

// http://host[:port][/path]; nullopt for anything else (https is not needed against a local
// crmd and would pull TLS into a test tool).
std::optional<endpoint> parse_url(std::string_view url);

// What an idle keep-alive connection closed by the server looks like on the next request.
bool closed_while_idle(const boost::beast::error_code& ec);

struct http_result {
  unsigned status = 0;  // 0: no response (the error says why)
  std::string body;
  std::string error;
  double latency_ms = 0;  // request written → response fully read, reconnects included

  bool ok() const { return status >= 200 && status < 300; }
};

class http_connection {
 public:
  http_connection(endpoint target, std::chrono::milliseconds timeout);

  // POSTs `body` as application/json with `openphone-signature` when one is given. A request
  // that fails on a reused connection before any answer is sent once more on a fresh one: the
  // server closing an idle keep-alive connection is not a delivery failure.
  http_result post(std::string_view body, const std::optional<std::string>& signature);

 private:
  boost::beast::error_code connect();
  void close();
  template <typename Start>
  boost::beast::error_code run(Start start);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::resolver resolver_;
  std::optional<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  endpoint target_;
  std::string host_header_;
  std::chrono::milliseconds timeout_;
};

// OpenPhone's schedule is unpublished (openphone-api.md §8): 100 ms doubling up to 2 s,
// each delay drawn between half and all of its step so retries from many workers spread out.
struct retry_policy {
  std::chrono::milliseconds first{100};
  std::chrono::milliseconds max{2000};
  std::chrono::seconds retry_for{120};

  std::chrono::milliseconds delay(int failures, std::mt19937_64& jitter) const;
};

}  // namespace crmd::openphone_emulator
