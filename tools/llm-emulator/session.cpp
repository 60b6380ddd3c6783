#include "tools/llm-emulator/session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace crmd::llm_emulator {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using error_code = boost::system::error_code;

namespace {

constexpr std::chrono::seconds idle_timeout{120};
constexpr std::chrono::seconds write_timeout{30};
constexpr std::uint64_t body_limit = 1024 * 1024;

std::int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

}  // namespace

session::session(asio::ip::tcp::socket&& socket, chat_service& service,
                 std::chrono::milliseconds slow_delay)
  : stream_(std::move(socket)),
    delay_(stream_.get_executor()),
    service_(service),
    slow_delay_(slow_delay) {}

session::~session() {
  done_answering();
}

void session::run() {
  asio::dispatch(stream_.get_executor(),
                 beast::bind_front_handler(&session::do_read, shared_from_this()));
}

void session::do_read() {
  parser_.emplace();
  parser_->body_limit(body_limit);
  response_ = {};
  serializer_.reset();
  stream_.expires_after(idle_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&session::on_read, shared_from_this()));
}

void session::on_read(error_code ec, std::size_t) {
  if (ec)
    return do_close();
  const auto& request = parser_->get();
  if (request.target() == "/v1/chat/completions") {
    counted_ = true;
    service_.started();
  }
  auto answer = outcome_of(request);
  response_.version(request.version());
  response_.keep_alive(request.keep_alive());
  response_.result(static_cast<unsigned>(answer.status));
  response_.set(http::field::server, "llm-emulator");
  response_.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : answer.headers)
    response_.set(name, value);
  response_.body() = std::move(answer.body);
  response_.prepare_payload();
  switch (answer.injected) {
    case injection::slow:
      delay_.expires_after(slow_delay_);
      return delay_.async_wait(beast::bind_front_handler(&session::on_delay, shared_from_this()));
    case injection::drop:
      return do_drop();
    case injection::none:
      break;
  }
  do_write();
}

outcome session::outcome_of(const http::request<http::string_body>& r) {
  request plain{std::string(r.method_string()), std::string(r.target()), std::nullopt, r.body()};
  if (auto found = r.find(http::field::authorization); found != r.end())
    plain.authorization = std::string(found->value());
  // No exception may escape into Asio's handler: it would end the server thread.
  try {
    return service_.handle(plain, std::chrono::steady_clock::now(), unix_seconds());
  } catch (...) {
    return {500, {}, R"({"error":{"message":"emulator error","type":"server_error"}})"};
  }
}

void session::on_delay(error_code ec) {
  if (ec)
    return do_close();
  do_write();
}

void session::do_write() {
  stream_.expires_after(write_timeout);
  http::async_write(stream_, response_,
                    beast::bind_front_handler(&session::on_write, shared_from_this()));
}

void session::on_write(error_code ec, std::size_t) {
  done_answering();
  if (ec || !response_.keep_alive())
    return do_close();
  do_read();
}

// The status line and headers promise the whole body (Content-Length); half of it follows, then
// the connection closes: what a client sees when a proxy or the network dies mid-response.
void session::do_drop() {
  stream_.expires_after(write_timeout);
  serializer_.emplace(response_);
  http::async_write_header(stream_, *serializer_,
                           beast::bind_front_handler(&session::on_drop_header,
                                                     shared_from_this()));
}

void session::on_drop_header(error_code ec, std::size_t) {
  if (ec)
    return do_close();
  const auto& body = response_.body();
  asio::async_write(stream_, asio::buffer(body.data(), body.size() / 2),
                    beast::bind_front_handler(&session::on_drop_body, shared_from_this()));
}

void session::on_drop_body(error_code, std::size_t) {
  do_close();
}

void session::done_answering() {
  if (std::exchange(counted_, false))
    service_.finished();
}

void session::do_close() {
  done_answering();
  error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

}  // namespace crmd::llm_emulator
