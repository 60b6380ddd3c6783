#include "tools/openphone-emulator/rest_session.hpp"

#include "tools/openphone-emulator/rest_errors.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace crmd::openphone_emulator::rest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using error_code = boost::system::error_code;

namespace {

// Long enough for an importer that pauses between pages; a client's own deadline is shorter.
constexpr std::chrono::seconds idle_timeout{120};
constexpr std::chrono::seconds write_timeout{30};
constexpr std::uint64_t body_limit = 64 * 1024;

std::optional<std::string> header(const http::request<http::string_body>& request,
                                  std::string_view name) {
  auto found = request.find(name);
  if (found == request.end())
    return std::nullopt;
  return std::string(found->value());
}

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

rest_session::rest_session(asio::ip::tcp::socket&& socket, rest_service& service,
                           std::chrono::milliseconds slow_delay)
  : stream_(std::move(socket)),
    delay_(stream_.get_executor()),
    service_(service),
    slow_delay_(slow_delay) {}

void rest_session::run() {
  asio::dispatch(stream_.get_executor(),
                 beast::bind_front_handler(&rest_session::do_read, shared_from_this()));
}

void rest_session::do_read() {
  parser_.emplace();
  parser_->body_limit(body_limit);
  response_ = {};
  serializer_.reset();
  stream_.expires_after(idle_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&rest_session::on_read, shared_from_this()));
}

void rest_session::on_read(error_code ec, std::size_t) {
  // A closed, idle, timed-out or garbled connection has nobody worth answering.
  if (ec)
    return do_close();
  const auto& request = parser_->get();
  auto outcome = outcome_of(request);
  response_.version(request.version());
  response_.keep_alive(request.keep_alive());
  response_.result(outcome.response.status);
  response_.set(http::field::server, "openphone-emulator");
  response_.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : outcome.response.headers)
    response_.set(name, value);
  response_.body() = std::move(outcome.response.body);
  response_.prepare_payload();
  switch (outcome.injected) {
    case injection::slow:
      delay_.expires_after(slow_delay_);
      return delay_.async_wait(
          beast::bind_front_handler(&rest_session::on_delay, shared_from_this()));
    case injection::drop: return do_drop();
    default: return do_write();
  }
}

service_outcome rest_session::outcome_of(const http::request<http::string_body>& request) {
  rest_request plain{std::string(request.method_string()), std::string(request.target()),
                     header(request, "Authorization"), header(request, "Quo-Api-Version"),
                     request.body()};
  // No exception may escape into Asio's handler: it would end the server thread.
  try {
    return service_.handle(plain, steady_ns(), unix_ms());
  } catch (const std::exception& e) {
    return {error_response(500, resource::none, std::string("emulator error: ") + e.what())};
  }
}

void rest_session::on_delay(error_code ec) {
  if (ec)
    return do_close();
  do_write();
}

void rest_session::do_write() {
  stream_.expires_after(write_timeout);
  http::async_write(stream_, response_,
                    beast::bind_front_handler(&rest_session::on_write, shared_from_this()));
}

void rest_session::on_write(error_code ec, std::size_t) {
  if (ec || !response_.keep_alive())
    return do_close();
  do_read();
}

// The status line and headers promise the whole body (Content-Length); half of it follows, then
// the connection closes: what a client sees when a proxy or the network dies mid-response.
void rest_session::do_drop() {
  stream_.expires_after(write_timeout);
  serializer_.emplace(response_);
  http::async_write_header(
      stream_, *serializer_,
      beast::bind_front_handler(&rest_session::on_drop_header, shared_from_this()));
}

void rest_session::on_drop_header(error_code ec, std::size_t) {
  if (ec)
    return do_close();
  const auto& body = response_.body();
  asio::async_write(stream_, asio::buffer(body.data(), body.size() / 2),
                    beast::bind_front_handler(&rest_session::on_drop_body, shared_from_this()));
}

void rest_session::on_drop_body(error_code, std::size_t) {
  do_close();
}

void rest_session::do_close() {
  error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

}  // namespace crmd::openphone_emulator::rest
