#include "tools/openphone-emulator/sender.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>

namespace crmd::openphone_emulator {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

namespace {

// Only a large JSON error page could come close; it still must not eat the tool's memory.
constexpr std::uint64_t response_body_limit = 4 * 1024 * 1024;

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

bool closed_while_idle(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

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

http_connection::http_connection(endpoint target, std::chrono::milliseconds timeout)
    : resolver_(io_), target_(std::move(target)), timeout_(timeout) {
  host_header_ = target_.host + ":" + target_.port;
}

// Runs one asynchronous operation to completion: tcp_stream's deadlines only apply to
// asynchronous calls, and a blocking tool still must not hang on a stuck server.
template <typename Start>
beast::error_code http_connection::run(Start start) {
  beast::error_code result = asio::error::would_block;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  io_.restart();
  io_.run();
  return result;
}

beast::error_code http_connection::connect() {
  beast::error_code ec;
  auto addresses = resolver_.resolve(target_.host, target_.port, ec);
  if (ec)
    return ec;
  stream_.emplace(io_);
  stream_->expires_after(timeout_);
  ec = run([&](auto handler) { stream_->async_connect(addresses, std::move(handler)); });
  if (ec) {
    close();
    return ec;
  }
  stream_->socket().set_option(asio::ip::tcp::no_delay(true), ec);
  return {};
}

void http_connection::close() {
  if (stream_) {
    beast::error_code ignored;
    stream_->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_->close();
    stream_.reset();
  }
  buffer_.consume(buffer_.size());
}

http_result http_connection::post(std::string_view body,
                                  const std::optional<std::string>& signature) {
  http::request<http::string_body> request{http::verb::post, target_.target, 11};
  request.set(http::field::host, host_header_);
  request.set(http::field::user_agent, "openphone-emulator");
  request.set(http::field::content_type, "application/json");
  if (signature)
    request.set("openphone-signature", *signature);
  request.keep_alive(true);
  request.body() = std::string(body);
  request.prepare_payload();

  auto start = std::chrono::steady_clock::now();
  http_result result;
  bool reused = stream_.has_value();
  for (;;) {
    if (!stream_) {
      if (auto ec = connect()) {
        result.error = "connect: " + ec.message();
        result.latency_ms = milliseconds_since(start);
        return result;
      }
    }
    stream_->expires_after(timeout_);
    auto ec = run([&](auto handler) { http::async_write(*stream_, request, std::move(handler)); });
    http::response_parser<http::string_body> parser;
    parser.body_limit(response_body_limit);
    if (!ec)
      ec = run(
          [&](auto handler) { http::async_read(*stream_, buffer_, parser, std::move(handler)); });
    if (!ec) {
      auto response = parser.release();
      result.status = response.result_int();
      result.body = std::move(response.body());
      result.latency_ms = milliseconds_since(start);
      if (!response.keep_alive())
        close();
      return result;
    }
    close();
    if (!reused || !closed_while_idle(ec)) {
      result.error = ec == beast::error::timeout ? "timeout" : ec.message();
      result.latency_ms = milliseconds_since(start);
      return result;
    }
    reused = false;
  }
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
