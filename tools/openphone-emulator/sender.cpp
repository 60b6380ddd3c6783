#include "tools/openphone-emulator/sender.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>

namespace crmd::openphone_emulator {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

namespace {

// Only a large JSON error page could come close; it still must not eat the tool's memory.
constexpr std::uint64_t response_body_limit = 4 * 1024 * 1024;

// What an idle keep-alive connection closed by the server looks like on the next request.
bool closed_while_idle(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

std::optional<endpoint> parse_url(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (!url.starts_with(scheme))
    return std::nullopt;
  url.remove_prefix(scheme.size());
  auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  endpoint e;
  e.target = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    e.host = authority.substr(0, colon);
    e.port = authority.substr(colon + 1);
  } else {
    e.host = authority;
    e.port = "80";
  }
  if (e.host.size() > 2 && e.host.front() == '[' && e.host.back() == ']')
    e.host = e.host.substr(1, e.host.size() - 2);
  bool numeric_port = !e.port.empty() && std::all_of(e.port.begin(), e.port.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
  if (e.host.empty() || !numeric_port)
    return std::nullopt;
  return e;
}

webhook_request make_webhook_request(const endpoint& target, std::string body,
                                     const std::optional<std::string>& signature) {
  webhook_request request{http::verb::post, target.target, 11};
  request.set(http::field::host, target.host + ":" + target.port);
  request.set(http::field::user_agent, "openphone-emulator");
  request.set(http::field::content_type, "application/json");
  if (signature)
    request.set("openphone-signature", *signature);
  request.keep_alive(true);
  request.body() = std::move(body);
  request.prepare_payload();
  return request;
}

void http_link::close() {
  if (stream) {
    beast::error_code ignored;
    stream->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream->close();
    stream.reset();
  }
  buffer.consume(buffer.size());
}

asio::awaitable<http_result> send_request(http_link& link,
                                          const asio::ip::tcp::resolver::results_type& addresses,
                                          std::chrono::milliseconds timeout,
                                          const webhook_request& request) {
  auto executor = co_await asio::this_coro::executor;
  auto start = std::chrono::steady_clock::now();
  http_result result;
  beast::error_code ec;
  bool reused = link.stream.has_value();
  for (;;) {
    if (!link.stream) {
      link.stream.emplace(executor);
      link.stream->expires_after(timeout);
      co_await link.stream->async_connect(addresses, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        link.close();
        result.error = "connect: " + ec.message();
        result.latency_ms = milliseconds_since(start);
        co_return result;
      }
      link.stream->socket().set_option(asio::ip::tcp::no_delay(true), ec);
    }
    link.stream->expires_after(timeout);
    co_await http::async_write(*link.stream, request, asio::redirect_error(asio::use_awaitable, ec));
    http::response_parser<http::string_body> parser;
    parser.body_limit(response_body_limit);
    if (!ec)
      co_await http::async_read(*link.stream, link.buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
      auto response = parser.release();
      result.status = response.result_int();
      result.body = std::move(response.body());
      result.latency_ms = milliseconds_since(start);
      if (!response.keep_alive())
        link.close();
      co_return result;
    }
    link.close();
    if (!reused || !closed_while_idle(ec)) {
      result.error = ec == beast::error::timeout ? "timeout" : ec.message();
      result.latency_ms = milliseconds_since(start);
      co_return result;
    }
    reused = false;
  }
}

http_connection::http_connection(endpoint target, std::chrono::milliseconds timeout)
    : resolver_(io_), target_(std::move(target)), timeout_(timeout) {}

http_result http_connection::post(std::string_view body,
                                  const std::optional<std::string>& signature) {
  auto start = std::chrono::steady_clock::now();
  http_result result;
  if (!link_.stream) {
    beast::error_code ec;
    addresses_ = resolver_.resolve(target_.host, target_.port, ec);
    if (ec) {
      result.error = "connect: " + ec.message();
      result.latency_ms = milliseconds_since(start);
      return result;
    }
  }
  // tcp_stream's deadlines only apply to asynchronous calls, and a blocking tool still must not
  // hang on a stuck server: the exchange runs on this connection's own io_context. The request
  // lives here, as the coroutine holds it by reference until io_.run() returns.
  auto request = make_webhook_request(target_, std::string(body), signature);
  asio::co_spawn(io_, send_request(link_, addresses_, timeout_, request),
                 [&result](std::exception_ptr failure, http_result answer) {
                   result = failure ? http_result{.error = "exchange failed"} : std::move(answer);
                 });
  io_.restart();
  io_.run();
  result.latency_ms = milliseconds_since(start);
  return result;
}

std::chrono::milliseconds retry_policy::delay(int failures, std::mt19937_64& jitter) const {
  auto step = first;
  for (int i = 1; i < failures && step < max; ++i)
    step *= 2;
  step = std::min(step, max);
  std::uniform_int_distribution<std::int64_t> spread(step.count() / 2, step.count());
  return std::chrono::milliseconds(spread(jitter));
}

}  // namespace crmd::openphone_emulator
