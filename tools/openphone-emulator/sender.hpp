#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

// HTTP delivery to crmd: one keep-alive connection per worker, a deadline on every exchange, and
// OpenPhone-style retry pacing. The exchange itself is a coroutine, which --load runs for all its
// connections on one thread and http_connection runs to completion for a blocking caller.
namespace crmd::openphone_emulator {

struct endpoint {
  std::string host;
  std::string port;
  std::string target;  // path and query
};

// http://host[:port][/path]; nullopt for anything else (https is not needed against a local
// crmd and would pull TLS into a test tool).
std::optional<endpoint> parse_url(std::string_view url);

struct http_result {
  unsigned status = 0;  // 0: no response (the error says why)
  std::string body;
  std::string error;
  double latency_ms = 0;  // request written → response fully read, reconnects included

  bool ok() const { return status >= 200 && status < 300; }
};

using webhook_request = boost::beast::http::request<boost::beast::http::string_body>;

// A POST of `body` to `target` as application/json, with `openphone-signature` when one is
// given, keeping the connection alive.
webhook_request make_webhook_request(const endpoint& target, std::string body,
                                     const std::optional<std::string>& signature);

// One keep-alive connection: its stream (none until connected) and read buffer.
struct http_link {
  std::optional<boost::beast::tcp_stream> stream;
  boost::beast::flat_buffer buffer;

  void close();
};

// Sends `request` over `link`, connecting to `addresses` first when it has no stream, with
// `timeout` on each step. A request that fails on a reused connection before any answer is sent
// once more on a fresh one: the server closing an idle keep-alive connection is not a delivery
// failure. Holds `link`, `addresses` and `request` by reference: they must outlive it.
boost::asio::awaitable<http_result> send_request(
  http_link& link, const boost::asio::ip::tcp::resolver::results_type& addresses,
  std::chrono::milliseconds timeout, const webhook_request& request);

class http_connection {
 public:
  http_connection(endpoint target, std::chrono::milliseconds timeout);

  // send_request() of make_webhook_request(…), blocking until it is done. The host is resolved
  // whenever a new connection is needed; a reconnect inside one post reuses that resolution.
  http_result post(std::string_view body, const std::optional<std::string>& signature);

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::ip::tcp::resolver::results_type addresses_;
  http_link link_;
  endpoint target_;
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
